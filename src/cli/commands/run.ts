// `fleetops run <level> --seed N [--ticks T] [--commands FILE] [--json] [--save SLOT] [--player NAME]`:
// a headless run that prints the summary and the world hash.
import { InputError } from '../../input/input-error.js';
import { attachScript, parseScript } from '../../game/script.js';
import { Session } from '../../game/session.js';
import { summarize } from '../../game/summary.js';
import { formatClock } from '../../sim/index.js';
import { parseArgs, wholeNumber, type Subcommand } from '../args.js';
import { loadLevel, readText } from '../files.js';
import { MODE_OPTION, modeOption, PLAY_END_OPTIONS, playerName, seedOption } from '../options.js';
import { formatSummary, printRefusals } from '../output.js';
import { planPlayEnd } from '../play-end.js';

const RUN_OPTIONS = {
  seed: { value: true, help: "the run's random seed (default: the level's)" },
  ticks: { value: true, help: "simulated seconds to run, at most the level's duration (the default)" },
  commands: { value: true, help: 'a script: `at <time> <command>` and `on <event> [after <time>] <command>` lines' },
  json: { value: false, help: 'print the summary as JSON' },
  ...MODE_OPTION,
  ...PLAY_END_OPTIONS,
} as const;

async function runCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('run', argv, RUN_OPTIONS);
  if (positionals.length !== 1)
    throw new InputError(`run: expected one level file or id, e.g. fleetops run levels/01-first-shift.json --seed 7`);
  const level = loadLevel(positionals[0]!);
  const session = new Session(
    level,
    seedOption('run', options) ?? level.defaultSeed,
    undefined,
    modeOption('run', options),
  );
  session.player = playerName(options);
  const ticks = wholeNumber('run', 'ticks', options.ticks, level.duration);
  if (ticks > level.duration)
    throw new InputError(
      `run: --ticks ${ticks} runs past the end of ${level.id}, which lasts ${level.duration} s (${formatClock(level.duration)}); expected at most ${level.duration}`,
    );
  const script =
    typeof options.commands === 'string' ? parseScript(readText(options.commands), options.commands) : null;
  if (script) attachScript(session, script);
  const endPlay = planPlayEnd(options);
  session.run(ticks);
  const summary = summarize(session);
  console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  printRefusals(session, script);
  await endPlay(session);
  return 0;
}

export default {
  summary: 'run a level headless and print its summary and world hash',
  positionals: '<level>',
  options: RUN_OPTIONS,
  run: runCommand,
} satisfies Subcommand;
