import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Routes anyone may call even when API_TOKEN is set: a load balancer's health probe carries no
 * token, and a browser cannot attach one to a page load, so the dashboard's static files (no
 * data in them) are public while every API call the dashboard makes needs the token.
 */
export const PUBLIC_ROUTES: readonly { method: string; url: string }[] = [
  { method: 'GET', url: '/monitor/health' },
  { method: 'GET', url: '/dashboard' },
  { method: 'GET', url: '/dashboard/' },
  { method: 'GET', url: '/dashboard/*' },
];

export const UNAUTHORIZED_MESSAGE = 'missing or invalid bearer token: set Authorization: Bearer <API_TOKEN>';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Both sides are hashed first, so the comparison is constant-time over equal-length digests and
 * neither the token's length nor a matching prefix shows in the response time.
 */
export function tokenMatches(presented: string | undefined, expected: Buffer): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), expected);
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 6750), else undefined. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

function isPublic(request: FastifyRequest): boolean {
  // HEAD is served by the GET route (Fastify's exposeHeadRoutes), so it is as public as its GET.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const url = request.routeOptions.url;
  return PUBLIC_ROUTES.some((route) => route.method === method && route.url === url);
}

/**
 * Requires `Authorization: Bearer <token>` on every request but PUBLIC_ROUTES. A Fastify
 * onRequest hook rather than a Nest guard, so it also covers what Nest does not route: /docs,
 * /docs-json, Swagger UI's assets and unknown URLs (an anonymous caller learns nothing about
 * which routes exist). CORS, when on, is registered before it, so preflights are answered first
 * and a 401 still carries the CORS headers a browser needs to read it.
 */
export function requireBearerToken(fastify: FastifyInstance, token: string): void {
  const expected = digest(token);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isPublic(request)) return;
    if (tokenMatches(bearerToken(request.headers.authorization), expected)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ statusCode: 401, error: 'Unauthorized', message: UNAUTHORIZED_MESSAGE });
  });
}
