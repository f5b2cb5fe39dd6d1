// `fleetops play [level]` and `fleetops` alone: a level in the dashboard, then whatever the player
// goes on to through the level select. A campaign level still locked is refused before the screen
// opens.
import { basename } from 'node:path';
import type { PlayContext } from '../../app/dashboard-play.js';
import { InputError } from '../../game/input-error.js';
import type { Level } from '../../game/level.js';
import { Session } from '../../game/session.js';
import { campaignProgress, readProfile } from '../../store/index.js';
import { lockedBecause } from '../../tui/level-select.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { dashboardContext, playInDashboard } from '../dashboard.js';
import { levelFiles, loadLevel } from '../files.js';
import { DASHBOARD_OPTIONS, MODE_OPTION, modeOption, optionText } from '../options.js';

const PLAY_OPTIONS = {
  seed: { value: true, help: "the random seed (default: the level's)" },
  ...MODE_OPTION,
  ...DASHBOARD_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

/** Refuses a campaign level the level select would refuse too; a level file of one's own is always open. */
async function checkOpen(context: PlayContext, level: Level): Promise<void> {
  const ids = context.campaign.map((l) => l.id);
  const at = ids.indexOf(level.id);
  if (at < 0) return;
  const progress = campaignProgress(await readProfile(context.folder), ids, { unlockAll: context.unlockAll });
  if (!progress[at]!.unlocked) {
    throw new InputError(
      `play: ${lockedBecause(context.campaign, at)} (fleetops levels shows the campaign; --unlock opens every level)`,
    );
  }
}

async function playCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('play', argv, PLAY_OPTIONS);
  if (positionals.length > 1)
    throw new InputError('play: expected at most one level file or id, e.g. fleetops play 01-first-shift');
  const seed = optionText(options, 'seed');
  const mode = modeOption('play', options);
  const context = await dashboardContext('play', options);
  const level = loadLevel(positionals[0] ?? basename(levelFiles()[0]!, '.json'));
  await checkOpen(context, level);
  return playInDashboard(new Session(level, seed ?? level.defaultSeed, undefined, mode), context);
}

export default {
  summary: 'play a level (default: the first) in the dashboard',
  positionals: '[level]',
  options: PLAY_OPTIONS,
  run: playCommand,
} satisfies Subcommand;
