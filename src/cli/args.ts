// Command-line arguments: positionals and --options, checked against what a subcommand accepts.
import { parseArgs as nodeParseArgs } from 'node:util';
import { InputError } from '../input/input-error.js';
import { CONTROL_IN_LINE, escapeControls } from '../input/control.js';

/** The longest value an option takes: room for any path, seed or name. */
export const MAX_OPTION_CHARS = 4096;

/**
 * Refuses an argument (or a setting in the environment) holding a control character (see
 * CONTROL_IN_LINE), naming it escaped; `what` names it, with its command if it has one.
 */
export function checkPlain(what: string, value: string): void {
  if (CONTROL_IN_LINE.test(value))
    throw new InputError(
      `${what} ${escapeControls(JSON.stringify(value).slice(0, 60))} holds a control character; write it as plain text`,
    );
}

export interface OptionSpec {
  /** Takes a value (`--seed 7`) or is a switch (`--json`). */
  value: boolean;
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

/** What `fleetops <name>` is: its help and its entry point, one module per subcommand in cli/commands/. */
export interface Subcommand {
  summary: string;
  /** Its arguments for the usage line, e.g. `<level>`. */
  positionals: string;
  options: Record<string, OptionSpec>;
  run: (argv: string[]) => number | Promise<number>;
}

/**
 * A subcommand's arguments through Node's util.parseArgs, each mistake refused in one line that
 * names the command and the option: unknown options, a value missing or empty, a value past
 * MAX_OPTION_CHARS, a switch given a value, a value that is the next option (`--seed --json`: the
 * seed was left out, as util.parseArgs's strict mode says; `--seed=--json` means it). A word after
 * a lone `-` (`-1`) is a positional, not a short option.
 */
export function parseArgs(command: string, argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const { tokens } = nodeParseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.entries(spec).map(([name, o]) => [name, { type: o.value ? ('string' as const) : ('boolean' as const) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  let lastShort = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      checkPlain(`${command}: the argument`, token.value);
      positionals.push(token.value);
    }
    if (token.kind !== 'option') continue;
    const known = () =>
      Object.keys(spec)
        .map((k) => `--${k}`)
        .join(', ') || 'none';
    if (!token.rawName.startsWith('--')) {
      // fleetops has no short options: -s is a slip for one, while -1 is a number.
      if (/^-\p{L}/u.test(argv[token.index]!))
        throw new InputError(`${command}: unknown option ${argv[token.index]!.slice(0, 40)} (options: ${known()})`);
      // -1a arrives as tokens of one argument: it is kept whole, once.
      if (token.index !== lastShort) positionals.push(argv[token.index]!);
      lastShort = token.index;
      continue;
    }
    const opt = spec[token.name];
    if (!opt) throw new InputError(`${command}: unknown option --${token.name} (options: ${known()})`);
    // The last of two would win unseen, as in `--seed 1 --seed 2`: the command line says one thing once.
    if (Object.hasOwn(options, token.name)) throw new InputError(`${command}: --${token.name} given twice`);
    if (!opt.value) {
      if (token.inlineValue) throw new InputError(`${command}: --${token.name} is a switch and takes no value`);
      options[token.name] = true;
      continue;
    }
    const value = token.value;
    // An empty value (--seed '') is a slip, never a choice: every value option has a default for 'none'.
    if (value === undefined || value === '')
      throw new InputError(`${command}: --${token.name} needs a value: ${opt.help}`);
    if (!token.inlineValue && value.startsWith('--'))
      throw new InputError(
        `${command}: --${token.name} needs a value before the next option, ${value.slice(0, 40)} (write --${token.name}=${value.slice(0, 40)} if that is the value)`,
      );
    // Characters as their writer counts them, code points (see sim/characters.ts), without loading the model.
    if (value.length > MAX_OPTION_CHARS && [...value].length > MAX_OPTION_CHARS)
      throw new InputError(
        `${command}: --${token.name} is ${[...value].length.toLocaleString('en-US')} characters long; an option's value is at most ${MAX_OPTION_CHARS.toLocaleString('en-US')}`,
      );
    checkPlain(`${command}: --${token.name}`, value);
    options[token.name] = value;
  }
  return { positionals, options };
}

/**
 * A whole number as fleetops writes numbers everywhere, without leading zeros (`02`): a shift's id,
 * made from its difficulty and hours, would otherwise not name the shift played.
 */
export const WHOLE_NUMBER = /^(?:0|[1-9]\d*)$/;

/** A whole-number option, `fallback` when not given; below `least` is refused. */
export function wholeNumber(
  command: string,
  name: string,
  text: string | true | undefined,
  fallback: number,
  least = 0,
  most = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const n = text === true || !WHOLE_NUMBER.test(text) ? NaN : Number(text);
  const range = most < Number.MAX_SAFE_INTEGER ? ` from ${least} to ${most}` : least > 0 ? ` of at least ${least}` : '';
  if (!(n >= least && n <= most))
    throw new InputError(`${command}: --${name} expects a whole number${range}, got '${text}'`);
  return n;
}

/** A usage line from a subcommand's options, e.g. `run <level> [--seed SEED] [--json]`. */
export function usageLine(command: string, positionals: string, spec: Record<string, OptionSpec>): string {
  const opts = Object.entries(spec).map(([k, o]) => `[--${k}${o.value ? ` ${k.toUpperCase()}` : ''}]`);
  return [command, positionals, ...opts].filter(Boolean).join(' ');
}
