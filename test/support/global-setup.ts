import type { TestProject } from 'vitest/node';
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
  project.provide('adminDatabaseUrl', server.adminUrl);
  return async () => {
    await server.embedded?.stop();
  };
}
