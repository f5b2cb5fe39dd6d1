// A lock shared by every fleetops process using the same saves folder: an exclusive lock file
// beside the data file that only one process can create. Writes under the
// lock re-read the file first, so two processes never lose each other's changes.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../game/input-error.js';
import { systemReason } from './folder.js';

/** A lock older than this is left over from a crash: real holders keep it for milliseconds. */
const STALE_AFTER_MS = 30_000;
const GIVE_UP_AFTER_MS = 10_000;
const RETRY_MS = 5;

interface Holder {
  pid: number;
  sinceMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function readHolder(lockPath: string): Holder | null {
  try {
    return { pid: Number(readFileSync(lockPath, 'utf8')), sinceMs: statSync(lockPath).mtimeMs };
  } catch (err) {
    if (code(err) === 'ENOENT') return null;
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return code(err) === 'EPERM';
  }
}

function stale(holder: Holder, now: number): boolean {
  if (now - holder.sinceMs > STALE_AFTER_MS) return true;
  return Number.isInteger(holder.pid) && holder.pid !== process.pid && !alive(holder.pid);
}

/** Creates the lock whole or not at all: written beside it, then hard-linked, which fails if it exists. */
function tryCreate(lockPath: string): boolean {
  const mine = `${lockPath}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    linkSync(mine, lockPath);
    return true;
  } catch (err) {
    if (code(err) === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(mine);
  }
}

/**
 * Removes a lock judged stale. Another process may have broken it and taken a fresh one since we
 * looked, so the lock is first renamed out of the way (only one process can win that) and put back
 * if what we took is not what we judged.
 */
function breakStale(lockPath: string, judged: Holder): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if (code(err) === 'ENOENT') return;
    throw err;
  }
  const taken = readHolder(aside);
  if (taken && (taken.pid !== judged.pid || taken.sinceMs !== judged.sinceMs)) {
    try {
      linkSync(aside, lockPath);
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
    }
  }
  unlinkSync(aside);
}

/**
 * Takes the lock, waiting while another process holds it. Only that is waited out: any other
 * failure (a folder that cannot be written, a lock that is not a file) is told at once.
 */
async function take(lockPath: string): Promise<void> {
  const start = Date.now();
  while (!tryCreate(lockPath)) {
    const holder = readHolder(lockPath);
    if (holder && stale(holder, Date.now())) {
      breakStale(lockPath, holder);
      continue;
    }
    if (Date.now() - start > GIVE_UP_AFTER_MS) {
      throw new InputError(`${lockPath}: held by process ${holder?.pid ?? '?'} for over ${GIVE_UP_AFTER_MS / 1000} s; if no fleetops is running, delete the file`);
    }
    await sleep(RETRY_MS);
  }
}

/** Runs `work` while holding the lock for `path` (`<path>.lock`); waits for other holders. */
export async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const lockPath = `${path}.lock`;
  try {
    await take(lockPath);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${dirname(lockPath)}: cannot take the lock ${basename(lockPath)} (${systemReason(err)})`);
  }
  try {
    return await work();
  } finally {
    unlinkSync(lockPath);
  }
}
