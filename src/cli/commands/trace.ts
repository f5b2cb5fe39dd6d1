// `fleetops trace <level> <instance> [--seed N] [--at TIME] [--commands FILE] [--port N]
// [--protocol P] [--from SOURCE | --to internet] [--json]`: the network path to an instance (or,
// with --to internet, its way out) at a moment of a headless run, hop by hop, with what a
// traceroute from outside would show.
import { InputError } from '../../input/input-error.js';
import { attachScript, parseScript } from '../../game/script.js';
import { Session } from '../../game/session.js';
import { CommandError, formatClock, parseDuration, parseTraceWords, runTrace } from '../../sim/index.js';
import { traceLines } from '../../tui/trace-view.js';
import { parseArgs, type Subcommand } from '../args.js';
import { loadLevel, readText } from '../files.js';
import { optionText, seedOption } from '../options.js';

const TRACE_OPTIONS = {
  seed: { value: true, help: "the run's random seed (default: the level's)" },
  at: {
    value: true,
    help: "the moment to trace at, a duration from the start such as 12m (default 0, at most the level's length)",
  },
  commands: { value: true, help: 'a script (`at` and `on` lines), played up to --at' },
  port: { value: true, help: "the port, 1-65535 (default: the instance's workload's, else 443)" },
  protocol: { value: true, help: 'tcp (default), udp or icmp' },
  from: {
    value: true,
    help: "where the traffic starts: internet, an instance (id or Name) or an IPv4 address (default: the workload's clients)",
  },
  to: {
    value: true,
    help: 'internet: trace the way out instead, a connection the instance starts (through a NAT gateway from a private subnet)',
  },
  json: { value: false, help: 'print the hops as JSON' },
} as const;

function traceCommand(argv: string[]): number {
  const { positionals, options } = parseArgs('trace', argv, TRACE_OPTIONS);
  if (positionals.length !== 2)
    throw new InputError('trace: expected a level and an instance, e.g. fleetops trace 08-no-route web-1 --at 12m');
  const [levelRef, target] = positionals as [string, string];
  const level = loadLevel(levelRef);
  const at = optionText(options, 'at');
  const tick = at === undefined ? 0 : parseDuration(at);
  if (tick === null || tick > level.duration)
    throw new InputError(
      `trace: --at expects a duration from 0 to ${formatClock(level.duration)} (${level.id}'s length), such as 12m, got '${at}'`,
    );
  const session = new Session(level, seedOption('trace', options) ?? level.defaultSeed);
  if (typeof options.commands === 'string')
    attachScript(session, parseScript(readText(options.commands), options.commands));
  session.run(tick);
  const words = [target];
  for (const name of ['port', 'protocol', 'from', 'to'] as const) {
    const value = optionText(options, name);
    if (value !== undefined) words.push(`--${name}`, value);
  }
  let trace;
  try {
    trace = runTrace(session.world, parseTraceWords(words));
  } catch (err) {
    // The prompt's words (`trace --port expects …`) in the command line's form: `trace: --port expects …`.
    if (err instanceof CommandError) throw new InputError(`trace: ${err.message.replace(/^trace /, '')}`);
    throw err;
  }
  if (options.json) {
    const { instance, hops, ...rest } = trace;
    console.log(
      JSON.stringify({ at: formatClock(tick), instance: instance.id, name: instance.name, ...rest, hops }, null, 2),
    );
  } else {
    console.log(`${level.id} seed ${session.seed} at ${formatClock(tick)}`);
    for (const [, text] of traceLines(trace, Math.min(100, process.stdout.columns || 100))) console.log(text);
  }
  return trace.reached ? 0 : 1;
}

export default {
  summary:
    "the network path to an instance's port at a moment of a headless run, hop by hop with the rule that decided each, and what a traceroute from outside shows (exit 1 if dropped)",
  positionals: '<level> <instance>',
  options: TRACE_OPTIONS,
  run: traceCommand,
} satisfies Subcommand;
