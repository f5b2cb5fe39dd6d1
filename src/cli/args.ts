// Command-line arguments: positionals and --options, checked against what a subcommand accepts.
import { InputError } from '../game/input-error.js';

/** The longest value an option takes: room for any path, seed or name. */
export const MAX_OPTION_CHARS = 4096;

export interface OptionSpec {
  /** Takes a value (`--seed 7`) or is a switch (`--json`). */
  value: boolean;
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

export function parseArgs(command: string, argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const opt = spec[name];
    if (!opt)
      throw new InputError(
        `${command}: unknown option --${name} (options: ${
          Object.keys(spec)
            .map((k) => `--${k}`)
            .join(', ') || 'none'
        })`,
      );
    if (!opt.value) {
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    // An empty value (--seed '') is a slip, never a choice: every value option has a default for 'none'.
    if (value === undefined || value === '') throw new InputError(`${command}: --${name} needs a value: ${opt.help}`);
    if (value.length > MAX_OPTION_CHARS)
      throw new InputError(
        `${command}: --${name} is ${value.length.toLocaleString('en-US')} characters long; an option's value is at most ${MAX_OPTION_CHARS}`,
      );
    options[name] = value;
  }
  return { positionals, options };
}

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
  const n = text === true || !/^\d+$/.test(text) ? NaN : Number(text);
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
