import { useEffect, useMemo, useState } from 'preact/hooks';

/**
 * Hash routes (`#/tasks/<id>?…`): the API serves one index.html and never needs to know the
 * dashboard's pages, and a reload or a shared link lands on the same view.
 */
export interface Route {
  /** Path segments after `#/`, e.g. ['tasks', '<id>']; [] for the overview. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?', 2);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

/** `href('tasks', id)` → `#/tasks/<id>`, with query parameters when given (empty ones left out). */
export function href(path: string, query?: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string | undefined | null>): void {
  location.hash = href(path, query);
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener('hashchange', update);
    // The hash may have changed between the first render and this listener (a link followed
    // while the page was still starting), with no event left to hear: read it once now.
    update();
    return () => removeEventListener('hashchange', update);
  }, []);
  return useMemo(() => parseHash(hash), [hash]);
}
