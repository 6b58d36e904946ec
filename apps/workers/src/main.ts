import { runWorkerProcess } from './run-worker-process.js';

runWorkerProcess();
