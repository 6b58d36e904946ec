#!/usr/bin/env node
import { run } from './main.js';

// `taskforge tasks list --json | head -1`: the reader went away, which is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// The exit code is set, not forced with process.exit, so piped output is flushed first.
process.exitCode = await run(process.argv.slice(2));
