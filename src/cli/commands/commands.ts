// `fleetops commands`: the command language, every verb with its usage, summary and ranges.
import { MAX_COMMAND_CHARS, ranges, usage, VERBS } from '../../sim/index.js';
import { parseArgs, type Subcommand } from '../args.js';

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

export default {
  summary: 'list the command language',
  positionals: '',
  options: {},
  run: commandsCommand,
} satisfies Subcommand;
