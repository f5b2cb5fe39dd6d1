// A fresh saves folder per test, and the first level, for the store's tests.
import type { ExecutionContext } from 'ava';
import { loadLevel } from '../../src/cli/files.js';
import type { SavesFolder } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp.js';

export const level = loadLevel('01-first-shift');

/** A temporary saves folder, removed after the test; notices are collected in `notices`. */
export function tempFolder(t: ExecutionContext): SavesFolder & { notices: string[] } {
  const dir = tempDir(t, 'saves');
  const notices: string[] = [];
  return { dir, notify: (line) => notices.push(line), notices };
}
