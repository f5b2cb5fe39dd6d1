// Who does the fleet's work, drawn up afresh whenever something happens (see changes.ts): each
// workload's serving members, and the fleet's I/O units (an instance with its volumes, or a volume
// on its own). Most units spend most seconds at rest: queues empty, burst buckets full, asking less
// than their baselines. A unit at rest stays exactly as it is for as long as its demand stays under
// its member's threshold, so a second's work covers only the units that are not at rest and the
// members whose threshold this second's demand has passed; the rest are counted in bulk.
import { instanceType } from './catalogue.js';
import { derived, derivedSlot } from './changes.js';
import { fullEbsBucket } from './instances.js';
import { reachability } from './network.js';
import { rows } from './tables.js';
import type { Instance, Volume, World, Workload } from './types.js';
import { attachedTo } from './volumes.js';
import { burstBaseline, currentLimits, fullBurstCredits, volumeSpec } from './volume-types.js';

/** Megabits per second in one MiB per second. */
export const MBPS_PER_MIBPS = 8.388608;

/** Clients inside the VPC, for workloads that are not public: an application tier's address. */
const VPC_CLIENT = '10.0.255.10';

export interface Unit {
  /** Null for a volume attached to nothing. */
  instance: Instance | null;
  /** Position in fleet order: instances' units first, in instance order, then loose volumes. */
  order: number;
  volumes: readonly Volume[];
  /** The member serving from this unit, if any. */
  member: Member | null;
  /** Queues empty, buckets full, nothing stalled or hydrating: with no demand over threshold, a second changes nothing. */
  atRest: boolean;
  /** The last tick this unit's I/O was worked out second by second, leaving its volumes' io figures current. */
  workedAt: number;
}

export interface Member {
  team: Team;
  /** Position among the team's members in fleet order: the order their figures are summed in. */
  index: number;
  vcpu: number;
  /** The volume the member's work lands on: its first data volume, else its root volume. */
  data: Volume | null;
  /** Per-vCPU demand (requests per second) up to which a unit at rest stays at rest. */
  threshold: number;
  /** Milliseconds each request waits on the disk when nothing queues. */
  diskLatencyMs: number;
  unit: Unit;
}

export interface Team {
  workload: Workload;
  members: Member[];
  /** Members in order of threshold, lowest first, for finding those this second's demand passes. */
  byThreshold: Member[];
  /** This second's demand, requests per second. */
  demandRps: number;
  /** Members worked second by second in the current tick. */
  worked: Member[];
  totalVcpu: number;
  /**
   * vCPUs of members whose units are at rest, by disk latency: integers, so that adding and removing
   * members leaves exactly the same sums whatever the order.
   */
  restingVcpu: Map<number, number>;
}

export interface Roster {
  teams: Team[];
  /** Units with an instance, by instance. */
  unitOf: Map<Instance, Unit>;
  /** Units not at rest: worked every second until they are. */
  restless: Set<Unit>;
  /** Running workload instances whose guests are filling their instance store. */
  storeFillers: Instance[];
  /** Units worked second by second in the last tick. */
  lastWorked: Unit[];
  /** Instances running. */
  running: number;
}

const slot = derivedSlot<Roster>();

export function rosterOf(world: World): Roster {
  return derived(world, slot, () => build(world));
}

/** Running with both status checks passing: the network path is the remaining question. */
export function inService(inst: Instance): boolean {
  return inst.state === 'running' && inst.checks.system !== 'impaired' && inst.checks.instance !== 'impaired';
}

// Plain loops in what runs once per instance when the roster is drawn up: no closure per call.

/** A stateful member answers only with its data set attached, not from an empty disk. */
function holdsData(wl: Workload, volumes: readonly Volume[]): boolean {
  if (!wl.stateful) return true;
  for (const v of volumes) if (v.dataset === wl.name) return true;
  return false;
}

function dataVolume(inst: Instance, volumes: readonly Volume[]): Volume | null {
  for (const v of volumes) if (v.id !== inst.rootVolumeId) return v;
  return volumes[0] ?? null;
}

/** How many times `per` fits in `limit`: the demand a limit admits. */
function within(limit: number, per: number): number {
  return per > 0 ? limit / per : Infinity;
}

function build(world: World): Roster {
  const roster: Roster = { teams: [], unitOf: new Map(), restless: new Set(), storeFillers: [], lastWorked: [], running: 0 };
  const teams = new Map<string, Team>();
  const reaches = new Map<string, (inst: Instance) => boolean>();
  for (const name in world.workloads) {
    const wl = world.workloads[name]!;
    const team: Team = { workload: wl, members: [], byThreshold: [], demandRps: 0, worked: [], totalVcpu: 0, restingVcpu: new Map() };
    teams.set(name, team);
    roster.teams.push(team);
    reaches.set(name, wl.public ? reachability(world, 'tcp', wl.port) : reachability(world, 'tcp', wl.port, VPC_CLIENT));
  }
  let order = 0;
  for (const inst of rows(world.instances)) {
    const volumes = attachedTo(world, inst);
    if (inst.state === 'running') roster.running++;
    if (inst.workload && inst.instanceStore && inst.state === 'running') roster.storeFillers.push(inst);
    const team = inst.workload ? teams.get(inst.workload) : undefined;
    const serves = !!team && inService(inst) && reaches.get(inst.workload!)!(inst) && holdsData(team.workload, volumes);
    if (volumes.length === 0 && !serves) continue;
    const unit: Unit = { instance: inst, order: order++, volumes, member: null, atRest: false, workedAt: -1 };
    roster.unitOf.set(inst, unit);
    if (serves) {
      const vcpu = instanceType(inst.type)!.vcpu;
      const data = dataVolume(inst, volumes);
      const member: Member = { team, index: team.members.length, vcpu, data, threshold: threshold(inst, team.workload, vcpu, data), diskLatencyMs: diskLatency(team.workload, data), unit };
      unit.member = member;
      team.members.push(member);
      team.totalVcpu += vcpu;
    }
    settle(roster, unit);
  }
  // A volume attached to nothing only earns back burst credits: it is worked until they are full.
  for (const v of rows(world.volumes)) {
    if (v.attachment) continue;
    settle(roster, { instance: null, order: order++, volumes: [v], member: null, atRest: false, workedAt: -1 });
  }
  for (const team of roster.teams) team.byThreshold = [...team.members].sort((a, b) => a.threshold - b.threshold || a.index - b.index);
  return roster;
}

/** Records whether a unit is at rest now, moving it between the restless set and its team's resting sums. */
export function settle(roster: Roster, unit: Unit): void {
  const atRest = isAtRest(unit);
  if (atRest) roster.restless.delete(unit);
  else roster.restless.add(unit);
  if (atRest === unit.atRest) return;
  unit.atRest = atRest;
  const member = unit.member;
  if (member) {
    const resting = member.team.restingVcpu;
    resting.set(member.diskLatencyMs, (resting.get(member.diskLatencyMs) ?? 0) + (atRest ? member.vcpu : -member.vcpu));
  }
}

function isAtRest(unit: Unit): boolean {
  for (const v of unit.volumes) {
    if (v.io.queueLength !== 0 || v.lazyLoad || v.impaired) return false;
    if (volumeSpec(v.type).burst && v.burstCredits < fullBurstCredits(v.type, v.sizeGiB)) return false;
  }
  const inst = unit.instance;
  if (inst?.state !== 'running') return true;
  const full = fullEbsBucket(instanceType(inst.type)!);
  return inst.ebsBurst.megabits >= full.megabits && inst.ebsBurst.ios >= full.ios;
}

/**
 * The per-vCPU demand a member at rest can take without anything moving: its data volume within
 * its limits and (for burst types) within the baseline that keeps its credits full, and the
 * instance within its baseline EBS bandwidth, so its bucket stays full too.
 */
function threshold(inst: Instance, wl: Workload, vcpu: number, data: Volume | null): number {
  if (!data || wl.iopsPerRequest <= 0) return Infinity;
  const iopsPer = vcpu * wl.iopsPerRequest;
  const mibpsPer = (vcpu * wl.kibPerRequest) / 1024;
  // At rest the volume's credits are full: its limits are those it has with credits.
  const limits = currentLimits(data, true);
  const ebs = instanceType(inst.type)!.ebs;
  let bound = Math.min(within(limits.iops, iopsPer), within(limits.mibps, mibpsPer), within(ebs.baselineIops, iopsPer), within(ebs.baselineMbps, mibpsPer * MBPS_PER_MIBPS));
  const burst = volumeSpec(data.type).burst;
  if (burst?.kind === 'io-credits') bound = Math.min(bound, within(burstBaseline(data), iopsPer));
  if (burst?.kind === 'throughput-credits') bound = Math.min(bound, within(burstBaseline(data), mibpsPer));
  return bound;
}

function diskLatency(wl: Workload, data: Volume | null): number {
  return data && wl.iopsPerRequest > 0 ? volumeSpec(data.type).latencyMs * Math.min(4, wl.iopsPerRequest) : 0;
}

/** Attached volumes of units not at rest, in fleet order: the only ones that can have anything queued. */
export function queuedVolumes(world: World): Volume[] {
  const units = [...rosterOf(world).restless].filter((u) => u.instance).sort((a, b) => a.order - b.order);
  return units.flatMap((u) => u.volumes);
}

export function runningCount(world: World): number {
  return rosterOf(world).running;
}
