// Folders on disk for the saves and for output files, with failures told as one line: which
// folder and why. Node's own recursive mkdir is not used: where the file system answers ENOENT
// for a folder whose parent exists (/proc/foo), it retries for ever.
import { closeSync, constants, mkdirSync, openSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../input/input-error.js';
import { errorCode, osError } from './os-errors.js';
import { temporaryPath, writePlace } from './write-whole.js';

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
    if (statIfAny(at)) break;
    missing.unshift(at);
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
 * the file should be, a device that may not be written, a file another user owns in a folder
 * that lets only owners replace their files (the sticky bit of /tmp), or a folder (or its nearest
 * existing parent) that takes no new file. That is found by making one there, named as long as
 * the temporary file the write goes through, and taking it away again: permission bits do not
 * tell (root may write everywhere they allow, yet /proc takes no file, and a read-only mount
 * answers only a write).
 */
export function checkWritable(path: string, what: string): void {
  let place: { path: string; through: boolean };
  try {
    place = writePlace(path);
  } catch (err) {
    throw osError(path, `reach ${what}`, err);
  }
  if (place.through) {
    // Opened, not only looked at: a socket cannot be opened by path (ENXIO), nor a pipe without a
    // reader, which O_NONBLOCK makes say so at once rather than wait for one.
    try {
      closeSync(openSync(place.path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (err) {
      throw osError(path, `write ${what} into it`, err);
    }
    return;
  }
  const target = place.path;
  const existing = statIfAny(target);
  if (existing?.isDirectory())
    throw new InputError(`${path}: is a folder where ${what} should be; move that folder out of the way`);
  const trouble = notAFolder(dirname(target));
  if (trouble) throw new InputError(`${dirname(target)}: ${trouble}`);
  if (existing && ownedElsewhereInStickyFolder(target, existing))
    throw new InputError(
      `${path}: cannot replace it with ${what}: another user owns it, in a folder where only owners replace their files (sticky); use another name`,
    );
  for (const at of upwards(dirname(target))) {
    if (!statIfAny(at)) continue;
    const probe = join(at, basename(temporaryPath(target)));
    try {
      closeSync(openSync(probe, 'wx'));
    } catch (err) {
      // A name too long is the file's fault, not the folder's: its temporary name is the longer.
      if (errorCode(err) === 'ENAMETOOLONG') throw osError(path, `write ${what}`, err);
      throw osError(at, `write ${what} there`, err, noFilesAdvice(at, err));
    }
    rmSync(probe, { force: true });
    return;
  }
}

/**
 * The advice for ENOENT from a folder that exists: it takes no files (/proc); else none, and the
 * system's own advice stands.
 */
export function noFilesAdvice(dir: string, err: unknown): string | undefined {
  return errorCode(err) === 'ENOENT' && statIfAny(dir)?.isDirectory()
    ? 'this folder takes no files; use another'
    : undefined;
}

function statIfAny(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The sticky bit of a folder's mode (S_ISVTX, which Node's constants leave out). */
const STICKY = 0o1000;

/** Whether the system would refuse to rename over `file` (see sticky(7) / unlink(2): EPERM). */
function ownedElsewhereInStickyFolder(file: string, found: Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || found.uid === uid) return false;
  const folder = statSync(dirname(file));
  return (folder.mode & STICKY) !== 0 && folder.uid !== uid;
}
