// `fleetops exercise <level>`: a training exercise run headless to the level's end, with a script
// of timed commands and reactions, an incident report, and batch runs over many seeds.
// Exit code 0 when the objectives are met (every seed, in a batch), 1 when not, 2 on bad input.
import { constants } from 'node:os';
import { basename } from 'node:path';
import { InputError } from '../../input/input-error.js';
import { SEED_MAX_CHARS } from '../../input/seed.js';
import { attachScript, parseScript } from '../../game/script.js';
import { chargeableDataLostGB } from '../../game/objectives.js';
import { Session } from '../../game/session.js';
import { summarize, type Summary } from '../../game/summary.js';
import { renderReport } from '../../report/index.js';
import { characterCount, counted } from '../../sim/index.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { MAX_JOBS, parseJobs, runBatch, runExercise, type SeedResult } from '../batch.js';
import { loadLevel, readText } from '../files.js';
import {
  MODE_OPTION,
  modeOption,
  optionText,
  playerName,
  playerOption,
  REALTIME_OPTIONS,
  realtimeOptions,
  savesFolder,
  seedOption,
} from '../options.js';
import { outputOption, outputPath } from '../output-path.js';
import { formatSummary, outputName, printRefusals, reportFormat, tellBeside, writeFileAtomic } from '../output.js';
import { checkWritable } from '../../store/index.js';
import { runRealtime, startingNow } from '../realtime.js';
import { columns as width, pad } from '../../text/width.js';

const EXERCISE_OPTIONS: Record<string, OptionSpec> = {
  seed: { value: true, help: "the random seed (default: the level's)" },
  seeds: {
    value: true,
    help: 'a batch: a range 1..20, or a list of seeds (any text) such as 1,2,5; prints a row per seed and the min, median and max',
  },
  script: { value: true, help: 'commands: at <time> <command> / on <event> [after <time>] <command>' },
  report: { value: true, help: 'write the incident report here ({seed} is replaced in a batch)' },
  format: {
    value: true,
    help: "md, json or html (default: from the report's extension); without --report, the report is printed instead of the summary",
  },
  ...playerOption(),
  jobs: {
    value: true,
    help: `with --seeds: worker threads playing seeds at once, 1 to ${MAX_JOBS} (default: the machine's cores); the results are the same with any number`,
  },
  ...MODE_OPTION,
  realtime: {
    value: false,
    help: 'run at wall-clock pace with the IMDS and the control endpoint up, for outside handlers',
  },
  ...REALTIME_OPTIONS,
};

const MAX_SEEDS = 1000;

/** `--seeds`: one range of whole numbers (`1..20`) or a list of seeds, which may be any text (`1,2,5`). */
function parseSeeds(text: string): string[] {
  const refuse = (why: string) =>
    new InputError(
      `exercise: --seeds ${text}: ${why}; expected a range low..high such as 1..20, or a list such as 1,2,5`,
    );
  if (text.includes('..')) {
    // Without leading zeros, as the seeds it makes are written: `--seed 01` and `--seed 1` are two seeds.
    const range = /^(0|[1-9]\d*)\.\.(0|[1-9]\d*)$/.exec(text);
    if (!range) throw refuse('not a range');
    const [from, to] = [Number(range[1]), Number(range[2])];
    // Past 2^53 a double no longer counts by one: the seeds made would not be the ones asked for.
    if (!Number.isSafeInteger(to)) throw refuse(`a range ends by ${Number.MAX_SAFE_INTEGER}`);
    if (to < from) throw refuse('the range runs backwards');
    if (to - from >= MAX_SEEDS) throw refuse(`more than ${MAX_SEEDS} seeds`);
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  }
  const list = text.split(',').map((s) => s.trim());
  if (list.some((s) => s === '')) throw refuse('an empty seed in the list');
  // Each is a seed as --seed takes one.
  const long = list.find((s) => characterCount(s) > SEED_MAX_CHARS);
  if (long !== undefined)
    throw refuse(
      `a seed of ${characterCount(long).toLocaleString('en-US')} characters; a seed is at most ${SEED_MAX_CHARS}`,
    );
  // The same seed twice would run the same play twice and weigh it twice in the min, median and max.
  const twice = list.find((s, i) => list.indexOf(s) !== i);
  if (twice !== undefined) throw refuse(`seed ${twice} given twice`);
  if (list.length > MAX_SEEDS) throw refuse(`more than ${MAX_SEEDS} seeds`);
  return list;
}

/** The middle value of a sorted list; the mean of the two middle ones when the count is even. */
function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One row per seed (points, grade, won, incidents, SLO minutes missed, data lost and of it what the
 * score charges, cost), then the min, median and max of each number over the batch, so a spread
 * across seeds shows at a glance.
 */
export function batchTable(rows: { seed: string; summary: Summary }[]): string {
  const head = [
    'seed',
    'points',
    'grade',
    'won',
    'incidents',
    'SLO min missed',
    'data lost GB',
    'charged GB',
    'cost $',
  ];
  const figures = rows.map(({ summary: s }) => {
    const sloMissed = s.workloads.reduce((a, w) => a + w.measuredSeconds - w.sloGoodSeconds, 0) / 60;
    return {
      grade: s.score.grade,
      won: s.score.won,
      numbers: [s.score.points, s.incidents.length, sloMissed, s.dataLostGB, chargeableDataLostGB(s), s.costUsd.total],
    };
  });
  const digits = [0, 0, 1, 1, 1, 2];
  // A median of whole numbers may fall halfway between two (2.5 incidents): it keeps its half.
  const cells = (numbers: number[]) =>
    numbers.map((n, i) => n.toFixed(digits[i] === 0 && !Number.isInteger(n) ? 1 : digits[i]!));
  const body = rows.map(({ seed }, r) => {
    const [points, ...rest] = cells(figures[r]!.numbers);
    return [seed, points!, figures[r]!.grade, figures[r]!.won ? 'yes' : 'no', ...rest];
  });
  const columns = digits.map((_, i) => figures.map((f) => f.numbers[i]!).sort((a, b) => a - b));
  const foot = (label: string, pick: (sorted: number[]) => number) => {
    const [points, ...rest] = cells(columns.map(pick));
    return [label, points!, '', '', ...rest];
  };
  const footer = [foot('min', (c) => c[0]!), foot('median', median), foot('max', (c) => c[c.length - 1]!)];
  const widths = head.map((h, i) => Math.max(width(h), ...[...body, ...footer].map((b) => width(b[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, 'right')).join('  ');
  const wins = figures.filter((f) => f.won).length;
  return [
    line(head),
    ...body.map(line),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...footer.map(line),
    '',
    `${counted(rows.length, 'run')}: ${wins} won`,
  ].join('\n');
}

/** The exit status of a real-time exercise a signal stopped before its end, as a shell gives it: 128 + the signal's number (130 for Ctrl-C). */
const interruptedBy = (signal: NodeJS.Signals) => 128 + constants.signals[signal];

async function exerciseCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('exercise', argv, EXERCISE_OPTIONS);
  if (positionals.length !== 1)
    throw new InputError(
      'exercise: expected one level file or id, e.g. fleetops exercise 01-first-shift --seed 7 --report report.md',
    );
  const level = loadLevel(positionals[0]!);
  const mode = modeOption('exercise', options);
  const scriptPath = optionText(options, 'script');
  const script = scriptPath ? parseScript(readText(scriptPath), scriptPath) : null;
  const player = playerName(options);
  const handlerCommand = optionText(options, 'handler');
  // The script by its file name: the folder it was run from would make the same exercise's report
  // differ from one place to another (and tell where the responder keeps their files).
  const context = { script: scriptPath ? basename(scriptPath) : null, handler: handlerCommand ?? null };
  // The level, when given as a file, and the script: what the run reads, which its report must not replace.
  const read = [positionals[0]!, ...(scriptPath ? [scriptPath] : [])];
  const reportPath = outputOption(options, 'report', read);
  const formatText = optionText(options, 'format');
  const format = reportFormat('exercise', reportPath, formatText);
  // --format alone asks for the report on stdout, in place of the summary, for piping.
  const reportToStdout = formatText !== undefined && !reportPath;
  const seedsText = optionText(options, 'seeds');
  if (seedsText && options.seed) throw new InputError('exercise: give --seed or --seeds, not both');
  if (reportToStdout && seedsText)
    throw new InputError(
      `exercise: with --seeds, --format goes with --report and {seed} in its path, e.g. --report reports/run-{seed}.${format}`,
    );
  if (reportToStdout && options.realtime)
    throw new InputError(
      'exercise: --realtime prints its progress on stdout; write the report to a file with --report',
    );

  const realtimeGiven = Object.keys(REALTIME_OPTIONS).filter((k) => k in options);
  if (!options.realtime && realtimeGiven.length)
    throw new InputError(`exercise: --${realtimeGiven[0]} goes with --realtime`);
  if (options.realtime && seedsText) throw new InputError('exercise: --realtime runs one seed; drop --seeds');
  if (options.jobs !== undefined && !seedsText) throw new InputError('exercise: --jobs goes with --seeds');
  const jobs = parseJobs(options.jobs);

  if (!seedsText) {
    // A report path that cannot be written is refused now, not after a long play.
    if (reportPath) checkWritable(reportPath, 'the report');
    const seed = seedOption('exercise', options) ?? level.defaultSeed;
    let session: Session;
    let stoppedBy: NodeJS.Signals = 'SIGINT';
    if (options.realtime) {
      // The handler is graded: one started with --handler, or one run by hand; a script driving
      // the run alone is its responder, and no handler is there to grade.
      const realtime = { ...realtimeOptions('exercise', options), grade: handlerCommand !== undefined || !script };
      session = new Session(realtime.startNow ? startingNow(level, Date.now()) : level, seed, undefined, mode);
      session.player = player;
      if (script) attachScript(session, script);
      const end = await runRealtime('exercise', session, realtime);
      console.log(`\n${end.reason}`);
      stoppedBy = end.signal ?? stoppedBy;
    } else {
      session = runExercise(level, seed, script, player, mode);
    }
    const tell = tellBeside(reportPath);
    if (reportToStdout) process.stdout.write(renderReport(session, format, context));
    else tell(formatSummary(summarize(session)));
    // A real-time run told each refusal as it came.
    if (!options.realtime) printRefusals(session, script);
    if (reportPath) {
      writeFileAtomic(reportPath, renderReport(session, format, context));
      tell(`report     ${outputName(reportPath)}`);
    }
    // Stopped by a signal before its end (real time only), neither won nor lost.
    if (!session.finished) return interruptedBy(stoppedBy);
    return session.score().won ? 0 : 1;
  }

  const seeds = parseSeeds(seedsText);
  if (reportPath && !reportPath.includes('{seed}'))
    throw new InputError(
      `exercise: with --seeds, --report needs {seed} in its path, e.g. reports/run-{seed}.${format}`,
    );
  // Each report's path as it will be written: a seed is text, and one holding a slash would take
  // the report into another folder, the saves folder or the campaign's levels among them.
  const reportOf = (seed: string) => reportPath!.replaceAll('{seed}', seed);
  if (reportPath)
    for (const seed of seeds) {
      if (/[/\\]/.test(seed))
        throw new InputError(
          `exercise: seed '${seed}' goes into the report's file name (--report ${reportPath}), where a / or \\ would make it a folder; give seeds without them`,
        );
      outputPath('--report', reportOf(seed), savesFolder(options).dir, read);
      checkWritable(reportOf(seed), 'the report');
    }
  const rows: SeedResult[] = [];
  await runBatch(
    {
      levelArg: positionals[0]!,
      scriptPath: scriptPath ?? null,
      player,
      mode,
      context,
      format: reportPath ? format : null,
    },
    seeds,
    jobs,
    (result) => {
      if (reportPath) writeFileAtomic(reportOf(result.seed), result.report!);
      rows.push(result);
    },
  );
  console.log(batchTable(rows));
  if (reportPath) console.log(`reports    ${outputName(reportPath)}, ${counted(rows.length, 'report')}, one a seed`);
  return rows.every((r) => r.summary.score.won) ? 0 : 1;
}

export default {
  summary: 'run a training exercise headless to its end and write an incident report (exit 1 if objectives are missed)',
  positionals: '<level>',
  options: EXERCISE_OPTIONS,
  run: exerciseCommand,
} satisfies Subcommand;
