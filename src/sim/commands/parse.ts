// The one parser. It checks a command's shape (verb, arguments, flags and their kinds); whether
// the world allows it is decided when it is applied.
import { characterCount } from '../characters.js';
import { parseCidr, parsePortRange } from '../cidr.js';
import { parseDuration } from './duration.js';
import { quoted } from './echo.js';
import { VERB_TABLE, VERBS } from './registry.js';
import { rangeText, usage, type ArgSpec, type Command, type FlagValue, type VerbSpec } from './spec.js';

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}

/** Splits on white space; double or single quotes keep spaces (or the other quote) inside one word. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|([^\s"']+)|(["'])/g;
  for (const m of line.matchAll(re)) {
    if (m[4]) throw new ParseError(`unclosed ${m[4]} quote`);
    tokens.push(m[1] ?? m[2] ?? m[3]!);
  }
  return tokens;
}

/** A word as it must be written to read back as itself. */
function quote(word: string): string {
  if (word !== '' && !/[\s"']/.test(word)) return word;
  return word.includes('"') ? `'${word}'` : `"${word}"`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** ` (did you mean stop?)` when one of `options` is within three edits of `word`, else nothing. */
export function didYouMean(word: string, options: readonly string[]): string {
  const best = options.map((o) => [o, distance(word, o)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? ` (did you mean ${best[0]}?)` : '';
}

function convert(spec: VerbSpec, arg: ArgSpec, raw: string, what: string): string | number {
  const value = convertKind(spec, arg, raw, what);
  if (arg.range && typeof value === 'number' && !(value >= arg.range[0] && value <= arg.range[1])) {
    throw new ParseError(`${spec.verb}: ${what} must be ${rangeText(arg)}, not ${quoted(raw)}`);
  }
  return value;
}

function convertKind(spec: VerbSpec, arg: ArgSpec, raw: string, what: string): string | number {
  if (arg.values && !arg.values.includes(raw))
    throw new ParseError(`${spec.verb}: ${what} must be one of ${arg.values.join(', ')}, not ${quoted(raw)}`);
  switch (arg.kind) {
    case 'int':
      // Written as numbers are, without leading zeros (`00005`).
      if (!/^-?(0|[1-9]\d*)$/.test(raw))
        throw new ParseError(`${spec.verb}: ${what} expects a whole number, got ${quoted(raw)}`);
      return Number(raw);
    case 'number':
      if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(raw))
        throw new ParseError(`${spec.verb}: ${what} expects a number, got ${quoted(raw)}`);
      return Number(raw);
    case 'duration': {
      const seconds = parseDuration(raw);
      if (seconds === null)
        throw new ParseError(
          `${spec.verb}: ${what} expects a duration like 90s, 5m, 1h30m or 02:30, got ${quoted(raw)}`,
        );
      return seconds;
    }
    case 'ports':
      if (!parsePortRange(raw))
        throw new ParseError(
          `${spec.verb}: ${what} expects a port or range within 0-65535, such as 443 or 8000-8100, got ${quoted(raw)}`,
        );
      return raw;
    case 'cidr':
      if (!parseCidr(raw))
        throw new ParseError(`${spec.verb}: ${what} expects an IPv4 range such as 0.0.0.0/0, got ${quoted(raw)}`);
      return raw;
    default:
      return raw;
  }
}

/**
 * A verb whose one argument is free text (`note`) takes the rest of the line as written, with
 * runs of white space made single: quotes and `--` in it are words, not syntax.
 */
function parseFreeText(spec: VerbSpec, rest: string): Command {
  const arg = spec.args[0]!;
  const text = rest.trim().split(/\s+/).join(' ');
  if (text === '') throw new ParseError(`${spec.verb}: missing <${arg.name}> (${arg.help}); usage: ${usage(spec)}`);
  if (arg.maxLength !== undefined && characterCount(text) > arg.maxLength)
    throw new ParseError(
      `${spec.verb}: the ${arg.name} is ${characterCount(text).toLocaleString('en-US')} characters; at most ${arg.maxLength.toLocaleString('en-US')} fit`,
    );
  return { verb: spec.verb, args: { [arg.name]: text }, flags: {}, text: `${spec.verb} ${text}` };
}

/**
 * Control characters (C0 with the tab and newline, DEL and C1), line and paragraph separators,
 * bidirectional controls, a byte-order mark and lone surrogates, as input/control.ts refuses them in what people give
 * fleetops elsewhere (the model imports nothing): a command is shown in the log, a summary and a
 * report, where they would move the terminal's cursor or reorder the text, and a saved command
 * must read back as it was given.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{d800}-\u{dfff}]/u;

/**
 * The first control character in `text` (see CONTROL) as a command's refusal names it, `holds
 * U+001B (a control character) at character 9`, or null when there is none; tabs are passed over
 * when `tabs` allows them.
 */
export function controlIn(text: string, tabs = false): string | null {
  for (const control of text.matchAll(EVERY_CONTROL)) {
    if (tabs && control[0] === '\t') continue;
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `holds U+${code} (a control character) at character ${control.index + 1}`;
  }
  return null;
}

const EVERY_CONTROL = new RegExp(CONTROL.source, 'gu');

/** The longest command line: room for any verb with all its flags and long names. */
export const MAX_COMMAND_CHARS = 1000;

/** Where a line was written, which decides where an unknown verb's reader is sent to find the verbs. */
export type LineOrigin = 'prompt' | 'elsewhere';

const VERBS_LISTED: Record<LineOrigin, string> = {
  // The dashboard's prompt answers `help`; a script, a level or a handler has only the command line.
  prompt: 'try help',
  elsewhere: 'fleetops commands lists them',
};

export function parseCommand(line: string, origin: LineOrigin = 'elsewhere'): Command {
  if (line.length > MAX_COMMAND_CHARS && characterCount(line) > MAX_COMMAND_CHARS)
    throw new ParseError(
      `a command of ${characterCount(line).toLocaleString('en-US')} characters; a command is at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')}`,
    );
  const control = controlIn(line.trim());
  if (control) throw new ParseError(`a command is one line of plain text; this one ${control}`);
  const [, first = '', afterVerb = ''] = /^\s*(\S*)(.*)$/s.exec(line)!;
  const freeText = VERB_TABLE.get(first);
  if (freeText?.args.length === 1 && freeText.args[0]!.kind === 'text') return parseFreeText(freeText, afterVerb);
  const tokens = tokenize(line.trim());
  if (tokens.length === 0) throw new ParseError('empty command');
  const [verb, ...rest] = tokens as [string, ...string[]];
  const spec = VERB_TABLE.get(verb);
  if (!spec)
    throw new ParseError(
      `unknown command '${verb}'${didYouMean(
        verb,
        VERBS.map((v) => v.verb),
      )}; ${VERBS_LISTED[origin]}`,
    );

  const positionals: string[] = [];
  const flags: Record<string, FlagValue> = {};
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = spec.flags.find((f) => f.name === name);
    if (!flag)
      throw new ParseError(
        `${verb}: unknown option --${name}${didYouMean(
          `--${name}`,
          spec.flags.map((f) => `--${f.name}`),
        )}; usage: ${usage(spec)}`,
      );
    if (name in flags) throw new ParseError(`${verb}: --${name} given twice`);
    if (flag.kind === 'flag') {
      if (inline !== undefined) throw new ParseError(`${verb}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new ParseError(`${verb}: --${name} needs a value (${flag.help})`);
    flags[name] = convert(spec, flag, value, `--${name}`);
  }
  if (positionals.length !== spec.args.length) {
    const missing = spec.args[positionals.length];
    const why = missing
      ? `missing <${missing.name}> (${missing.help})`
      : `too many arguments ('${positionals[spec.args.length]}')`;
    throw new ParseError(`${verb}: ${why}; usage: ${usage(spec)}`);
  }
  for (const f of spec.flags) {
    if (f.required && !(f.name in flags))
      throw new ParseError(`${verb}: --${f.name} is required (${f.help}); usage: ${usage(spec)}`);
  }
  const args: Record<string, string | number> = {};
  spec.args.forEach((a, i) => (args[a.name] = convert(spec, a, positionals[i]!, `<${a.name}>`)));
  if (tokens.some((t) => t.includes('"') && t.includes("'")))
    throw new ParseError(`a word cannot hold both ' and " quotes`);
  return { verb, args, flags, text: tokens.map(quote).join(' ') };
}
