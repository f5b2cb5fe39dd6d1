// How a verb is declared: its name, who may issue it, a summary, its typed arguments and flags,
// and the function that applies it. The parser, the command reference, Tab completion and help
// all read these declarations; the argument object `apply` receives is typed from them, so a
// misspelt argument name fails to compile.
import type { EventSink } from '../events.js';
import type { World } from '../types.js';

export type FlagValue = string | number | boolean;

/** A parsed command: its verb, arguments and flags by name, as parse.ts read them from the text. */
export interface Command {
  verb: string;
  args: Record<string, string | number>;
  flags: Record<string, FlagValue>;
  /** The command as written, normalised to single spaces. */
  text: string;
}

export type ArgKind =
  | 'instance'
  | 'volume'
  | 'snapshot'
  | 'host'
  | 'zone'
  | 'instance-type'
  | 'volume-type'
  | 'security-group'
  | 'allocation'
  | 'placement-group'
  | 'subnet'
  | 'route-table'
  | 'network-acl'
  | 'nat-gateway'
  | 'network-interface'
  | 'incident'
  | 'workload'
  | 'word'
  | 'ports'
  | 'cidr'
  | 'text'
  | 'int'
  | 'number'
  | 'duration'
  | 'flag';

/** Who may issue a verb: players (world, game) or the scenario and instructors (fault). */
export type Scope = 'world' | 'game' | 'fault';

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly help: string;
  readonly values?: readonly string[];
  readonly required?: boolean;
  /** The range a number or duration (in seconds) must fall in: what the model can honour. */
  readonly range?: readonly [min: number, max: number];
  /** The longest free text (kind `text`) accepted, in characters. */
  readonly maxLength?: number;
}

/** A verb's declaration without its effect: what the parser, reference and completion read. */
export interface VerbSpec {
  readonly verb: string;
  readonly scope: Scope;
  readonly summary: string;
  readonly args: readonly ArgSpec[];
  readonly flags: readonly ArgSpec[];
}

/** The value an argument holds once parsed: a number, one of its allowed words, or text; `true` for a bare flag. */
export type ArgValue<A extends ArgSpec> = A extends { readonly kind: 'flag' }
  ? true
  : A extends { readonly values: readonly (infer V)[] }
    ? V
    : A extends { readonly kind: 'int' | 'number' | 'duration' }
      ? number
      : string;

type Required<F extends ArgSpec> = F extends { readonly required: true } ? F['name'] : never;
type Optional<F extends ArgSpec> = F extends { readonly required: true } ? never : F['name'];

/**
 * A verb's parsed input, by name: every positional argument and required flag, and each optional
 * flag when it was given. Derived from the declaration, so `input.insance` does not compile.
 */
export type VerbInput<S extends VerbSpec> = {
  readonly [A in S['args'][number] as A['name']]: ArgValue<A>;
} & { readonly [F in S['flags'][number] as Required<F>]: ArgValue<F> } & {
  readonly [F in S['flags'][number] as Optional<F>]?: ArgValue<F>;
};

/** The parsed input of a group of flags several verbs share, for a function that reads just those. */
export type FlagInput<F extends readonly ArgSpec[]> = VerbInput<{
  verb: string;
  scope: Scope;
  summary: string;
  args: readonly [];
  flags: F;
}>;

/** Applies a parsed command to the world, refusing (CommandError) before it changes anything. */
export type Apply<S extends VerbSpec> = (world: World, input: VerbInput<S>, events: EventSink) => void;

/** A world or fault verb: its declaration and its effect. */
export interface WorldVerb<S extends VerbSpec = VerbSpec> extends VerbSpec {
  readonly apply: Apply<S>;
}

/**
 * Declares a verb the world applies. `const` keeps the argument names and allowed values literal,
 * so `apply`'s input is typed from them.
 */
export function worldVerb<const S extends VerbSpec & { readonly scope: 'world' | 'fault' }>(
  spec: S,
  apply: Apply<S>,
): S & WorldVerb {
  return { ...spec, apply: apply as unknown as Apply<VerbSpec> };
}

/** Declares a verb the game session answers (its effect lives with the session, which owns what it changes). */
export function gameVerb<const S extends VerbSpec & { readonly scope: 'game' }>(spec: S): S {
  return spec;
}

/** A range as people read it: `1-65,536`, a duration's in seconds. */
export function rangeText(arg: ArgSpec): string | null {
  if (!arg.range) return null;
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return `${n(arg.range[0])}-${n(arg.range[1])}${arg.kind === 'duration' ? ' s' : ''}`;
}

/** The bounded arguments of a verb, e.g. `--count 1-100, --size 1-65,536`; null when it has none. */
export function ranges(spec: VerbSpec): string | null {
  const bounded = [
    ...spec.args.map((a) => [`<${a.name}>`, a] as const),
    ...spec.flags.map((f) => [`--${f.name}`, f] as const),
  ].filter(([, a]) => a.range);
  return bounded.length ? bounded.map(([name, a]) => `${name} ${rangeText(a)}`).join(', ') : null;
}

/** Kinds whose usage shows the flag's own name (`--cidr CIDR`), not the kind's. */
const WORDS: ReadonlySet<ArgKind> = new Set(['word', 'ports', 'cidr']);

/** One line of usage, e.g. `stop <instance> [--force] [--hibernate]`. */
export function usage(spec: VerbSpec): string {
  const args = spec.args.map((a) => `<${a.name}>`);
  const flags = spec.flags.map((f) => {
    const text =
      f.kind === 'flag'
        ? `--${f.name}`
        : `--${f.name} ${f.values ? f.values.join('|') : WORDS.has(f.kind) ? f.name.toUpperCase() : f.kind.toUpperCase()}`;
    return f.required ? text : `[${text}]`;
  });
  return [spec.verb, ...args, ...flags].join(' ');
}
