// A lock shared by every fleetops process using the same saves folder: proper-lockfile's lock
// folder beside the data file (`<file>.lock`, made with mkdir, which only one process can do), kept
// fresh while held so that only a lock left by a crash goes stale. Writes under the lock re-read
// the file first, so two processes never lose each other's changes.
import { basename, dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { InputError } from '../input/input-error.js';
import { errorCode, osError } from './os-errors.js';

/**
 * A lock whose holder has not refreshed it for this long is left over from a crash. Holders
 * refresh it every STALE_MS / 2, so only a process stalled that long loses it (and its write then
 * fails, saying so, rather than racing another writer).
 */
const STALE_MS = 30_000;
/**
 * How long a writer waits its turn: longer than a stale lock takes to be broken, and than forty
 * writers queueing on a busy machine take to pass, so that a result is not given up on.
 */
const WAIT_MS = 180_000;
/** Pauses between tries: short at first, growing to a quarter second, jittered so waiters spread out. */
const PAUSE_MS = { first: 5, growth: 1.5, most: 250 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock, waiting only while another process holds it (proper-lockfile's own retries would
 * also retry a read-only folder for the whole wait); any other failure is thrown at once.
 */
async function take(path: string, onCompromised: (err: Error) => void): Promise<() => Promise<void>> {
  const giveUpAt = Date.now() + WAIT_MS;
  for (let pause: number = PAUSE_MS.first; ; pause = Math.min(PAUSE_MS.most, pause * PAUSE_MS.growth)) {
    try {
      return await lockfile.lock(path, { realpath: false, stale: STALE_MS, retries: 0, onCompromised });
    } catch (err) {
      if (errorCode(err) !== 'ELOCKED' || Date.now() > giveUpAt) throw err;
    }
    await sleep(pause * (0.5 + Math.random()));
  }
}

/**
 * The lock could not be taken or was lost: the work under it did not happen. Never swallowed as a
 * bad file is: the caller must say that nothing was saved.
 */
export class LockError extends InputError {
  /** The system's error code when the lock could not be made at all (EROFS for a read-only disk). */
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** Whether the lock could not be made because nothing may be written there: a read-only disk or folder. */
  get readOnly(): boolean {
    return this.code === 'EROFS' || this.code === 'EACCES' || this.code === 'EPERM';
  }
}

/**
 * Runs `work` while holding the lock for `path` (`<path>.lock`), waiting up to three minutes for
 * other holders. Throws LockError, naming the lock and what to do, when it cannot be had in that
 * time or cannot be made at all (a read-only folder). `work` calls `stillHeld` just before it
 * writes: it throws LockError if the lock has been lost meanwhile, so nothing is written then.
 */
export async function withLock<T>(path: string, work: (stillHeld: () => void) => Promise<T>): Promise<T> {
  const lockPath = `${path}.lock`;
  let lost: Error | null = null;
  let release: () => Promise<void>;
  try {
    release = await take(path, (err) => (lost = err));
  } catch (err) {
    if (errorCode(err) === 'ELOCKED') {
      throw new LockError(
        `${lockPath}: another fleetops held the lock for over ${WAIT_MS / 60_000} minutes; nothing was written. If no fleetops is running, delete that folder and try again`,
      );
    }
    throw new LockError(osError(dirname(lockPath), `take the lock ${basename(lockPath)}`, err).message, errorCode(err));
  }
  const stillHeld = () => {
    if (lost)
      throw new LockError(
        `${lockPath}: the lock was lost before writing (${(lost as Error).message}); nothing was written, run the command again`,
      );
  };
  try {
    return await work(stillHeld);
  } finally {
    await release().catch(() => undefined);
  }
}
