// Reading the files users name, with errors that say which file and why.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

/** A campaign level's id (`01-first-shift`) from its file. */
export const levelId = (file: string) => basename(file, '.json');

/**
 * The campaign level file `ref` names: its id or file name, else (when `byPrefix`) the one id it
 * begins (`01`); undefined when it names none. A prefix of several ids is refused with them.
 */
export function campaignLevel(ref: string, byPrefix = true): string | undefined {
  const files = levelFiles();
  const exact = files.find((f) => levelId(f) === ref || basename(f) === ref);
  if (exact || !byPrefix || ref === '') return exact;
  const matches = files.filter((f) => levelId(f).startsWith(ref));
  if (matches.length > 1) throw new InputError(`level '${ref}' could be ${matches.map(levelId).join(', ')}; give more of its id`);
  return matches[0];
}

/** A level named by the campaign's id or file name, by path, or by a unique prefix of an id. */
export function loadLevel(ref: string): Level {
  const path = campaignLevel(ref, !existsSync(ref)) ?? ref;
  if (!existsSync(path)) throw new InputError(`level '${ref}': neither a level file nor a level id of the campaign; fleetops levels lists them`);
  return parseLevel(readText(path), path);
}
