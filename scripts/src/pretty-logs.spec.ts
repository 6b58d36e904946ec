import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pipePretty, prettyDestination, terminalPrettifier, type Prettify } from './pretty-logs.js';

const plain = (text: string) => stripVTControlCharacters(text);
const line = JSON.stringify({
  level: 30,
  time: Date.UTC(2030, 0, 1, 9, 30),
  pid: 7,
  hostname: 'h',
  name: 'api',
  context: 'Api',
  msg: 'listening',
});

async function terminal(): Promise<Prettify> {
  const prettify = await terminalPrettifier({ isTTY: true });
  if (!prettify) throw new Error('pino-pretty did not load');
  return prettify;
}

describe('terminalPrettifier', () => {
  it('gives nothing when the output is not a terminal: the lines stay JSON', async () => {
    expect(await terminalPrettifier({ isTTY: false })).toBeUndefined();
    expect(await terminalPrettifier({})).toBeUndefined();
  });

  it('gives nothing when pino-pretty cannot be loaded (a production install): JSON again', async () => {
    const missing = () => Promise.reject(new Error("Cannot find package 'pino-pretty'"));
    expect(await terminalPrettifier({ isTTY: true }, missing)).toBeUndefined();
  });

  it("on a terminal, turns a JSON line into one line: time, level, the process's name, context and message, the rest after", async () => {
    const prettify = await terminal();
    expect(plain(prettify(line))).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(api\): \[Api\] listening\n$/);
    const withFields = plain(
      prettify(JSON.stringify({ level: 50, time: 0, name: 'start', msg: 'a service exited', service: 'worker', code: 1 })),
    );
    expect(withFields).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] ERROR \(start\): a service exited \{"service":"worker","code":1\}\n$/);
  });

  it('lets a line that is not JSON through as it is', async () => {
    expect(plain((await terminal())('plain text'))).toBe('plain text\n');
  });
});

describe('prettyDestination and pipePretty', () => {
  it("prettify a logger's lines and a child's stdout, line by line, to the writer", async () => {
    const prettify = await terminal();
    let written = '';
    const write = (text: string) => (written += text);
    prettyDestination(prettify, write).write(`${line}\n`);
    const child = new PassThrough();
    const done = pipePretty(child, prettify, write);
    child.write(`${line.slice(0, 20)}`);
    child.end(`${line.slice(20)}\nnot json\n`);
    await done;
    expect(plain(written).split('\n')).toEqual([
      expect.stringMatching(/INFO \(api\): \[Api\] listening$/),
      expect.stringMatching(/INFO \(api\): \[Api\] listening$/),
      'not json',
      '',
    ]);
  });
});
