import { useEffect, useRef, useState } from 'preact/hooks';
import { saveToken } from '../lib/token';

/**
 * Shown when the API answers 401: the server runs with API_TOKEN set and this browser has no
 * token, or a wrong one. The token is stored (see lib/token.ts) and sent as a bearer header.
 */
export function TokenPrompt({ onSaved, rejected }: { onSaved: () => void; rejected: boolean }) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!value.trim()) return;
    saveToken(value.trim());
    onSaved();
  };
  return (
    <section class="token-prompt card" aria-labelledby="token-title">
      <h1 id="token-title">API token required</h1>
      <p>
        This API runs with <code>API_TOKEN</code> set. Enter the token once; this browser keeps it and sends it as{' '}
        <code>Authorization: Bearer …</code>.
      </p>
      {rejected ? (
        <p class="error-banner" role="alert">
          The API did not accept the stored token. Enter it again.
        </p>
      ) : null}
      <form onSubmit={submit}>
        <label for="api-token">Token</label>
        <input
          id="api-token"
          ref={input}
          type="password"
          autocomplete="current-password"
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
          required
        />
        <button type="submit" class="primary">
          Save token
        </button>
      </form>
    </section>
  );
}
