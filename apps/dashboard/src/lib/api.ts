/**
 * The dashboard's only door to the queue: @taskforge/client on the API's own endpoints (same
 * origin, so relative URLs), with the bearer token when one was given. Every refusal is one of
 * the client's ApiError classes carrying the API's message, so a page can show exactly why.
 */
import { TaskforgeClient, type FetchFunction } from '@taskforge/client';
import { readToken } from './token';

export { ApiError, NotFoundError, UnauthorizedError, ValidationError } from '@taskforge/client';

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the API answers 401 (no token, or a wrong one): the app asks for the token, then the caller tries again. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The browser's fetch, telling the listeners of a 401 before the client turns it into an UnauthorizedError. */
const fetchNoticing401: FetchFunction = async (url, init) => {
  const response = await fetch(url, init);
  if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
  return response;
};

/** The token is read before every request: it can be given, changed or forgotten while the page is open. */
export const api = new TaskforgeClient({ baseUrl: '', token: readToken, fetch: fetchNoticing401 });
