import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of a live process in MB (VmHWM, the kernel's high-water mark),
 * or null where /proc is unavailable or the process is gone.
 */
export function readPeakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, seconds) a live process has used so far, or null without /proc.
 * Tells where a drain's time goes: the worker's event loop, or PostgreSQL.
 */
export function readCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), which ends at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size of a live process now, in MB (VmRSS), or null where /proc is unavailable or the process is gone. */
export function readRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}
