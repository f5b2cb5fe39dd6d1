// Writing output files whole or not at all, as the saves are (a full disk leaves no stray).
import { dirname } from 'node:path';
import { osError } from '../store/os-errors.js';
import { makeFolder, writeWhole } from '../store/index.js';

/** Writes `text` to `path`, making its folder; an InputError naming the path if the system refuses. */
export function writeFileAtomic(path: string, text: string): void {
  makeFolder(dirname(path), 'the folder');
  try {
    writeWhole(path, text);
  } catch (err) {
    throw osError(path, 'write', err);
  }
}
