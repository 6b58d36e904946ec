/**
 * Bundles each service's entry, with everything it imports, into one ES module (the list:
 * bundle/services.ts): the worker's apps/workers/dist/entry.js into apps/workers/dist/main.js,
 * the file `npm run start:worker`, the image, Compose and Kubernetes run. Run by `npm run build`
 * after `tsc -b`.
 *
 * Why: a Nest process loads ~400 modules (Nest, rxjs, pg, pino, prom-client, zod …) and resolving,
 * reading and compiling them one by one was most of its start-up. Measured on 2 loaded cores,
 * spawn → first claim: 930–1,430 ms and 0.70–0.82 s of CPU unbundled; 230–255 ms and 0.21 s
 * bundled (docs/operations/performance.md, "Start-up"). Not minified: stack traces a handler's
 * error records keep readable names and lines, and minifying saved no start-up time.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { EXTERNAL, SERVICES } from './bundle/services.js';
import { parseProcessArguments, ScriptCommand } from './command-line.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function bundleServices(): Promise<void> {
  for (const service of SERVICES) {
    await build({
      input: `${ROOT}${service.entry}`,
      platform: 'node',
      external: [...EXTERNAL],
      logLevel: 'warn',
      output: { file: `${ROOT}${service.output}`, format: 'esm', codeSplitting: false, sourcemap: true },
    });
  }
}

parseProcessArguments(
  new ScriptCommand(
    'bundle-services',
    'node scripts/dist/bundle-services.js',
    'Bundles each service into one file (npm run build runs it after tsc -b).',
  ),
  () => undefined,
);
await bundleServices();
