// Folders on disk for the saves and for output files, with failures told as one line: which
// folder and why. Node's own recursive mkdir is not used: where the file system answers ENOENT
// for a folder whose parent exists (/proc/foo), it retries for ever.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../game/input-error.js';

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** A system error in words (its code in brackets when there are none), for one-line messages. */
export function systemReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code) return (err as Error).message;
  return WHY[code] ? `${WHY[code]} (${code})` : code;
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** Each of `dir` and its parents, nearest first, up to the root. */
function* upwards(dir: string): Generator<string> {
  for (let at = dir; ; at = dirname(at)) {
    yield at;
    if (dirname(at) === at) return;
  }
}

/**
 * Why `dir` cannot be a folder: it, or a part of its path, is a file. Null when it is a folder
 * or could be made one.
 */
export function notAFolder(dir: string): string | null {
  for (const at of upwards(dir)) {
    try {
      if (statSync(at).isDirectory()) return null;
      return at === dir ? 'is a file, not a folder' : `${at} is a file, not a folder`;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT' && errorCode(err) !== 'ENOTDIR') return null;
    }
  }
  return null;
}

/** Makes `dir` and the parents it lacks, one at a time, or says in one line why it cannot. */
export function makeFolder(dir: string, what: string): void {
  const trouble = notAFolder(dir);
  if (trouble) throw new InputError(`${dir}: ${trouble}`);
  const missing: string[] = [];
  for (const at of upwards(dir)) {
    try {
      statSync(at);
      break;
    } catch {
      missing.unshift(at);
    }
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (err) {
      // Another process may make it at the same moment.
      if (errorCode(err) !== 'EEXIST') throw new InputError(`${dir}: cannot create ${what} (${systemReason(err)})`);
    }
  }
}
