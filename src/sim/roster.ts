// Who does the fleet's work: each workload's serving members, and the fleet's I/O units (an
// instance with its volumes, or a volume on its own). Drawn up once and then kept up to date with
// the instances and volumes touched (see changes.ts). Most units spend most seconds at rest: queues
// empty, burst buckets full, asking less than their baselines. A unit at rest stays exactly as it
// is for as long as its demand stays under its member's threshold, so a second's work covers only
// the units that are not at rest and the members whose threshold this second's demand has passed;
// the rest are counted in bulk.
import { baselineRpsPerVcpu, bucketFull, responseKiB } from './bandwidth.js';
import { ByLaunch } from './by-launch.js';
import { instanceType, type InstanceTypeSpec } from './catalogue.js';
import { beyondReach, derivedSlot, isListed, maintained, stillListed, touchReach, type Touched } from './changes.js';
import { egressOpen } from './egress.js';
import { fullEbsBucket } from './instances.js';
import { INTERNET_CLIENT, reachability, ruleAdmits, VPC_CLIENT } from './network.js';
import { lowerBound, resorted } from './sorted.js';
import { rows } from './tables.js';
import type { Instance, SecurityGroup, SecurityGroupRule, Volume, World, Workload } from './types.js';
import { attachedTo } from './volumes.js';
import { ratesMove, volumeRates, type VolumeRates } from './volume-types.js';
import { ioOf, lanesOf, storedCredits, storedIo, type VolumeLanes } from './volume-lanes.js';

/** Megabits per second in one MiB per second. */
export const MBPS_PER_MIBPS = 8.388608;

/** Bits of a unit's flags. */
const RUNNING = 1;
const AT_REST = 2;
const EBS_FULL = 4;
/** netFull is known (else null), and then whether it is full. */
const NET_KNOWN = 8;
const NET_FULL = 16;

/**
 * An I/O unit: an instance with its volumes, or a volume attached to nothing. A region holds a
 * million of them, so a unit reads its fleet order off its instance, keeps its yes-or-no figures
 * as bits of one number instead of a field each, and points at the parts it shares with units
 * alike (see UnitParts).
 */
export class Unit {
  /** The member serving from this unit, if any. */
  member: Member | null = null;
  /** The last tick this unit's I/O was worked out second by second, leaving its volumes' figures current. */
  workedAt = -1;
  /**
   * What the unit's own seconds have shown to stand still, so a busy unit's second skips it. Only a
   * write that marks the instance or a volume (and so makes a new unit) can change these:
   * `quiet` has bit i set while volume i (one of the first QUIET_VOLUMES, not the one a member's
   * work would land on, which alone is asked for I/O) asks nothing, holds nothing queued and has a
   * full bucket, its figures as such a second leaves them; `quietBound` the bits of those whose
   * figures say the instance limited them.
   */
  quiet = 0;
  quietBound = 0;
  /**
   * Bits of the volumes (of the first QUIET_VOLUMES) that were impaired or loading from a snapshot
   * when the unit was made: only their records are looked at for either in a worked second. A
   * volume is impaired or restored by a write that marks it, which makes a new unit.
   */
  readonly unsteady: number;
  private flags: number;

  constructor(
    /** Null for a volume attached to nothing. */
    readonly instance: Instance | null,
    readonly volumes: readonly Volume[],
    readonly parts: UnitParts,
    /** The instance's state was running when the unit was made: a change of state marks the instance. */
    running: boolean,
    /**
     * Each volume's lane (see volume-lanes.ts), in the order of `volumes`; null while none of them
     * has one, their records holding their figures. Taken for all of them when the unit is first
     * worked, or when it is made and one of them has a lane already.
     */
    public lanes: number[] | null,
  ) {
    this.flags = running ? RUNNING : 0;
    let unsteady = 0;
    for (let i = 0; i < volumes.length && i < QUIET_VOLUMES; i++)
      if (volumes[i]!.impaired || volumes[i]!.lazyLoad) unsteady |= 1 << i;
    this.unsteady = unsteady;
  }

  /** Whether volume `i` may be impaired or loading from a snapshot (see unsteady). */
  unsteadyAt(i: number): boolean {
    return i >= QUIET_VOLUMES || (this.unsteady & (1 << i)) !== 0;
  }

  /** Each volume's rates, in the order of `volumes`. */
  get rates(): readonly VolumeRates[] {
    return this.parts.rates;
  }

  /** The instance type's EBS bandwidth and bucket; null without an instance. */
  get ebs(): EbsRates | null {
    return this.parts.ebs;
  }

  /** The place in `volumes` of the volume a member's work lands on (see dataIndexOf); -1 with none. */
  get dataIndex(): number {
    return this.parts.dataIndex;
  }

  /** Whether the instance's network bucket is full, when nothing can change it (its member's traffic is not modelled); else null. */
  get netFull(): boolean | null {
    return this.flags & NET_KNOWN ? (this.flags & NET_FULL) !== 0 : null;
  }

  set netFull(value: boolean | null) {
    const known = value === null ? 0 : value ? NET_KNOWN | NET_FULL : NET_KNOWN;
    this.flags = (this.flags & ~(NET_KNOWN | NET_FULL)) | known;
  }

  /** Fleet order: the instance's launch sequence; -1 for a volume on its own. */
  get order(): number {
    return this.instance ? this.instance.launchSeq : -1;
  }

  get running(): boolean {
    return (this.flags & RUNNING) !== 0;
  }

  /** Queues empty, buckets full, nothing stalled or hydrating: with no demand over threshold, a second changes nothing. */
  get atRest(): boolean {
    return (this.flags & AT_REST) !== 0;
  }

  set atRest(value: boolean) {
    this.flags = value ? this.flags | AT_REST : this.flags & ~AT_REST;
  }

  /** The instance's EBS burst bucket was full after the last second worked. */
  get ebsFull(): boolean {
    return (this.flags & EBS_FULL) !== 0;
  }

  set ebsFull(value: boolean) {
    this.flags = value ? this.flags | EBS_FULL : this.flags & ~EBS_FULL;
  }
}

/** Volumes of a unit that can be marked quiet: bits of a small integer. */
export const QUIET_VOLUMES = 30;

/**
 * What follows from a unit's volumes' figures and its instance's type, shared by every unit alike
 * in those (kept with the volumes' rates, see RatesNode), or made for one unit whose rates move.
 */
export interface UnitParts {
  /** Each volume's rates, in the order of the unit's volumes. */
  readonly rates: readonly VolumeRates[];
  /** The instance type's EBS bandwidth and bucket (shared by instances of a type); null without an instance. */
  readonly ebs: EbsRates | null;
  /** The place in the unit's volumes of the one a member's work lands on (see dataIndexOf); -1 with none. */
  readonly dataIndex: number;
}

/** An instance type's EBS bandwidth, and its burst bucket when full. */
export interface EbsRates {
  spec: InstanceTypeSpec['ebs'];
  fullMegabits: number;
  fullIos: number;
}

/**
 * What the members of a team alike in type and data volume share, one record per team and
 * combination instead of a copy in each of a region's million members (see profileOf).
 */
interface Profile {
  readonly team: Team;
  readonly vcpu: number;
  /** Per-vCPU demand (requests per second) up to which a unit at rest stays at rest. */
  readonly threshold: number;
  /** Milliseconds each request waits on the disk when nothing queues. */
  readonly diskLatencyMs: number;
  /** Its threshold's place among its team's thresholds, in the order they were first seen (see Team.profiles). */
  readonly group: number;
}

export class Member {
  /** The generation of its team's list of members worked, in fleet order, it last stood in (see Team.listGen). */
  listedIn = -1;
  /**
   * Its place in that list while it stands in it; else, in a second it is worked, its place among
   * the newcomers worked that second (where its figures wait, see Team.workedServedRps).
   */
  listPos = -1;

  constructor(
    private readonly profile: Profile,
    readonly unit: Unit,
  ) {}

  /** The volume the member's work lands on: its first data volume, else its root volume (see dataIndexOf). */
  get data(): Volume | null {
    return this.unit.volumes[this.unit.dataIndex] ?? null;
  }

  /** Whether the member's work lands on a volume. */
  get hasData(): boolean {
    return this.unit.dataIndex >= 0;
  }

  get team(): Team {
    return this.profile.team;
  }

  get vcpu(): number {
    return this.profile.vcpu;
  }

  /** Per-vCPU demand (requests per second) up to which a unit at rest stays at rest. */
  get threshold(): number {
    return this.profile.threshold;
  }

  /** Milliseconds each request waits on the disk when nothing queues. */
  get diskLatencyMs(): number {
    return this.profile.diskLatencyMs;
  }

  /** Its threshold's place among its team's (see Profile.group). */
  get group(): number {
    return this.profile.group;
  }
}

export interface Team {
  workload: Workload;
  /** The serving members, in order of threshold, lowest first, for finding those this second's demand passes. */
  byThreshold: Member[];
  /** This second's demand, requests per second. */
  demandRps: number;
  /**
   * Members worked second by second in the current tick: the first `workedCount`; the rest are the
   * last tick's, cut off when the tick's are read (written over, never emptied: see runWorkloads).
   */
  worked: Member[];
  workedCount: number;
  /** The members worked in the last tick, in fleet order (see workloads.ts). */
  workedInOrder: Member[];
  /** The generation of `workedInOrder`, new whenever it changes: a member stands in it while its `listedIn` is this. */
  listGen: number;
  /** Members worked this tick that stand in `workedInOrder`, counted as they are served. */
  workedListed: number;
  /**
   * What each member of `workedInOrder` served in the last second it was worked, and its requests'
   * latency then (ms), by its place: the team's sums read these in fleet order.
   */
  listServedRps: Float64Array;
  listLatencyMs: Float64Array;
  /**
   * The lists `workedInOrder`, `listServedRps` and `listLatencyMs` were before their last change,
   * written over when they next change (see runWorkloads); the arrays of figures may be longer than
   * the list.
   */
  spareInOrder: Member[];
  spareServedRps: Float64Array;
  spareLatencyMs: Float64Array;
  /**
   * The same of the members worked this second that do not stand in `workedInOrder`, in the order
   * served: the first `newcomers` (see `worked`).
   */
  workedServedRps: number[];
  workedLatencyMs: number[];
  newcomers: number;
  /** vCPUs of the members at rest worked this tick, by disk latency, counted as they are served. */
  restingWorked: Map<number, number>;
  totalVcpu: number;
  /**
   * vCPUs of members whose units are at rest, by disk latency: integers, so that adding and removing
   * members leaves exactly the same sums whatever the order.
   */
  restingVcpu: Map<number, number>;
  /** Its members' shared records, by threshold (see profileOf), thresholds in the order first seen. */
  profiles: Map<number, Profile[]>;
  /** The same records, by their members' units' parts (see profileFor). */
  profileByParts: Map<UnitParts, Profile>;
}

export interface Roster {
  /** The world's volume lanes (see volume-lanes.ts). */
  lanes: VolumeLanes;
  teams: Team[];
  teamOf: Map<string, Team>;
  /** Units with an instance, by instance. */
  unitOf: ByLaunch<Unit>;
  /**
   * Members that left their team while their unit stayed as it was, by instance: an instance out of
   * service for a while (its zone impaired, a check failing) serves again with the same figures, so
   * it takes its member back instead of having its threshold worked out afresh. Dropped with the unit.
   */
  outOfService: ByLaunch<Member>;
  /** Units of volumes attached to nothing. */
  looseUnits: Map<Volume, Unit>;
  /** Units not at rest: worked every second until they are. */
  restless: Set<Unit>;
  /** Running workload instances whose guests are filling their instance store. */
  storeFillers: Set<Instance>;
  /** Units worked second by second in the last tick. */
  lastWorked: Unit[];
  /** The list the next tick's worked units go into: the one before last, emptied, so a second allocates none. */
  nextWorked: Unit[];
  /** Units worked this second that came to rest or left it, recorded once the second is summed (see workloads.ts). */
  turned: Unit[];
  /** Attached volumes left with I/O queued by the tick `backloggedAt` (see backloggedVolumes). */
  backlogged: Volume[];
  backloggedAt: number;
  /** What the volumes of the units worked in the tick `backloggedAt` asked and delivered, summed as they were worked (see ebsTotals). */
  workedIo: { demandIops: number; deliveredIops: number; deliveredMiBps: number; maxQueue: number };
  /** Instances running. */
  running: number;
  /** Rates by what they depend on: volumes' (see partsOf) and instance types'. */
  volumeRates: RatesNode;
  /** The last path followed in `volumeRates`: the figures (type, size, IOPS, throughput of each volume) and where they led. */
  lastRatesPath: { figures: (string | number)[]; node: RatesNode };
  ebsRates: Map<string, EbsRates>;
}

const slot = derivedSlot<Roster>('roster');

export function rosterOf(world: World): Roster {
  return maintained(
    world,
    slot,
    () => build(world),
    (roster, touched) => update(world, roster, touched),
  );
}

/** Members in fleet order: the order their figures are summed in. */
export const byOrder = (a: Member, b: Member) => a.unit.order - b.unit.order;
const byThreshold = (a: Member, b: Member) => a.threshold - b.threshold || byOrder(a, b);

/** Running with both status checks passing: the network path is the remaining question. */
export function inService(inst: Instance): boolean {
  return (
    inst.state === 'running' &&
    inst.guestRestartUntil === null &&
    inst.checks.system !== 'impaired' &&
    inst.checks.instance !== 'impaired'
  );
}

// Plain loops in what runs once per instance when the roster is drawn up: no closure per call.

/** A stateful member answers only with its data set attached, not from an empty disk. */
export function holdsData(wl: Workload, volumes: readonly Volume[]): boolean {
  if (!wl.stateful) return true;
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.dataset === wl.name) return true;
  return false;
}

/** The place in `volumes` of the one a member's work lands on: its first data volume, else its root volume; -1 with none. */
function dataIndexOf(inst: Instance, volumes: readonly Volume[]): number {
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.id !== inst.rootVolumeId) return i;
  return volumes.length ? 0 : -1;
}

/** How many times `per` fits in `limit`: the demand a limit admits. */
function within(limit: number, per: number): number {
  return per > 0 ? limit / per : Infinity;
}

/** Where a workload's clients come from: the internet for a public one, else the VPC. */
export const clientAddress = (wl: Workload) => (wl.public ? INTERNET_CLIENT : VPC_CLIENT);

type Reaches = Map<string, (inst: Instance) => boolean>;

/**
 * Whether each workload's clients reach an instance, and for a workload that calls out to the
 * internet, whether the instance's way out is open too, asked as the network stands now.
 */
function reachesOf(world: World, roster: Roster): Reaches {
  const reaches: Reaches = new Map();
  for (const { workload: wl } of roster.teams) reaches.set(wl.name, reachedBy(world, wl));
  return reaches;
}

/**
 * Whether the clients of workload `wl` reach an instance, and for a workload that calls out to the
 * internet, whether its way out is open too, as the network stands now: the path worked out once
 * for all the instances asked about.
 */
export function reachedBy(world: World, wl: Workload): (inst: Instance) => boolean {
  const reach = reachability(world, 'tcp', wl.port, clientAddress(wl));
  const out = wl.egressPort === undefined ? null : egressOpen(world, 'tcp', wl.egressPort);
  return out ? (inst) => reach(inst) && out(inst) : reach;
}

/**
 * Marks what a rule added to or removed from a security group can change: the instances in the
 * group that serve a workload whose clients' traffic (TCP to its port, from its client address)
 * the rule matches. Nothing else the model keeps reads security groups, so a rule no workload's
 * traffic matches changes nothing and costs nothing.
 */
export function touchRuleChange(world: World, group: SecurityGroup, rule: SecurityGroupRule): void {
  const concerned = new Set<string>();
  for (const name in world.workloads) {
    const wl = world.workloads[name]!;
    if (ruleAdmits(world, rule, 'tcp', wl.port, clientAddress(wl))) concerned.add(name);
  }
  if (concerned.size === 0) return;
  // An indexed loop, as runningIn's (health.ts): it runs once, over the whole region.
  const instances = rows(world, 'instances');
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (!inst.workload || !concerned.has(inst.workload)) continue;
    if (world.enis[inst.eniId]?.securityGroupIds.includes(group.id)) touchReach(world, inst);
  }
}

function build(world: World): Roster {
  const rootRates = ratesNode();
  const roster: Roster = {
    lanes: lanesOf(world),
    teams: [],
    teamOf: new Map(),
    unitOf: new ByLaunch(),
    outOfService: new ByLaunch(),
    looseUnits: new Map(),
    restless: new Set(),
    storeFillers: new Set(),
    lastWorked: [],
    nextWorked: [],
    turned: [],
    backlogged: [],
    backloggedAt: -1,
    workedIo: { demandIops: 0, deliveredIops: 0, deliveredMiBps: 0, maxQueue: 0 },
    running: 0,
    volumeRates: rootRates,
    lastRatesPath: { figures: [], node: rootRates },
    ebsRates: new Map(),
  };
  for (const name in world.workloads) {
    const team: Team = {
      workload: world.workloads[name]!,
      byThreshold: [],
      demandRps: 0,
      worked: [],
      workedCount: 0,
      workedInOrder: [],
      listGen: 0,
      workedListed: 0,
      listServedRps: new Float64Array(0),
      listLatencyMs: new Float64Array(0),
      spareInOrder: [],
      spareServedRps: new Float64Array(0),
      spareLatencyMs: new Float64Array(0),
      workedServedRps: [],
      workedLatencyMs: [],
      newcomers: 0,
      restingWorked: new Map(),
      totalVcpu: 0,
      restingVcpu: new Map(),
      profiles: new Map(),
      profileByParts: new Map(),
    };
    roster.teamOf.set(name, team);
    roster.teams.push(team);
  }
  const reaches = reachesOf(world, roster);
  // Indexed loops: this runs once for each of a region's million instances, mostly before V8 has
  // optimized it, and an iterator there allocates a record at every step.
  const instances = rows(world, 'instances');
  // The members of every team, in one list made at its longest instead of grown step by step, and
  // by Array.from, without holes, as the lists inThresholdOrder is given in a team's changes are.
  const joined = Array.from({ length: instances.length }) as Member[];
  let count = 0;
  for (let i = 0; i < instances.length; i++) {
    const member = join(world, roster, reaches, instances[i]!);
    if (member) joined[count++] = member;
  }
  joined.length = count;
  const volumes = rows(world, 'volumes');
  for (let i = 0; i < volumes.length; i++) if (!volumes[i]!.attachment) joinLoose(roster, volumes[i]!);
  for (const team of roster.teams) team.byThreshold = inThresholdOrder(team, joined);
  return roster;
}

/**
 * The team's members of `members`, in the order byThreshold gives, without comparing a region's
 * million members with one another: a fleet's members fall into a few hundred thresholds (see
 * profileOf), so each member is placed by counting (the members of lower thresholds before it, and
 * of its own before it in `members`) into one list made at its full length, and a group not in
 * fleet order is then sorted in place.
 */
function inThresholdOrder(team: Team, members: readonly Member[]): Member[] {
  // By threshold group (see Profile.group): first the members of each, then where each group's next goes.
  const thresholds = [...team.profiles.keys()];
  const next = new Int32Array(thresholds.length);
  let count = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.team !== team) continue;
    next[m.group]++;
    count++;
  }
  let at = 0;
  for (const group of thresholds.map((_, g) => g).sort((a, b) => thresholds[a]! - thresholds[b]!)) {
    const size = next[group]!;
    next[group] = at;
    at += size;
  }
  // Made at its length by Array.from, not new Array: that one's slots start as holes, and V8 keeps
  // such a list as one that may have holes, unlike the lists a team's changes make (see resorted),
  // so the workloads' second would meet two kinds of list, and be compiled again, at a first change.
  const ordered = Array.from({ length: count }) as Member[];
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.team === team) ordered[next[m.group]++] = m;
  }
  for (let from = 0, to = 1; to <= count; to++) {
    if (to < count && ordered[to]!.threshold === ordered[from]!.threshold) continue;
    if (!inOrder(ordered, from, to)) sortRange(ordered, from, to);
    from = to;
  }
  return ordered;
}

/** Whether list[from, to) is in fleet order. */
function inOrder(list: readonly Member[], from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (byOrder(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

function sortRange(list: Member[], from: number, to: number): void {
  const part = list.slice(from, to).sort(byOrder);
  for (let i = 0; i < part.length; i++) list[from + i] = part[i]!;
}

/** Members that leave and join teams in one update of the roster, by team. */
class Moves {
  readonly left = new Map<Team, Set<Member>>();
  readonly joined = new Map<Team, Member[]>();

  leave(member: Member | null): void {
    if (member) this.left.set(member.team, (this.left.get(member.team) ?? new Set()).add(member));
  }

  enter(member: Member | null): void {
    if (!member) return;
    const list = this.joined.get(member.team);
    if (list) list.push(member);
    else this.joined.set(member.team, [member]);
  }
}

/**
 * Looks again at the touched instances and volumes. A unit whose own inputs stand as they were
 * (see samePartsAs) is kept, and only whether and how its instance serves is looked at again: a
 * zone's outage or a security group's rule changes thousands of members and none of their disks.
 * Every other touched unit leaves the roster and joins it as it is now. The passes over many
 * instances are functions of their own, small enough for V8 to optimize quickly when a
 * fleet-wide event first sends thousands through them.
 */
function update(world: World, roster: Roster, touched: Touched): void {
  const moves = new Moves();
  // A touched volume's instance, before and after, was touched with it.
  for (const v of touched.volumes) {
    const unit = roster.looseUnits.get(v);
    if (unit) moves.leave(drop(roster, unit));
  }
  const reaches = reachesOf(world, roster);
  const { kept, parts } = lookAgain(world, roster, reaches, touched, moves);
  // A zone impaired or restored: whether the network reaches its instances changed (see touchZone).
  const zones = touched.zones.size ? new Set([...touched.zones].map((z) => z.zoneId)) : null;
  if (zones)
    reconsiderAll(
      roster,
      reaches,
      touched,
      rows(world, 'instances').filter((inst) => zones.has(inst.zoneId)),
      moves,
    );
  // Instances whose status checks alone changed, outside those zones. Filtered first, so that in a
  // zone's outage, whose thousands are all among them, the pass runs over none: passed by in it,
  // they would have V8 compile the pass a second time in the same second.
  const checked = touched.checked;
  reconsiderAll(roster, reaches, touched, zones ? checked.filter((inst) => !zones.has(inst.zoneId)) : checked, moves);
  const only = touched.spotSignalsOnly;
  const joining: Instance[] = [];
  // An instance touched only in what reaches it keeps its unit, or, with none, still neither runs nor has volumes.
  for (const inst of stillListed(world, beyondReach(touched)))
    if (!only.has(inst) && !kept?.has(inst)) joining.push(inst);
  for (const inst of joining) moves.enter(join(world, roster, reaches, inst, parts?.get(inst)));
  for (const v of touched.volumes) if (world.volumes[v.id] === v && !v.attachment) joinLoose(roster, v);
  for (const team of roster.teams) {
    const gone = moves.left.get(team);
    const joined = moves.joined.get(team);
    const added = joined && gone ? replaceAlike(team.byThreshold, gone, joined) : joined;
    // The newcomers put in order by grouping them by threshold, as when the roster is drawn up: a
    // zone's restore brings back tens of thousands at once.
    if (gone?.size || added?.length)
      team.byThreshold = resorted(
        team.byThreshold,
        gone ?? new Set(),
        added && added.length > 1 ? inThresholdOrder(team, added) : (added ?? []),
        byThreshold,
      );
  }
}

/**
 * Looks again at each touched instance's unit. One touched only in its Spot signals stays as it is;
 * one touched only in what reaches it, or whose parts and running state stand as they were, is kept
 * and reconsidered; any other leaves the roster, to join it again as its instance is now (lending
 * its parts to the new unit when only its running state changed). Returns the instances whose
 * units were kept, and the parts lent.
 */
function lookAgain(
  world: World,
  roster: Roster,
  reaches: Reaches,
  touched: Touched,
  moves: Moves,
): { kept: Set<Instance> | null; parts: Map<Instance, Unit> | null } {
  const only = touched.spotSignalsOnly;
  const reach = touched.reachOnly;
  const attached = attachedAnew(touched);
  let kept: Set<Instance> | null = null;
  let parts: Map<Instance, Unit> | null = null;
  for (const inst of touched.instances) {
    const unit = only.has(inst) ? undefined : roster.unitOf.get(inst);
    if (!unit) continue;
    if (reach.has(inst)) {
      reconsider(roster, reaches, unit, moves);
      continue;
    }
    const same = isListed(world, inst) && samePartsAs(roster, unit, inst, touched, attached);
    if (same && unit.running === (inst.state === 'running')) {
      reconsider(roster, reaches, unit, moves);
      (kept ??= new Set()).add(inst);
      continue;
    }
    if (same) (parts ??= new Map()).set(inst, unit);
    moves.leave(drop(roster, unit));
  }
  return { kept, parts };
}

/**
 * Whether lookAgain looked at a touched instance: the passes below leave it out. Their instances
 * were not touched in the span, and every change to a unit's parts, to its instance's state or to
 * its place in the table touches the instance: each of their units stands as its instance does,
 * and only whether it serves can have changed.
 */
function lookedAt(touched: Touched, inst: Instance): boolean {
  return touched.instances.size > 0 && touched.instances.has(inst) && !touched.spotSignalsOnly.has(inst);
}

/**
 * Looks again at whether the units of `instances` serve, of those lookAgain did not look at (see
 * lookedAt). An indexed loop: it may run over a zone's thousands, mostly before V8 has optimized
 * it, and an iterator there allocates a record at every step.
 */
function reconsiderAll(
  roster: Roster,
  reaches: Reaches,
  touched: Touched,
  instances: readonly Instance[],
  moves: Moves,
): void {
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (lookedAt(touched, inst)) continue;
    const unit = roster.unitOf.get(inst);
    if (unit) reconsider(roster, reaches, unit, moves);
  }
}

/**
 * Whether a touched instance's unit has the parts joining now would give it: the same volumes, none
 * of them touched, and the same instance type. Attaching and detaching touch the volume, so a unit
 * none of whose volumes was touched, on an instance nothing was attached to (`attached`, see
 * attachedAnew), has its instance's volumes still. With the same running state too, the unit
 * still stands as it is: what its seconds have shown (at rest, quiet volumes, full buckets) holds,
 * since only a write to those makes it otherwise.
 */
function samePartsAs(
  roster: Roster,
  unit: Unit,
  inst: Instance,
  touched: Touched,
  attached: ReadonlySet<string>,
): boolean {
  if (unit.ebs !== ebsRatesOf(roster, inst.type)) return false;
  // Most spans touch no volume at all.
  if (touched.volumes.size === 0) return true;
  if (attached.has(inst.id)) return false;
  for (const v of unit.volumes) if (touched.volumes.has(v)) return false;
  return true;
}

/** The instances a touched volume is attached to now. */
function attachedAnew(touched: Touched): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const v of touched.volumes) if (v.attachment) ids.add(v.attachment.instanceId);
  return ids;
}

/**
 * Looks again at whether a kept unit's instance serves, and in which team, as join would: a member
 * that serves the same team stays as it was (its figures come from the same inputs); else the old
 * one leaves and a new one enters. The unit counts as not yet worked, as a new one would.
 */
function reconsider(roster: Roster, reaches: Reaches, unit: Unit, moves: Moves): void {
  const inst = unit.instance!;
  unit.workedAt = -1;
  const fills = unit.running && !!inst.workload && !!inst.instanceStore;
  if (fills !== roster.storeFillers.has(inst)) {
    if (fills) roster.storeFillers.add(inst);
    else roster.storeFillers.delete(inst);
  }
  const team = servingTeam(roster, reaches, inst, unit.volumes);
  const old = unit.member;
  if (old && old.team === team) return;
  if (old) {
    moves.leave(dropMember(unit));
    roster.outOfService.set(inst, old);
  }
  if (team) moves.enter(addMember(roster, unit, inst, team));
  settle(roster, unit);
}

/** The team an instance serves now, if any: its workload's, when it is in service, reached and holds the data. */
function servingTeam(roster: Roster, reaches: Reaches, inst: Instance, volumes: readonly Volume[]): Team | null {
  const team = inst.workload ? roster.teamOf.get(inst.workload) : undefined;
  return team && inService(inst) && reaches.get(inst.workload!)!(inst) && holdsData(team.workload, volumes)
    ? team
    : null;
}

/**
 * Puts each member that joined again just as it left (the same instance at the same threshold, so
 * the same place in the order) where it was, and takes the pair out of the changes still to make
 * (`gone` loses the old member); returns the members still to be placed.
 */
function replaceAlike(list: Member[], gone: Set<Member>, added: readonly Member[]): Member[] {
  const left = new Map<number, Member>();
  for (const m of gone) left.set(m.unit.order, m);
  const rest: Member[] = [];
  for (const m of added) {
    const old = left.get(m.unit.order);
    const i = old && old.threshold === m.threshold ? lowerBound(list, old, byThreshold) : -1;
    if (old && list[i] === old) {
      list[i] = m;
      gone.delete(old);
    } else rest.push(m);
  }
  return rest;
}

/**
 * Adds an instance's unit, and its member if it serves; the caller places the member in its team's
 * order. `like`, a unit it had with the same volumes and type (see samePartsAs), lends its
 * volumes and parts instead of their being looked up and keyed again.
 */
function join(world: World, roster: Roster, reaches: Reaches, inst: Instance, like?: Unit): Member | null {
  const volumes = like ? like.volumes : attachedTo(world, inst);
  const running = inst.state === 'running';
  const team = servingTeam(roster, reaches, inst, volumes);
  if (volumes.length === 0 && !team && !running) return null;
  const unit = new Unit(
    inst,
    volumes,
    like ? like.parts : partsOf(roster, volumes, ebsRatesOf(roster, inst.type), dataIndexOf(inst, volumes)),
    running,
    like ? like.lanes : lanesFor(roster.lanes, volumes),
  );
  roster.unitOf.set(inst, unit);
  if (running) roster.running++;
  if (running && inst.workload && inst.instanceStore) roster.storeFillers.add(inst);
  if (team) addMember(roster, unit, inst, team);
  enrol(roster, unit);
  return unit.member;
}

/**
 * Gives the unit its member in `team`, the one it had out of service if any (see
 * Roster.outOfService), and counts its vCPUs (with the team's resting ones, when the unit is at
 * rest); the caller places it in the team's order.
 */
function addMember(roster: Roster, unit: Unit, inst: Instance, team: Team): Member {
  // Nothing is out of service as the roster is drawn up: no look for each of a region's instances.
  const parked = roster.outOfService.size ? roster.outOfService.get(inst) : undefined;
  if (parked) roster.outOfService.delete(inst);
  const member = parked && parked.unit === unit && parked.team === team ? parked : newMember(unit, inst, team);
  unit.member = member;
  team.totalVcpu += member.vcpu;
  if (unit.atRest) addResting(member, member.vcpu);
  // Only a member's traffic moves its network bucket (see serve in workloads.ts).
  if (responseKiB(team.workload) === 0) unit.netFull = bucketFull(inst);
  return member;
}

/** The unit's member in `team`, made afresh. */
function newMember(unit: Unit, inst: Instance, team: Team): Member {
  return new Member(profileFor(team, inst.type, unit), unit);
}

/**
 * The member's shared record, found by what its figures follow from (its unit's parts: its
 * instance type's EBS rates and its data volume's rates, shared by units alike, see partsOf)
 * without working them out again for each of a region's million members; worked out afresh for a
 * unit whose rates move, whose parts are its own.
 */
function profileFor(team: Team, type: string, unit: Unit): Profile {
  const shared = !unit.volumes.some(ratesMove);
  const known = shared ? team.profileByParts.get(unit.parts) : undefined;
  if (known) return known;
  const data = unit.dataIndex < 0 ? null : unit.rates[unit.dataIndex]!;
  const vcpu = instanceType(type)!.vcpu;
  const profile = profileOf(team, vcpu, threshold(type, team.workload, vcpu, data), diskLatency(team.workload, data));
  if (shared) team.profileByParts.set(unit.parts, profile);
  return profile;
}

/** Takes the unit's member out of its team's sums; returns it, for the caller to take out of the team's order. */
function dropMember(unit: Unit): Member | null {
  const member = unit.member;
  if (!member) return null;
  member.team.totalVcpu -= member.vcpu;
  if (unit.atRest) addResting(member, -member.vcpu);
  unit.member = null;
  unit.netFull = null;
  return member;
}

/** Adds `vcpu` (negative to take away) to the member's team's resting vCPUs at its disk latency. */
function addResting(member: Member, vcpu: number): void {
  const resting = member.team.restingVcpu;
  resting.set(member.diskLatencyMs, (resting.get(member.diskLatencyMs) ?? 0) + vcpu);
}

/** The team's shared record of these figures, made the first time a member has them. */
function profileOf(team: Team, vcpu: number, threshold: number, diskLatencyMs: number): Profile {
  let alike = team.profiles.get(threshold);
  const group = alike ? alike[0]!.group : team.profiles.size;
  if (!alike) team.profiles.set(threshold, (alike = []));
  for (const p of alike) if (p.vcpu === vcpu && p.diskLatencyMs === diskLatencyMs) return p;
  const profile: Profile = { team, vcpu, threshold, diskLatencyMs, group };
  alike.push(profile);
  return profile;
}

/** A volume attached to nothing only earns back burst credits: it is worked until they are full. */
function joinLoose(roster: Roster, v: Volume): void {
  const volumes = [v];
  const unit = new Unit(null, volumes, partsOf(roster, volumes, null, 0), false, lanesFor(roster.lanes, volumes));
  roster.looseUnits.set(v, unit);
  enrol(roster, unit);
}

/** Takes a unit out of the roster and its sums; returns its member, for the caller to take out of its team's order. */
function drop(roster: Roster, unit: Unit): Member | null {
  if (unit.instance) {
    roster.unitOf.delete(unit.instance);
    roster.outOfService.delete(unit.instance);
  } else roster.looseUnits.delete(unit.volumes[0]!);
  roster.restless.delete(unit);
  if (unit.running) roster.running--;
  if (unit.instance) roster.storeFillers.delete(unit.instance);
  return dropMember(unit);
}

/** A new unit's volumes' lanes: taken for all of them when one has a lane (see Unit.lanes), else none. */
function lanesFor(lanes: VolumeLanes, volumes: readonly Volume[]): number[] | null {
  if (lanes.laneOf.size === 0) return null;
  for (const v of volumes) if (lanes.laneOf.has(v)) return volumes.map((x) => lanes.take(x));
  return null;
}

/** The unit's volumes' lanes, taken the first time it is worked. */
export function unitLanes(roster: Roster, unit: Unit): number[] {
  return (unit.lanes ??= unit.volumes.map((v) => roster.lanes.take(v)));
}

/**
 * Puts a new unit (not at rest until it is found so) in the restless set, or, standing at rest
 * already, in its team's resting sums: as being put in the set and settled at once would, without
 * a region's million units at rest passing through the set as the roster is drawn up.
 */
function enrol(roster: Roster, unit: Unit): void {
  if (!isAtRest(roster.lanes, unit)) {
    roster.restless.add(unit);
    return;
  }
  unit.atRest = true;
  const member = unit.member;
  if (member) addResting(member, member.vcpu);
}

/**
 * Records whether a unit is at rest now, moving it between the restless set and its team's resting
 * sums. A unit is in the restless set exactly while it is not at rest (a new unit joins it through
 * enrol).
 */
export function settle(roster: Roster, unit: Unit): void {
  const atRest = isAtRest(roster.lanes, unit);
  if (atRest === unit.atRest) return;
  if (atRest) roster.restless.delete(unit);
  else roster.restless.add(unit);
  unit.atRest = atRest;
  const member = unit.member;
  if (member) addResting(member, atRest ? member.vcpu : -member.vcpu);
}

/** Whether a unit's volumes and instance stand as at rest: nothing queued, stalled or loading, buckets full. */
export function isAtRest(lanes: VolumeLanes, unit: Unit): boolean {
  const { rates, quiet } = unit;
  const held = unit.lanes;
  for (let i = 0; i < rates.length; i++) {
    if (i < QUIET_VOLUMES && quiet & (1 << i)) continue;
    if (unit.unsteadyAt(i) && (unit.volumes[i]!.lazyLoad || unit.volumes[i]!.impaired)) return false;
    const lane = held ? held[i]! : -1;
    const queue = lane >= 0 ? lanes.queueLength[lane]! : storedIo(unit.volumes[i]!).queueLength;
    if (queue !== 0) return false;
    const credits = lane >= 0 ? lanes.credits[lane]! : storedCredits(unit.volumes[i]!);
    if (rates[i]!.burst && credits < rates[i]!.fullCredits) return false;
  }
  // A unit's running is its instance's state when it joined: a change of state marks the instance.
  const inst = unit.instance;
  if (inst === null || !unit.running) return true;
  const ebs = unit.ebs!;
  if (!unit.ebsFull && (inst.ebsBurst.megabits < ebs.fullMegabits || inst.ebsBurst.ios < ebs.fullIos)) return false;
  return unit.netFull ?? bucketFull(inst);
}

/**
 * Rates shared by units whose volumes are alike, as a tree: from the root, each volume in turn is
 * followed by its type, size, IOPS and throughput (what its rates depend on, see ratesMove), and a
 * list of volumes' rates is kept where its path ends. Looking a unit's rates up reads its volumes'
 * figures, where a key of them written out as text cost several strings for each of a region's
 * million units.
 */
interface RatesNode {
  readonly next: Map<string | number, RatesNode>;
  rates: readonly VolumeRates[] | null;
  /** The parts of units with these volumes' rates, one for each instance type's EBS rates and data volume. */
  parts: UnitParts[] | null;
}

const ratesNode = (): RatesNode => ({ next: new Map(), rates: null, parts: null });

function ratesStep(node: RatesNode, key: string | number): RatesNode {
  let next = node.next.get(key);
  if (!next) node.next.set(key, (next = ratesNode()));
  return next;
}

/**
 * The node of the volumes' figures. A fleet's units come mostly in runs of alike ones, so the path
 * last followed is tried first: its figures are compared with the volumes' instead of being looked
 * up again, step by step.
 */
function ratesPath(roster: Roster, volumes: readonly Volume[]): RatesNode {
  const last = roster.lastRatesPath;
  const figures = last.figures;
  let same = figures.length === volumes.length * 4;
  for (let i = 0; same && i < volumes.length; i++) {
    const v = volumes[i]!;
    same =
      figures[4 * i] === v.type &&
      figures[4 * i + 1] === v.sizeGiB &&
      figures[4 * i + 2] === v.iops &&
      figures[4 * i + 3] === v.throughputMiBps;
  }
  if (same) return last.node;
  let node = roster.volumeRates;
  figures.length = 0;
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i]!;
    node = ratesStep(ratesStep(ratesStep(ratesStep(node, v.type), v.sizeGiB), v.iops), v.throughputMiBps);
    figures.push(v.type, v.sizeGiB, v.iops, v.throughputMiBps);
  }
  last.node = node;
  return node;
}

/** A unit's parts, shared with every unit whose volumes are alike and whose EBS rates and data volume are the same (see RatesNode). */
function partsOf(roster: Roster, volumes: readonly Volume[], ebs: EbsRates | null, dataIndex: number): UnitParts {
  for (let i = 0; i < volumes.length; i++)
    if (ratesMove(volumes[i]!)) return { rates: volumes.map(volumeRates), ebs, dataIndex };
  const node = ratesPath(roster, volumes);
  const rates = (node.rates ??= volumes.map(volumeRates));
  const alike = (node.parts ??= []);
  for (let i = 0; i < alike.length; i++)
    if (alike[i]!.ebs === ebs && alike[i]!.dataIndex === dataIndex) return alike[i]!;
  const parts: UnitParts = { rates, ebs, dataIndex };
  alike.push(parts);
  return parts;
}

function ebsRatesOf(roster: Roster, type: string): EbsRates {
  let rates = roster.ebsRates.get(type);
  if (!rates) {
    const spec = instanceType(type)!;
    const full = fullEbsBucket(spec);
    rates = { spec: spec.ebs, fullMegabits: full.megabits, fullIos: full.ios };
    roster.ebsRates.set(type, rates);
  }
  return rates;
}

/**
 * The per-vCPU demand a member at rest can take without anything moving: its data volume within
 * its limits and (for burst types) within the baseline that keeps its credits full, and the
 * instance within its baseline EBS bandwidth and its baseline network allowances, so its buckets
 * stay full too.
 */
function threshold(type: string, wl: Workload, vcpu: number, data: VolumeRates | null): number {
  const spec = instanceType(type)!;
  const network = baselineRpsPerVcpu(spec, wl);
  if (!data || wl.iopsPerRequest <= 0) return network;
  const iopsPer = vcpu * wl.iopsPerRequest;
  const mibpsPer = (vcpu * wl.kibPerRequest) / 1024;
  // At rest the volume's credits are full: its limits are those it has with credits.
  const limits = data.withCredits;
  const ebs = spec.ebs;
  let bound = Math.min(
    network,
    within(limits.iops, iopsPer),
    within(limits.mibps, mibpsPer),
    within(ebs.baselineIops, iopsPer),
    within(ebs.baselineMbps, mibpsPer * MBPS_PER_MIBPS),
  );
  if (data.burst === 'io-credits') bound = Math.min(bound, within(data.baseline, iopsPer));
  if (data.burst === 'throughput-credits') bound = Math.min(bound, within(data.baseline, mibpsPer));
  return bound;
}

function diskLatency(wl: Workload, data: VolumeRates | null): number {
  return data && wl.iopsPerRequest > 0 ? data.latencyMs * Math.min(4, wl.iopsPerRequest) : 0;
}

/**
 * The instances serving a workload now and their vCPUs: the roster's rule (running, both checks
 * passing, reachable by the workload's clients, holding its data), as the workloads run it.
 */
export function servingCapacity(world: World, workload: string): { instances: number; vcpu: number } {
  const team = rosterOf(world).teamOf.get(workload);
  return { instances: team?.byThreshold.length ?? 0, vcpu: team?.totalVcpu ?? 0 };
}

/**
 * Attached volumes of units not at rest (those `which` picks, by default all): the only ones that
 * can have anything queued. In no fixed order, so that a second's look costs no sort of them all:
 * a caller that acts on some of them in turn puts those in fleet order first (byFleetOrder).
 */
export function queuedVolumes(world: World, which: (v: Volume) => boolean = () => true): Volume[] {
  const queued: Volume[] = [];
  for (const unit of rosterOf(world).restless)
    if (unit.instance !== null) for (const v of unit.volumes) if (which(v)) queued.push(v);
  return queued;
}

/**
 * Instances of units not at rest: the only ones whose EBS burst bucket can be below full, since a
 * running instance is at rest only with a full bucket. In no fixed order.
 */
export function unsettledInstances(world: World): Instance[] {
  const found: Instance[] = [];
  for (const unit of rosterOf(world).restless) if (unit.instance !== null) found.push(unit.instance);
  return found;
}

/**
 * Attached volumes with I/O queued after the last second, in no fixed order: those the last tick's
 * workloads left queued, noted as they were worked, else (when the world has not run a tick since
 * the roster was drawn up) those of units not at rest with a queue.
 */
export function backloggedVolumes(world: World): readonly Volume[] {
  const roster = rosterOf(world);
  if (roster.backloggedAt === world.tick - 1) return roster.backlogged;
  return queuedVolumes(world, (v) => ioOf(world, v).queueLength > 0);
}

/**
 * Sorts attached volumes into fleet order, in place: by their instance's launch, then by device
 * name, as each instance lists them, which is the same order however the roster was drawn up.
 * Each volume's place is looked up once, not at every comparison.
 */
export function inFleetOrder(world: World, volumes: Volume[]): Volume[] {
  if (volumes.length < 2) return volumes;
  const keyed = volumes.map((v) => ({ seq: world.instances[v.attachment!.instanceId]!.launchSeq, v }));
  keyed.sort((a, b) => a.seq - b.seq || (a.v.attachment!.device < b.v.attachment!.device ? -1 : 1));
  for (let i = 0; i < keyed.length; i++) volumes[i] = keyed[i]!.v;
  return volumes;
}

export function runningCount(world: World): number {
  return rosterOf(world).running;
}
