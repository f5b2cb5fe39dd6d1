// Reading the files users name, with errors that say which file and why.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sizeRefusal } from '../input/file-size.js';
import { InputError } from '../input/input-error.js';
import { utf8Text } from '../input/utf8.js';
import { LEVEL_BOUNDS, parseLevel, type Level } from '../game/level.js';
import { generateShift, parseShiftId, type ShiftSpec } from '../game/shift.js';
import { SCRIPT_BOUNDS } from '../game/script.js';
import { errorCode, osError } from '../store/os-errors.js';
import { checkFitsHeap } from './heap.js';
import { LEVELS_DIR, PROJECT_ROOT } from './root.js';

export { LEVELS_DIR, PROJECT_ROOT };

/**
 * A text file a user names (by default a command script), of at most `maxChars` characters,
 * checked by its size before it is read; an InputError naming the file and what to do when it
 * cannot be read, is too big, or is not a file at all (a device or a pipe has no size to check, and
 * /dev/zero never ends). A byte-order mark, which some editors write, is dropped.
 */
export function readText(path: string, maxChars: number = SCRIPT_BOUNDS.chars, what = 'a script'): string {
  try {
    const stat = statSync(path);
    if (!stat.isFile() && !stat.isDirectory())
      throw new InputError(`${path}: not a regular file (a device, pipe or socket); ${what} is read from a file`);
    const tooLarge = sizeRefusal(path, stat.size, maxChars, what);
    if (tooLarge) throw new InputError(tooLarge);
    return utf8Text(readFileSync(path), path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw osError(path, `read ${what}`, err, errorCode(err) === 'EISDIR' ? 'name a file' : undefined);
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
  if (matches.length > 1)
    throw new InputError(`level '${ref}' could be ${matches.map(levelId).join(', ')}; give more of its id`);
  return matches[0];
}

/** A generated shift's level as text: what --save-level writes and what its id builds again. */
export const shiftText = (spec: ShiftSpec) => `${JSON.stringify(generateShift(spec), null, 2)}\n`;

/**
 * A level named by the campaign's id or file name, by path, or by a unique prefix of an id; a
 * shift's id (`shift-3-d2-8h`) builds that shift.
 */
export function loadLevel(ref: string): Level {
  const shift = existsSync(ref) ? null : parseShiftId(ref);
  if (shift) return parseLevel(shiftText(shift), ref);
  const path = campaignLevel(ref, !existsSync(ref)) ?? ref;
  if (!existsSync(path))
    throw new InputError(
      `level '${ref}': neither a level file nor a level id of the campaign; fleetops levels lists them`,
    );
  const text = readText(path, LEVEL_BOUNDS.chars, 'a level');
  const level = parseLevel(text, path);
  checkOwnId(level, path, text);
  checkFitsHeap(level, path);
  return level;
}

/**
 * Refuses a campaign level whose id is not its file name, and a level file of one's own that takes
 * the id of a campaign level or of a generated shift while holding another level: either's results
 * would be recorded, ranked and unlocked as another level's. A shift written out by --save-level
 * and played as it is keeps its id. `campaign`: the campaign's level files.
 */
export function checkOwnId(level: Level, path: string, text: string, campaign = levelFiles()): void {
  if (campaign.includes(path)) {
    if (level.id !== levelId(path))
      throw new InputError(
        `${path}: id '${level.id}' is not its file name; a campaign level's id is its file name ('${levelId(path)}')`,
      );
    return;
  }
  const shift = parseShiftId(level.id);
  const own = shift ? undefined : campaign.find((f) => levelId(f) === level.id);
  const same = (doc: unknown) => JSON.stringify(JSON.parse(text)) === JSON.stringify(doc);
  const taken = shift ? !same(generateShift(shift)) : own !== undefined && !same(JSON.parse(readFileSync(own, 'utf8')));
  if (taken)
    throw new InputError(
      `${path}: id '${level.id}' is ${shift ? 'a generated shift' : 'a campaign level'}'s, and this file holds another level; give it an id of its own (e.g. ${level.id}-mine)`,
    );
}
