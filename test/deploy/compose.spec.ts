import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../packages/core/src/index.js';
import { configSchema } from '../../packages/core/src/config/config-schema.js';
import { composeDurationMs, interpolate } from '../support/deploy/compose-env.js';
import { readCompose, type Manifest } from '../support/deploy/deployment-files.js';

const compose = readCompose();
const services = compose.services as Record<string, Manifest>;
/** The services running our image (built from the Dockerfile). */
const ours = Object.entries(services).filter(([, service]) => service.build !== undefined);

/** A service's environment as Compose would pass it, given the shell's variables. */
function environmentOf(service: Manifest, shell: Record<string, string> = {}): Record<string, string> {
  const environment = service.environment as Record<string, string | number>;
  expect(Array.isArray(environment), 'environment as a mapping').toBe(false);
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, interpolate(String(value), shell)]));
}

const SHELLS: Record<string, Record<string, string>> = {
  'nothing set': {},
  'a token, a password and a log level set': { API_TOKEN: 'a'.repeat(32), POSTGRES_PASSWORD: 's3cret', LOG_LEVEL: 'debug' },
};

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the migrations, the API and workers from one image', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'worker']);
    expect(ours.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
    for (const [, service] of ours) {
      expect(service.build).toBe('.');
      expect(service.image).toBe(services.api!.image);
    }
  });

  it('runs PostgreSQL from the official image with a pg_isready health check and a named volume', () => {
    const postgres = services.postgres!;
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(postgres.healthcheck.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    const [volume] = postgres.volumes as string[];
    const [name, path] = volume!.split(':');
    expect(path).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(name);
  });

  it('migrates once, after PostgreSQL is healthy, and does not restart', () => {
    const migrate = services.migrate!;
    expect(migrate.command).toEqual(['node', 'scripts/dist/migrate.js', 'up']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('starts the API and the workers only once the migrations completed', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]!.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.api!.command).toEqual(['node', 'apps/api/dist/main.js']);
    expect(services.worker!.command).toEqual(['node', 'apps/workers/dist/main.js']);
  });

  it('publishes the port the API listens on', () => {
    const { API_PORT } = parseConfig(environmentOf(services.api!));
    expect(services.api!.ports).toEqual([`3001:${API_PORT}`]);
  });

  it('runs three workers, each with its own WORKER_ID by default (hostname-pid, and a container has its own hostname)', () => {
    const worker = services.worker!;
    expect(worker.deploy.replicas).toBe(3);
    expect(environmentOf(worker)).not.toHaveProperty('WORKER_ID');
    expect(parseConfig({}).WORKER_ID).toBe(`${hostname()}-${process.pid}`);
    expect(worker.ports).toBeUndefined();
  });

  it('waits longer than WORKER_SHUTDOWN_TIMEOUT_MS before killing a stopping worker', () => {
    const worker = services.worker!;
    const { WORKER_SHUTDOWN_TIMEOUT_MS } = parseConfig(environmentOf(worker));
    expect(WORKER_SHUTDOWN_TIMEOUT_MS).toBe(30_000);
    expect(composeDurationMs(worker.stop_grace_period)).toBeGreaterThan(WORKER_SHUTDOWN_TIMEOUT_MS);
  });

  it('points every service of our image at the compose PostgreSQL, with its user, password and database', () => {
    const postgres = services.postgres!.environment as Record<string, string>;
    for (const [shellName, shell] of Object.entries(SHELLS)) {
      for (const [name, service] of ours) {
        const url = new URL(environmentOf(service, shell).DATABASE_URL!);
        expect(`${url.protocol}//${url.host}${url.pathname}`, `${name} with ${shellName}`).toBe(
          `postgres://postgres:5432/${postgres.POSTGRES_DB}`,
        );
        expect(url.username).toBe(postgres.POSTGRES_USER);
        expect(url.password).toBe(interpolate(postgres.POSTGRES_PASSWORD!, shell));
      }
    }
  });

  describe.each(Object.entries(SHELLS))('with %s in the shell', (_shellName, shell) => {
    it.each(ours.map(([name]) => name))('%s sets only variables our configuration knows, with valid values', (name) => {
      const environment = environmentOf(services[name]!, shell);
      const unknown = Object.keys(environment).filter((variable) => !(variable in configSchema.shape));
      expect(unknown).toEqual([]);
      expect(() => parseConfig(environment)).not.toThrow();
    });
  });

  it('passes API_TOKEN through to the API, where our configuration validates it', () => {
    expect(parseConfig(environmentOf(services.api!, { API_TOKEN: 'b'.repeat(20) })).API_TOKEN).toBe('b'.repeat(20));
    expect(parseConfig(environmentOf(services.api!)).API_TOKEN).toBeUndefined();
    expect(() => parseConfig(environmentOf(services.api!, { API_TOKEN: 'short' }))).toThrow(/API_TOKEN must be at least 16 characters/);
  });
});
