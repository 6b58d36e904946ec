import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ErrorBanner } from './error-banner';

interface ConfirmActionProps {
  /** The button's text, and the dialog's title. */
  label: string;
  /** What assistive technology calls the button where its text alone is ambiguous: "Delete nightly", one per row. */
  name?: string;
  /** What the dialog asks, e.g. "Cancel task 1234…? It will not run." */
  question: string;
  /** Runs on "Confirm"; a rejection keeps the dialog open with the error shown. */
  onConfirm: () => Promise<unknown>;
  /** Called after onConfirm succeeded and the dialog closed. */
  onDone?: () => void;
  /** Extra fields in the dialog (a date-time picker for reschedule, say). */
  children?: ComponentChildren;
  danger?: boolean;
  disabled?: boolean;
  /** Told when the dialog opens and closes (any way: Esc, Back, done), e.g. to hold the page still meanwhile. */
  onOpenChange?: (open: boolean) => void;
}

/**
 * A button that asks before it acts. Uses the native <dialog>: it traps focus, closes on Esc
 * and returns focus to the button, so the whole flow works from the keyboard.
 */
export function ConfirmAction({ label, name, question, onConfirm, onDone, children, danger, disabled, onOpenChange }: ConfirmActionProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const open = () => {
    setError(undefined);
    dialog.current?.showModal();
    onOpenChange?.(true);
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      dialog.current?.close();
      onDone?.();
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class={danger ? 'danger' : undefined} aria-label={name} onClick={open} disabled={disabled}>
        {label}
      </button>
      <dialog ref={dialog} aria-label={label} onClose={() => onOpenChange?.(false)}>
        <form method="dialog" onSubmit={(event) => void confirm(event)}>
          <h2>{label}</h2>
          <p>{question}</p>
          {children}
          <ErrorBanner error={error} title="The API refused" />
          <div class="dialog-buttons">
            <button type="button" onClick={() => dialog.current?.close()}>
              Back
            </button>
            <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
              {busy ? 'Working…' : 'Confirm'}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
