// Action items from the run: the follow-ups each kind of incident calls for, less those the run
// shows were already in place, plus one for each thing a responder's command made worse. Each has
// a kind (prevent, detect, mitigate), a priority and the role best placed to own it.
import { saturatedVolumes, type Incident, type IncidentKind } from '../game/incidents.js';
import type { Session } from '../game/session.js';
import { firstFew, instanceType, spotPoolKey, subjectsOf } from '../sim/index.js';
import { incidentWorkloads, type Analysis, type FindingKind, type Trigger } from './causes.js';
import type { HarmOutside, StretchEffect } from './harm-outside.js';
import type { SurgeCapacityKept } from './surge-capacity.js';
import type { Moment } from './time.js';
import kindsData from './data/incident-kinds.json' with { type: 'json' };

export type ItemKind = 'prevent' | 'detect' | 'mitigate';
/** P1: this run's customer impact came through the gap; P2: it would have shortened this run's incident; P3: good practice the run touched on. */
export type Priority = 'P1' | 'P2' | 'P3';

export interface ActionItem {
  id: string;
  text: string;
  kind: ItemKind;
  priority: Priority;
  owner: string;
  /** The incidents it follows from; none for one that follows from a Trusted Advisor check alone. */
  incidents: string[];
  /** The Trusted Advisor check it follows from (`Amazon EBS Snapshots`), for one no incident called for. */
  advisorCheck?: string;
  /** The harm no incident covered that it follows from, by workload and start (`web at 11:04:10`; see harm-outside.ts). */
  outside?: string[];
  /** For an item that follows from the fleet's cost over its budget alone. */
  overBudget?: true;
}

interface ItemSpec {
  id: string;
  kind: ItemKind;
  owner: string;
  text: string;
  doneWhen?: DoneCheck;
  /** Suggested only for an incident set off by this (see Trigger); all are, where the run does not say. */
  when?: Exclude<Trigger, null>;
}

type DoneCheck = keyof typeof DONE;

const DATA = kindsData as unknown as {
  kinds: Record<
    IncidentKind,
    {
      rootCause: string;
      rootCauseBy?: Partial<Record<Exclude<Trigger, null> | 'latency', string>>;
      actionItems: ItemSpec[];
    }
  >;
  findings: Record<Exclude<FindingKind, 'acted-on-notice'>, ItemSpec>;
  advisor: Record<'snapshot-missing', ItemSpec & { check: string }>;
  outside: Record<'surge', ItemSpec>;
  cost: Record<'surge-capacity-kept', ItemSpec>;
};

/** A burn's own item on its alarm, which harm under a burn's rate calls for alike. */
const BURN_RATE_ALARM = DATA.kinds['slo-burn'].actionItems.find((i) => i.id === 'burn-rate-alarm')!;

/**
 * The root cause each kind of incident has in EC2's terms, worded for what held an EBS volume back
 * where the incident kept it, and for a burn that opened on slowness, with {subject}, {volume} and {scheduled} filled in.
 */
export function baseCause(inc: Incident): string {
  const kind = DATA.kinds[inc.kind];
  const by = inc.limitedBy ?? inc.burnedBy;
  const text = (by && kind.rootCauseBy?.[by]) ?? kind.rootCause;
  return text
    .replaceAll('{subject}', inc.subject.replace('|', ' in '))
    .replaceAll('{volume}', volumePhrase(inc))
    .replaceAll('{scheduled}', scheduledPhrase(inc));
}

/**
 * What a scheduled event's incident is about: its instance, or a degraded host's instances, by the
 * Name tags they had: `i-0a1b… (db-1)`, `the 6 instances on degraded host use1-az1-r01-h01 (web-1, …)`.
 */
function scheduledPhrase(inc: Incident): string {
  const name = (id: string, i: number) => inc.instanceNames?.[i] ?? id;
  const [only] = inc.instances;
  if (inc.instances.length === 1) return inc.instanceNames?.[0] ? `${only} (${inc.instanceNames[0]})` : only!;
  return `the ${inc.instances.length} instances on degraded host ${inc.subject} (${firstFew(inc.instances, name)})`;
}

/** An EBS saturation's first volume, and how many more of its workload's joined it: `vol-1 (and 2 more of db's volumes, held back alike)`. */
function volumePhrase(inc: Incident): string {
  const [first, ...more] = saturatedVolumes(inc);
  if (!more.length) return first!;
  return `${first} (and ${more.length} more of ${inc.subject}'s volumes, held back alike)`;
}

const runningMembers = (session: Session, workload: string) =>
  Object.values(session.world.instances).filter((i) => i.workload === workload && i.state === 'running');

/** Checks of the run that show an item already done, by the name the data gives them. */
const DONE = {
  // Recovery was on for every instance it can move (see canAutoRecover). One purged since (an
  // hour after it terminated) cannot tell, and is not held against it.
  'recovery-on': (s: Session, inc: Incident) =>
    inc.instances.every((id) => {
      const inst = s.world.instances[id];
      return !inst || inst.autoRecovery || inst.instanceStore !== null || instanceType(inst.type)!.metal;
    }),
  'room-to-recover': (s: Session, inc: Incident) =>
    !s.events.some(
      (e) =>
        e.kind === 'instance-recovery-failed' &&
        e.data?.reason === 'capacity' &&
        subjectsOf(e).some((id) => inc.instances.includes(id)),
    ),
  'no-store-data': (s: Session, inc: Incident) => inc.instances.every((id) => !s.world.instances[id]?.instanceStore),
  'multi-zone': (s: Session, inc: Incident) => {
    const workloads = incidentWorkloads(s.world, inc);
    return workloads.length > 0 && workloads.every((w) => new Set(runningMembers(s, w).map((i) => i.zoneId)).size >= 2);
  },
  'handler-acted': (s: Session, inc: Incident) =>
    s.log.some((c) => c.source === 'handler' && c.tick >= inc.detectedAt && c.tick <= (inc.mitigatedAt ?? s.tick)),
  diversified: (s: Session, inc: Incident) => {
    const workloads = incidentWorkloads(s.world, inc);
    return (
      workloads.length > 0 &&
      workloads.every(
        (w) =>
          new Set(runningMembers(s, w).map((i) => (i.market === 'spot' ? spotPoolKey(i.type, i.zoneId) : 'on-demand')))
            .size >= 2,
      )
    );
  },
  'on-demand-baseline': (s: Session, inc: Incident) => {
    const workloads = incidentWorkloads(s.world, inc);
    return workloads.length > 0 && workloads.every((w) => runningMembers(s, w).some((i) => i.market === 'on-demand'));
  },
  // Every data volume the incident reached (one holding a stateful workload's data, not a root
  // disk) has a snapshot; so it is when it reached none, as a zone of web servers only.
  'snapshot-taken': (s: Session, inc: Incident) => {
    const snapped = new Set(Object.values(s.world.snapshots).map((snap) => snap.volumeId));
    const saturated = new Set(inc.volumes);
    return Object.values(s.world.volumes)
      .filter(
        (v) =>
          v.id === inc.subject ||
          saturated.has(v.id) ||
          (v.attachment && inc.instances.includes(v.attachment.instanceId)),
      )
      .every((v) => v.dataset === null || snapped.has(v.id));
  },
  'moved-before-event': (s: Session, inc: Incident) =>
    !s.events.some(
      (e) => e.kind === 'scheduled-event-started' && subjectsOf(e).some((id) => inc.instances.includes(id)),
    ),
} satisfies Record<string, (s: Session, inc: Incident) => boolean>;

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };

export interface IncidentOutcome {
  incident: Incident;
  analysis: Analysis;
  /** Whether customers were hurt while it was open (requests failed, or seconds out of SLO), from the sampled series. */
  hurt: boolean;
  /** Acknowledged later than the target, or never. */
  slowAck: boolean;
}

function fill(text: string, about: string[]): string {
  return text
    .replaceAll('{about0}', about[0] ?? '')
    .replaceAll('{rest}', about.slice(1).join(', ') || 'its own')
    .replaceAll('{about}', about.join(', '));
}

/**
 * The follow-ups harm no incident covered calls for, with what fills their texts: a responder's
 * command that left no instance serving the workload asks for a member to spare, a responder's
 * network change that cut it off for a check of such changes, a surge behind it (where nothing
 * was left serving) for headroom; out of its SLO longer without a minute's burn, for
 * the burn's alarm; one over within a minute with none of these behind it, for none (no alarm
 * pages that soon).
 */
function outsideItems(h: HarmOutside): { spec: ItemSpec; about: string[] }[] {
  const items: { spec: ItemSpec; about: string[] }[] = [];
  const by = (effect: StretchEffect) => h.commands.some((c) => c.effect === effect && c.source !== 'scenario');
  if (by('left-unserved')) items.push({ spec: DATA.findings['took-serving-capacity'], about: [h.workload] });
  if (by('cut-off')) items.push({ spec: DATA.findings['cut-off-by-network-change'], about: [h.workload] });
  // With nothing left serving, no headroom would have helped.
  if (h.surge && !h.commands.some((c) => c.effect === 'left-unserved'))
    items.push({ spec: DATA.outside.surge, about: [h.workload, String(h.surge.factor)] });
  if (h.why === 'below-burn') items.push({ spec: BURN_RATE_ALARM, about: [h.workload] });
  return items;
}

/**
 * The run's action items, most urgent first; items shared by several incidents are listed once.
 * `outside`: the harm no incident covered (see harm-outside.ts), whose items are P1, as customers
 * were hurt through the gap; `at` writes a moment's clock time for their `outside` labels.
 * `overBudget`: the surge capacity kept to the end of a run that ended over its budget (see
 * surge-capacity.ts; none when it did not), whose items are P3: no customer was hurt by it.
 */
export function actionItemsOf(
  session: Session,
  outcomes: IncidentOutcome[],
  outside: readonly HarmOutside[],
  at: (m: Moment) => string,
  overBudget: readonly SurgeCapacityKept[],
): ActionItem[] {
  const items = new Map<string, ActionItem>();
  const add = (
    spec: ItemSpec,
    priority: Priority,
    from: { incident: string } | { outside: string },
    about: string[] = [],
  ) => {
    // One row for one action as it reads: a finding met in two incidents about different things is one item.
    const text = fill(spec.text, about);
    const key = `${spec.id}:${text}`;
    const item = items.get(key) ?? { id: spec.id, text, kind: spec.kind, priority, owner: spec.owner, incidents: [] };
    items.set(key, item);
    if (RANK[priority] < RANK[item.priority]) item.priority = priority;
    if ('incident' in from) {
      if (!item.incidents.includes(from.incident)) item.incidents.push(from.incident);
    } else if (!item.outside?.includes(from.outside)) item.outside = [...(item.outside ?? []), from.outside];
  };
  for (const { incident: inc, analysis, hurt, slowAck } of outcomes) {
    // What a response made worse is P1 where customers were hurt through it, else P2: it lengthened the incident.
    for (const f of analysis.factors)
      if (f.finding && f.finding !== 'acted-on-notice')
        add(DATA.findings[f.finding], hurt ? 'P1' : 'P2', { incident: inc.id }, f.about);
    for (const spec of DATA.kinds[inc.kind].actionItems) {
      if (spec.doneWhen && DONE[spec.doneWhen](session, inc)) continue;
      if (spec.when && analysis.trigger !== null && spec.when !== analysis.trigger) continue;
      const priority: Priority = hurt
        ? spec.kind === 'detect'
          ? 'P2'
          : 'P1'
        : spec.kind === 'detect' && slowAck
          ? 'P2'
          : 'P3';
      add(spec, priority, { incident: inc.id });
    }
  }
  for (const h of outside)
    for (const { spec, about } of outsideItems(h))
      add(spec, 'P1', { outside: `${h.workload} at ${at(h.from)}` }, about);
  // A fleet over its budget with surge capacity kept: one item for each workload it was kept for.
  const costly = [...new Set(overBudget.map((k) => k.workload))].map((workload): ActionItem => {
    const spec = DATA.cost['surge-capacity-kept'];
    const { id, kind, owner } = spec;
    return { id, text: fill(spec.text, [workload]), kind, priority: 'P3', owner, incidents: [], overBudget: true };
  });
  const advised = [...unprotectedData(session)].map(([workload, volumes]): ActionItem => {
    const spec = DATA.advisor['snapshot-missing'];
    const { id, kind, owner, check } = spec;
    return {
      id,
      text: fill(spec.text, [workload, ...volumes]),
      kind,
      priority: 'P3',
      owner,
      incidents: [],
      advisorCheck: check,
    };
  });
  return [...items.values(), ...costly, ...advised].sort((a, b) => RANK[a.priority] - RANK[b.priority]);
}

/**
 * The workloads whose data Trusted Advisor's Amazon EBS Snapshots check flagged in the run and that
 * still has a volume without a snapshot at its end, with those volumes' ids (by workload, then id).
 */
function unprotectedData(session: Session): Map<string, string[]> {
  const flagged = new Set(
    session.events.filter((e) => e.kind === 'snapshot-missing').map((e) => String(e.data?.workload)),
  );
  const snapped = new Set(Object.values(session.world.snapshots).map((snap) => snap.volumeId));
  const left = new Map<string, string[]>();
  for (const v of Object.values(session.world.volumes))
    if (v.dataset !== null && flagged.has(v.dataset) && v.state !== 'deleted' && !snapped.has(v.id))
      left.set(v.dataset, [...(left.get(v.dataset) ?? []), v.id]);
  return new Map([...left].sort(([a], [b]) => a.localeCompare(b)).map(([w, ids]) => [w, ids.sort()]));
}
