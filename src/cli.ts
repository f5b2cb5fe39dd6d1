// The fleetops command: wires the layers together and owns exit codes (0 ok, 1 objectives not
// met, 2 bad input). A user's mistake prints one line; anything else is a bug and keeps its trace.
import { InputError } from './game/input-error.js';
import { VERBS, usage } from './sim/index.js';
import { LEVELS_OPTIONS, levelsCommand } from './cli/levels.js';
import { SETTINGS_OPTIONS, settingsCommand } from './cli/settings.js';
import { RUN_OPTIONS, runCommand } from './cli/run.js';
import { EXERCISE_OPTIONS, exerciseCommand } from './cli/exercise.js';
import { LEADERBOARD_OPTIONS, LOAD_OPTIONS, leaderboardCommand, loadCommand, savesCommand, REPORT_OPTIONS, reportCommand } from './cli/saves.js';
import { IMDS_OPTIONS, imdsCommand } from './cli/imds.js';
import { usageLine } from './cli/args.js';
import { PLAY_OPTIONS, playCommand } from './cli/play.js';

type Subcommand = { summary: string; usage: string; run: (argv: string[]) => number | Promise<number> };

function commandsCommand(): number {
  for (const scope of ['world', 'game', 'fault'] as const) {
    console.log(scope === 'world' ? 'Fleet commands:' : scope === 'game' ? '\nGame commands:' : '\nScenario commands (levels and instructors\' scripts):');
    for (const spec of VERBS.filter((v) => v.scope === scope)) console.log(`  ${usage(spec)}\n      ${spec.summary}`);
  }
  return 0;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  play: { summary: 'play a level (default: the first) in the dashboard', usage: usageLine('play', '[level]', PLAY_OPTIONS), run: playCommand },
  run: {
    summary: 'run a level headless and print its summary and world hash',
    usage: usageLine('run', '<level>', RUN_OPTIONS),
    run: runCommand,
  },
  exercise: {
    summary: 'run a training exercise headless to its end and write an incident report (exit 1 if objectives are missed)',
    usage: usageLine('exercise', '<level>', EXERCISE_OPTIONS),
    run: exerciseCommand,
  },
  imds: { summary: 'play a level in real time with each running instance\'s metadata service on loopback', usage: usageLine('imds', '<level>', IMDS_OPTIONS), run: imdsCommand },
  saves: { summary: 'list the saved games', usage: 'saves [--saves DIR]', run: savesCommand },
  load: {
    summary: 'resume a saved game (replayed and checked against its world hash) in the dashboard, or headless to its end',
    usage: usageLine('load', '<slot>', LOAD_OPTIONS),
    run: loadCommand,
  },
  report: { summary: 'write the incident report of a saved play, as far as it had gone', usage: usageLine('report', '<slot>', REPORT_OPTIONS), run: reportCommand },
  leaderboard: { summary: 'show the local leaderboard, for one level or all', usage: usageLine('leaderboard', '[level]', LEADERBOARD_OPTIONS), run: leaderboardCommand },
  settings: { summary: 'show your settings, or change one: colour, speed, keyHints', usage: usageLine('settings', '[name value]', SETTINGS_OPTIONS), run: settingsCommand },
  levels: { summary: 'list the campaign\'s levels with your progress: won, open or locked, and best scores', usage: usageLine('levels', '', LEVELS_OPTIONS), run: levelsCommand },
  commands: { summary: 'list the command language', usage: 'commands', run: commandsCommand },
};

function help(): number {
  console.log('fleetops: operate a fleet of EC2 instances through incidents\n\nUsage:\n  fleetops              play the first level');
  for (const sub of Object.values(SUBCOMMANDS)) console.log(`  fleetops ${sub.usage}\n      ${sub.summary}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) return await playCommand([]);
    if (name === 'help' || name === '--help' || name === '-h') return help();
    const sub = SUBCOMMANDS[name];
    if (!sub) throw new InputError(`unknown command '${name}'; fleetops help lists them`);
    return await sub.run(rest);
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`fleetops: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
