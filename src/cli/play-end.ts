// The end of a play, for `run` and `load`: a save to a slot if asked, and a finished level's
// result recorded for the campaign and the leaderboard if a player is named.
import type { Session } from '../game/session.js';
import { formatClock } from '../sim/index.js';
import {
  checkWritable,
  COMMANDS_ONLY,
  describeSave,
  profilePath,
  readSettings,
  playResultOf,
  recordResult,
  saveSession,
  slotPath,
} from '../store/index.js';
import { givenPlayer, optionText, savesFolder } from './options.js';

type Options = Record<string, string | true>;

/**
 * What to do at the end of a play: record a finished level's result if a player is named, and
 * save it if asked. The options are checked now, before the play, not after an hour of it.
 */
export function planPlayEnd(options: Options): (session: Session) => Promise<void> {
  const say = options.json ? console.error : console.log;
  const folder = savesFolder(options);
  const slot = optionText(options, 'save');
  const player = givenPlayer(options);
  if (slot) checkWritable(slotPath(folder, slot), 'a save');
  if (slot || player) checkWritable(profilePath(folder), 'the profile');
  // The result first: a few hundred bytes, it is kept even when the save, far larger, finds the
  // disk full, and the play's outcome is never lost with it.
  return async (session) => {
    if (player && session.finished) {
      const { entry, rank, newBest } = await recordResult(folder, playResultOf(session, player));
      say(
        `recorded   ${entry.player}: ${entry.score} points, grade ${entry.grade}${rank ? `, #${rank} on ${entry.level}` : ''}${newBest ? ', a new best' : ''}`,
      );
    }
    if (slot) {
      let replaced = '';
      const saved = await saveSession(folder, slot, session, {
        settings: await readSettings(folder),
        snapshot: true,
        replacing: (previous) => (replaced = `, in place of ${describeSave(previous)}`),
      });
      say(
        `saved      slot ${slot} at ${formatClock(session.tick)} (${slotPath(folder, slot)}${saved.snapshot ? '' : `; ${COMMANDS_ONLY}`})${replaced}`,
      );
    }
  };
}
