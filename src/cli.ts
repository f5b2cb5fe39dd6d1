// The fleetops command: finds the subcommand and owns exit codes (0 ok, 1 objectives not met, 2
// bad input). A user's mistake prints one line; anything else is a bug and keeps its trace. Each
// subcommand is a module of its own in cli/commands/, loaded only once it is the one that runs, so
// `fleetops --version` or `fleetops levels` loads neither the dashboard nor the reports nor the
// servers.
import { readFileSync } from 'node:fs';
import { usageLine, type Subcommand } from './cli/args.js';
import { escapeControls } from './input/control.js';
import { InputError } from './input/input-error.js';

type Loader = () => Promise<{ default: Subcommand }>;

/** Every subcommand in the order help lists them. */
const SUBCOMMANDS: Readonly<Record<string, Loader>> = {
  play: () => import('./cli/commands/play.js'),
  run: () => import('./cli/commands/run.js'),
  exercise: () => import('./cli/commands/exercise.js'),
  shift: () => import('./cli/commands/shift.js'),
  imds: () => import('./cli/commands/imds.js'),
  trace: () => import('./cli/commands/trace.js'),
  saves: () => import('./cli/commands/saves.js'),
  load: () => import('./cli/commands/load.js'),
  report: () => import('./cli/commands/report.js'),
  class: () => import('./cli/commands/class.js'),
  leaderboard: () => import('./cli/commands/leaderboard.js'),
  settings: () => import('./cli/commands/settings.js'),
  levels: () => import('./cli/commands/levels.js'),
  commands: () => import('./cli/commands/commands.js'),
};

/** Every subcommand loaded, by name, in help's order: for help, which lists them all. */
export async function loadSubcommands(): Promise<[string, Subcommand][]> {
  return Promise.all(Object.entries(SUBCOMMANDS).map(async ([name, load]) => [name, (await load()).default] as const));
}

const HELP_FLAGS = ['--help', '-h'];

/** What help says of itself and of --version, which are no subcommands: usage, and what each does. */
const OWN_HELP: Record<string, [usage: string, summary: string]> = {
  help: ['help [command]', "list the commands, or explain one's options (as fleetops <command> --help does)"],
  '--version': ['--version', 'print the version'],
};

/** `fleetops help help` or `fleetops --help --version`: what help or --version is. */
function ownHelp(name: string): number {
  const [usage, summary] = OWN_HELP[HELP_FLAGS.includes(name) ? 'help' : name]!;
  console.log(`Usage: fleetops ${usage}\n\n${summary}`);
  return 0;
}

const explainsItself = (name: string) => Object.hasOwn(OWN_HELP, name) || HELP_FLAGS.includes(name);

/** The subcommand called `name`, loaded; an InputError for a name that is none. */
async function subcommand(name: string): Promise<Subcommand> {
  if (!Object.hasOwn(SUBCOMMANDS, name)) throw new InputError(`unknown command '${name}'; fleetops help lists them`);
  return (await SUBCOMMANDS[name]!()).default;
}

async function help(): Promise<number> {
  const subcommands = await loadSubcommands();
  console.log(
    'fleetops: operate a fleet of EC2 instances through incidents\n\nUsage:\n  fleetops              play the first level',
  );
  for (const [name, sub] of subcommands)
    console.log(`  fleetops ${usageLine(name, sub.positionals, sub.options)}\n      ${sub.summary}`);
  console.log(
    "\nfleetops <command> --help (or fleetops help <command>) explains a command's options; fleetops --version prints the version.",
  );
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
  // package.json is one folder up from src/cli.ts and from dist/cli.js alike.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  console.log(`fleetops ${version}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === 'help' || (name !== undefined && HELP_FLAGS.includes(name))) {
      // `fleetops help run` is `fleetops run --help`; anything more is not a help a user can mean.
      if (rest.length === 0) return await help();
      if (rest.length === 1 && explainsItself(rest[0]!)) return ownHelp(rest[0]!);
      if (rest.length === 1) return commandHelp(rest[0]!, await subcommand(rest[0]!));
      throw new InputError(
        `${name} takes at most a command's name, e.g. fleetops help run; got ${rest.length} arguments`,
      );
    }
    if (name === '--version') {
      // As after a command, a help flag asks what it is.
      if (rest.length === 1 && HELP_FLAGS.includes(rest[0]!)) return ownHelp(name);
      if (rest.length)
        throw new InputError(`--version takes nothing more; got '${escapeControls(rest[0]!.slice(0, 40))}'`);
      return version();
    }
    // `fleetops` alone plays the first level.
    const command = name ?? 'play';
    const sub = await subcommand(command);
    // After `--` every argument is a value, one called --help too.
    const end = rest.indexOf('--');
    if ((end === -1 ? rest : rest.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg)))
      return commandHelp(command, sub);
    return await sub.run(rest);
  } catch (err) {
    if (err instanceof InputError) {
      // One line, whatever it quotes: a name typed with an escape or a newline in it moves nothing.
      console.error(`fleetops: ${escapeControls(err.message)}`);
      return 2;
    }
    throw err;
  }
}
