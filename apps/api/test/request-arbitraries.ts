import fc from 'fast-check';
import { toJsonText, valueFor, type SpecSchema } from './schema-arbitrary.js';

/*
 * Random HTTP requests for the property test: path ids, query strings, bodies and headers, from
 * well-formed to hostile. Each arbitrary leans towards what gets past the first check (real
 * UUIDs, documented field and parameter names) so the deeper code is reached too.
 */

/** A route as the OpenAPI spec lists it, with what it knows about the route's inputs. */
export interface DocumentedRoute {
  method: string;
  /** `/tasks/{id}` */
  path: string;
  /** Documented query parameters and their schemas. */
  query: Record<string, SpecSchema | undefined>;
  /** The JSON body's schema, when the spec documents one. */
  body?: SpecSchema;
  /** The spec's named schemas, for `$ref`s. */
  schemas: Record<string, SpecSchema>;
}

/** Top-level property names of the route's body, `$ref` resolved. */
function bodyFields(route: DocumentedRoute): string[] {
  const body = route.body?.$ref ? route.schemas[route.body.$ref.split('/').pop()!] : route.body;
  return Object.keys(body?.properties ?? {});
}

export interface RandomRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** Percent-encodes the UTF-8 bytes, so even a lone surrogate (which encodeURIComponent refuses) gets through. */
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

// Past Fastify's 100-character parameter limit and far past any sane URL, without slowing every run.
const hugeString = fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'x'.repeat(length));

const weirdText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    'null',
    'true',
    '-1',
    '1e999',
    'NaN',
    '0x10',
    '../..',
    '%',
    '{}',
    '[]',
    'a,b',
    '2030-02-30T00:00:00Z',
  ),
);

/** Path segments: real and random UUIDs, ids of tasks that exist, junk, unicode, huge strings, raw escapes. */
export function pathIdArbitrary(knownIds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.uuid().map(encode) },
      { weight: 3, arbitrary: knownIds.length > 0 ? fc.constantFrom(...knownIds) : fc.uuid() },
      { weight: 1, arbitrary: fc.uuid().map((id) => encode(id.toUpperCase())) },
      { weight: 3, arbitrary: weirdText.map(encode) },
      { weight: 1, arbitrary: hugeString },
      // Not valid UTF-8, a lone %, an encoded slash, dot segments: as a client may send them.
      { weight: 1, arbitrary: fc.constantFrom('%FF%FE', '%E0%A4%A', '%', '%2F', '..', '.', '%2e%2e', '%00', 'a%0Ab') },
    )
    .filter((segment) => segment.length > 0);
}

const queryValue = fc.oneof(
  weirdText,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('pending', 'running', 'completed', 'failed', 'cancelled', 'true', 'false', '500', '501', '0', '-1'),
  fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString())),
  fc.base64String(),
  hugeString,
);

/** Query strings with the documented names (and some well-known ones), random names, repeats and raw junk. */
export function queryArbitrary(route: DocumentedRoute): fc.Arbitrary<string> {
  const names = [...Object.keys(route.query), 'status', 'limit', 'cursor', 'task_name', 'force', 'created_after', 'created_before'];
  const documented = Object.entries(route.query).map(([name, schema]) =>
    fc.tuple(
      fc.constant(name),
      valueFor(schema, route.schemas).map((value) => (typeof value === 'string' ? value : toJsonText(value))),
    ),
  );
  const pair = fc.oneof(fc.tuple(fc.oneof(fc.constantFrom(...names), weirdText), queryValue), ...documented);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    {
      weight: 6,
      arbitrary: fc
        .array(pair, { maxLength: 6 })
        .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}` : '')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '?',
        '?&&==',
        '?a=%',
        '?%FF=%FE',
        '?limit',
        '?limit=1&limit=2',
        '?status[]=x',
        '?__proto__[x]=1',
        '?constructor=1',
      ),
    },
  );
}

/** JSON values that tend to break code: extremes of numbers, unstorable text, dates and near-dates. */
const edgeValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    0,
    -0,
    1.5,
    -1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
    '',
    '\u0000',
    'a\ud800b',
    null,
    true,
    [],
    {},
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2030-01-01T09:00:00Z',
    '2030-02-30T09:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999999+14:00',
    '* * * * *',
    '0 0 31 2 *',
    'Europe/Paris',
    'Mars/Olympus',
  ),
  weirdText,
);

/** An object with the documented fields (some of them, random values) and maybe unknown ones. */
function shapedObject(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const documented = fields.length > 0 ? fc.dictionary(fc.constantFrom(...fields), edgeValue, { maxKeys: fields.length }) : fc.constant({});
  return fc
    .tuple(documented, fc.dictionary(weirdText, edgeValue, { maxKeys: 2 }), fc.boolean())
    .map(([known, unknown, addUnknown]) => (addUnknown ? { ...unknown, ...known } : known));
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Deeply nested JSON, alone or as the value of a documented field: parsers, validators and serialisers recurse. */
function deepJson(fields: readonly string[]): fc.Arbitrary<string> {
  const depth = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1_000, max: 100_000 }));
  const open = fc.constantFrom(['[', ']'], ['{"a":', '}']);
  const field = fc.constantFrom(...fields, 'payload');
  return fc
    .tuple(depth, open, field, fc.boolean())
    .map(([d, [o, c], name, alone]) => (alone ? nested(d, o, c) : `{${JSON.stringify(name)}:${nested(d, o, c)},"task_name":"deep"}`));
}

const contentTypes = fc.constantFrom(
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/octet-stream',
  'application/merge-patch+json',
);

/** A body and its headers: JSON of every kind, invalid JSON, huge, deeply nested, or sent as something else. */
export function bodyArbitrary(route: DocumentedRoute): fc.Arbitrary<{ payload?: string; headers: Record<string, string> }> {
  const json = (value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ payload: toJsonText(v), headers: { 'content-type': 'application/json' } }));
  const raw = (text: fc.Arbitrary<string>) => text.map((payload) => ({ payload, headers: { 'content-type': 'application/json' } }));
  const fields = bodyFields(route);
  const shaped = shapedObject(fields);
  const valid = valueFor(route.body, route.schemas);
  // Valid but for one field, which gets an edge value, a deep value or goes missing.
  const oneFieldOff =
    fields.length === 0
      ? valid
      : fc
          .tuple(valid, fc.constantFrom(...fields), fc.oneof(edgeValue, valueFor(undefined, {}), fc.constant(undefined)))
          .map(([body, field, value]) => (body !== null && typeof body === 'object' ? { ...body, [field]: value } : body));
  return fc.oneof(
    { weight: 6, arbitrary: json(valid) },
    { weight: 6, arbitrary: json(oneFieldOff) },
    { weight: 3, arbitrary: json(shaped) },
    // A batch-like envelope whose items are shaped like a single body.
    {
      weight: 2,
      arbitrary: json(
        fc.record({
          tasks: fc.array(
            shapedObject(['task_name', 'payload', 'priority', 'scheduled_at', 'max_retries', 'timeout_ms', 'idempotency_key']),
            { maxLength: 4 },
          ),
        }),
      ),
    },
    { weight: 3, arbitrary: json(fc.jsonValue()) },
    { weight: 2, arbitrary: json(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true })) },
    { weight: 2, arbitrary: raw(weirdText) },
    {
      weight: 1,
      arbitrary: raw(
        fc.constantFrom(
          '{',
          '{"a":',
          '{"a":1,}',
          "{'a':1}",
          '[1,]',
          'undefined',
          'NaN',
          '01',
          '"\\ud800"',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '\ufeff{}',
        ),
      ),
    },
    { weight: 2, arbitrary: raw(deepJson(fields)) },
    {
      weight: 1,
      arbitrary: raw(fc.integer({ min: 900_000, max: 1_100_000 }).map((length) => `{"task_name":"big","payload":"${'x'.repeat(length)}"}`)),
    },
    { weight: 2, arbitrary: fc.tuple(weirdText, contentTypes).map(([payload, type]) => ({ payload, headers: { 'content-type': type } })) },
    { weight: 1, arbitrary: json(shaped).map(({ payload }) => ({ payload, headers: {} as Record<string, string> })) },
    { weight: 1, arbitrary: fc.constant({ payload: undefined, headers: {} as Record<string, string> }) },
  );
}

/** Mostly the right token, sometimes none or a wrong one: both paths must hold. */
export function authorizationArbitrary(token: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({ authorization: `Bearer ${token}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc
        .string({ minLength: 0, maxLength: 40 })
        .map((junk) => ({ authorization: `Bearer ${junk.replace(/[^\x20-\x7e]/g, '')}` })),
    },
  );
}

/** One request to `route`, its path parameters, query, body and headers all random. */
export function requestArbitrary(route: DocumentedRoute, knownIds: readonly string[], token: string): fc.Arbitrary<RandomRequest> {
  const params = route.path.match(/\{[^}]+\}/g) ?? [];
  const sendsBody = route.method !== 'GET' && route.method !== 'HEAD';
  return fc
    .tuple(
      fc.array(pathIdArbitrary(knownIds), { minLength: params.length, maxLength: params.length }),
      queryArbitrary(route),
      sendsBody ? bodyArbitrary(route) : fc.constant({ payload: undefined, headers: {} as Record<string, string> }),
      authorizationArbitrary(token),
    )
    .map(([ids, query, body, auth]) => {
      let index = 0;
      const path = route.path.replace(/\{[^}]+\}/g, () => ids[index++]!);
      return { method: route.method, url: path + query, headers: { ...body.headers, ...auth }, payload: body.payload };
    });
}
