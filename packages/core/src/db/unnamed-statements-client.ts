import pg from 'pg';

/**
 * A pg Client that sends every query unnamed: a query given a `name`, which would be prepared
 * once per connection and reused, is parsed anew each time instead. For poolers in transaction
 * mode that do not track prepared statements (PgBouncer before 1.21, or with
 * max_prepared_statements = 0): there each transaction may run on another server connection,
 * where the statement is missing ("prepared statement … does not exist", 26000) or was
 * prepared by another client ("… already exists", 42P05).
 */
export class UnnamedStatementsClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- overrides all of pg's query() overloads at once, whose return types differ
  override query(config: unknown, ...rest: unknown[]): any {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `this` on the next line
    const query = super.query as (...args: unknown[]) => unknown;
    return query.call(this, withoutName(config), ...rest);
  }
}

function withoutName(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('name' in config)) return config;
  // A Submittable (a cursor, a stream) drives the protocol itself: left as it is.
  if (typeof (config as { submit?: unknown }).submit === 'function') return config;
  const { name: _name, ...unnamed } = config as Record<string, unknown>;
  return unnamed;
}
