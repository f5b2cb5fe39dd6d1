// Every verb of the one command language, gathered from the modules that declare them (one per
// area under verbs/). The parser, the command reference, completion and help read this list; a
// new verb is declared in its area's module and appears everywhere.
import { refuse } from '../errors.js';
import type { EventSink } from '../events.js';
import type { World } from '../types.js';
import type { Command } from './spec.js';
import type { VerbInput, VerbSpec, WorldVerb } from './spec.js';
import { ADDRESS_VERBS } from './verbs/addresses.js';
import { FAULT_VERBS } from './verbs/faults.js';
import { INSTANCE_VERBS } from './verbs/instances.js';
import { INTERFACE_VERBS } from './verbs/interfaces.js';
import { PLACEMENT_VERBS } from './verbs/placement.js';
import { SECURITY_GROUP_VERBS } from './verbs/security-groups.js';
import { GAME_VERBS } from './verbs/session.js';
import { VOLUME_VERBS } from './verbs/volumes.js';
import { VPC_VERBS } from './verbs/vpc.js';

/** The verbs the world applies, players' first, then the scenario's. */
const WORLD_VERBS = [
  ...INSTANCE_VERBS,
  ...VOLUME_VERBS,
  ...ADDRESS_VERBS,
  ...PLACEMENT_VERBS,
  ...SECURITY_GROUP_VERBS,
  ...INTERFACE_VERBS,
  ...VPC_VERBS,
];

/** A parsed command's arguments and flags as one object, by name, the shape `apply` is typed with. */
const inputOf = (cmd: Command): Record<string, string | number | boolean> => ({ ...cmd.args, ...cmd.flags });

const ALL_VERBS = [...WORLD_VERBS, ...GAME_VERBS, ...FAULT_VERBS];

/** Every verb, in the order the command reference lists them. */
export const VERBS: readonly VerbSpec[] = ALL_VERBS;

export type VerbName = (typeof ALL_VERBS)[number]['verb'];

/** A verb's parsed input, typed from its declaration: `CommandInput<'stop'>['force']` is `true | undefined`. */
export type CommandInput<V extends VerbName> = VerbInput<Extract<(typeof ALL_VERBS)[number], { verb: V }>>;

/**
 * A recorded command's input read as `verb`'s, typed from its declaration; null when the command
 * is another verb. For readers of the log (reports), so a misspelt argument does not compile.
 */
export function commandInput<V extends VerbName>(cmd: Command, verb: V): CommandInput<V> | null {
  return cmd.verb === verb ? (inputOf(cmd) as CommandInput<V>) : null;
}

export const VERB_TABLE: ReadonlyMap<string, VerbSpec> = new Map(VERBS.map((v) => [v.verb, v]));

const APPLIED: ReadonlyMap<string, WorldVerb> = new Map<string, WorldVerb>(
  [...WORLD_VERBS, ...FAULT_VERBS].map((v) => [v.verb, v]),
);

/** Applies a world or fault command; game commands belong to the session and never come here. */
export function applyCommand(world: World, cmd: Command, events: EventSink): void {
  const verb = APPLIED.get(cmd.verb);
  if (!verb) refuse('InvalidCommand', `${cmd.verb} is not a command the world applies`);
  verb.apply(world, inputOf(cmd) as VerbInput<VerbSpec>, events);
}

export type GameVerbName = (typeof GAME_VERBS)[number]['verb'];

/** A game verb's parsed input, typed from its declaration. */
export type GameVerbInput<V extends GameVerbName> = VerbInput<Extract<(typeof GAME_VERBS)[number], { verb: V }>>;

/** How a session answers each game verb: null when done, else the reason it is refused. */
export type GameVerbHandlers<Context extends unknown[]> = {
  readonly [V in GameVerbName]: (input: GameVerbInput<V>, ...context: Context) => string | null;
};

/** Answers a game command with its handler; null when done, else why it was refused. */
export function answerGameVerb<Context extends unknown[]>(
  handlers: GameVerbHandlers<Context>,
  cmd: Command,
  ...context: Context
): string | null {
  const handler = handlers[cmd.verb as GameVerbName] as
    ((input: unknown, ...context: Context) => string | null) | undefined;
  if (!handler) refuse('InvalidCommand', `${cmd.verb} is not a game command`);
  return handler(inputOf(cmd), ...context);
}
