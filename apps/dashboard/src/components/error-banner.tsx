/** An error the user should read: the API's own message when it refused. */
export function ErrorBanner({ error, title }: { error: Error | string | null | undefined; title?: string }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div class="error-banner" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {message}
    </div>
  );
}
