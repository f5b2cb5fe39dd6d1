// Where fleetops may write a file a user names (a report, a level, a class comparison): anywhere
// but the saves folder and the campaign's levels, whose files fleetops reads back. A report written
// over a save, or a level over the profile, would lose the player's progress without a word.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import { LEVELS_DIR } from './files.js';

/** `path` with its links followed as far as it exists: the place a write would land. */
function landing(path: string): string {
  const full = resolve(path);
  if (existsSync(full)) return realpathSync.native(full);
  const parent = dirname(full);
  return parent === full ? full : join(landing(parent), basename(full));
}

const within = (folder: string, path: string) => {
  const rel = relative(landing(folder), landing(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * `path`, checked as a place to write what `what` names (`--report r.md`); an InputError if it lies
 * in `savesDir` or the campaign's levels folder, or is one of them.
 */
export function outputPath(what: string, path: string, savesDir: string): string {
  for (const [folder, holds] of [
    [savesDir, 'the saves folder, which holds the saves and the profile'],
    [LEVELS_DIR, "the campaign's levels folder"],
  ] as const) {
    if (within(folder, path))
      throw new InputError(`${what} ${path}: that is in ${holds} (${folder}); write it somewhere else`);
  }
  return path;
}
