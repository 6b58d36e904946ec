import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * For a container whose buttons come and go with the data (a task's actions, a list's rows):
 * when the focused element inside it disappears (Cancel, once the task is cancelled; Delete,
 * with its row), focus stays in the container instead of falling back to the top of the page,
 * where a keyboard user would have to start again. It moves to the container's first enabled
 * button (`first-button`: what is left to do), or to the container itself (`container`: where
 * the removed thing was). The container needs tabIndex={-1} to take focus itself.
 */
export function useFocusKeeper<T extends HTMLElement>(moveTo: 'first-button' | 'container' = 'first-button') {
  const container = useRef<T>(null);
  // Read while rendering, before this render reaches the DOM: was focus inside until now?
  const hadFocus = Boolean(container.current?.contains(document.activeElement));
  useLayoutEffect(() => {
    const node = container.current;
    // Only a focus that was lost: one the user moved elsewhere stays where they put it.
    if (!hadFocus || !node || document.activeElement !== document.body) return;
    const target = moveTo === 'first-button' ? node.querySelector<HTMLElement>('button:not(:disabled)') : null;
    (target ?? node).focus();
  });
  return container;
}
