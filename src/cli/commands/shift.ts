// `fleetops shift --seed N [--hours 8] [--difficulty 1..5]`: a generated on-call shift, played in
// the dashboard (or headless without a terminal, or with --headless), or written as a level file
// with --save-level for an instructor to edit. Its level id (shift-N-dD-Hh) builds it again, so
// run, exercise, load and the leaderboard take it like any level.
import { InputError } from '../../input/input-error.js';
import { attachScript, parseScript } from '../../game/script.js';
import { Session } from '../../game/session.js';
import { SHIFT_BOUNDS, SHIFT_DEFAULTS, checkShift, shiftId } from '../../game/shift.js';
import { summarize } from '../../game/summary.js';
import { renderReport } from '../../report/index.js';
import { parseArgs, wholeNumber, type OptionSpec, type Subcommand } from '../args.js';
import { loadLevel, readText, shiftText } from '../files.js';
import {
  DASHBOARD_CLOCK_OPTIONS,
  headlessWhy,
  MODE_OPTION,
  modeOption,
  optionText,
  PLAY_END_OPTIONS,
  playerName,
  realtimeOptions,
  refuseDashboardOnly,
} from '../options.js';
import { outputOption } from '../output-path.js';
import { isTerminal, playInDashboard } from '../dashboard.js';
import {
  formatSummary,
  isStandardOutput,
  outputName,
  printRefusals,
  reportFormat,
  tellBeside,
  writeFileAtomic,
} from '../output.js';
import { checkWritable } from '../../store/index.js';
import { planPlayEnd } from '../play-end.js';

const SHIFT_OPTIONS = {
  seed: {
    value: true,
    help: 'the shift to build: 1 to 40 lower-case letters or digits (required); the same seed, hours and difficulty give the same shift',
  },
  hours: {
    value: true,
    help: `length of the shift, ${SHIFT_BOUNDS.hours[0]} to ${SHIFT_BOUNDS.hours[1]} (default ${SHIFT_DEFAULTS.hours})`,
  },
  difficulty: {
    value: true,
    help: `${SHIFT_BOUNDS.difficulty[0]} (one incident at a time, spare capacity, hints) to ${SHIFT_BOUNDS.difficulty[1]} (overlaps, a misleading alarm, thin spares, no hints); default ${SHIFT_DEFAULTS.difficulty}`,
  },
  'save-level': {
    value: true,
    help: 'write the shift as a level file to edit (fleetops run FILE plays it) instead of playing it',
  },
  headless: {
    value: false,
    help: 'run it to its end and print the summary instead of opening the dashboard (so does no terminal)',
  },
  commands: { value: true, help: 'headless: a script of commands and reactions, as fleetops run takes' },
  json: { value: false, help: 'headless: print the summary as JSON' },
  report: { value: true, help: 'headless: write the incident report here, as exercise does' },
  format: { value: true, help: "headless: the report's format, md, json or html (default: from --report's extension)" },
  ...MODE_OPTION,
  ...PLAY_END_OPTIONS,
  ...DASHBOARD_CLOCK_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

/** What --save-level uses: the shift's spec, and the saves folder a level is kept out of. */
const WRITING_OPTIONS = new Set(['seed', 'hours', 'difficulty', 'save-level', 'saves']);

async function shiftCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('shift', argv, SHIFT_OPTIONS);
  if (positionals.length)
    throw new InputError('shift: takes no arguments, e.g. fleetops shift --seed 3 --difficulty 2');
  const seed = optionText(options, 'seed');
  if (!seed) throw new InputError('shift: --seed is required, e.g. fleetops shift --seed 3');
  const spec = checkShift(
    {
      seed,
      hours: wholeNumber('shift', 'hours', options.hours, SHIFT_DEFAULTS.hours, ...SHIFT_BOUNDS.hours),
      difficulty: wholeNumber(
        'shift',
        'difficulty',
        options.difficulty,
        SHIFT_DEFAULTS.difficulty,
        ...SHIFT_BOUNDS.difficulty,
      ),
    },
    'shift',
  );
  const mode = modeOption('shift', options);
  // The dashboard's options are checked whichever way the shift goes: a bad one is never ignored.
  realtimeOptions('shift', options);
  const read = [optionText(options, 'commands')].filter((f) => f !== undefined);
  const out = outputOption(options, 'save-level', read);
  if (out) {
    const playing = Object.keys(options).find((name) => !WRITING_OPTIONS.has(name));
    if (playing)
      throw new InputError(
        `shift: --save-level writes the level and plays nothing, so --${playing} has nothing to do; play the file with fleetops run ${out}`,
      );
    const onStdout = isStandardOutput(out);
    writeFileAtomic(out, shiftText(spec));
    // A level sent down a pipe is played from where its reader puts it.
    if (onStdout) console.error(`wrote      ${shiftId(spec)} to standard output`);
    else console.log(`wrote      ${out}: ${shiftId(spec)}; fleetops run ${out} plays it`);
    return 0;
  }
  const level = loadLevel(shiftId(spec));
  if (
    !options.headless &&
    !options.json &&
    options.commands === undefined &&
    options.report === undefined &&
    options.save === undefined &&
    isTerminal()
  ) {
    return playInDashboard('shift', options, async (_campaign, building) => {
      await building(level);
      return { session: new Session(level, level.defaultSeed, undefined, mode) };
    });
  }
  refuseDashboardOnly('shift', options, headlessWhy(options, ['headless', 'json', 'commands', 'report', 'save']));
  const endPlay = planPlayEnd(options);
  const reportPath = outputOption(options, 'report', read);
  const formatText = optionText(options, 'format');
  if (formatText !== undefined && !reportPath)
    throw new InputError(`shift: --format goes with --report, e.g. --report shift.${formatText}`);
  const format = reportFormat('shift', reportPath, formatText);
  if (reportPath) checkWritable(reportPath, 'the report');
  const session = new Session(level, level.defaultSeed, undefined, mode);
  session.player = playerName(options);
  const scriptPath = optionText(options, 'commands');
  const script = scriptPath ? parseScript(readText(scriptPath), scriptPath) : null;
  if (script) attachScript(session, script);
  session.run(level.duration);
  const summary = summarize(session);
  const tell = tellBeside(reportPath);
  tell(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  if (reportPath) {
    writeFileAtomic(reportPath, renderReport(session, format, { script: scriptPath ?? null }));
    (options.json ? (line: string) => console.error(line) : tell)(`report     ${outputName(reportPath)}`);
  }
  printRefusals(session, script);
  await endPlay(session);
  return 0;
}

export default {
  summary:
    "a generated on-call shift from the campaign's incident kinds, in the dashboard or headless; --save-level writes it as a level file",
  positionals: '',
  options: SHIFT_OPTIONS,
  run: shiftCommand,
} satisfies Subcommand;
