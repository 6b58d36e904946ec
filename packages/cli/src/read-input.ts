import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-error.js';

/** A whole file, or standard input for `-`. An unreadable file is a usage error (exit 2). */
export async function readInput(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}
