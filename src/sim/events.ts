import type { EventData, EventLevel, Instance, SimEvent, World } from './types.js';

/** An event's message for the instances one cause reached in a second, in the order it reached them; given its data and subject (the cause). */
export type Describe = (instances: readonly Instance[], data: EventData | undefined, subject: string) => string;

/** Instances told together: their event, and what writes its message once they are all in. */
interface Group {
  readonly event: SimEvent;
  readonly data: EventData | undefined;
  readonly instances: Instance[];
  readonly describe: Describe;
  /** Figures added up over the instances (see emitFor's `summed`), null when there are none. */
  sums: Record<string, number> | null;
  /** Whether instances joined since the message was last written. */
  stale: boolean;
}

/** Collects the events of one tick, stamped with the tick it was opened on. */
export class EventLog {
  readonly #events: SimEvent[] = [];
  /** The groups of this second by kind (see emitFor). */
  #groups: Map<string, Group[]> | null = null;
  #stale: Group[] = [];
  #last: Group | null = null;

  constructor(readonly tick: number) {}

  /** The events so far, in the order they were emitted; a group's message says who is in it by now. */
  get events(): SimEvent[] {
    if (this.#stale.length > 0) this.#describeStale();
    return this.#events;
  }

  /**
   * Keeps an event. Its message is made flat at once: one built from parts is kept as a tree of
   * them until read whole, some twice the memory, and a log holds a hundred thousand. Its data is
   * written with the rest of the record and taken out again when there is none: a field added to
   * a finished record would cost a separate block of fields.
   */
  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    message.charCodeAt(0);
    const event: SimEvent = { tick: this.tick, kind, level, subject, message, data };
    if (!data) delete event.data;
    this.#events.push(event);
  }

  /**
   * Tells one instance's part in a cause that can reach thousands in a second (a Spot pool's
   * interruptions): the instances of one kind, subject (the cause) and data in a second are one
   * event, at the place of the first, listing them all in `instanceIds` and counting them in
   * `data.instances`; `describe` writes its message from them. AWS Health likewise tells one
   * operational issue with its affected resources; the record of each instance keeps its own detail.
   * `summed`: this instance's share of figures the event totals (the GB a host failure's instance
   * stores lost), added into its data under the same names, to one decimal place as the model
   * tells such quantities; they do not tell groups apart, as `data` does.
   */
  emitFor(
    kind: string,
    level: EventLevel,
    subject: string,
    instance: Instance,
    describe: Describe,
    data?: EventData,
    summed?: Readonly<Record<string, number>>,
  ): void {
    // A cause's instances come one after another: the group of the last call is looked at first.
    const last = this.#last;
    const group =
      last !== null && joins(last, kind, subject, data) ? last : this.#groupOf(kind, level, subject, describe, data);
    this.#last = group;
    group.instances.push(instance);
    if (summed) {
      const sums = (group.sums ??= {});
      for (const key in summed) sums[key] = (sums[key] ?? 0) + summed[key]!;
    }
    if (!group.stale) {
      group.stale = true;
      this.#stale.push(group);
    }
  }

  /**
   * Keeps one event telling several instances or volumes found together, listed in `ids` in the
   * order found (an alarm's members of one workload entering ALARM in the same minute); their count
   * goes into its data as `instances` or `volumes`.
   */
  emitListing(
    kind: string,
    level: EventLevel,
    subject: string,
    message: string,
    data: EventData,
    listed: 'instances' | 'volumes',
    ids: readonly string[],
  ): void {
    message.charCodeAt(0);
    const event: SimEvent = { tick: this.tick, kind, level, subject, message, data: { ...data, [listed]: ids.length } };
    if (listed === 'instances') event.instanceIds = ids;
    else event.volumeIds = ids;
    this.#events.push(event);
  }

  /** The group of this second for a kind, subject and data: the one begun already, else a new one with its event in the log. */
  #groupOf(kind: string, level: EventLevel, subject: string, describe: Describe, data: EventData | undefined): Group {
    const groups = (this.#groups ??= new Map<string, Group[]>());
    let ofKind = groups.get(kind);
    if (!ofKind) groups.set(kind, (ofKind = []));
    const found = ofKind.find((g) => joins(g, kind, subject, data));
    if (found) return found;
    const event: SimEvent = { tick: this.tick, kind, level, subject, message: '', data, instanceIds: [] };
    this.#events.push(event);
    const group: Group = { event, data, instances: [], describe, sums: null, stale: false };
    ofKind.push(group);
    return group;
  }

  #describeStale(): void {
    for (const group of this.#stale) {
      const { event, instances } = group;
      const data = group.sums ? { ...group.data, ...tenths(group.sums) } : group.data;
      const message = group.describe(instances, data, event.subject);
      message.charCodeAt(0);
      event.message = message;
      event.data = { ...data, instances: instances.length };
      event.instanceIds = instances.map((i) => i.id);
      group.stale = false;
    }
    this.#stale = [];
  }
}

/** Each of `sums` to one decimal place: added-up tenths carry binary fractions (0.1 + 0.2). */
function tenths(sums: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key in sums) out[key] = Math.round(sums[key]! * 10) / 10;
  return out;
}

/** Whether an instance told with this kind, subject and data belongs in `group`. */
function joins(group: Group, kind: string, subject: string, data: EventData | undefined): boolean {
  return group.event.kind === kind && group.event.subject === subject && sameData(group.data, data);
}

function sameData(a: EventData | undefined, b: EventData | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let keys = 0;
  for (const k in a) {
    if (!Object.hasOwn(b, k) || a[k] !== b[k]) return false;
    keys++;
  }
  for (const _ in b) keys--;
  return keys === 0;
}

/** Whether an event tells a command's outcome: applied or refused. */
export const isOutcome = (e: SimEvent) => e.kind === 'command-applied' || e.kind === 'command-refused';

/**
 * `events` (a session's, in the order emitted) as a log reads: each command's outcome ahead of the
 * events it caused. A command's events come before its outcome, which is known only once they are
 * told: within a second, those since the tick began or since the previous command's outcome (see
 * applyNow in step.ts). A new list; the events are the same objects.
 */
export function commandsFirst(events: readonly SimEvent[]): SimEvent[] {
  const out: SimEvent[] = [];
  // The events since the tick began or the last outcome: a command's, if one is told next.
  let held: SimEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (i > 0 && e.tick !== events[i - 1]!.tick) held = flush(out, held);
    if (!isOutcome(e)) held.push(e);
    else {
      out.push(e);
      held = flush(out, held);
    }
  }
  flush(out, held);
  return out;
}

/** Appends `held` to `out`; an empty list to hold the next ones in. */
function flush(out: SimEvent[], held: SimEvent[]): SimEvent[] {
  for (const e of held) out.push(e);
  return [];
}

/** The instances or volumes an event tells together (see EventLog.emitFor and emitListing), or undefined for one about its subject alone. */
export const listedIn = (e: SimEvent): readonly string[] | undefined => e.instanceIds ?? e.volumeIds;

/** What an event is about: the instances or volumes it tells together, else its subject alone. */
export function subjectsOf(e: SimEvent): readonly string[] {
  return listedIn(e) ?? [e.subject];
}

/** Whether an event is about `id`: its subject, or one of the instances or volumes it tells together. */
export function concerns(e: SimEvent, id: string): boolean {
  return e.subject === id || (listedIn(e)?.includes(id) ?? false);
}

/** Whether an event is about any of `ids`: its subject, or one of the instances or volumes it tells together. */
export function concernsAny(e: SimEvent, ids: ReadonlySet<string>): boolean {
  return ids.has(e.subject) || (listedIn(e)?.some((id) => ids.has(id)) ?? false);
}

/**
 * The model's systems report here, stamped with the world's tick. What a system writes it marks
 * where it writes (see changes.ts), not through its events: `world` is there for mutators that are
 * handed only the sink.
 */
export class EventSink extends EventLog {
  constructor(readonly world: World) {
    super(world.tick);
  }
}
