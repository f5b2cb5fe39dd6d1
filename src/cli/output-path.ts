// Where fleetops may write a file a user names (a report, a level, a class comparison): anywhere
// but a saves folder (the one in use and the default one, their reports/ folders aside; any other
// by what it keeps: a save, a profile, a slots/ folder), the campaign's levels, whose files
// fleetops reads back, and the files the command itself reads. A report written over a save, or
// a level over the profile, would lose the player's progress without a word; one written over the
// level or script it ran, or a class over one of its reports, the work it came from. A link into a
// folder that is not there is refused before the work, not after it.
import { closeSync, existsSync, lstatSync, openSync, readSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../input/input-error.js';
import { PROFILE_SCHEMA, SAVE_SCHEMA } from '../store/schemas.js';
import { defaultSavesDir, optionText, PROJECT_SAVES, savesFolder } from './options.js';
import { LEVELS_DIR } from './root.js';

/** Where `-` writes. */
const STDOUT = '/dev/stdout';

/** Links followed in a row before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/** What the link at `path` points to, as written; null when `path` is no link. */
function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

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
  const target = linkTarget(full);
  if (target !== null && links < MAX_LINKS) return landing(resolve(dirname(full), target), links + 1);
  const parent = dirname(full);
  return parent === full ? full : join(landing(parent, links), basename(full));
}

/** What a saves folder keeps, by the schema its documents give first: a player's saves and progress. */
const KEPT: Record<string, string> = { [SAVE_SCHEMA]: 'a fleetops save', [PROFILE_SCHEMA]: 'a fleetops profile' };

/** How much of a file is read to find its schema, which fleetops writes as a document's first field. */
const HEAD_BYTES = 256;

/** What of KEPT the file at `path` is, or null: not there, not readable, or something else. */
function keptSchema(path: string): string | null {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const schema = /^\s*\{\s*"schema"\s*:\s*"([^"]*)"/.exec(head)?.[1];
  return schema !== undefined && Object.hasOwn(KEPT, schema) ? KEPT[schema]! : null;
}

/** The target, as written, of the first link along the chain from `path` that names a folder (ends in `/` or `/.`); null if none does. */
function linkToFolder(path: string): string | null {
  let at = resolve(path);
  for (let links = 0; links < MAX_LINKS; links++) {
    const target = linkTarget(at);
    if (target === null) return null;
    if (/[\\/]\.?$/.test(target)) return target;
    at = resolve(dirname(at), target);
  }
  return null;
}

/** The nearest folder on the way to `path` that there is anything at, when it is a link to nothing; else null. */
function danglingLinkOnTheWay(path: string): string | null {
  for (let at = dirname(resolve(path)); ; at = dirname(at)) {
    let link: boolean;
    try {
      link = lstatSync(at).isSymbolicLink();
    } catch {
      if (dirname(at) === at) return null;
      continue;
    }
    return link && !existsSync(at) ? at : null;
  }
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
  // A path that ends in a slash names a folder, which the writer would meet only after the work.
  if (/[\\/]$/.test(path)) throw new InputError(`${what} ${path}: that names a folder; name a file in it`);
  for (const dir of new Set([savesDir, defaultSavesDir(), PROJECT_SAVES]))
    if (within(dir, path) && !within(join(dir, 'reports'), path))
      throw new InputError(
        `${what} ${path}: that is in the saves folder (${dir}), which holds the saves and the profile; write it somewhere else, such as its reports/ folder`,
      );
  // Another saves folder than these: what it keeps is told by its files, and by its slots/ folder.
  const kept = keptSchema(path);
  if (kept !== null)
    throw new InputError(`${what} ${path}: that holds ${kept}, which this would replace; write it somewhere else`);
  const landed = landing(path);
  if (basename(dirname(landed)) === 'slots')
    throw new InputError(
      `${what} ${path}: that is in a slots/ folder, where fleetops reads every file as a save; write it somewhere else`,
    );
  // Told before any work is done, not after a run whose result would then have nowhere to go.
  // A missing folder is made, but not at the far end of a link, which names another place: the
  // file itself a link into a folder not there, or a folder on its way a link to nothing.
  const folder = dirname(landed);
  if (folder !== landing(dirname(resolve(path))) && !existsSync(folder))
    throw new InputError(
      `${what} ${path}: that is a link to ${landed}, and there is no folder ${folder}; create it, or write somewhere else`,
    );
  // A link whose target ends in a slash (or `/.`) names a folder: a write through it would make a file there.
  const folderLink = linkToFolder(path);
  if (folderLink !== null && !existsSync(path))
    throw new InputError(
      `${what} ${path}: that is a link to the folder ${folderLink}, which is not there; name a file, or write somewhere else`,
    );
  const deadLink = danglingLinkOnTheWay(path);
  if (deadLink !== null)
    throw new InputError(
      `${what} ${path}: ${deadLink} is a link to ${resolve(dirname(deadLink), readlinkSync(deadLink))}, which is not there; create it, or write somewhere else`,
    );
  if (within(LEVELS_DIR, path))
    throw new InputError(
      `${what} ${path}: that is in the campaign's levels folder (${LEVELS_DIR}); write it somewhere else`,
    );
  return path;
}

/**
 * The path option `--name` gives (`-`: standard output), checked by outputPath against the saves
 * folder the options name and the files the command reads (`inputs`), before any work; undefined
 * when it is not given.
 */
export function outputOption(
  options: Record<string, string | true>,
  name: string,
  inputs: readonly string[] = [],
): string | undefined {
  const given = optionText(options, name);
  // `-` is standard output, as for most tools that write a file.
  const path = given === '-' ? STDOUT : given;
  return path === undefined ? undefined : outputPath(`--${name}`, path, savesFolder(options).dir, inputs);
}
