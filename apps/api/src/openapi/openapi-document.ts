import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_ROUTES, UNAUTHORIZED_MESSAGE } from '../security/bearer-token.js';

/** Where the interactive page is served; the JSON spec is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = '/docs';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const DESCRIPTION = `A task scheduler on PostgreSQL. Errors share one body: \`{ statusCode, error, message }\`.
When the server has API_TOKEN set, every route but GET /monitor/health needs \`Authorization: Bearer <token>\`.`;

/**
 * The spec of the routes the application really serves (its controllers, scanned by
 * @nestjs/swagger), with schemas from the zod schemas that validate them. The bearer scheme
 * applies to every operation but PUBLIC_ROUTES, and each of those operations documents its 401:
 * done here once, so a route added tomorrow is covered without a decorator.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('taskforge API')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the API answers wherever this document is served from (what an empty list means too).
    .addServer('/', 'The server this document is served from')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The value of API_TOKEN' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const isPublic = PUBLIC_ROUTES.some((route) => route.method === method.toUpperCase() && route.url === path);
      if (isPublic) {
        operation.security = [];
        continue;
      }
      operation.responses['401'] ??= {
        description: `Only when API_TOKEN is set: ${UNAUTHORIZED_MESSAGE}`,
        headers: { 'WWW-Authenticate': { schema: { type: 'string', example: 'Bearer' } } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
  }
  return document;
}

/**
 * Serves the Swagger UI at /docs and the spec at /docs-json (no YAML: one format, one test). The
 * spec is built on the first request for it, not at start-up, which it would slow down.
 */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => createOpenApiDocument(app), {
    raw: ['json'],
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'taskforge API',
    swaggerOptions: { persistAuthorization: true },
  });
}
