// A save's snapshot is what `load --fast` restores as it is, without replaying a command. The
// save's hash vouches that nothing changed its world by accident, but a snapshot edited by hand
// (and its world hashed again) would be run as given: a field of the wrong kind or an id that
// names nothing stops a tick half-way, a sample without its figures turns the score into NaN, and
// a count of hints or of data lost rewrites the score. Before a snapshot is restored it is held to
// the schema of its type (snapshot-schema.json, made from the TypeScript types by `npm run
// schema`), to the level and the save it belongs to, and every id one record gives of another to
// its table.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Level } from '../game/level.js';
import type { SavedPlay } from '../game/replay.js';
import type { SessionSnapshot } from '../game/session.js';
import { CONTROL_IN_TEXT, escapeControls } from '../input/control.js';
import { instanceType, type Instance, type World } from '../sim/index.js';
import schema from './snapshot-schema.json' with { type: 'json' };

type Records = Record<string, Record<string, unknown>>;

/** Where a reference may point: one of the world's tables, its zones, or the instance-type catalogue. */
type Target = 'zones' | 'catalogue' | Exclude<keyof World, 'zones'>;

/**
 * The ids one record gives of another: the table, the field (a dotted path; `[]` for a list of
 * ids), and what it names. A null id names nothing, where the type allows one. A terminated
 * instance keeps the ids of its host, interface and root volume, which may be gone; a snapshot's
 * `volumeId` is left out, as a snapshot outlives the volume it was taken of.
 */
const REFERENCES: readonly [table: keyof World, field: string, target: Target][] = [
  ['racks', 'zoneId', 'zones'],
  ['racks', 'hostIds[]', 'hosts'],
  ['hosts', 'rackId', 'racks'],
  ['hosts', 'zoneId', 'zones'],
  ['hosts', 'instanceIds[]', 'instances'],
  ['instances', 'type', 'catalogue'],
  ['instances', 'zoneId', 'zones'],
  ['instances', 'hostId', 'hosts'],
  ['instances', 'eniId', 'enis'],
  ['instances', 'rootVolumeId', 'volumes'],
  ['instances', 'placementGroup', 'placementGroups'],
  ['instances', 'workload', 'workloads'],
  ['instances', 'spot.poolKey', 'spotPools'],
  ['volumes', 'zoneId', 'zones'],
  ['volumes', 'attachment.instanceId', 'instances'],
  ['spotPools', 'zoneId', 'zones'],
  ['spotPools', 'type', 'catalogue'],
  ['enis', 'zoneId', 'zones'],
  ['enis', 'instanceId', 'instances'],
  ['enis', 'allocationId', 'elasticIps'],
  ['enis', 'securityGroupIds[]', 'securityGroups'],
  ['elasticIps', 'eniId', 'enis'],
];

/** The fields a terminated instance may keep naming what is gone. */
const LEFT_BY_TERMINATION = new Set(['hostId', 'eniId', 'rootVolumeId']);

/**
 * The largest magnitude of any number in a snapshot: a money figure in micro-dollars or a clock in
 * milliseconds stays far below it, and past it a double no longer holds every whole number.
 */
const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;

/** Compiled on first use, once per process: most runs never restore a snapshot. */
let validator: ValidateFunction | null = null;

const dotted = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));

/** The schema's complaint as `path: expected …, got …`, its path dotted as a save's fields are. */
function complaint(e: ErrorObject, snapshot: unknown): string {
  const keys = dotted(e.instancePath);
  const at = (...extra: string[]) => ['snapshot', ...keys, ...extra].join('.');
  const value = keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], snapshot);
  const got = value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 40);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at(String(p.missingProperty))}: expected a value, got nothing`;
    case 'additionalProperties':
      return `${at(String(p.additionalProperty))}: unknown field`;
    case 'enum':
      return `${at()}: expected one of ${(p.allowedValues as unknown[]).join(', ')}, got ${got}`;
    case 'const':
      return `${at()}: expected ${JSON.stringify(p.allowedValue)}, got ${got}`;
    case 'type':
      return `${at()}: expected ${[p.type].flat().join(' or ')}, got ${got}`;
    default:
      return `${at()}: ${e.message ?? 'not as fleetops writes it'}, got ${got}`;
  }
}

/** What a snapshot holds that fleetops never writes: a number past MAX_MAGNITUDE, or text with a control character. */
type Unfit = { keys: string[]; what: 'number' | 'text' };

/**
 * The first such value in `value` (see Unfit), with the keys down to it; null when there is none.
 * One walk of the whole snapshot, which a large region makes millions of values long.
 */
function unfit(value: unknown): Unfit | null {
  if (typeof value === 'number') return Math.abs(value) > MAX_MAGNITUDE ? { keys: [], what: 'number' } : null;
  if (typeof value === 'string') return CONTROL_IN_TEXT.test(value) ? { keys: [], what: 'text' } : null;
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const found = unfit(record[key]);
    if (found) {
      found.keys.push(key);
      return found;
    }
  }
  return null;
}

/** One of REFERENCES, its field split into keys (see idsAt). */
interface Reference {
  field: string;
  keys: string[];
  list: boolean;
  target: Target;
  /** A terminated instance may keep naming what is gone (see LEFT_BY_TERMINATION). */
  leftByTermination: boolean;
}

/** REFERENCES by table: a table is walked once for all its references. */
const REFERENCES_BY_TABLE = new Map<keyof World, Reference[]>();
for (const [table, field, target] of REFERENCES) {
  const plain = field.replace('[]', '');
  const ref: Reference = {
    field: plain,
    keys: plain.split('.'),
    list: field.endsWith('[]'),
    target,
    leftByTermination: table === 'instances' && LEFT_BY_TERMINATION.has(field),
  };
  REFERENCES_BY_TABLE.set(table, [...(REFERENCES_BY_TABLE.get(table) ?? []), ref]);
}

/** The ids at `keys` of one record (see REFERENCES): none when absent or null. */
function idsAt(record: Record<string, unknown>, keys: readonly string[], list: boolean): readonly unknown[] {
  let value: unknown = record;
  for (const key of keys) {
    if (value === null || value === undefined) return [];
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined) return [];
  return list ? (value as unknown[]) : [value];
}

/** The first id of `world` that names nothing (see REFERENCES), as a line, or null. */
function danglingId(world: World): string | null {
  const tables = world as unknown as Records;
  const zones = new Set(world.zones.map((z) => z.zoneId));
  const has = (target: Target, id: unknown): boolean => {
    if (typeof id !== 'string') return false;
    if (target === 'zones') return zones.has(id);
    if (target === 'catalogue') return instanceType(id) !== undefined;
    return Object.hasOwn(tables[target] as Records, id);
  };
  const named = (target: Target) =>
    target === 'catalogue'
      ? 'instance type fleetops knows'
      : target === 'zones'
        ? 'zone of snapshot.world.zones'
        : `record of snapshot.world.${target}`;
  for (const [table, refs] of REFERENCES_BY_TABLE) {
    const records = tables[table] as Records;
    for (const id in records) {
      const record = records[id]!;
      const terminated = (record as unknown as Instance).state === 'terminated';
      for (const ref of refs) {
        if (terminated && ref.leftByTermination) continue;
        const missing = idsAt(record, ref.keys, ref.list).find((x) => !has(ref.target, x));
        if (missing !== undefined)
          return `snapshot.world.${table}.${id}.${ref.field}: ${JSON.stringify(missing).slice(0, 40)} names no ${named(ref.target)}`;
      }
    }
  }
  return null;
}

/** What the snapshot says that its level and save already settle, told apart where it differs. */
function disagreement(snapshot: SessionSnapshot, save: SavedPlay, level: Level): string | null {
  // The seed and the tick are the save's own to check (see snapshotMismatch in game/replay.ts).
  const { world } = snapshot;
  if (world.epochMs !== level.world.epochMs)
    return `snapshot.world.epochMs: expected ${level.world.epochMs}, the level's start`;
  const hints = save.mode === 'exam' ? 0 : level.hints.length;
  if (!Number.isInteger(snapshot.hintsUsed) || snapshot.hintsUsed < 0 || snapshot.hintsUsed > hints)
    return `snapshot.hintsUsed: expected a whole number from 0 to ${hints} (the level's hints, none in an exam)`;
  if (snapshot.unavoidableDataLostGB > snapshot.dataLostGB)
    return 'snapshot.unavoidableDataLostGB: expected no more than snapshot.dataLostGB, of which it is a part';
  return null;
}

/**
 * Why the snapshot of `save` (a play of `level`) is not one fleetops wrote, as one line naming the
 * field and what was expected there; null when it is. Checked: the schema of SessionSnapshot,
 * numbers within MAX_MAGNITUDE, text without control characters, what the level and the save settle, and the ids of REFERENCES.
 */
export function snapshotProblem(save: SavedPlay, level: Level): string | null {
  const snapshot = save.snapshot;
  if (!snapshot) return null;
  validator ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(schema);
  if (!validator(snapshot)) return escapeControls(complaint(validator.errors![0]!, snapshot));
  const found = unfit(snapshot);
  const at = found && ['snapshot', ...found.keys.reverse()].join('.');
  const problem =
    found?.what === 'number'
      ? `${at}: expected a number within ±${MAX_MAGNITUDE}`
      : found?.what === 'text'
        ? `${at}: expected text without control characters, as fleetops keeps all it shows`
        : (disagreement(snapshot, save, level) ?? danglingId(snapshot.world));
  return problem === null ? null : escapeControls(problem);
}
