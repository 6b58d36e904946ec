import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** iproute2's `ip`, found where Debian puts it even when /usr/sbin is not on PATH. */
export const IP_COMMAND = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path)) ?? 'ip';

/**
 * Runs `ip <args>` (iproute2) and returns its stdout. A failure throws with the command and
 * what `ip` printed, so a harness step that went wrong says which.
 */
export function ip(...args: string[]): string {
  try {
    return execFileSync(IP_COMMAND, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

/** `ip -n <namespace> <args>`: the same command inside a network namespace. */
export function ipIn(namespace: string, ...args: string[]): string {
  return ip('-n', namespace, ...args);
}

/** Whether a process with this pid exists (one owned by another user counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
