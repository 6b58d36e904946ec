// Plain JavaScript: it runs from `npm run generate` without a build of its own, and the drift
// spec imports the very same function, so the checked-in file and the check cannot disagree.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/** Where the generated types live, relative to packages/client. */
export const GENERATED_FILE = 'src/generated/openapi.ts';

const BANNER = `${COMMENT_HEADER}/*
 * Generated from the API's OpenAPI document (GET /docs-json) by \`npm run generate --workspace packages/client\`.
 * Do not edit: change the API's zod schemas or controllers and generate again. A spec fails
 * while this file differs from what the API describes.
 */

`;

/**
 * The TypeScript text of the OpenAPI document: `paths`, `components` and `operations`, as
 * openapi-typescript writes them. The document is passed through JSON first so that it is
 * exactly what /docs-json serves (no undefined members, no class instances).
 */
export async function renderOpenApiTypes(document) {
  const plain = JSON.parse(JSON.stringify(document));
  const ast = await openapiTS(plain, { silent: true, alphabetize: false });
  return BANNER + astToString(ast);
}
