// Writing a file whole or not at all: the text goes to a temporary file beside the target, is
// flushed to the disk and renamed over the target; if anything fails the temporary file is removed,
// so a full disk leaves the old file as it was and no stray behind.
// Not write-file-atomic: it issues one write() and ignores a short one, so on a nearly full disk it
// renames a cut-short file into place and reports success. writeFileSync loops until every byte is
// written or the system says why not (ENOSPC).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const tempPrefix = (path: string) => `.${basename(path)}.`;

/** Writes `text` to `path` atomically; throws the system's error (with its code) on failure. */
export function writeWhole(path: string, text: string): void {
  const temp = join(dirname(path), `${tempPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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
