// Writing output files whole or not at all: a temporary file beside the target, then a rename.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../game/input-error.js';
import { makeFolder, systemReason } from '../store/index.js';

export function writeFileAtomic(path: string, text: string): void {
  makeFolder(dirname(path), 'the folder');
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (err) {
    throw new InputError(`${path}: cannot write (${systemReason(err)})`);
  }
}
