import type { ComponentChildren } from 'preact';

/**
 * Preformatted text in a block that scrolls when long (a payload, a stack trace). It takes
 * focus so the keyboard can scroll it, and is a named region so that focus has a name to
 * read out (a plain <pre> may not carry a label).
 */
export function ScrollableText({ label, kind, children }: { label: string; kind: 'json' | 'stack'; children: ComponentChildren }) {
  return (
    <pre class={kind} role="region" aria-label={label} tabIndex={0}>
      {children}
    </pre>
  );
}
