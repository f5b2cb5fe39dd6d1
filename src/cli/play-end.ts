// The end of a play, for `run` and `load`: a save to a slot if asked, and a finished level's
// result recorded for the campaign and the leaderboard if a player is named.
import { join } from 'node:path';
import { InputError } from '../game/input-error.js';
import type { Session } from '../game/session.js';
import { formatClock } from '../sim/index.js';
import {
  checkPlayerName,
  checkWritable,
  defaultPlayer,
  notAFolder,
  profilePath,
  readSettings,
  recordResult,
  saveSession,
  slotPath,
  type SavesFolder,
} from '../store/index.js';
import type { OptionSpec } from './args.js';
import { PROJECT_ROOT } from './files.js';

export const SAVES_OPTION = {
  saves: { value: true, help: 'the saves folder (default: $FLEETOPS_SAVES, else saves/)' },
} as const;

/** `--player NAME`: who is responding, named in the summary and the report; `more` says what else the command does with it. */
export const playerOption = (more = '') =>
  ({
    player: {
      value: true,
      help: `the responder's name in the summary and the report (default: your login name)${more}`,
    },
  }) as const satisfies Record<string, OptionSpec>;

/** Options of a play that may end in a save and on the leaderboard (`run`, `load`). */
export const PLAY_END_OPTIONS = {
  save: { value: true, help: 'save the session to this slot when the play ends' },
  ...playerOption("; when given, a finished level's result is recorded under it"),
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

type Options = Record<string, string | true>;

/** The responder's name from --player, checked, else the login name. */
export function playerName(options: Options): string {
  const given = optionText(options, 'player');
  return given ? checkPlayerName(given) : defaultPlayer();
}

/** A value option's text; parseArgs has refused it missing or empty, so only a switch's name gets here wrongly. */
export function optionText(options: Options, name: string): string | undefined {
  const v = options[name];
  if (v === true) throw new Error(`--${name} is a switch, not an option with a value`);
  return v;
}

/** The saves folder named by --saves, $FLEETOPS_SAVES or the default; refused at once if a file is in its way. */
export function savesFolder(options: Options): SavesFolder {
  const given = optionText(options, 'saves');
  const fromEnv = process.env.FLEETOPS_SAVES;
  const [dir, named] = given
    ? [given, '--saves ']
    : fromEnv
      ? [fromEnv, 'FLEETOPS_SAVES=']
      : [join(PROJECT_ROOT, 'saves'), ''];
  const trouble = notAFolder(dir);
  if (trouble) throw new InputError(`${named}${dir}: ${trouble}`);
  return { dir, notify: (line) => console.error(`fleetops: ${line}`) };
}

/**
 * What to do at the end of a play: save it if asked, and record a finished level's result if a
 * player is named. The options are checked now, before the play, not after an hour of it.
 */
export function planPlayEnd(options: Options): (session: Session) => Promise<void> {
  const say = options.json ? console.error : console.log;
  const folder = savesFolder(options);
  const slot = optionText(options, 'save');
  const player = optionText(options, 'player');
  if (slot) checkWritable(slotPath(folder, slot), 'a save');
  if (player) checkPlayerName(player);
  if (slot || player) checkWritable(profilePath(folder), 'the profile');
  return async (session) => {
    if (slot) {
      await saveSession(folder, slot, session, { settings: await readSettings(folder), snapshot: true });
      say(`saved      slot ${slot} at ${formatClock(session.tick)} (${slotPath(folder, slot)})`);
    }
    if (player && session.finished) {
      const { entry, rank, newBest } = await recordResult(folder, {
        level: session.level.id,
        seed: session.seed,
        mode: session.mode,
        score: session.score(),
        player,
      });
      say(
        `recorded   ${entry.player}: ${entry.score} points, grade ${entry.grade}${rank ? `, #${rank} on ${entry.level}` : ''}${newBest ? ', a new best' : ''}`,
      );
    }
  };
}
