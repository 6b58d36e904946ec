/**
 * Ctrl-C in two steps for commands that must not stop half-way unnoticed: the first calls
 * `first` (finish the request in flight, then report), the second calls `second` and quits
 * at once with 130. Returns a function that removes the handler.
 */
export function onInterrupt(first: () => void, second: () => void): () => void {
  let count = 0;
  const handler = () => {
    count += 1;
    if (count === 1) return first();
    second();
    process.exit(130);
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
