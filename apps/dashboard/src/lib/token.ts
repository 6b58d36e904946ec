/**
 * The API token, asked for once and kept in this browser's localStorage so a reload does not
 * ask again ("Forget token" in the header removes it). Where storage is blocked (a sandboxed
 * frame, some private modes) it lives in memory for this page only.
 */
const KEY = 'taskforge.apiToken';

let current: string | null = load();

function load(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function readToken(): string | null {
  return current;
}

export function saveToken(token: string): void {
  current = token;
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // memory only, see above
  }
}

export function forgetToken(): void {
  current = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    // memory only, see above
  }
}
