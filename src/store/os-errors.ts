// What the operating system answered, in words, with what to do about it: the one table for every
// file, folder and socket fleetops touches, so each failure is told the same way in one line.
import { InputError } from '../input/input-error.js';

interface Reason {
  why: string;
  /** What the user can do; empty where the reason says it all. */
  todo: string;
}

const REASONS: Record<string, Reason> = {
  ENOENT: { why: 'no such file or folder', todo: 'check the path' },
  ENOTDIR: { why: 'a part of the path is a file, not a folder', todo: 'check the path' },
  EISDIR: { why: 'is a folder, not a file', todo: 'move that folder out of the way' },
  EEXIST: { why: 'already exists', todo: 'move it away or name another' },
  EACCES: { why: 'permission denied', todo: 'check its permissions (ls -ld) or use another folder' },
  EPERM: { why: 'operation not permitted', todo: 'check its permissions (ls -ld) or use another folder' },
  EROFS: { why: 'read-only file system', todo: 'use a folder on a writable disk' },
  ENOSPC: { why: 'no space left on the device', todo: 'free some space and try again' },
  EDQUOT: { why: 'disk quota exceeded', todo: 'free some space and try again' },
  EFBIG: { why: 'file too large for the file system', todo: 'use a folder on another disk' },
  ENAMETOOLONG: { why: 'name too long', todo: 'use a shorter path' },
  ELOOP: { why: 'too many symbolic links', todo: "check the path's links" },
  EMFILE: { why: 'too many open files', todo: 'close other programs or raise ulimit -n' },
  ENFILE: { why: 'too many open files on the system', todo: 'close other programs' },
  EBUSY: { why: 'in use by another program', todo: 'try again when it is free' },
  EIO: { why: 'input/output error', todo: 'check the disk' },
  ENXIO: {
    why: 'no device to open there (a socket, as standard output is under some programs)',
    todo: 'write to a file, or pipe through cat',
  },
  EPIPE: { why: 'the reader went away', todo: '' },
  EADDRINUSE: { why: 'the port is in use', todo: 'choose another port' },
  EADDRNOTAVAIL: { why: 'no such address on this machine', todo: 'choose a local address' },
  ERR_SOCKET_BAD_PORT: { why: 'there is no such port', todo: 'choose a port from 0 to 65535' },
};

/** The error's code, e.g. `ENOSPC`, when the operating system gave one. */
export const errorCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

/** A system error in words only, e.g. `the port is in use`; null for a code the table does not know. */
export function systemWords(err: unknown): string | null {
  return REASONS[errorCode(err) ?? '']?.why ?? null;
}

/** A system error in words with its code, e.g. `no space left on the device (ENOSPC)`. */
export function systemReason(err: unknown): string {
  const code = errorCode(err);
  if (!code) return (err as Error).message;
  return REASONS[code] ? `${REASONS[code].why} (${code})` : code;
}

/**
 * One line for a failed file operation: `<path>: cannot <doing>: <why> (<code>); <what to do>`.
 * `todo` replaces the table's advice where the caller knows better (`use --saves DIR`).
 */
export function osTrouble(path: string, doing: string, err: unknown, todo?: string): string {
  const advice = todo ?? REASONS[errorCode(err) ?? '']?.todo;
  return `${path}: cannot ${doing}: ${systemReason(err)}${advice ? `; ${advice}` : ''}`;
}

/** As osTrouble, as the InputError the command line prints and exits 2 for. */
export function osError(path: string, doing: string, err: unknown, todo?: string): InputError {
  return new InputError(osTrouble(path, doing, err, todo));
}
