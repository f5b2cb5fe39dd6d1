// A saved play brought back for `load` and `report`: the slot read, its level found (the campaign's,
// or the file --level names), and the session replayed (or restored from its snapshot) and checked
// against the world hash it was saved with.
import { InputError } from '../input/input-error.js';
import type { Level } from '../game/level.js';
import { formatClock } from '../sim/index.js';
import { resume, sameLevel } from '../game/replay.js';
import { parseShiftId } from '../game/shift.js';
import { readSlot, slotPath, snapshotProblem } from '../store/index.js';
import { campaignLevel, loadLevel } from './files.js';
import { optionText, playerName, savesFolder } from './options.js';

/** Whether fleetops finds the level by its id alone: a campaign level's, or a generated shift's (see game/shift.ts). */
const foundById = (id: string) => campaignLevel(id, false) !== undefined || parseShiftId(id) !== null;

/**
 * A saved session brought back and checked against its hash, with a line saying how; `building`
 * is told the level before its world is built.
 */
export async function resumeSlot(
  command: string,
  positionals: string[],
  options: Record<string, string | true>,
  fast: boolean,
  building?: (level: Level) => Promise<void>,
) {
  if (positionals.length !== 1)
    throw new InputError(
      `${command}: expected one slot name, e.g. fleetops ${command} morning; fleetops saves lists them`,
    );
  const folder = savesFolder(options);
  const slot = positionals[0]!;
  const save = await readSlot(folder, slot);
  const where = slotPath(folder, slot);
  const levelFile = optionText(options, 'level');
  if (!levelFile && !foundById(save.level))
    throw new InputError(
      `${where}: level ${save.level} is neither the campaign's nor a generated shift; name its file with --level`,
    );
  const level = loadLevel(levelFile ?? save.level);
  await building?.(level);
  // A snapshot is restored as it is: one edited by hand and hashed again is refused here, before
  // a tick of it runs, rather than stop the play half-way.
  if (fast && sameLevel(save, level)) {
    const problem = snapshotProblem(save, level);
    if (problem)
      throw new InputError(
        `${where}: ${problem}; the snapshot is not as fleetops writes it, so the save is left as it was: load it without --fast to replay its commands`,
      );
  }
  const { session, how } = resume(save, level, where, fast ? 'snapshot' : 'replay');
  // --fast asked for a snapshot the save lacks or another level's: say why it was replayed.
  const why =
    fast && how === 'replay'
      ? save.snapshot
        ? ', as the level has changed since the save'
        : ', as the save holds no snapshot'
      : '';
  // The player named now, else the one who played it, else the login name.
  session.player = optionText(options, 'player') ? playerName(options) : (save.player ?? playerName(options));
  return {
    session,
    /** Whether --fast was asked for and the save was replayed all the same (the line says why). */
    replayedForFast: why !== '',
    line: `loaded     slot ${slot}: ${level.id}, seed ${save.seed}, ${save.mode}, at ${formatClock(save.tick)} (${how}${why}; world ${save.hash} as saved)`,
    brief: `loaded slot ${slot} at ${formatClock(save.tick)}, world as saved`,
  };
}
