// Reading the files users name, with errors that say which file and why.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../game/input-error.js';
import { parseLevel, type Level } from '../game/level.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LEVELS_DIR = join(PROJECT_ROOT, 'levels');

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`${path}: ${why}`);
  }
}

/** The campaign's level files, in play order (by file name). */
export function levelFiles(): string[] {
  return readdirSync(LEVELS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(LEVELS_DIR, f));
}

/** A level named by path, by file name, or by id (`01-first-shift`). */
export function loadLevel(ref: string): Level {
  const byId = levelFiles().find((f) => basename(f, '.json') === ref || basename(f) === ref);
  const path = byId ?? ref;
  return parseLevel(readText(path), path);
}
