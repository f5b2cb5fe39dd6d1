// Incidents: what a pager would open. They are detected from the model's events and state, then
// move through acknowledged (the player's `ack`), mitigated (the harm has stopped) and resolved
// (the cause is gone too), with the tick of each step recorded for the report and the score.
import {
  type EventLog,
  type Instance,
  type SimEvent,
  type Volume,
  type VolumeIo,
  type World,
  counted,
  firstFew,
  inService,
  backloggedVolumes,
  inFleetOrder,
  volumeIo,
  ioOf,
  GUEST_QUEUE_DEPTH,
  runningIn,
  shutOutMembers,
  subjectsOf,
  TICKS,
} from '../sim/index.js';

export type Severity = 'SEV1' | 'SEV2' | 'SEV3';
export type IncidentState = 'detected' | 'acknowledged' | 'mitigated' | 'resolved';
export type IncidentKind =
  | 'host-failure'
  | 'instance-check'
  | 'spot-interruption'
  | 'ebs-saturation'
  | 'volume-impaired'
  | 'scheduled-event'
  | 'zone-impaired'
  | 'slo-burn';

export interface Incident {
  id: string;
  kind: IncidentKind;
  title: string;
  severity: Severity;
  state: IncidentState;
  /**
   * What the incident is about: a host, instance, zone or workload id; for an EBS saturation the
   * workload whose volumes saturated (a volume's id when its instance serves none).
   */
  subject: string;
  /** Instances it touches, for the report and for deciding when it is over. */
  instances: string[];
  /**
   * The Name tag of each of `instances` when it joined, index for index (null for none): a report
   * written hours later names instances that have left the listings (an hour after termination).
   * Absent in saves from before it was kept.
   */
  instanceNames?: (string | null)[];
  /**
   * The workloads those instances served when they joined it, sorted: a report written hours
   * later tells them after the instances have left the listings (an hour after termination).
   * Absent in saves from before it was kept.
   */
  workloads?: string[];
  /**
   * For an EBS saturation, what held the volume's delivery back when it opened: its own limits
   * (a gp2 volume's burst credits, provisioned IOPS or throughput) or the attached instance's EBS
   * bandwidth. Absent for other kinds, and in saves from before it was kept.
   */
  limitedBy?: 'volume' | 'instance';
  /**
   * For an EBS saturation, the volumes that saturated, in the order they did: a workload's volumes
   * held back by the same limit are one incident (a zone's outage sends hundreds of a database's
   * volumes past their limits at once, one cause). Absent for other kinds; in saves from before it
   * was kept, the subject was the one volume.
   */
  volumes?: string[];
  /**
   * For a Spot interruption or a scheduled event, the instances serving each of its workloads when
   * it opened: EC2 takes that capacity away, and the harm lasts until the workloads serve with as
   * many again, whoever puts it back. Absent for other kinds, and in saves from before it was kept.
   */
  capacityAtOpen?: Record<string, number>;
  /**
   * For an SLO burn, as it opened: how many of its workload's instances would have served it but
   * for the network, how many the network kept from serving, and the first few of those as "name:
   * why" (see shutOutMembers). A report names them where nothing else in the record explains the
   * burn; read as it opened, since a fix or another change later would make the world as the run
   * ends tell another story. Absent for other kinds, and in saves from before it was kept.
   */
  shutOut?: { count: number; members: number; first: string[] };
  /**
   * For an SLO burn that opened on slowness (answers slower than the SLO's latency objective, in a
   * minute in which requests never failed at a burn's rate), 'latency'. Absent for one whose minute
   * had failing requests, for other kinds, and in saves from before slowness opened a burn.
   */
  burnedBy?: 'latency';
  detectedAt: number;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
}

/** How long the harm must stay gone before an incident counts as mitigated, and the cause before resolved. */
export const MITIGATION_HOLD = 60;
export const RESOLUTION_HOLD = 300;
/** A volume whose queue holds this many seconds of its demand, or is full, is saturated. */
const SATURATION_QUEUE_SECONDS = 1;
export const SATURATION_TICKS = 60;
/** Error-rate multiple of the SLO's budget that opens a burn incident (for an SLO of 90% or more). */
const BURN_FACTOR = 10;
export const BURN_TICKS = 60;
/** How many of a burn's shut-out instances it names (see Incident.shutOut). */
const SHUT_OUT_NAMED = 5;
/** Streak keys of a workload's seconds of requests failing at a burn's rate within its burn streak (`wl:`). */
const FAILING_STREAK = 'wl-failing:';
/** Streak keys of volumes; a detached or deleted volume's streak stays as it was. */
const VOLUME_STREAK = 'vol:';

/**
 * The volumes with a saturation streak, kept on the tracker under a symbol key (so neither saved
 * nor copied, and drawn up again from its streaks when missing): a second's look at which streaks
 * end then walks these few, not every alarm's streak as well.
 */
const VOLUME_STREAKS = Symbol('volume streaks');

function volumeStreaks(tracker: IncidentTracker): Set<string> {
  const owner = tracker as IncidentTracker & { [VOLUME_STREAKS]?: Set<string> };
  let ids = owner[VOLUME_STREAKS];
  if (!ids) {
    ids = new Set();
    for (const key of tracker.streaks.keys())
      if (key.startsWith(VOLUME_STREAK)) ids.add(key.slice(VOLUME_STREAK.length));
    Object.defineProperty(owner, VOLUME_STREAKS, { value: ids, enumerable: false });
  }
  return ids;
}

/**
 * The incidents and the counters they are opened and closed by. The counters are Maps, not records:
 * a Trusted Advisor refresh of a region starts a streak for each of thousands of volumes in one
 * second, and a record takes each new key through the engine's table of property names (several
 * times the cost of a Map's entry). A save holds them as records (see SavedTracker).
 */
export interface IncidentTracker {
  incidents: Incident[];
  /**
   * Consecutive ticks or minutes each volume, workload and alarm has looked unhealthy, by key
   * (`vol:<id>`, `wl:<name>`, `alarm:<alarm>:<subject>`, `ena:<id>:<counter>`), and of a workload's
   * burn streak the seconds its requests failed at a burn's rate (`wl-failing:<name>`).
   */
  streaks: Map<string, number>;
  /**
   * Trusted Advisor's refreshes in a row that flagged each data volume, by volume id: saved among
   * the streaks under ADVISOR_STREAK, and kept apart here so that a refresh of a region's every
   * data volume looks each up by the id it has, not a key made for it.
   */
  advisorStreaks: Map<string, number>;
  /** Consecutive ticks each open incident's harm and cause have stayed away, by key (`harm:<id>`, `cause:<id>`). */
  calm: Map<string, number>;
}

/** The key a save gives a volume's Trusted Advisor streak among the streaks, before its id. */
const ADVISOR_STREAK = 'alarm:snapshot-missing:';

/** A tracker as a save holds it: plain JSON, each counter a record in the order its keys were set. */
export interface SavedTracker {
  incidents: Incident[];
  streaks: Record<string, number>;
  calm: Record<string, number>;
}

export function newTracker(): IncidentTracker {
  return { incidents: [], streaks: new Map(), advisorStreaks: new Map(), calm: new Map() };
}

/** The tracker as a save holds it; shares its incidents with `tracker` (a snapshot clones it whole). */
export function savedTracker(tracker: IncidentTracker): SavedTracker {
  return {
    incidents: tracker.incidents,
    streaks: Object.fromEntries([
      ...tracker.streaks,
      ...Array.from(tracker.advisorStreaks, ([id, refreshes]) => [`${ADVISOR_STREAK}${id}`, refreshes] as const),
    ]),
    calm: Object.fromEntries(tracker.calm),
  };
}

/**
 * A saved tracker to play on with; takes `saved`'s incidents as they are, but for an EBS
 * saturation saved while each volume was an incident of its own, which becomes its workload's
 * (see grouped), as a replay of the same play would open it.
 */
export function restoredTracker(saved: SavedTracker): IncidentTracker {
  for (const inc of saved.incidents) if (inc.kind === 'ebs-saturation' && !inc.volumes) grouped(inc);
  const tracker: IncidentTracker = { ...newTracker(), incidents: saved.incidents };
  for (const [key, count] of Object.entries(saved.streaks))
    if (key.startsWith(ADVISOR_STREAK)) tracker.advisorStreaks.set(key.slice(ADVISOR_STREAK.length), count);
    else tracker.streaks.set(key, count);
  for (const [key, count] of Object.entries(saved.calm)) tracker.calm.set(key, count);
  return tracker;
}

/**
 * An incident's instances as a set, kept on the incident under a symbol key (neither saved nor
 * copied, drawn up again from its list when missing): a pool's hundreds of notices in one second
 * join its incident without a search of the list for each.
 */
const MEMBERS = Symbol('incident members');
/** An EBS saturation's volumes as a set, kept like its instances (see MEMBERS). */
const VOLUME_MEMBERS = Symbol('incident volumes');

function memberSet(inc: Incident, key: symbol, list: readonly string[]): Set<string> {
  const owner = inc as Incident & { [key: symbol]: Set<string> | undefined };
  let members = owner[key];
  if (!members) {
    members = new Set(list);
    Object.defineProperty(owner, key, { value: members, enumerable: false });
  }
  return members;
}

const membersOf = (inc: Incident) => memberSet(inc, MEMBERS, inc.instances);
const volumeMembersOf = (inc: Incident) => memberSet(inc, VOLUME_MEMBERS, saturatedVolumes(inc));

/**
 * The newest incident of each cause, kept on the tracker under a symbol key like the members
 * above: a cause whose harm goes on is found without a search of every incident of the play for
 * each of its events. Only `open` adds incidents, and it joins only the newest of its cause, while
 * its harm has not stopped: once that incident is mitigated, the cause striking again (a volume
 * saturating after the others were relieved, a pool's notices after its capacity came back) is
 * harm anew, and a new incident.
 */
const NEWEST = Symbol('newest incident by cause');

/** One cause: the kind and subject, and for an EBS saturation what held its volumes back. */
const causeKey = (inc: Pick<Incident, 'kind' | 'subject' | 'limitedBy'>) =>
  inc.limitedBy ? `${inc.kind} ${inc.subject} ${inc.limitedBy}` : `${inc.kind} ${inc.subject}`;

function newestByCause(tracker: IncidentTracker): Map<string, Incident> {
  const owner = tracker as IncidentTracker & { [NEWEST]?: Map<string, Incident> };
  let newest = owner[NEWEST];
  if (!newest) {
    newest = new Map();
    for (const inc of tracker.incidents) newest.set(causeKey(inc), inc);
    Object.defineProperty(owner, NEWEST, { value: newest, enumerable: false });
  }
  return newest;
}

/** An instance's Name tag in the world as it is; null for none, or for an instance no longer listed. */
const nameOf = (world: World, id: string): string | null => world.instances[id]?.name ?? null;

/**
 * The Name tag of an incident's `index`th instance, as it had when it joined (null for none); for
 * an incident saved before those were kept, the world's, while the instance is still listed. A
 * Name tag is set at launch and never changes, so the two agree while both are there.
 */
export function memberName(
  world: World,
  inc: { readonly instances: readonly string[]; readonly instanceNames?: readonly (string | null)[] },
  index: number,
): string | null {
  return inc.instanceNames ? inc.instanceNames[index]! : nameOf(world, inc.instances[index]!);
}

/** The workloads of `ids` in the world as it is, added to `known`, sorted. */
function servedBy(world: World, ids: readonly string[], known: readonly string[] = []): string[] {
  // A region has a handful of workloads: a list looked through beats a Set, and V8 kept sending
  // the Set's version back to the interpreter, once for each volume joining a zone's incident.
  const workloads = [...known];
  for (const id of ids) {
    const workload = world.instances[id]?.workload;
    if (workload && !workloads.includes(workload)) workloads.push(workload);
  }
  return workloads.length === known.length ? workloads : workloads.sort();
}

function open(
  tracker: IncidentTracker,
  world: World,
  events: EventLog,
  kind: IncidentKind,
  subject: string,
  severity: Severity,
  title: string,
  instances: string[],
  detail: Pick<Incident, 'limitedBy' | 'volumes' | 'shutOut' | 'burnedBy'> = {},
): void {
  const key = causeKey({ kind, subject, ...detail });
  const existing = joinable(tracker, key);
  if (existing) {
    if (detail.volumes) {
      const volumes = volumeMembersOf(existing);
      for (const id of detail.volumes)
        if (!volumes.has(id)) {
          volumes.add(id);
          existing.volumes?.push(id);
        }
    }
    const members = membersOf(existing);
    const joining = instances.filter((id) => !members.has(id));
    for (const id of joining) {
      members.add(id);
      existing.instances.push(id);
      existing.instanceNames?.push(nameOf(world, id));
    }
    if (joining.length && existing.workloads) existing.workloads = servedBy(world, joining, existing.workloads);
    return;
  }
  const id = `INC-${tracker.incidents.length + 1}`;
  const workloads = servedBy(world, instances);
  events.emit('incident-opened', severity === 'SEV1' ? 'error' : 'warn', id, `${id} ${severity} opened: ${title}`, {
    severity,
    kind,
  });
  const incident: Incident = {
    id,
    kind,
    title,
    severity,
    state: 'detected',
    subject,
    instances,
    instanceNames: instances.map((id) => nameOf(world, id)),
    workloads,
    ...detail,
    ...(CAPACITY_KINDS.includes(kind) ? { capacityAtOpen: capacityToKeep(tracker, world, workloads) } : {}),
    detectedAt: events.tick,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
  };
  tracker.incidents.push(incident);
  newestByCause(tracker).set(key, incident);
}

/** The incident a cause's new harm joins: the newest of that cause, while its harm goes on (see NEWEST). */
function joinable(tracker: IncidentTracker, key: string): Incident | undefined {
  const latest = newestByCause(tracker).get(key);
  return latest && latest.mitigatedAt === null ? latest : undefined;
}

const label = (world: World, id: string) => world.instances[id]?.name ?? id;

/** Opens incidents from one tick's events. */
export function detectFromEvents(
  tracker: IncidentTracker,
  world: World,
  tickEvents: readonly SimEvent[],
  events: EventLog,
): void {
  for (const e of tickEvents) {
    switch (e.kind) {
      case 'host-failed': {
        const instances = world.hosts[e.subject]?.instanceIds ?? [];
        if (instances.length)
          open(
            tracker,
            world,
            events,
            'host-failure',
            e.subject,
            'SEV2',
            `Host ${e.subject} failed under ${instances.map((i) => label(world, i)).join(', ')}`,
            [...instances],
          );
        break;
      }
      case 'status-check-failed':
        // A host's failure tells its instances' checks in one event, and is an incident of its own.
        if (e.data?.check === 'instance') for (const id of subjectsOf(e)) openGuestFault(tracker, world, events, id);
        break;
      // A guest that hung while its zone or host was down told nothing new then, its instance check
      // failing already: it is seen when the rest recovers and its check goes on failing.
      case 'status-checks-passed':
        for (const inst of runningIn(world, new Set([e.subject])))
          if (inst.checks.instance === 'impaired') openGuestFault(tracker, world, events, inst.id);
        break;
      case 'status-check-passed':
        if (e.data?.check === 'system')
          for (const id of subjectsOf(e))
            if (world.instances[id]?.checks.instance === 'impaired') openGuestFault(tracker, world, events, id);
        break;
      case 'spot-interruption-notice':
        // A pool's notices of one second are one event, its subject the pool.
        open(
          tracker,
          world,
          events,
          'spot-interruption',
          e.subject,
          'SEV2',
          `Spot interruptions in ${e.subject.replace('|', ' / ')}`,
          [...subjectsOf(e)],
        );
        break;
      case 'volume-impaired':
        open(
          tracker,
          world,
          events,
          'volume-impaired',
          e.subject,
          'SEV2',
          `EBS volume ${e.subject} I/O stalled`,
          attachedInstance(world, e.subject),
        );
        break;
      case 'scheduled-event':
        // A degraded host's retirements are one incident, as its notices are one event; an
        // instance's own scheduled event is its own.
        open(
          tracker,
          world,
          events,
          'scheduled-event',
          e.subject,
          'SEV3',
          e.instanceIds && e.instanceIds.length > 1
            ? `host ${e.subject}: ${String(e.data?.code)} scheduled for ${counted(e.instanceIds.length, 'instance')} (${firstFew(e.instanceIds, (id) => label(world, id))})`
            : `${label(world, subjectsOf(e)[0]!)}: ${String(e.data?.code)} scheduled`,
          [...subjectsOf(e)],
        );
        break;
      case 'zone-impaired':
        open(
          tracker,
          world,
          events,
          'zone-impaired',
          e.subject,
          'SEV1',
          `Availability Zone ${e.subject} impaired`,
          runningIn(world, new Set([e.subject])).map((i) => i.id),
        );
        break;
    }
  }
}

/** An instance-check incident for an instance whose guest is at fault (see guestAtFault). */
function openGuestFault(tracker: IncidentTracker, world: World, events: EventLog, id: string): void {
  if (guestAtFault(world, id))
    open(
      tracker,
      world,
      events,
      'instance-check',
      id,
      'SEV3',
      `${label(world, id)} failing its instance status check`,
      [id],
    );
}

/**
 * An instance check failing while the system check passes is the guest's own trouble. With the
 * system check failing too, the cause is AWS's side (a host or a zone), and that has its own
 * incident: a zone's outage is one incident, not one per instance in it.
 */
function guestAtFault(world: World, instanceId: string): boolean {
  return world.instances[instanceId]?.checks.system !== 'impaired';
}

function attachedInstance(world: World, volumeId: string): string[] {
  const id = world.volumes[volumeId]?.attachment?.instanceId;
  return id ? [id] : [];
}

function bump(counter: Map<string, number>, key: string, on: boolean): number {
  return count(counter, key, counter.get(key) ?? 0, on);
}

/**
 * Whether a volume is saturated for an EBS saturation held back by `limitedBy`: not while the
 * other limit holds it back, which is another cause (a volume given IOPS beyond its instance's
 * EBS bandwidth is then held back by the instance). A queue draining with no limit reached is
 * still the harm of the incident that filled it.
 */
function saturated(world: World, volumeId: string, limitedBy: Incident['limitedBy']): boolean {
  const v = world.volumes[volumeId];
  if (!v) return false;
  const io = volumeIo(world, v);
  return queueSaturated(io) && (limitedBy === undefined || io.limitedBy === 'none' || heldBackBy(io) === limitedBy);
}

/** What holds a saturated volume's delivery back: its own limits, or its instance's EBS bandwidth. */
const heldBackBy = (io: Readonly<VolumeIo>): 'volume' | 'instance' =>
  io.limitedBy === 'instance' ? 'instance' : 'volume';

/** A queue holding more than a second of demand, or full (the guest's queue depth caps it below a busy volume's second). */
function queueSaturated(io: Readonly<VolumeIo>): boolean {
  return (
    io.demandIops > 0 &&
    io.queueLength >= Math.min(io.demandIops * SATURATION_QUEUE_SECONDS, GUEST_QUEUE_DEPTH) &&
    io.limitedBy !== 'unavailable'
  );
}

/**
 * What burns a workload's error budget this second, if anything: requests failing at BURN_FACTOR
 * times the SLO's budget, or answers slower than its latency objective (each such second is out
 * of the SLO the budget counts, as an alarm on the SLI would page on).
 */
function burnOf(world: World, name: string): 'errors' | 'latency' | null {
  const wl = world.workloads[name]!;
  if (wl.last.demandRps <= 0) return null;
  const budget = 1 - wl.slo.availability;
  // Past an SLO of 90%, ten times its budget is every request or more: half way from the budget
  // to all of them is the most a burn can ask for and still be met by an outage.
  if (wl.last.errorRps / wl.last.demandRps > Math.min(budget * BURN_FACTOR, (1 + budget) / 2)) return 'errors';
  return wl.last.latencyMs > wl.slo.latencyMs ? 'latency' : null;
}

const burning = (world: World, name: string) => burnOf(world, name) !== null;

/** Opens incidents from sustained conditions: saturated volumes and workloads burning error budget. */
export function detectFromState(tracker: IncidentTracker, world: World, events: EventLog): void {
  // Only volumes with something queued can be saturated: the model names them (all attached), and a
  // large fleet's resting volumes cost nothing here. The saturated are looked at in fleet order, so
  // incidents open alike however the roster was drawn up. Streaks end for attached volumes no
  // longer saturated (those saturated this second are not looked at again).
  const saturated: Volume[] = [];
  for (const v of backloggedVolumes(world)) if (queueSaturated(ioOf(world, v))) saturated.push(v);
  const streaking = volumeStreaks(tracker);
  const now = new Set<string>();
  for (const v of inFleetOrder(world, saturated)) {
    const { id, attachment } = v;
    const instanceId = attachment!.instanceId;
    streaking.add(id);
    now.add(id);
    if (bump(tracker.streaks, `${VOLUME_STREAK}${id}`, true) < SATURATION_TICKS) continue;
    // Past the hold, a volume its cause's incident does not list while its harm goes on joins it or
    // opens one: the first to saturate, one whose limit moved to the other, one still saturated
    // when its incident was mitigated. A queue draining with no limit reached is no new cause.
    const io = ioOf(world, v);
    if (io.limitedBy === 'none') continue;
    const limitedBy = heldBackBy(io);
    // A workload's volumes past the same limit are one cause: the incident opens on the first
    // and the others join it, as a pool's Spot notices join its interruption.
    const workload = world.instances[instanceId]!.workload;
    const subject = workload ?? id;
    const current = joinable(tracker, causeKey({ kind: 'ebs-saturation', subject, limitedBy }));
    if (current && volumeMembersOf(current).has(id)) continue;
    const by =
      limitedBy === 'instance'
        ? `the instance's EBS bandwidth (${world.instances[instanceId]!.type})`
        : `the volume's own limits (${v.type})`;
    const on = `${id} (${label(world, instanceId)})`;
    open(
      tracker,
      world,
      events,
      'ebs-saturation',
      subject,
      'SEV2',
      `EBS saturation on ${workload ? `${workload}: ${on}` : on}, limited by ${by}`,
      [instanceId],
      { limitedBy, volumes: [id] },
    );
  }
  if (streaking.size > now.size)
    for (const id of streaking) {
      if (now.has(id)) continue;
      const v = world.volumes[id];
      if (v?.attachment && !queueSaturated(volumeIo(world, v))) {
        tracker.streaks.delete(`${VOLUME_STREAK}${id}`);
        streaking.delete(id);
      }
    }
  for (const name in world.workloads) {
    const burn = burnOf(world, name);
    const streak = bump(tracker.streaks, `wl:${name}`, burn !== null);
    // The streak's seconds of failing requests: a burn with any is one on errors, whatever its
    // last second was.
    const failingKey = `${FAILING_STREAK}${name}`;
    if (streak === 0) tracker.streaks.delete(failingKey);
    else if (burn === 'errors') tracker.streaks.set(failingKey, (tracker.streaks.get(failingKey) ?? 0) + 1);
    if (streak === BURN_TICKS) {
      // Read for a new incident only: a burn that joins an open one adds nothing to it.
      const joining = joinable(tracker, causeKey({ kind: 'slo-burn', subject: name }));
      const detail = joining
        ? {}
        : {
            shutOut: shutOutMembers(world, world.workloads[name]!, SHUT_OUT_NAMED),
            ...(tracker.streaks.has(failingKey) ? {} : { burnedBy: 'latency' as const }),
          };
      open(tracker, world, events, 'slo-burn', name, 'SEV1', `${name} is burning its error budget`, [], detail);
    }
  }
}

/**
 * Whether a workload the incident reached burns its error budget: those its instances served as it
 * opened (`workloads`, kept then, as a reclaimed instance may be gone from the world since).
 * Another cause's burn elsewhere is not this incident's harm. An incident of a save from before
 * `workloads` was kept finds them once: its harm is looked at every second, and a zone's outage
 * reaches tens of thousands of instances.
 */
function ownWorkloadBurning(world: World, inc: Incident): boolean {
  inc.workloads ??= servedBy(world, inc.instances);
  return inc.workloads.some((name) => world.workloads[name] !== undefined && burning(world, name));
}

function serving(world: World, id: string): boolean {
  const inst: Instance | undefined = world.instances[id];
  return !!inst && inService(inst);
}

/** Whether a Spot instance runs with its interruption still to come. */
const awaitsInterruption = (inst: Instance | undefined) =>
  inst?.state === 'running' && inst.spot !== null && inst.spot.interruptAt !== null;

const GONE: readonly string[] = ['terminated', 'stopped', 'shutting-down'];
const gone = (world: World, id: string) => !world.instances[id] || GONE.includes(world.instances[id]!.state);

/** Kinds of incident in which EC2 itself takes instances out of service: Spot reclaims, retirements. */
const CAPACITY_KINDS: readonly IncidentKind[] = ['spot-interruption', 'scheduled-event'];

/**
 * The capacity an incident of CAPACITY_KINDS keeps each of its workloads to: what an open incident
 * of these kinds already keeps it to, as losses that overlap are one loss (a replacement launched
 * for the first may serve beside the instance still to go when the second opens, and two
 * instances retired together are both owed), else the instances serving it after this second's work.
 */
function capacityToKeep(tracker: IncidentTracker, world: World, workloads: readonly string[]): Record<string, number> {
  const keep: Record<string, number> = {};
  for (const w of workloads) {
    const kept = tracker.incidents.find((o) => o.state !== 'resolved' && o.capacityAtOpen?.[w] !== undefined);
    keep[w] = kept ? kept.capacityAtOpen![w]! : (world.workloads[w]?.last.healthyMembers ?? 0);
  }
  return keep;
}

/** Whether a workload of the incident serves with fewer instances than when it opened (see capacityAtOpen). */
function capacityShort(world: World, inc: Incident): boolean {
  if (!inc.capacityAtOpen) return false;
  for (const w in inc.capacityAtOpen)
    if ((world.workloads[w]?.last.healthyMembers ?? 0) < inc.capacityAtOpen[w]!) return true;
  return false;
}

/**
 * Whether an instance the incident reached still keeps its workload short: not serving and not
 * gone, or stopped while its workload burns. A stopped instance is let go only while the rest
 * serve: a plain stop on a dead host that ends, with the cache still down, is no mitigation.
 */
function stillShort(world: World, id: string): boolean {
  const inst = world.instances[id];
  if (!inst || serving(world, id)) return false;
  if (!gone(world, id)) return true;
  return inst.state === 'stopped' && inst.workload !== null && burning(world, inst.workload);
}

/**
 * Whether a failed host's incident still holds instance `id` short (see stillShort). One running
 * on another host (recovered, or stopped and started) or on its own restored is the incident's only
 * while the guest that recovery off it rebooted boots: its own reboot, another host's failure (and
 * the recovery off that one) or its zone's outage is another cause's.
 */
function shortFromHost(world: World, inc: Incident, id: string): boolean {
  const inst = world.instances[id];
  if (inst?.state === 'running' && (inst.hostId !== inc.subject || world.hosts[inc.subject]?.health === 'ok')) {
    // The first recovery since the failure, unless a start had moved the instance off the host
    // before it: then that recovery was off another host, and none was off this one.
    const recovery = inst.recoveries?.find((tick) => tick >= inc.detectedAt);
    if (recovery === undefined) return false;
    const started = inst.restartedAt ?? -1;
    const startedElsewhere = started >= inc.detectedAt && started < recovery;
    return !startedElsewhere && inst.guestRestartUntil === recovery + TICKS.guestRestart;
  }
  return stillShort(world, id);
}

/** Whether the incident's harm is still going on (checked every second for every incident open). */
function harmful(world: World, inc: Incident): boolean {
  switch (inc.kind) {
    case 'host-failure':
      return inc.instances.some((id) => shortFromHost(world, inc, id));
    case 'instance-check':
    case 'volume-impaired':
      return (
        inc.instances.some((id) => stillShort(world, id)) ||
        (inc.kind === 'volume-impaired' &&
          !!world.volumes[inc.subject]?.impaired &&
          !!world.volumes[inc.subject]?.attachment)
      );
    case 'spot-interruption':
      // Harm lasts while a noticed instance still waits for its interruption, while service does
      // not hold, and until the capacity taken is back. One EC2 starts again once its pool has
      // room has its notice cleared: it is capacity back, not harm.
      return (
        ownWorkloadBurning(world, inc) ||
        inc.instances.some((id) => awaitsInterruption(world.instances[id])) ||
        capacityShort(world, inc)
      );
    case 'zone-impaired': {
      // The workloads with instances in the zone, while one burns: from its outage, and after its
      // restore until the zone's instances serve again. Another cause's burn is not this zone's.
      const impaired = world.zones.find((z) => z.zoneId === inc.subject)?.impaired ?? false;
      return ownWorkloadBurning(world, inc) && (impaired || inc.instances.some((id) => stillShort(world, id)));
    }
    case 'scheduled-event':
      return (
        inc.instances.some((id) => world.instances[id]?.scheduledEvents.some((e) => e.state === 'active')) ||
        capacityShort(world, inc)
      );
    case 'ebs-saturation':
      return saturatedVolumes(inc).some((id) => saturated(world, id, inc.limitedBy));
    case 'slo-burn':
      return burning(world, inc.subject);
  }
}

/**
 * An EBS saturation of one volume as this version opens it: about the workload of the instance
 * the volume served (the volume itself when it served none), listing the volume, its title
 * naming the workload first. Changes `inc`.
 */
function grouped(inc: Incident): void {
  const volume = inc.subject;
  inc.volumes = [volume];
  const workload = inc.workloads?.[0];
  if (workload === undefined) return;
  inc.subject = workload;
  const head = 'EBS saturation on ';
  if (inc.title.startsWith(`${head}${volume} `)) inc.title = `${head}${workload}: ${inc.title.slice(head.length)}`;
}

/** The volumes of an EBS saturation, in the order they saturated (see Incident.volumes). */
export const saturatedVolumes = (inc: Pick<Incident, 'subject' | 'volumes'>): readonly string[] =>
  inc.volumes ?? [inc.subject];

/** Whether the cause is still there, beyond the harm. */
function causePersists(world: World, inc: Incident): boolean {
  if (inc.kind === 'zone-impaired') return !!world.zones.find((z) => z.zoneId === inc.subject)?.impaired;
  return harmful(world, inc);
}

/**
 * An open incident's two counters in the tracker's `calm`, their keys there and their values, kept
 * on the incident under a symbol key like its members (neither saved nor copied, read from `calm`
 * when missing). A zone's outage leaves thousands of incidents open, each counted every second,
 * most of them at 0 second after second: known here, such a count costs no look into `calm`, which
 * is written exactly as before.
 */
const CALM = Symbol('calm counters');

interface Calm {
  /** The incident's cause (see causeKey): once a newer incident of it opens, that one carries the harm. */
  of: string;
  harmKey: string;
  causeKey: string;
  harm: number;
  cause: number;
}

function calmOf(tracker: IncidentTracker, inc: Incident): Calm {
  const owner = inc as Incident & { [CALM]?: Calm };
  let calm = owner[CALM];
  if (!calm) {
    const harmKey = `harm:${inc.id}`;
    const calmKey = `cause:${inc.id}`;
    calm = {
      of: causeKey(inc),
      harmKey,
      causeKey: calmKey,
      harm: tracker.calm.get(harmKey) ?? 0,
      cause: tracker.calm.get(calmKey) ?? 0,
    };
    Object.defineProperty(owner, CALM, { value: calm, enumerable: false });
  }
  return calm;
}

/**
 * Counts one more second under `key` while `on`, else starts again from 0 (a counter at 0 is not
 * kept); `was` is its value now. Most counters of thousands of open incidents stay at 0 from second
 * to second, and a delete of a key not there costs more than knowing it is not.
 */
function count(counter: Map<string, number>, key: string, was: number, on: boolean): number {
  const value = on ? was + 1 : 0;
  if (value) counter.set(key, value);
  else if (was) counter.delete(key);
  return value;
}

/** Moves open incidents to mitigated and resolved as their harm and cause stay away long enough. */
export function progressIncidents(tracker: IncidentTracker, world: World, events: EventLog): void {
  for (const inc of tracker.incidents) {
    if (inc.state === 'resolved') continue;
    const counts = calmOf(tracker, inc);
    // An incident a newer one of its cause took over (the harm back after it was mitigated) has
    // its harm and cause carried by that one: its own episode is over.
    const current = newestByCause(tracker).get(counts.of) === inc;
    const calm = (counts.harm = count(tracker.calm, counts.harmKey, counts.harm, !current || !harmful(world, inc)));
    if (inc.mitigatedAt === null && calm >= MITIGATION_HOLD) {
      inc.mitigatedAt = events.tick - MITIGATION_HOLD + 1;
      inc.state = 'mitigated';
      events.emit('incident-mitigated', 'info', inc.id, `${inc.id} mitigated: ${inc.title}`);
    }
    const settled = (counts.cause = count(
      tracker.calm,
      counts.causeKey,
      counts.cause,
      inc.mitigatedAt !== null && (!current || !causePersists(world, inc)),
    ));
    if (settled >= RESOLUTION_HOLD) {
      inc.resolvedAt = events.tick;
      inc.state = 'resolved';
      events.emit('incident-resolved', 'info', inc.id, `${inc.id} resolved: ${inc.title}`);
      tracker.calm.delete(counts.harmKey);
      tracker.calm.delete(counts.causeKey);
      counts.harm = counts.cause = 0;
    }
  }
}

/** The player's `ack`: records the first acknowledgement; refuses unknown or resolved incidents. */
export function acknowledge(tracker: IncidentTracker, id: string, tick: number): string | null {
  const inc = tracker.incidents.find((i) => i.id.toLowerCase() === id.toLowerCase());
  if (!inc)
    return `no incident ${id} (open: ${
      tracker.incidents
        .filter((i) => i.state !== 'resolved')
        .map((i) => i.id)
        .join(', ') || 'none'
    })`;
  if (inc.acknowledgedAt !== null) return `${inc.id} was already acknowledged`;
  inc.acknowledgedAt = tick;
  if (inc.state === 'detected') inc.state = 'acknowledged';
  return null;
}
