// Tab completion for the `:` prompt, driven by the command grammar: verbs, then each verb's
// options, option values and arguments, with ids and Name tags from the running world.
import {
  INSTANCE_TYPES,
  vpcsOf,
  natGatewaysOf,
  TRACE_FORM,
  VERB_TABLE,
  VERBS,
  type ArgKind,
  type ArgSpec,
  rows,
  type World,
} from '../sim/index.js';
import { teaches, type Mode } from '../game/mode.js';
import { PROMPT_COMMANDS } from './prompt-commands.js';

export interface Completed {
  line: string;
  cursor: number;
  /** Every candidate for the word at the cursor; shown when there is more than one. */
  candidates: string[];
}

/** The words a kind of argument can take in this world. */
export type Candidates = (kind: ArgKind) => readonly string[];

/** Verbs a player may type: scenario (fault) verbs are not theirs. */
export const PLAYER_VERBS = [
  ...VERBS.filter((v) => v.scope !== 'fault').map((v) => v.verb),
  ...PROMPT_COMMANDS.flatMap((c) => c.words.filter((w) => w !== '?')),
];

/** The verbs a mode offers: an exam has no hints to ask for. */
export const playerVerbs = (mode: Mode): readonly string[] =>
  teaches(mode) ? PLAYER_VERBS : PLAYER_VERBS.filter((v) => v !== 'hint');

export function worldCandidates(world: World, incidentIds: () => readonly string[]): Candidates {
  const named = <T extends { id: string; name: string | null }>(
    table: readonly T[],
    live: (t: T) => boolean = () => true,
  ) => table.flatMap((t) => (!live(t) ? [] : t.name ? [t.id, t.name] : [t.id]));
  return (kind) => {
    switch (kind) {
      case 'instance':
        return named(rows(world, 'instances'), (i) => i.state !== 'terminated');
      case 'volume':
        return named(rows(world, 'volumes'));
      case 'snapshot':
        return Object.keys(world.snapshots);
      case 'host':
        return rows(world, 'hosts').map((h) => h.id);
      case 'zone':
        return world.zones.flatMap((z) => [z.name, z.zoneId]);
      case 'instance-type':
        return [...INSTANCE_TYPES.keys()];
      case 'security-group':
        return Object.values(world.securityGroups).map((g) => g.name);
      case 'allocation':
        return Object.keys(world.elasticIps);
      case 'placement-group':
        return Object.keys(world.placementGroups);
      case 'subnet':
        return named(vpcsOf(world).flatMap((v) => Object.values(v.subnets)));
      case 'route-table':
        return named(vpcsOf(world).flatMap((v) => Object.values(v.routeTables)));
      case 'network-acl':
        return named(vpcsOf(world).flatMap((v) => Object.values(v.networkAcls)));
      case 'nat-gateway':
        return named(vpcsOf(world).flatMap(natGatewaysOf), (n) => n.state !== 'deleted');
      case 'network-interface':
        return Object.keys(world.enis);
      case 'workload':
        return Object.keys(world.workloads);
      case 'incident':
        return incidentIds();
      default:
        return [];
    }
  };
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** What the word being typed could be, given the words before it. */
function optionsFor(
  before: readonly string[],
  word: string,
  candidates: Candidates,
  verbs: readonly string[],
): readonly string[] {
  if (before.length === 0) return verbs;
  const spec = VERB_TABLE.get(before[0]!) ?? (before[0] === TRACE_FORM.verb ? TRACE_FORM : undefined);
  if (!spec) return [];
  const used = new Set<string>();
  let positional = 0;
  let pending: ArgSpec | null = null;
  for (const token of before.slice(1)) {
    if (pending) {
      pending = null;
      continue;
    }
    if (token.startsWith('--')) {
      const [name, inline] = token.slice(2).split('=', 2);
      used.add(name!);
      const flag = spec.flags.find((f) => f.name === name);
      if (flag && flag.kind !== 'flag' && inline === undefined) pending = flag;
    } else positional += 1;
  }
  const values = (arg: ArgSpec) => arg.values ?? candidates(arg.kind);
  if (pending) return values(pending);
  if (word.startsWith('--') || positional >= spec.args.length) {
    return spec.flags.filter((f) => !used.has(f.name)).map((f) => `--${f.name}`);
  }
  return values(spec.args[positional]!);
}

/**
 * Completes the word before the cursor: fully when one candidate fits, else to their common prefix.
 * `verbs`: the first words on offer (playerVerbs of the play's mode).
 */
export function complete(line: string, cursor: number, candidates: Candidates, verbs: readonly string[]): Completed {
  const head = line.slice(0, cursor);
  const start = head.search(/\S*$/);
  const word = head.slice(start);
  const before = head.slice(0, start).split(/\s+/).filter(Boolean);
  const matches = [...new Set(optionsFor(before, word, candidates, verbs))].filter((c) => c.startsWith(word)).sort();
  if (matches.length === 0) return { line, cursor, candidates: [] };
  const insert = matches.length === 1 ? `${matches[0]} ` : commonPrefix(matches);
  const tail = line.slice(cursor);
  const text = head.slice(0, start) + insert + (matches.length === 1 ? tail.replace(/^ /, '') : tail);
  return { line: text, cursor: start + insert.length, candidates: matches.length === 1 ? [] : matches };
}
