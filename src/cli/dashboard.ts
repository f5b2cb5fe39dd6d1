// A sitting at the dashboard from the command line (`play`, `load`, `shift`, `fleetops` alone).
// Its options are checked first, each mistake in one line on the plain terminal; then the screen
// opens at once with a first frame, and only then do the model, the levels and the dashboard load
// (the slow part of a start) and the first session get made. A mistake found while loading (a
// locked level, a bad save) closes the screen and is said in one line as well. When the player
// quits, where they stopped is printed.
import type { PlayContext } from '../app/dashboard-play.js';
import { InputError } from '../input/input-error.js';
import type { Level } from '../game/level.js';
import type { Session } from '../game/session.js';
import { MAX_SPEED } from '../game/speeds.js';
import { readSettings } from '../store/profile.js';
import { givenPlayer, realtimeOptions, savesFolder } from './options.js';
import { outputPath } from './output-path.js';

type Options = Record<string, string | true>;

/**
 * The first session of a sitting, made once the campaign is loaded; `resumed` says how a saved one
 * came back. `building` is called with the level just before its world is built, so the splash
 * says what the wait is for.
 */
export type Opening = (
  campaign: readonly Level[],
  building: (level: Level) => Promise<void>,
) => Promise<{ session: Session; resumed?: string }>;

/** Both ends are a terminal: the dashboard can open. */
export function isTerminal(): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY);
}

/** The options of a dashboard play, checked, with the player's settings filling the gaps. */
async function checkedOptions(command: string, options: Options) {
  const { speed, imdsPort, imdsContainerPort } = realtimeOptions(command, options);
  const player = givenPlayer(options);
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
    imdsContainerPort,
    player,
    unlockAll: options.unlock === true,
  };
}

/**
 * Plays the session `opening` makes, then whatever the player goes on to, until they quit; prints
 * where they stopped. `reads`: the files the command reads, which `:export` must not replace. Exit
 * code 1 when the last level was finished and lost.
 */
export async function playInDashboard(
  command: string,
  options: Options,
  opening: Opening,
  reads: readonly string[] = [],
): Promise<number> {
  const checked = await checkedOptions(command, options);
  const [{ openScreen }, { showSplash, buildingLine }] = await Promise.all([
    import('../tui/screen.js'),
    import('../tui/splash.js'),
  ]);
  const screen = openScreen();
  const splash = await showSplash(screen, 'fleetops: loading the campaign...');
  let started;
  try {
    const [{ DashboardPlay }, files, output, { renderReport }] = await Promise.all([
      import('../app/dashboard-play.js'),
      import('./files.js'),
      import('./output.js'),
      import('../report/index.js'),
    ]);
    const campaign = files.levelFiles().map((f) => files.loadLevel(f));
    const { session, resumed } = await opening(campaign, (level) => splash.say(buildingLine(level)));
    const context: PlayContext = {
      ...checked,
      campaign,
      exportReport: (s, path) =>
        output.writeFileAtomic(
          outputPath('export', path, checked.folder.dir, reads),
          renderReport(s, output.reportFormat('export', path, undefined)),
        ),
    };
    started = { play: new DashboardPlay(screen, context, resumed ?? null), session, output };
  } catch (err) {
    screen.destroy();
    throw err;
  }
  splash.detach();
  const { play, session, output } = started;
  const [{ summarize }, { AUTOSAVE_SLOT }] = await Promise.all([
    import('../game/summary.js'),
    import('../store/index.js'),
  ]);
  const { last, kept } = await play.run(session);
  console.log(output.formatSummary(summarize(last)));
  if (kept)
    console.log(
      `kept in    ${kept}: fleetops load ${AUTOSAVE_SLOT} resumes it, fleetops report ${AUTOSAVE_SLOT} writes its report`,
    );
  return last.finished && !last.score().won ? 1 : 0;
}
