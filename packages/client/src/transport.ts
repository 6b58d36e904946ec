import { apiErrorFor, NetworkError, TaskforgeError } from './errors.js';

/*
 * One request to the API: JSON in, JSON out, the bearer token, and every failure turned into
 * the client's error classes. Only what `fetch` offers everywhere (Node.js ≥ 20, browsers) is
 * used, so the minimal shapes below are all a custom `fetch` has to provide.
 */

/** What the client passes to fetch. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** What the client reads of fetch's answer. */
export interface FetchResponse {
  status: number;
  statusText: string;
  ok: boolean;
  text(): Promise<string>;
}

/** The global `fetch`, or anything with its shape for the parts above. */
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface TransportOptions {
  /** Where the API is, e.g. `http://127.0.0.1:3000`; `''` for the page's own origin in a browser. */
  baseUrl: string;
  /** The API_TOKEN, sent as `Authorization: Bearer …`; a function is asked before every request (a token that changes). */
  token?: string | (() => string | null | undefined);
  /** Defaults to the global fetch. */
  fetch?: FetchFunction;
  /** Sent with every request. */
  headers?: Record<string, string>;
}

export type QueryValue = string | number | boolean | Date | null | undefined | readonly (string | number)[];

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface Answer<Body> {
  status: number;
  body: Body;
}

/** `?a=1&b=x&b=y`: lists repeated, Dates as ISO 8601, empty values left out. */
export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) params.append(key, item instanceof Date ? item.toISOString() : String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class Transport {
  private readonly baseUrl: string;
  private readonly send: FetchFunction;

  constructor(private readonly options: TransportOptions) {
    if (typeof options.baseUrl !== 'string') throw new TypeError('baseUrl is required, e.g. http://127.0.0.1:3000');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const custom = options.fetch;
    // Called as a plain function: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    this.send = custom ? (url, init) => custom(url, init) : (url, init) => globalThis.fetch(url, init);
  }

  /** The answer's status and parsed body when it is 2xx; otherwise throws the matching error. */
  async request<Body>(spec: RequestSpec): Promise<Answer<Body>> {
    const url = this.baseUrl + spec.path + queryString(spec.query);
    const init: FetchInit = { method: spec.method, headers: this.headers(spec.body !== undefined), signal: spec.signal };
    if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const response = await this.send(url, init);
      ({ status, statusText } = response);
      text = await response.text();
    } catch (error) {
      // An abort is the caller's own doing, not the network's: it keeps its AbortError.
      if (spec.signal?.aborted) throw error;
      throw new NetworkError(spec.method, url, error);
    }
    const body = parseBody(text);
    if (status < 200 || status > 299) throw apiErrorFor({ status, method: spec.method, url, body }, statusText);
    if (typeof body === 'string')
      throw new TaskforgeError(`${spec.method} ${url} answered ${status} with a body that is not JSON: ${body.slice(0, 200)}`);
    return { status, body: body as Body };
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (hasBody) headers['content-type'] = 'application/json';
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }
}
