// `fleetops leaderboard [level]`: the best results kept in the profile, for one level or all.
import { InputError } from '../../input/input-error.js';
import { LEADERBOARD_KEEP, leaderboard, profilePath, readProfile, type LeaderboardEntry } from '../../store/index.js';
import { parseArgs, wholeNumber, type OptionSpec, type Subcommand } from '../args.js';
import { campaignLevel, levelId } from '../files.js';
import { parseShiftId } from '../../game/shift.js';
import { SAVES_OPTION, savesFolder } from '../options.js';
import { shortDate, table } from '../output.js';

const LEADERBOARD_OPTIONS = {
  limit: { value: true, help: `entries per level, 1 to ${LEADERBOARD_KEEP} (default: 10; that many are kept)` },
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** What a player at the prompt is called where a result says who drove it, as a report's "Driven by" says. */
const DRIVER = { player: 'dashboard', script: 'script', handler: 'handler' } as const;

/** Who gave a result's commands: `script+dashboard`; `none` for a level left to run, `?` for a result from before this was kept. */
function drivenBy(e: LeaderboardEntry): string {
  if (!e.drivenBy) return '?';
  return e.drivenBy.length ? e.drivenBy.map((source) => DRIVER[source]).join('+') : 'none';
}

async function leaderboardCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('leaderboard', argv, LEADERBOARD_OPTIONS);
  if (positionals.length > 1)
    throw new InputError('leaderboard: expected at most one level, e.g. fleetops leaderboard 01-first-shift');
  const named = positionals[0];
  const folder = savesFolder(options);
  const profile = await readProfile(folder);
  const limit = wholeNumber('leaderboard', 'limit', options.limit, 10, 1, LEADERBOARD_KEEP);
  // A campaign level by its id or a prefix of it, or a generated shift by its id, whether or not
  // either has results yet; else any level with results, one's own.
  const file = named === undefined ? undefined : campaignLevel(named);
  const level = file ? levelId(file) : named;
  if (named !== undefined && !file && parseShiftId(named) === null && leaderboard(profile, named, 1).length === 0)
    throw new InputError(
      `leaderboard: no level '${named}' in the campaign nor among the results; fleetops levels lists the campaign's, fleetops leaderboard every level with results`,
    );
  const entries = leaderboard(profile, level, limit);
  if (entries.length === 0) {
    console.log(`no results yet in ${profilePath(folder)}`);
    return 0;
  }
  const rank = new Map<string, number>();
  const rows = entries.map((e) => {
    const n = (rank.get(e.level) ?? 0) + 1;
    rank.set(e.level, n);
    return [
      e.level,
      String(n),
      e.player,
      String(e.score),
      e.grade,
      e.won ? 'yes' : 'no',
      e.mode,
      drivenBy(e),
      shortDate(e.date),
      e.seed,
    ];
  });
  console.log(table(['level', '#', 'player', 'score', 'grade', 'won', 'mode', 'by', 'date', 'seed'], rows));
  return 0;
}

export default {
  summary: 'show the local leaderboard, for one level or all',
  positionals: '[level]',
  options: LEADERBOARD_OPTIONS,
  run: leaderboardCommand,
} satisfies Subcommand;
