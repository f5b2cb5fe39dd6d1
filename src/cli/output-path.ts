// Where fleetops may write a file a user names (a report, a level, a class comparison): anywhere
// but the saves folder (its reports/ folder aside), the campaign's levels, whose files fleetops
// reads back, and the files the command itself reads. A report written over a save, or a level
// over the profile, would lose the player's progress without a word; one written over the level
// or script it ran, or a class over one of its reports, the work it came from.
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import { optionText, savesFolder } from './options.js';
import { LEVELS_DIR } from './root.js';

/** Links followed in a row before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/**
 * `path` with its links followed as far as it exists: the place a write would land. A link to
 * nothing yet is followed too, as a write through it creates its target; a path the system
 * cannot resolve to a file (`/dev/stdout` on a pipe) is taken as it reads.
 */
function landing(path: string, links = 0): string {
  const full = resolve(path);
  try {
    return realpathSync.native(full);
  } catch {
    // Not there, or not a file's path: read any link by hand.
  }
  let target: string | null = null;
  try {
    target = readlinkSync(full);
  } catch {
    // Not a link.
  }
  if (target !== null && links < MAX_LINKS) return landing(resolve(dirname(full), target), links + 1);
  const parent = dirname(full);
  return parent === full ? full : join(landing(parent, links), basename(full));
}

const within = (folder: string, path: string) => {
  const rel = relative(landing(folder), landing(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * `path`, checked as a place to write what `what` names (`--report r.md`); an InputError if it lies
 * in `savesDir` (but for its reports/ folder) or the campaign's levels folder, or is one of them,
 * or is one of `inputs`, the files the command reads (through any link to them).
 */
export function outputPath(what: string, path: string, savesDir: string, inputs: readonly string[] = []): string {
  const read = inputs.find((input) => existsSync(input) && landing(input) === landing(path));
  if (read !== undefined)
    throw new InputError(`${what} ${path}: that is ${read}, which this command reads; write it somewhere else`);
  if (within(savesDir, path) && !within(join(savesDir, 'reports'), path))
    throw new InputError(
      `${what} ${path}: that is in the saves folder (${savesDir}), which holds the saves and the profile; write it somewhere else, such as its reports/ folder`,
    );
  if (within(LEVELS_DIR, path))
    throw new InputError(
      `${what} ${path}: that is in the campaign's levels folder (${LEVELS_DIR}); write it somewhere else`,
    );
  return path;
}

/**
 * The path option `--name` gives, checked by outputPath against the saves folder the options name
 * and the files the command reads (`inputs`), before any work; undefined when it is not given.
 */
export function outputOption(
  options: Record<string, string | true>,
  name: string,
  inputs: readonly string[] = [],
): string | undefined {
  const path = optionText(options, name);
  return path === undefined ? undefined : outputPath(`--${name}`, path, savesFolder(options).dir, inputs);
}
