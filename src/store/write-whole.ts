// Writing a file whole or not at all: the text goes to a temporary file beside the target, is
// flushed to the disk and renamed over the target; if anything fails the temporary file is removed,
// so a full disk leaves the old file as it was and no stray behind.
// Not write-file-atomic: it issues one write() and ignores a short one, so on a nearly full disk it
// renames a cut-short file into place and reports success. writeFileSync loops until every byte is
// written or the system says why not (ENOSPC).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode } from './os-errors.js';

const tempPrefix = (path: string) => `.${basename(path)}.`;

/** The temporary file a write of `path` goes to first, beside it; as long as any such name. */
export const temporaryPath = (path: string): string =>
  join(dirname(path), `${tempPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/** Links followed before a path is given up on, as the system's own limit (ELOOP) on Linux. */
const MAX_LINKS = 40;

/**
 * Where a write to `path` lands: `through` a device, a pipe or a socket (/dev/null, /dev/stdout),
 * which is written into, since a rename over it would put a file where it was; else the file
 * itself, found through any link (a dangling one names the file to make), so a link stays a link.
 * Throws the system's error (with its code) when the path cannot be looked at.
 */
export function writePlace(path: string): { path: string; through: boolean } {
  try {
    const found = statSync(path);
    if (!found.isFile() && !found.isDirectory()) return { path, through: true };
    return { path: realpathSync(path), through: false };
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
  let at = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    try {
      if (!lstatSync(at).isSymbolicLink()) return { path: at, through: false };
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { path: at, through: false };
      throw err;
    }
    at = resolve(dirname(at), readlinkSync(at));
  }
  throw Object.assign(new Error(`${path}: too many symbolic links`), { code: 'ELOOP' });
}

/**
 * Writes `text` to `path` atomically (into a device or pipe, directly; see writePlace); throws the
 * system's error (with its code) on failure.
 */
export function writeWhole(path: string, text: string): void {
  const place = writePlace(path);
  if (place.through) {
    writeFileSync(place.path, text);
    return;
  }
  path = place.path;
  const temp = temporaryPath(path);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', 0o644);
    writeFileSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  syncFolder(dirname(path));
}

/** Flushes the folder's entry for the renamed file, so that the rename itself survives a crash. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a folder; the file itself is already on the disk.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Removes temporary files a writer of `path` left when it was killed mid-write (kill -9 gives no
 * chance to clean up). Only for a caller holding the file's lock: no other writer is mid-write then.
 */
export function removeStrays(path: string): void {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(path), name), { force: true });
}
