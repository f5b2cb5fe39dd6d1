// `fleetops commands`: the command language, every verb with its usage, summary and ranges, and
// the events a script's `on` can wait for.
import { REACTION_EVENTS } from '../../game/reaction-events.js';
import { InputError } from '../../input/input-error.js';
import { MAX_COMMAND_CHARS, ranges, usage, VERBS } from '../../sim/index.js';
import { wrap } from '../../tui/format.js';
import { parseArgs, type Subcommand } from '../args.js';

function commandsCommand(argv: string[]): number {
  const { positionals } = parseArgs('commands', argv, {});
  if (positionals.length)
    throw new InputError(
      'commands: takes no arguments; fleetops commands lists every verb, help <command> tells of a fleetops command',
    );
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
    `\nA command is at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters; a number outside its range is refused before anything is done.`,
  );
  // The one place the events are listed: a script's `on` names them, and a mistake there points here.
  console.log("\nEvents a script's reactions can wait for (on <event> [after <time>] <command>):");
  for (const line of wrap(REACTION_EVENTS.join(', '), 96)) console.log(`  ${line}`);
  return 0;
}

export default {
  summary: 'list the command language, and the events a script can react to',
  positionals: '',
  options: {},
  run: commandsCommand,
} satisfies Subcommand;
