// The fleetops command: wires the layers together and owns exit codes (0 ok, 1 objectives not
// met, 2 bad input). A user's mistake prints one line; anything else is a bug and keeps its trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './game/input-error.js';
import { MAX_COMMAND_CHARS, ranges, VERBS, usage } from './sim/index.js';
import { LEVELS_OPTIONS, levelsCommand } from './cli/levels.js';
import { SETTINGS_OPTIONS, settingsCommand } from './cli/settings.js';
import { RUN_OPTIONS, runCommand } from './cli/run.js';
import { EXERCISE_OPTIONS, exerciseCommand } from './cli/exercise.js';
import {
  LEADERBOARD_OPTIONS,
  LOAD_OPTIONS,
  leaderboardCommand,
  loadCommand,
  savesCommand,
  REPORT_OPTIONS,
  reportCommand,
} from './cli/saves.js';
import { IMDS_OPTIONS, imdsCommand } from './cli/imds.js';
import { CLASS_OPTIONS, classCommand, MAX_CLASS_REPORTS, MAX_REPORT_BYTES } from './cli/class.js';
import { parseArgs, usageLine, type OptionSpec } from './cli/args.js';
import { PROJECT_ROOT } from './cli/files.js';
import { SAVES_OPTION } from './cli/play-end.js';
import { PLAY_OPTIONS, playCommand } from './cli/play.js';
import { SHIFT_OPTIONS, shiftCommand } from './cli/shift.js';
import { TRACE_OPTIONS, traceCommand } from './cli/trace.js';

interface Subcommand {
  summary: string;
  /** Its arguments for the usage line, e.g. `<level>`. */
  positionals: string;
  options: Record<string, OptionSpec>;
  run: (argv: string[]) => number | Promise<number>;
}

function commandsCommand(argv: string[]): number {
  parseArgs('commands', argv, {});
  for (const scope of ['world', 'game', 'fault'] as const) {
    console.log(
      scope === 'world'
        ? 'Fleet commands:'
        : scope === 'game'
          ? '\nGame commands:'
          : "\nScenario commands (levels and instructors' scripts):",
    );
    for (const spec of VERBS.filter((v) => v.scope === scope)) {
      const bounds = ranges(spec);
      console.log(`  ${usage(spec)}\n      ${spec.summary}${bounds ? `\n      ranges: ${bounds}` : ''}`);
    }
  }
  console.log(
    `\nA command is at most ${MAX_COMMAND_CHARS} characters; a number outside its range is refused before anything is done.`,
  );
  return 0;
}

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  play: {
    summary: 'play a level (default: the first) in the dashboard',
    positionals: '[level]',
    options: PLAY_OPTIONS,
    run: playCommand,
  },
  run: {
    summary: 'run a level headless and print its summary and world hash',
    positionals: '<level>',
    options: RUN_OPTIONS,
    run: runCommand,
  },
  exercise: {
    summary:
      'run a training exercise headless to its end and write an incident report (exit 1 if objectives are missed)',
    positionals: '<level>',
    options: EXERCISE_OPTIONS,
    run: exerciseCommand,
  },
  shift: {
    summary:
      "a generated on-call shift from the campaign's incident kinds, in the dashboard or headless; --save-level writes it as a level file",
    positionals: '',
    options: SHIFT_OPTIONS,
    run: shiftCommand,
  },
  imds: {
    summary: "play a level in real time with each running instance's metadata service on loopback",
    positionals: '<level>',
    options: IMDS_OPTIONS,
    run: imdsCommand,
  },
  trace: {
    summary:
      "the network path to an instance's port at a moment of a headless run, hop by hop with the rule that decided each, and what a traceroute from outside shows (exit 1 if dropped)",
    positionals: '<level> <instance>',
    options: TRACE_OPTIONS,
    run: traceCommand,
  },
  saves: { summary: 'list the saved games', positionals: '', options: SAVES_OPTION, run: savesCommand },
  load: {
    summary:
      'resume a saved game (replayed and checked against its world hash) in the dashboard, or headless to its end',
    positionals: '<slot>',
    options: LOAD_OPTIONS,
    run: loadCommand,
  },
  report: {
    summary: 'write the incident report of a saved play, as far as it had gone',
    positionals: '<slot>',
    options: REPORT_OPTIONS,
    run: reportCommand,
  },
  class: {
    summary: `compare responders: JSON reports of one level (at most ${MAX_CLASS_REPORTS}, ${MAX_REPORT_BYTES / 1024 / 1024} MiB each) as one table with the spread and recurring action items`,
    positionals: '<report.json...>',
    options: CLASS_OPTIONS,
    run: classCommand,
  },
  leaderboard: {
    summary: 'show the local leaderboard, for one level or all',
    positionals: '[level]',
    options: LEADERBOARD_OPTIONS,
    run: leaderboardCommand,
  },
  settings: {
    summary: 'show your settings, or change one: colour, speed, keyHints, promptPauses',
    positionals: '[name value]',
    options: SETTINGS_OPTIONS,
    run: settingsCommand,
  },
  levels: {
    summary: "list the campaign's levels with your progress: won, open or locked, and best scores",
    positionals: '',
    options: LEVELS_OPTIONS,
    run: levelsCommand,
  },
  commands: { summary: 'list the command language', positionals: '', options: {}, run: commandsCommand },
};

const HELP_FLAGS = ['--help', '-h'];

function help(): number {
  console.log(
    'fleetops: operate a fleet of EC2 instances through incidents\n\nUsage:\n  fleetops              play the first level',
  );
  for (const [name, sub] of Object.entries(SUBCOMMANDS))
    console.log(`  fleetops ${usageLine(name, sub.positionals, sub.options)}\n      ${sub.summary}`);
  console.log("\nfleetops <command> --help explains a command's options; fleetops --version prints the version.");
  return 0;
}

/** `fleetops <command> --help`: its usage line, what it does, and each option's help. */
function commandHelp(name: string, sub: Subcommand): number {
  console.log(`Usage: fleetops ${usageLine(name, sub.positionals, sub.options)}\n\n${sub.summary}`);
  const options = Object.entries(sub.options).map(
    ([key, o]) => [`--${key}${o.value ? ` ${key.toUpperCase()}` : ''}`, o.help] as const,
  );
  if (options.length === 0) return 0;
  const width = Math.max(...options.map(([flag]) => flag.length));
  console.log(`\nOptions:\n${options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n')}`);
  return 0;
}

function version(): number {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  console.log(`fleetops ${version}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) return await playCommand([]);
    if (name === 'help' || HELP_FLAGS.includes(name)) return help();
    if (name === '--version') return version();
    const sub = SUBCOMMANDS[name];
    if (!sub) throw new InputError(`unknown command '${name}'; fleetops help lists them`);
    if (rest.some((arg) => HELP_FLAGS.includes(arg))) return commandHelp(name, sub);
    return await sub.run(rest);
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`fleetops: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
