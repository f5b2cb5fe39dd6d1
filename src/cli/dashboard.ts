// A play in the dashboard from the command line (`play`, `load`, `shift`, `fleetops` alone): its
// options checked and filled from the player's settings before the screen opens, the sitting
// handed to DashboardPlay, and where the player stopped printed once the screen is gone.
import { DashboardPlay, type PlayContext } from '../app/dashboard-play.js';
import { InputError } from '../game/input-error.js';
import type { Session } from '../game/session.js';
import { MAX_SPEED } from '../game/speeds.js';
import { summarize } from '../game/summary.js';
import { renderReport } from '../report/index.js';
import { AUTOSAVE_SLOT, checkPlayerName, readSettings } from '../store/index.js';
import { levelFiles, loadLevel } from './files.js';
import { optionText, realtimeOptions, savesFolder } from './options.js';
import { formatSummary, isTerminal, reportFormat, writeFileAtomic } from './output.js';

type Options = Record<string, string | true>;

/** The options of a dashboard play, checked, with the player's settings filling the gaps. */
export async function dashboardContext(command: string, options: Options): Promise<PlayContext> {
  const { speed, imdsPort } = realtimeOptions(command, options);
  const player = optionText(options, 'player');
  if (player) checkPlayerName(player);
  if (!isTerminal()) {
    throw new InputError(
      `${command}: the dashboard needs a terminal, and stdin or stdout is not one; for a headless run use fleetops run <level>`,
    );
  }
  const folder = savesFolder(options);
  const settings = await readSettings(folder);
  const fromSettings = Math.min(settings.speed, MAX_SPEED);
  return {
    folder,
    settings,
    speed: options.speed === undefined ? fromSettings : speed,
    imdsPort,
    player,
    campaign: levelFiles().map((f) => loadLevel(f)),
    unlockAll: options.unlock === true,
    exportReport: (session, path) =>
      writeFileAtomic(path, renderReport(session, reportFormat('export', path, undefined))),
  };
}

/** Plays `first`, then whatever the player goes on to, until they quit; prints where they stopped. */
export async function playInDashboard(first: Session, context: PlayContext, resumed?: string): Promise<number> {
  const play = new DashboardPlay(context, resumed ?? null);
  const { last, kept } = await play.run(first);
  console.log(formatSummary(summarize(last)));
  if (kept)
    console.log(
      `kept in    ${kept}: fleetops load ${AUTOSAVE_SLOT} resumes it, fleetops report ${AUTOSAVE_SLOT} writes its report`,
    );
  return last.finished && !last.score().won ? 1 : 0;
}
