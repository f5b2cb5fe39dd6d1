// Folders on disk for the saves and for output files, with failures told as one line: which
// folder and why. Node's own recursive mkdir is not used: where the file system answers ENOENT
// for a folder whose parent exists (/proc/foo), it retries for ever.
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../input/input-error.js';
import { errorCode, osError } from './os-errors.js';

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
      if (errorCode(err) !== 'EEXIST') throw osError(dir, `create ${what}`, err);
    }
  }
}

/**
 * Refuses at once, before any play, a place `what` could not be written to later: a folder where
 * the file should be, or a folder (or its nearest existing parent) that takes no new file. That is
 * found by making one there and taking it away again: permission bits do not tell (root may write
 * everywhere they allow, yet /proc takes no file, and a read-only mount answers only a write).
 */
export function checkWritable(path: string, what: string): void {
  try {
    if (statSync(path).isDirectory())
      throw new InputError(`${path}: is a folder where ${what} should be; move that folder out of the way`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (errorCode(err) !== 'ENOENT') throw osError(path, `reach ${what}`, err);
  }
  const trouble = notAFolder(dirname(path));
  if (trouble) throw new InputError(`${dirname(path)}: ${trouble}`);
  for (const at of upwards(dirname(path))) {
    try {
      statSync(at);
    } catch {
      continue;
    }
    const probe = join(at, `.fleetops-write-check-${process.pid}`);
    try {
      closeSync(openSync(probe, 'wx'));
    } catch (err) {
      // ENOENT from a folder that exists: one that takes no files, such as /proc.
      const todo = errorCode(err) === 'ENOENT' ? 'this folder takes no files; use another' : undefined;
      throw osError(at, `write ${what} there`, err, todo);
    }
    rmSync(probe, { force: true });
    return;
  }
}
