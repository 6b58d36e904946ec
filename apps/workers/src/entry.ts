// The worker process. The build bundles this entry, with everything it imports, into
// dist/main.js (scripts/src/bundle-services.ts), which `npm run start:worker` runs: one file
// loads several times faster than the ~400 modules Nest and its dependencies are made of.
import { runWorkerProcess } from './run-worker-process.js';

runWorkerProcess();
