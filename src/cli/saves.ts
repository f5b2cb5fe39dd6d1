// `fleetops saves`, `fleetops load <slot>` and `fleetops leaderboard [level]`.
import { InputError } from '../game/input-error.js';
import { summarize } from '../game/summary.js';
import { formatClock } from '../sim/index.js';
import {
  LEADERBOARD_KEEP,
  leaderboard,
  listSlots,
  profilePath,
  readProfile,
  readSlot,
  resume,
  slotPath,
} from '../store/index.js';
import { parseArgs, wholeNumber, type OptionSpec } from './args.js';
import { campaignLevel, levelId, loadLevel } from './files.js';
import {
  optionText,
  planPlayEnd,
  PLAY_END_OPTIONS,
  playerName,
  playerOption,
  SAVES_OPTION,
  savesFolder,
} from './play-end.js';
import { formatSummary } from './run.js';
import { renderReport } from '../report/index.js';
import { reportFormat } from './exercise.js';
import { writeFileAtomic } from './write-file.js';
import { DASHBOARD_OPTIONS, dashboardContext, isTerminal, playInDashboard } from './play.js';
import { realtimeOptions } from './realtime.js';

const inCampaign = (id: string) => campaignLevel(id, false) !== undefined;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const shortDate = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

export async function savesCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('saves', argv, SAVES_OPTION);
  if (positionals.length) throw new InputError('saves: takes no arguments, e.g. fleetops saves --saves DIR');
  const folder = savesFolder(options);
  const slots = await listSlots(folder);
  if (slots.length === 0) {
    console.log(`no saves in ${folder.dir}`);
    return 0;
  }
  const rows = slots.map((s) => [s.slot, s.level, s.seed, s.mode, formatClock(s.tick), shortDate(s.savedAt), s.kind]);
  console.log(table(['slot', 'level', 'seed', 'mode', 'at', 'saved', 'kind'], rows));
  return 0;
}

export const LOAD_OPTIONS = {
  fast: { value: false, help: "load from the save's snapshot instead of replaying its commands" },
  level: { value: true, help: 'the level file, for a level outside the campaign' },
  headless: {
    value: false,
    help: 'run to the end and print the summary instead of opening the dashboard (so does --json, --save, or no terminal)',
  },
  json: { value: false, help: 'print the summary as JSON' },
  ...PLAY_END_OPTIONS,
  speed: DASHBOARD_OPTIONS.speed,
  'imds-port': DASHBOARD_OPTIONS['imds-port'],
} as const satisfies Record<string, OptionSpec>;

/** A saved session brought back and checked against its hash, with a line saying how. */
async function resumeSlot(
  command: string,
  positionals: string[],
  options: Record<string, string | true>,
  fast: boolean,
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
  if (!levelFile && !inCampaign(save.level))
    throw new InputError(`${where}: level ${save.level} is not in the campaign; name its file with --level`);
  const level = loadLevel(levelFile ?? save.level);
  const { session, how } = resume(save, level, where, fast ? 'snapshot' : 'replay');
  session.player = playerName(options);
  return {
    session,
    line: `loaded     slot ${slot}: ${level.id}, seed ${save.seed}, ${save.mode}, at ${formatClock(save.tick)} (${how}; world ${save.hash} as saved)`,
    brief: `loaded slot ${slot} at ${formatClock(save.tick)}, world as saved`,
  };
}

export async function loadCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('load', argv, LOAD_OPTIONS);
  // The dashboard's options are checked whichever way the play goes on: a bad one is never ignored.
  realtimeOptions('load', options);
  if (!(options.headless || options.json || options.save !== undefined || !isTerminal())) {
    const context = await dashboardContext('load', options);
    const { session, brief } = await resumeSlot('load', positionals, options, options.fast === true);
    return playInDashboard(session, context, brief);
  }
  const endPlay = planPlayEnd(options);
  const { session, line } = await resumeSlot('load', positionals, options, options.fast === true);
  const level = session.level;
  (options.json ? console.error : console.log)(line);
  session.run(level.duration - session.tick);
  const summary = summarize(session);
  console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  await endPlay(session);
  return 0;
}

export const LEADERBOARD_OPTIONS = {
  limit: { value: true, help: `entries per level, 1 to ${LEADERBOARD_KEEP} (default: 10; that many are kept)` },
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

export async function leaderboardCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('leaderboard', argv, LEADERBOARD_OPTIONS);
  if (positionals.length > 1)
    throw new InputError('leaderboard: expected at most one level, e.g. fleetops leaderboard 01-first-shift');
  const named = positionals[0];
  const file = named === undefined ? undefined : campaignLevel(named);
  if (named !== undefined && !file)
    throw new InputError(`leaderboard: no level '${named}' in the campaign; fleetops levels lists them`);
  const level = file && levelId(file);
  const folder = savesFolder(options);
  const entries = leaderboard(
    await readProfile(folder),
    level,
    wholeNumber('leaderboard', 'limit', options.limit, 10, 1, LEADERBOARD_KEEP),
  );
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
      shortDate(e.date),
      e.seed,
    ];
  });
  console.log(table(['level', '#', 'player', 'score', 'grade', 'won', 'mode', 'date', 'seed'], rows));
  return 0;
}

export const REPORT_OPTIONS = {
  format: { value: true, help: "md, json or html (default: from --out's extension, else md)" },
  out: { value: true, help: 'write the report here instead of printing it' },
  level: { value: true, help: 'the level file, for a level outside the campaign' },
  ...playerOption(),
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** `fleetops report <slot>`: the incident report of a saved play, as far as it had gone. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('report', argv, REPORT_OPTIONS);
  const out = optionText(options, 'out');
  const format = reportFormat('report', out, optionText(options, 'format'));
  const { session, line } = await resumeSlot('report', positionals, options, false);
  const report = renderReport(session, format);
  if (!out) {
    process.stdout.write(report);
    return 0;
  }
  writeFileAtomic(out, report);
  console.log(`${line}\nreport     ${out}`);
  return 0;
}
