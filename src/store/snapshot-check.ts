// A save's snapshot is what `load --fast` restores as it is, without replaying a command. The
// save's hash vouches that nothing changed its world by accident, but a snapshot edited by hand
// (and its world hashed again) would be run as given: a field of the wrong kind or an id that
// names nothing stops a tick half-way, a sample without its figures turns the score into NaN, and
// a count of hints or of data lost rewrites the score. Before a snapshot is restored it is held to
// the schema of its type (snapshot-schema.json, made from the TypeScript types by `npm run
// schema`), to the forms, floors and times its fields keep, to the level and the save it belongs
// to, and its records to each other (world-integrity.ts).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Level } from '../game/level.js';
import type { SavedPlay } from '../game/replay.js';
import type { IncidentKind } from '../game/incidents.js';
import type { SessionSnapshot } from '../game/session.js';
import { CONTROL_IN_TEXT, escapeControls } from '../input/control.js';
import { ipToNumber, parseCidr, TICKS } from '../sim/index.js';
import schema from './snapshot-schema.json' with { type: 'json' };
import { worldProblem } from './world-integrity.js';

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

/**
 * What a snapshot holds that fleetops never writes: a number past MAX_MAGNITUDE or below zero,
 * text with a control character, a field of FORMATS not in its form, or a time of PAST past the
 * snapshot's own.
 */
type Unfit = { keys: string[]; what: 'number' | 'negative' | 'text' | 'future' | keyof typeof FORMATS };

/** Fields, by name, whose text or number has a form of its own, and the test of it. */
const FORMATS = {
  'an IPv4 CIDR block': { fields: ['cidr', 'destination'], fits: (v: unknown) => parseCidr(String(v)) !== null },
  'an IPv4 address': { fields: ['privateIp', 'publicIp'], fits: (v: unknown) => ipToNumber(String(v)) !== null },
  'a port from 0 to 65535': {
    fields: ['fromPort', 'toPort', 'port', 'egressPort'],
    fits: (v: unknown) => Number.isInteger(v) && (v as number) <= 65535,
  },
};

/** Fields, by name, that tell when something happened or was last read: none lies after the snapshot's tick. */
const PAST = [
  'tick',
  'stateSince',
  'healthSince',
  'launchedAt',
  'restartedAt',
  'createdAt',
  'startedAt',
  'billedSince',
  'systemFailingSince',
  'recoveries',
  'modificationStarts',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
];

/**
 * How far before the start an instance's state may date: one started at once is given the status
 * checks' first minute behind it (see launch in sim/instances.ts).
 */
const EARLIEST_STATE = -TICKS.statusChecksInitializing;

/** What a field of a given name must hold beyond the schema: a form, a time not ahead, a floor. */
interface Rule {
  form?: keyof typeof FORMATS;
  past?: true;
  floor?: number;
}
const RULES = new Map<string, Rule>();
for (const [form, { fields }] of Object.entries(FORMATS))
  for (const f of fields) RULES.set(f, { form: form as keyof typeof FORMATS });
for (const f of PAST) RULES.set(f, { past: true });
RULES.set('stateSince', { past: true, floor: EARLIEST_STATE });
// The Spot ledger's rounding residue (some 1e-11 below zero) after giving back interrupted first
// hours, as fleetops wrote it before the ledger was kept at zero or more: such a save, which no
// longer replays to its hash, is restored from its snapshot.
RULES.set('spotMicros', { floor: -1e-6 });

/**
 * The first such value in `value` (see Unfit), with the keys down to it; null when there is none.
 * One walk of the whole snapshot, which a large region makes millions of values long, with one
 * look into RULES per field. `rule` is that of the field `value` is found in; `now` the snapshot's
 * tick, null within what may lie ahead of it (the queue) or be signed (events' data: a refusal's
 * ticket is negative).
 */
function unfit(value: unknown, rule: Rule | undefined, now: number | null): Unfit | null {
  if (rule?.form && value !== null && now !== null && !FORMATS[rule.form].fits(value))
    return { keys: [], what: rule.form };
  if (typeof value === 'number') {
    if (Math.abs(value) > MAX_MAGNITUDE) return { keys: [], what: 'number' };
    if (now === null) return null;
    if (value < (rule?.floor ?? 0)) return { keys: [], what: 'negative' };
    return rule?.past && value > now ? { keys: [], what: 'future' } : null;
  }
  if (typeof value === 'string') return CONTROL_IN_TEXT.test(value) ? { keys: [], what: 'text' } : null;
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  // A list's items are held to the rule of the field holding the list.
  const list = Array.isArray(value);
  for (const k in record) {
    const found = unfit(record[k], list ? rule : RULES.get(k), k === 'queued' || k === 'events' ? null : now);
    if (found) {
      found.keys.push(k);
      return found;
    }
  }
  return null;
}

/** The line for what unfit found. */
const UNFIT: Record<Unfit['what'], string> = {
  number: `expected a number within ±${MAX_MAGNITUDE}`,
  negative: 'expected no less than 0',
  text: 'expected text without control characters, as fleetops keeps all it shows',
  future: "expected a time no later than the snapshot's own",
  ...(Object.fromEntries(Object.keys(FORMATS).map((form) => [form, `expected ${form}`])) as Record<
    keyof typeof FORMATS,
    string
  >),
};

/**
 * What an incident's subject names, by kind, where the tracker looks it up every second (a
 * workload's SLO, a zone's state); other kinds name what may since have gone (a volume deleted, an
 * instance purged an hour after it terminated), which the tracker allows for.
 */
const SUBJECT_OF: Partial<Record<IncidentKind, 'workloads' | 'zones' | 'hosts' | 'spotPools'>> = {
  'slo-burn': 'workloads',
  'zone-impaired': 'zones',
  'host-failure': 'hosts',
  'spot-interruption': 'spotPools',
};

/** The times an incident moves through after it is detected (see IncidentState). */
const LATER_TIMES = ['acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;

/**
 * Why the tracker's incidents cannot be, or null: each id given once, each subject naming what
 * its kind is about (SUBJECT_OF) and each workload one of the world's, an EBS saturation's
 * volumes (and no other kind's) listed at least once and each once, nothing acknowledged,
 * mitigated or resolved before it was detected, and resolved exactly when it has a time for it.
 */
function incidentProblem(snapshot: SessionSnapshot): string | null {
  const { world } = snapshot;
  const ids = new Set<string>();
  for (const [i, inc] of snapshot.tracker.incidents.entries()) {
    const at = `snapshot.tracker.incidents.${i}`;
    if (ids.has(inc.id)) return `${at}.id: expected an id no other incident has, got ${JSON.stringify(inc.id)}`;
    ids.add(inc.id);
    const table = SUBJECT_OF[inc.kind];
    const named =
      table === undefined ||
      (table === 'zones'
        ? world.zones.some((z) => z.zoneId === inc.subject)
        : Object.hasOwn(world[table], inc.subject));
    if (!named)
      return `${at}.subject: ${JSON.stringify(inc.subject).slice(0, 40)} names no ${table === 'zones' ? 'zone' : 'record'} of snapshot.world.${table}, as a ${inc.kind} incident's does`;
    const workload = [...(inc.workloads ?? []), ...Object.keys(inc.capacityAtOpen ?? {})].find(
      (w) => !Object.hasOwn(world.workloads, w),
    );
    if (workload !== undefined) return `${at}: ${JSON.stringify(workload).slice(0, 40)} names no workload of the world`;
    if (
      inc.volumes !== undefined &&
      (inc.kind !== 'ebs-saturation' || inc.volumes.length === 0 || new Set(inc.volumes).size < inc.volumes.length)
    )
      return `${at}.volumes: expected only on an ebs-saturation incident, listing at least one volume, each once`;
    const early = LATER_TIMES.find((t) => inc[t] !== null && inc[t] < inc.detectedAt);
    if (early) return `${at}.${early}: expected no earlier than detectedAt, ${inc.detectedAt}`;
    if ((inc.state === 'resolved') !== (inc.resolvedAt !== null))
      return `${at}.state: expected resolved exactly when resolvedAt is given`;
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
  const found = unfit(snapshot, undefined, snapshot.world.tick);
  const problem = found
    ? `${['snapshot', ...found.keys.reverse()].join('.')}: ${UNFIT[found.what]}`
    : (disagreement(snapshot, save, level) ?? worldProblem(snapshot.world, level) ?? incidentProblem(snapshot));
  return problem === null ? null : escapeControls(problem);
}
