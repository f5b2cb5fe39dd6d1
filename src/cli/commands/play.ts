// `fleetops play [level]` and `fleetops` alone: a level in the dashboard, then whatever the player
// goes on to through the level select. A campaign level still locked is refused in one line.
import { InputError } from '../../input/input-error.js';
import type { Level } from '../../game/level.js';
import type { SavesFolder } from '../../store/json-store.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { playInDashboard } from '../dashboard.js';
import { DASHBOARD_OPTIONS, MODE_OPTION, modeOption, savesFolder, seedOption } from '../options.js';

const PLAY_OPTIONS = {
  seed: { value: true, help: "the random seed (default: the level's)" },
  ...MODE_OPTION,
  ...DASHBOARD_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

/** Refuses a campaign level the level select would refuse too; a level file of one's own is always open. */
async function checkOpen(campaign: readonly Level[], folder: SavesFolder, unlockAll: boolean, level: Level) {
  const ids = campaign.map((l) => l.id);
  const at = ids.indexOf(level.id);
  if (at < 0) return;
  const [{ campaignProgress, lockedBecause }, { readProfile }] = await Promise.all([
    import('../../game/campaign.js'),
    import('../../store/index.js'),
  ]);
  const progress = campaignProgress(await readProfile(folder), ids, { unlockAll });
  if (!progress[at]!.unlocked) {
    throw new InputError(
      `play: ${lockedBecause(campaign, at)} (fleetops levels shows the campaign; --unlock opens every level)`,
    );
  }
}

async function playCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('play', argv, PLAY_OPTIONS);
  if (positionals.length > 1)
    throw new InputError('play: expected at most one level file or id, e.g. fleetops play 01-first-shift');
  const seed = seedOption('play', options);
  const mode = modeOption('play', options);
  // The model and the levels load behind the dashboard's first frame, so this module imports neither.
  return playInDashboard(
    'play',
    options,
    async (campaign, building) => {
      const [{ levelFiles, levelId, loadLevel }, { Session }] = await Promise.all([
        import('../files.js'),
        import('../../game/session.js'),
      ]);
      const level = loadLevel(positionals[0] ?? levelId(levelFiles()[0]!));
      await checkOpen(campaign, savesFolder(options), options.unlock === true, level);
      await building(level);
      return { session: new Session(level, seed ?? level.defaultSeed, undefined, mode) };
    },
    positionals,
  );
}

export default {
  summary: 'play a level (default: the first) in the dashboard',
  positionals: '[level]',
  options: PLAY_OPTIONS,
  run: playCommand,
} satisfies Subcommand;
