import fc from 'fast-check';

/** The part of an OpenAPI 3.0 schema object the generator reads. */
export interface SpecSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: SpecSchema;
  properties?: Record<string, SpecSchema>;
  required?: string[];
  example?: unknown;
}

/** Placeholder for a deeply nested JSON value, swapped for the nested text after JSON.stringify (which would recurse). */
const DEEP = /"__deep_(\d+)__"/g;

/** JSON text of `value`, with every deep placeholder expanded to arrays nested that many levels. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(DEEP, (_match, depth: string) => '['.repeat(Number(depth)) + ']'.repeat(Number(depth)));
}

/** Any JSON value, now and then nested far deeper than anything sane. */
const anyJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.integer({ min: 90, max: 200 }), fc.integer({ min: 1_000, max: 50_000 })).map((depth) => `__deep_${depth}__`),
  },
);

const clamp = (value: number | undefined, low: number, high: number, fallback: number) => Math.min(high, Math.max(low, value ?? fallback));

/**
 * Values the schema accepts, or close to it: the random request gets past the shape checks and
 * reaches the refinements, the database and the serialiser. Sizes are kept small; other
 * arbitraries bring the huge and the malformed.
 */
export function valueFor(schema: SpecSchema | undefined, schemas: Record<string, SpecSchema>, depth = 0): fc.Arbitrary<unknown> {
  const resolved = schema?.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
  const value = plainValueFor(resolved, schemas, depth);
  return resolved?.nullable ? fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }) : value;
}

function plainValueFor(schema: SpecSchema | undefined, schemas: Record<string, SpecSchema>, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'uuid') return fc.uuid();
      return fc.oneof(
        fc.string({ minLength: clamp(schema.minLength, 1, 20, 1), maxLength: clamp(schema.maxLength, 1, 20, 20) }),
        ...(schema.example === undefined ? [] : [fc.constant(schema.example)]),
      );
    case 'integer':
      return fc.integer({ min: clamp(schema.minimum, -1e9, 1e9, -1e9), max: clamp(schema.maximum, -1e9, 1e9, 1e9) });
    case 'number':
      return fc.double({ min: clamp(schema.minimum, -1e9, 1e9, -1e9), max: clamp(schema.maximum, -1e9, 1e9, 1e9), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items, schemas, depth + 1), {
        minLength: clamp(schema.minItems, 0, 3, 0),
        maxLength: clamp(schema.maxItems, 0, 3, 3),
      });
    case 'object':
      return objectFor(schema, schemas, depth);
    default:
      return anyJson;
  }
}

function objectFor(schema: SpecSchema, schemas: Record<string, SpecSchema>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = valueFor(property, schemas, depth + 1);
  return fc.record(model, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
}
