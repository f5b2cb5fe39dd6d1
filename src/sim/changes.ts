// What the per-tick systems derive from the world (who is mid-transition, which members serve a
// workload, what the fleet is billed per second) changes only when an instance, volume or snapshot
// is written. So every mutator marks what it writes, where it writes it (Screeps' bulk.update): the
// world keeps a journal of the entities marked, and each kind of derived data brings itself up to
// date by looking again at just those: a second's work is proportional to what changed in it, not
// to the size of the fleet. Events play no part: a write no event names (an Elastic IP moved off
// an instance) is marked all the same. A change that reaches across the fleet (a security group's
// rules, a workload's demand) has everything drawn up afresh.
// The journal and its readers' places are the world's derived data (see derived.ts): a world
// restored from JSON starts with none.
import { derived, derivedKind, keep, peek, type DerivedKind } from './derived.js';
import type { AvailabilityZone, Instance, Snapshot, Volume, World } from './types.js';

const INSTANCE = 0;
const VOLUME = 1;
const SNAPSHOT = 2;
const ZONE = 3;
const SPOT_SIGNAL = 4;
const REACH = 5;
const CHECKS = 6;

type Entity = Instance | Volume | Snapshot | AvailabilityZone;

interface Journal {
  kinds: number[];
  entities: Entity[];
  /** The position of `entities[0]` since the world was made. */
  base: number;
  /** Where the journal stood when it was last trimmed: entries before it are dropped at the next trim. */
  mark: number;
  /**
   * The last span read and what it held: the readers of a second read the same span one after
   * another, and a fleet-wide event puts tens of thousands of entries in it.
   */
  lastRead: { from: number; to: number; touched: Gathered; inFleetOrder?: readonly Instance[] } | null;
  /**
   * Whether any reader has read since the journal began or everything was last touched. Until one
   * has, no reader can use an entry (each draws its data up afresh on its first read), so none is
   * kept: building a region of a million instances leaves no journal of its writes behind.
   */
  read: boolean;
}

const JOURNAL = derivedKind<Journal>('journal', () => ({
  kinds: [],
  entities: [],
  base: 0,
  mark: 0,
  lastRead: null,
  read: false,
}));

const journalOf = (world: World): Journal => derived(world, JOURNAL);

const end = (journal: Journal) => journal.base + journal.entities.length;

function note(world: World, kind: number, entity: Entity): void {
  const journal = journalOf(world);
  if (!journal.read) return;
  journal.kinds.push(kind);
  journal.entities.push(entity);
}

export const touchInstance = (world: World, inst: Instance) => note(world, INSTANCE, inst);

/**
 * Only the Spot signals of an instance changed: a rebalance recommendation or an interruption
 * notice (`spot.rebalanceAt`, `noticeAt`, `interruptAt`, `action`). Its state, checks and I/O did
 * not, so the readers of those (the roster, the status checks) pass it by: a pool of ten thousand
 * instances at elevated risk rebuilds none of their units. See Touched.spotSignalsOnly.
 */
export const touchSpotSignals = (world: World, inst: Instance) => note(world, SPOT_SIGNAL, inst);
/**
 * Only whether clients' traffic reaches an instance may have changed: a rule added to or removed
 * from one of its security groups. Its state, checks, volumes and Spot signals did not, so every
 * reader but the roster (which asks who serves) passes it by: a rule on a group of tens of
 * thousands of instances looks again only at whether each still serves. See Touched.reachOnly.
 */
export const touchReach = (world: World, inst: Instance) => note(world, REACH, inst);
export const touchSnapshot = (world: World, snapshot: Snapshot) => note(world, SNAPSHOT, snapshot);

/**
 * Only the status checks of an instance changed (health.ts writes them, having looked at the
 * instance). Of the readers only those that read the checks look at it again: the roster, for
 * whether it is in service. See Touched.checked.
 */
export const touchChecks = (world: World, inst: Instance) => note(world, CHECKS, inst);

/**
 * A zone impaired or restored. Its instances are not touched one by one: the readers that read a
 * zone's state look at its instances when they find its mark, the status checks (see health.ts) and
 * the roster (whether the network reaches them); the rest have no use for them.
 */
export const touchZone = (world: World, zone: AvailabilityZone) => note(world, ZONE, zone);

/** A volume's change is also its instance's: the instance's checks and I/O depend on it. */
export function touchVolume(world: World, volume: Volume): void {
  note(world, VOLUME, volume);
  const inst = volume.attachment && world.instances[volume.attachment.instanceId];
  if (inst) touchInstance(world, inst);
}

/** Everything may have changed: all derived data is drawn up afresh. */
export function touchEverything(world: World): void {
  const journal = journalOf(world);
  journal.base = end(journal) + 1;
  journal.mark = journal.base;
  journal.kinds = [];
  journal.entities = [];
  journal.lastRead = null;
  journal.read = false;
}

/**
 * Drops entries that every per-tick reader has had a whole tick to read; called once a tick. A
 * reader that falls further behind draws its data up afresh.
 */
export function trimJournal(world: World): void {
  const journal = journalOf(world);
  const drop = journal.mark - journal.base;
  if (drop > 0) {
    journal.kinds.splice(0, drop);
    journal.entities.splice(0, drop);
    journal.base = journal.mark;
  }
  journal.mark = end(journal);
}

/**
 * Entities touched since some point: a table's entries among them may since have been removed.
 * Readers of the same span share one, so none may change it; and none may hold it past a touch,
 * since the span's next reader, reading on to a later end, has it grow in place.
 */
export interface Touched {
  instances: ReadonlySet<Instance>;
  /** Of `instances`, those touched only in their Spot signals (see touchSpotSignals). */
  spotSignalsOnly: ReadonlySet<Instance>;
  /** Of `instances`, those touched only in what reaches them (see touchReach). */
  reachOnly: ReadonlySet<Instance>;
  /**
   * Instances whose status checks alone were written (see touchChecks), in the order written; not
   * in `instances` for that (they may be there for another touch), and possibly listed twice. A
   * zone's outage changes the checks of tens of thousands of instances in one second, and most
   * readers have no use for them.
   */
  checked: readonly Instance[];
  volumes: ReadonlySet<Volume>;
  snapshots: ReadonlySet<Snapshot>;
  zones: ReadonlySet<AvailabilityZone>;
}

/** A span's Touched as the journal gathers it. */
type Gathered = {
  [K in keyof Touched]: Touched[K] extends ReadonlySet<infer E>
    ? Set<E>
    : Touched[K] extends readonly (infer E)[]
      ? E[]
      : never;
};

/** A reader of the journal: the key under which each world keeps where that reader has read it up to. */
export type Cursor = DerivedKind<number>;

/** A new reader, named for what reads; each reader holds its own. */
export function cursor(name: string): Cursor {
  return derivedKind<number>(name);
}

/**
 * What was touched since the reader last asked, moving its cursor on; null when it has never asked
 * or the journal no longer reaches back that far, so that everything must be looked at.
 */
export function touchedSince(world: World, reader: Cursor): Touched | null {
  const journal = journalOf(world);
  const from = peek(world, reader);
  keep(world, reader, end(journal));
  journal.read = true;
  if (from === undefined || from < journal.base) return null;
  const to = end(journal);
  const last = journal.lastRead;
  if (last && last.from === from && last.to === to) return last.touched;
  if (last && last.from === from && last.to < to) {
    // The same span, grown since (a fleet-wide event's instances touched again by the status
    // checks): what it held is taken on rather than gathered again.
    const grown = gather(world, journal, last.to, last.touched);
    if (!grown) last.inFleetOrder = undefined;
    last.to = to;
    return last.touched;
  }
  const touched: Gathered = {
    instances: new Set<Instance>(),
    spotSignalsOnly: new Set<Instance>(),
    reachOnly: new Set<Instance>(),
    checked: [],
    volumes: new Set<Volume>(),
    snapshots: new Set<Snapshot>(),
    zones: new Set<AvailabilityZone>(),
  };
  journal.lastRead = { from, to, touched };
  gather(world, journal, from, touched);
  return touched;
}

/**
 * Adds the journal's entries from position `from` on to `touched`; false when that adds an
 * instance to its instances or leaves one of them out of the table (their list in fleet order
 * no longer holds).
 */
function gather(world: World, journal: Journal, from: number, t: Gathered): boolean {
  let same = true;
  for (let i = from - journal.base; i < journal.entities.length; i++) {
    const kind = journal.kinds[i];
    const entity = journal.entities[i];
    if (kind === INSTANCE || kind === SPOT_SIGNAL || kind === REACH) {
      const inst = entity as Instance;
      if (same && (!t.instances.has(inst) || !isListed(world, inst))) same = false;
      // An instance touched in more than one way is looked at whole.
      if (kind === INSTANCE) {
        t.instances.add(inst);
        if (t.spotSignalsOnly.size) t.spotSignalsOnly.delete(inst);
        if (t.reachOnly.size) t.reachOnly.delete(inst);
      } else if (!t.instances.has(inst)) {
        t.instances.add(inst);
        (kind === SPOT_SIGNAL ? t.spotSignalsOnly : t.reachOnly).add(inst);
      } else if (kind === SPOT_SIGNAL ? t.reachOnly.has(inst) : t.spotSignalsOnly.has(inst)) {
        t.reachOnly.delete(inst);
        t.spotSignalsOnly.delete(inst);
      }
    } else if (kind === CHECKS) t.checked.push(entity as Instance);
    else if (kind === VOLUME) t.volumes.add(entity as Volume);
    else if (kind === SNAPSHOT) t.snapshots.add(entity as Snapshot);
    else t.zones.add(entity as AvailabilityZone);
  }
  return same;
}

/**
 * The touched instances whose own records may have changed: all but those touched only in what
 * reaches them (see touchReach), which only the roster looks at again.
 */
export function beyondReach(touched: Touched): ReadonlySet<Instance> {
  const only = touched.reachOnly;
  if (only.size === 0) return touched.instances;
  const rest = new Set<Instance>();
  if (only.size < touched.instances.size) for (const inst of touched.instances) if (!only.has(inst)) rest.add(inst);
  return rest;
}

/** True when the reader is up to date: nothing touched since it last asked. */
function current(world: World, reader: Cursor): boolean {
  return peek(world, reader) === end(journalOf(world));
}

/** Derived data of one kind, with the reader of the journal it has been brought up to date with. */
export interface DerivedSlot<T> {
  readonly value: DerivedKind<T>;
  readonly reader: Cursor;
}

export function derivedSlot<T>(name: string): DerivedSlot<T> {
  return Object.freeze({ value: derivedKind<T>(name), reader: cursor(name) });
}

/**
 * A value derived from the world and kept up to date: `update` looks again at what was touched
 * since, `build` draws it up from the whole world when there is no value yet or the journal no
 * longer reaches back to it. Both must arrive at the same value.
 */
export function maintained<T>(
  world: World,
  slot: DerivedSlot<T>,
  build: () => T,
  update: (value: T, touched: Touched) => void,
): T {
  const value = peek(world, slot.value);
  if (value !== undefined && current(world, slot.reader)) return value;
  const touched = touchedSince(world, slot.reader);
  if (value === undefined || touched === null) {
    return keep(world, slot.value, build());
  }
  update(value, touched);
  return value;
}

/** Instances in fleet order: the order they were launched in, which is also their table's. */
export const byLaunch = (a: Instance, b: Instance) => a.launchSeq - b.launchSeq;

/**
 * Whether an instance is still in its world's table. Only a terminated instance leaves it (an hour
 * after, see purge in instances.ts), so only for one of those is the table asked: a region's table
 * is large, and a look into it costs more than the rest of a touched instance's second.
 */
export function isListed(world: World, inst: Instance): boolean {
  return inst.state !== 'terminated' || world.instances[inst.id] === inst;
}

/**
 * Touched instances still in the table, in fleet order. For the instances of a span, drawn up once
 * for all its readers, who must not change the list: taking an instance out of the table touches
 * it, so the table cannot have lost one of them while the span stays the same.
 */
export function stillListed(world: World, instances: Iterable<Instance>): readonly Instance[] {
  const last = journalOf(world).lastRead;
  if (last && instances === last.touched.instances) {
    last.inFleetOrder ??= [...last.touched.instances].filter((inst) => isListed(world, inst)).sort(byLaunch);
    return last.inFleetOrder;
  }
  const listed: Instance[] = [];
  for (const inst of instances) if (isListed(world, inst)) listed.push(inst);
  return listed.sort(byLaunch);
}
