import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ip, isAlive } from './ip.js';

/**
 * Every namespace, bridge and state folder the harness makes starts with this and carries
 * the pid of the test process that owns it (the bridge in its alias), so a later run can
 * tell leftovers of a killed run from a harness another test file is using right now.
 */
export const NAME_PREFIX = 'tfnet';

/** Where each harness keeps its PostgreSQL data directory. */
export const STATE_ROOT = join(tmpdir(), 'taskforge-netns');

const OWNED_NAME = new RegExp(`^${NAME_PREFIX}(?:\\d+|-probe)-(\\d+)(?:-|$)`);
const BRIDGE_NAME = new RegExp(`^${NAME_PREFIX}\\d+$`);

/** The alias a harness gives its bridge: the owner's pid. */
export function bridgeAlias(pid: number): string {
  return `pid=${pid}`;
}

/** Removes what killed runs left behind: their processes, namespaces, bridges and PostgreSQL servers. */
export async function removeStaleNetworks(): Promise<void> {
  for (const namespace of namespaceNames()) {
    if (ownerIsAlive(namespace)) continue;
    for (const pid of ip('netns', 'pids', namespace).split(/\s+/).filter(Boolean)) killQuietly(Number(pid), 'SIGKILL');
    ip('netns', 'delete', namespace);
  }
  for (const link of bridges()) {
    const owner = /^pid=(\d+)$/.exec(link.ifalias ?? '');
    if (owner && !isAlive(Number(owner[1]))) ip('link', 'delete', link.ifname);
  }
  if (!existsSync(STATE_ROOT)) return;
  for (const entry of readdirSync(STATE_ROOT)) {
    if (ownerIsAlive(entry)) continue;
    await stopStalePostgres(join(STATE_ROOT, entry, 'pg'));
    rmSync(join(STATE_ROOT, entry), { recursive: true, force: true });
  }
}

function namespaceNames(): string[] {
  const listed = ip('-j', 'netns', 'list').trim();
  const namespaces = listed ? (JSON.parse(listed) as Array<{ name: string }>) : [];
  return namespaces.map((namespace) => namespace.name).filter((name) => OWNED_NAME.test(name));
}

function bridges(): Array<{ ifname: string; ifalias?: string }> {
  const listed = ip('-j', 'link', 'show', 'type', 'bridge').trim();
  const links = listed ? (JSON.parse(listed) as Array<{ ifname: string; ifalias?: string }>) : [];
  return links.filter((link) => BRIDGE_NAME.test(link.ifname));
}

/** True unless the name carries our prefix and the pid in it is gone. */
function ownerIsAlive(name: string): boolean {
  const owner = OWNED_NAME.exec(name);
  return !owner || isAlive(Number(owner[1]));
}

/** A server whose test process died keeps running (it has a process group of its own). */
async function stopStalePostgres(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  // Immediate shutdown: the data is thrown away anyway.
  killQuietly(pid, 'SIGQUIT');
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await sleep(100);
  killQuietly(pid, 'SIGKILL');
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
