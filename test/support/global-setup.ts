import type { TestProject } from 'vitest/node';
import { chromiumAvailable, CHROMIUM_MISSING_MESSAGE } from '../browser/support/chromium.js';
import { findTestServer } from './find-test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/** Finds (or starts) one PostgreSQL server for the whole run; each test file makes its own database on it. */
export default async function setup(project: TestProject) {
  const server = await findTestServer();
  console.log(`tests use PostgreSQL from ${server.source}`);
  // Said once for the whole run, up front, so a skipped browser suite is never silent.
  if (!chromiumAvailable) console.warn(CHROMIUM_MISSING_MESSAGE);
  project.provide('adminDatabaseUrl', server.adminUrl);
  return async () => {
    await server.embedded?.stop();
  };
}
