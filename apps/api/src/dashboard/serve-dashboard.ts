import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * apps/api: the nearest folder above this module holding a package.json. The same whether this
 * module runs from src/, from dist/, or inside the bundle dist/main.js.
 */
function apiPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** Where `npm run build` puts the dashboard (apps/dashboard/dist). */
export const DASHBOARD_DIR = join(apiPackageDir(), '..', 'dashboard', 'dist') + sep;

export const DASHBOARD_PATH = '/dashboard';

/** Hashed asset names change with their content, so browsers may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The page may only talk to this origin and load its own files: a payload shown on screen can
 * never pull in a script. Chart.js sets inline styles on its canvas, hence 'unsafe-inline' for
 * styles only.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the dashboard's static files at /dashboard/. They hold no data, so they need no token
 * (a browser cannot attach a bearer header to a page load); every API call the page makes
 * does. When the dashboard was not built, /dashboard/ says how to build it instead of a bare 404.
 */
export async function serveDashboard(fastify: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  fastify.get(DASHBOARD_PATH, (_request, reply) => reply.redirect(`${DASHBOARD_PATH}/`, 301));
  if (!existsSync(`${dir}/index.html`)) {
    fastify.get(`${DASHBOARD_PATH}/*`, (_request, reply) =>
      reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: `the dashboard is not built (no ${dir}index.html): run npm run build`,
      }),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: `${DASHBOARD_PATH}/`,
    decorateReply: false,
    index: ['index.html'],
    setHeaders(response, path) {
      const isPage = path.endsWith('.html');
      response.header('cache-control', isPage ? 'no-cache' : IMMUTABLE);
      if (isPage) response.header('content-security-policy', CONTENT_SECURITY_POLICY);
      response.header('x-content-type-options', 'nosniff');
    },
  });
}
