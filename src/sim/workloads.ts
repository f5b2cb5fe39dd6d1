// Workloads turn demand into served requests, latency and errors: the cost of an incident that
// players see and the score measures. Each second: demand is split over the healthy members by
// size, members put their I/O on their data volume, and what the disks and CPUs deliver decides
// what is served. Members whose units are at rest and whose threshold the demand has not passed
// serve exactly their share at their resting latency, so they are counted in bulk (see roster.ts).
import {
  idleSecond,
  networkShaper,
  shapeSecond,
  fitSecond,
  newNetworkSecond,
  responseKiB,
  type NetworkSecond,
} from './bandwidth.js';
import { deliverUnit, ioScratch } from './ebs-io.js';
import { drawNoise } from './rng.js';
import {
  byOrder,
  isAtRest,
  QUIET_VOLUMES,
  rosterOf,
  settle,
  unitLanes,
  type Member,
  type Team,
  type Unit,
} from './roster.js';
import type { Instance, Volume, VolumeIo, World, Workload, WorkloadKind } from './types.js';
import { volumeSpec } from './volume-types.js';
import { setDemand } from './volume-io.js';
import { IDLE_IO, ioOf, type VolumeLanes } from './volume-lanes.js';

/** Latency of a request that waits on nothing: network and application time. */
const BASE_LATENCY_MS: Record<WorkloadKind, number> = { web: 20, database: 2, batch: 100, stream: 10 };
/** Guests fill their instance store (cache, scratch) at this rate while running. */
const STORE_FILL_GB_PER_TICK = 1 / 60;
const STORE_FILL_LIMIT = 0.9;

function hourlyFactor(world: World, hourly: number[] | null): number {
  if (!hourly || hourly.length !== 24) return 1;
  const secondOfDay = Math.floor((((world.epochMs / 1000 + world.tick) % 86400) + 86400) % 86400);
  const hour = Math.floor(secondOfDay / 3600);
  const frac = (secondOfDay % 3600) / 3600;
  return hourly[hour]! + (hourly[(hour + 1) % 24]! - hourly[hour]!) * frac;
}

function demandOf(world: World, wl: Workload): number {
  const shape = wl.demand;
  const surge = wl.surge && world.tick < wl.surge.untilTick ? wl.surge.factor : 1;
  return Math.max(
    0,
    shape.baseRps *
      surge *
      hourlyFactor(world, shape.hourly) *
      (1 + shape.noise * drawNoise(world, `demand:${wl.name}`)),
  );
}

/** Requests per second per vCPU every member is asked for: demand split by size, up to what a vCPU serves. */
function perVcpu(team: Team, demandRps: number): number {
  return team.totalVcpu > 0 ? Math.min(demandRps / team.totalVcpu, team.workload.rpsPerVcpu) : 0;
}

/** What one member is asked to serve: its share of the demand by vCPUs, up to its capacity. */
function memberRps(member: Member, demandRps: number): number {
  const wl = member.team.workload;
  return Math.min((demandRps * member.vcpu) / member.team.totalVcpu, member.vcpu * wl.rpsPerVcpu);
}

/** One second of every workload: demand, the disks' delivery and what was served. */
export function runWorkloads(world: World): void {
  const roster = rosterOf(world);
  for (const inst of roster.storeFillers) fillInstanceStore(world, inst);
  const tick = world.tick;
  // The second's lists are written over from the start and then cut to length, never emptied:
  // setting an array's length to 0 gives V8 back its room, and at 100,000 hosts a list refilled
  // from nothing every second left copies of 100,000 entries that outlived the young generation,
  // for the collector to mark the whole heap again to free.
  const worked = roster.nextWorked;
  let workedCount = 0;
  const work = (unit: Unit) => {
    if (unit.workedAt === tick) return;
    unit.workedAt = tick;
    worked[workedCount++] = unit;
  };
  for (const team of roster.teams) {
    team.demandRps = demandOf(world, team.workload);
    const rho = perVcpu(team, team.demandRps);
    for (const m of team.byThreshold) {
      if (m.threshold >= rho) break;
      work(m.unit);
    }
  }
  for (const unit of roster.restless) work(unit);
  worked.length = workedCount;
  // Each unit worked this second, in one pass: it starts from no demand, its member puts its share
  // on its data volume, the disks deliver, and what the member served follows. Whether the unit is
  // now at rest is recorded only after the teams have summed this second (they count members by
  // whether they were at rest before it).
  const wants = ioScratch(world);
  const lanes = roster.lanes;
  const shaped = networkShaper(world);
  const turned = roster.turned;
  const backlogged = roster.backlogged;
  let backloggedCount = 0;
  let turnedCount = 0;
  // The fleet's EBS figures of the units worked, summed as ebsTotals would sum them after the
  // second, in the same order, while the volumes' records are at hand.
  const sums = roster.workedIo;
  let demandIops = 0;
  let deliveredIops = 0;
  let deliveredMiBps = 0;
  let maxQueue = 0;
  for (let u = 0; u < worked.length; u++) {
    const unit = worked[u]!;
    const held = unitLanes(roster, unit);
    for (let i = 0; i < held.length; i++) {
      if (i < QUIET_VOLUMES && unit.quiet & (1 << i)) continue;
      setDemand(lanes, held[i]!, 0, 0);
    }
    const m = unit.member;
    const rps = m !== null ? memberRps(m, m.team.demandRps) : 0;
    if (m?.hasData) {
      const wl = m.team.workload;
      setDemand(lanes, held[unit.dataIndex]!, rps * wl.iopsPerRequest, (rps * wl.kibPerRequest) / 1024);
    }
    deliverUnit(unit, lanes, held, wants);
    if (m !== null) serve(world, m, rps, lanes, shaped);
    else if (unit.running) idleSecond(unit.instance!);
    // A quiet volume (see Unit.quiet) adds nothing and has nothing queued.
    for (let i = 0; i < held.length; i++) {
      if (i < QUIET_VOLUMES && unit.quiet & (1 << i)) continue;
      const lane = held[i]!;
      const queueLength = lanes.queueLength[lane]!;
      demandIops += lanes.demandIops[lane]!;
      deliveredIops += lanes.deliveredIops[lane]!;
      deliveredMiBps += lanes.deliveredMiBps[lane]!;
      maxQueue = Math.max(maxQueue, queueLength);
      if (queueLength > 0 && unit.instance !== null) backlogged[backloggedCount++] = unit.volumes[i]!;
    }
    if (isAtRest(lanes, unit) !== unit.atRest) turned[turnedCount++] = unit;
  }
  backlogged.length = backloggedCount;
  turned.length = turnedCount;
  sums.demandIops = demandIops;
  sums.deliveredIops = deliveredIops;
  sums.deliveredMiBps = deliveredMiBps;
  sums.maxQueue = maxQueue;
  roster.backloggedAt = tick;
  for (const team of roster.teams) settleTeam(team, tick);
  for (let u = 0; u < turned.length; u++) settle(roster, turned[u]!);
  roster.nextWorked = roster.lastWorked;
  roster.lastWorked = worked;
}

/**
 * The team's members worked this second, in fleet order. Most seconds work the same members as the
 * last, which their serving counted (Team.workedListed), so last second's list is kept as it is
 * without a look at its members; otherwise those of it worked again keep their places, and only the
 * others are sorted and merged in.
 */
function workedInOrder(team: Team, tick: number): readonly Member[] {
  const last = team.workedInOrder;
  if (team.workedListed === last.length && team.worked.length === last.length) return last;
  const added: Member[] = [];
  for (const m of team.worked) if (m.listedIn !== team.listGen) added.push(m);
  added.sort(byOrder);
  // Written into the lists the last change left (see the second's lists in runWorkloads).
  const merged = team.spareInOrder;
  let count = 0;
  let a = 0;
  for (let i = 0; i < last.length; i++) {
    const m = last[i]!;
    // Served again: its unit worked, and still its member (a unit kept may have a new one).
    if (m.unit.workedAt !== tick || m.unit.member !== m) continue;
    while (a < added.length && added[a]!.unit.order < m.unit.order) merged[count++] = added[a++]!;
    merged[count++] = m;
  }
  while (a < added.length) merged[count++] = added[a++]!;
  merged.length = count;
  // Each member's figures move to its place in the new list: from its place in the last one, or, a
  // newcomer, from its place among those worked this second.
  const gen = team.listGen;
  const servedRps = roomFor(team.spareServedRps, count);
  const latencyMs = roomFor(team.spareLatencyMs, count);
  for (let i = 0; i < count; i++) {
    const m = merged[i]!;
    const listed = m.listedIn === gen;
    servedRps[i] = listed ? team.listServedRps[m.listPos]! : team.workedServedRps[m.listPos]!;
    latencyMs[i] = listed ? team.listLatencyMs[m.listPos]! : team.workedLatencyMs[m.listPos]!;
    m.listedIn = gen + 1;
    m.listPos = i;
  }
  team.listGen = gen + 1;
  team.spareServedRps = team.listServedRps;
  team.spareLatencyMs = team.listLatencyMs;
  team.spareInOrder = last;
  team.listServedRps = servedRps;
  team.listLatencyMs = latencyMs;
  team.workedInOrder = merged;
  return merged;
}

/** `figures` if it has room for `count`, else a longer array, with room to grow. */
function roomFor(figures: Float64Array, count: number): Float64Array {
  return figures.length >= count ? figures : new Float64Array(count + (count >> 1));
}

/**
 * What a member worked this second served of the `cpuServed` its CPUs took, and how fast (kept on
 * the member for its team's sums); `shaped` is working space for the network's second.
 */
function serve(world: World, m: Member, cpuServed: number, lanes: VolumeLanes, shaped: NetworkSecond): void {
  const wl = m.team.workload;
  const capacity = m.vcpu * wl.rpsPerVcpu;
  // The member's unit was worked this second: its lanes are taken.
  const lane = m.hasData ? m.unit.lanes![m.unit.dataIndex]! : -1;
  const demandIops = lane >= 0 ? lanes.demandIops[lane]! : 0;
  const ioRatio = demandIops > 0 ? Math.min(1, lanes.deliveredIops[lane]! / demandIops) : 1;
  // What the disks let through goes out on the network, within the instance's allowances; a
  // workload whose traffic is not modelled passes it untouched (all served, no delay).
  const net = responseKiB(wl) > 0 ? shapeSecond(world, m.unit.instance!, wl, cpuServed * ioRatio, shaped) : null;
  const servedRps = net ? cpuServed * ioRatio * net.served : cpuServed * ioRatio;
  const utilisation = Math.min(0.95, capacity > 0 ? cpuServed / capacity : 0);
  // Queueing at the CPU (M/M/1's 1 / (1 - u)) plus waiting on the disk for each I/O.
  const latencyMs =
    BASE_LATENCY_MS[wl.kind] / (1 - utilisation) +
    (lane >= 0 && wl.iopsPerRequest > 0 ? lanes.latencyMs[lane]! * Math.min(4, wl.iopsPerRequest) : 0) +
    (net ? net.delayMs : 0);
  const team = m.team;
  // What the team's sums need to know of the member, kept while its records are at hand: its
  // figures at its place in the list of members worked, or among this second's newcomers.
  if (m.listedIn === team.listGen) {
    team.listServedRps[m.listPos] = servedRps;
    team.listLatencyMs[m.listPos] = latencyMs;
    team.workedListed++;
  } else {
    m.listPos = team.newcomers++;
    team.workedServedRps[m.listPos] = servedRps;
    team.workedLatencyMs[m.listPos] = latencyMs;
  }
  team.worked[team.workedCount++] = m;
  if (m.unit.atRest) team.restingWorked.set(m.diskLatencyMs, (team.restingWorked.get(m.diskLatencyMs) ?? 0) + m.vcpu);
}

/** What the team served this second, how fast, and whether it met its SLO. */
function settleTeam(team: Team, tick: number): void {
  const { workload: wl, demandRps } = team;
  const rho = perVcpu(team, demandRps);
  const cpuLatency = BASE_LATENCY_MS[wl.kind] / (1 - (wl.rpsPerVcpu > 0 ? Math.min(0.95, rho / wl.rpsPerVcpu) : 0));
  team.worked.length = team.workedCount;
  team.workedServedRps.length = team.newcomers;
  team.workedLatencyMs.length = team.newcomers;
  const individual = workedInOrder(team, tick);
  team.workedCount = 0;
  team.newcomers = 0;
  team.workedListed = 0;
  // Members at rest and not worked this second: by disk latency, in a fixed order.
  let resting = team.restingVcpu;
  if (team.restingWorked.size) {
    resting = new Map(resting);
    for (const [diskMs, vcpu] of team.restingWorked) resting.set(diskMs, resting.get(diskMs)! - vcpu);
    team.restingWorked.clear();
  }
  let served = 0;
  let latencyWeighted = 0;
  for (const diskMs of resting.size > 1 ? [...resting.keys()].sort((a, b) => a - b) : resting.keys()) {
    const rps = rho * resting.get(diskMs)!;
    served += rps;
    latencyWeighted += rps * (cpuLatency + diskMs);
  }
  const listServed = team.listServedRps;
  const listLatency = team.listLatencyMs;
  for (let i = 0; i < individual.length; i++) {
    served += listServed[i]!;
    latencyWeighted += listLatency[i]! * listServed[i]!;
  }
  const errors = Math.max(0, demandRps - served);
  const latencyMs = served > 0 ? latencyWeighted / served : 0;
  // Written into the workload's record rather than made afresh: V8 made each second's new record
  // from the first one's layout, whole numbers where errors were 0, and after the first second with
  // a fraction of an error (a zone's outage) every second deoptimized here and in every reader.
  const last = wl.last;
  last.demandRps = demandRps;
  last.servedRps = served;
  last.errorRps = errors;
  last.latencyMs = latencyMs;
  last.healthyMembers = team.byThreshold.length;
  wl.stats.requests += demandRps;
  wl.stats.served += served;
  wl.stats.failed += errors;
  wl.stats.measuredSeconds += 1;
  if (withinSlo(wl)) wl.stats.goodSeconds += 1;
}

/**
 * Whether a workload's last second was within its SLO: no demand, or errors within its budget
 * (1 − availability, as a share of the demand) and mean latency within its objective (ms).
 */
export function withinSlo({ last, slo }: Workload): boolean {
  return (
    last.demandRps === 0 || (last.errorRps / last.demandRps <= 1 - slo.availability && last.latencyMs <= slo.latencyMs)
  );
}

function fillInstanceStore(world: World, inst: Instance): void {
  const store = inst.instanceStore!;
  // The disks went with a failed host: a guest stranded there writes nothing.
  if (world.hosts[inst.hostId!]!.health === 'failed') return;
  store.dataGB = Math.min(store.disks * store.diskGB * STORE_FILL_LIMIT, store.dataGB + STORE_FILL_GB_PER_TICK);
}

const UNAVAILABLE: VolumeIo = { ...IDLE_IO, limitedBy: 'unavailable' };

/**
 * A volume's I/O in the last second. Units worked second by second keep their figures in their
 * volumes' lanes (see volume-lanes.ts); a unit at rest was counted in bulk, and its figures are
 * what rest means: its member's share delivered in full, nothing queued, the volume's own latency.
 */
export function volumeIo(world: World, v: Volume): Readonly<VolumeIo> {
  const inst = v.attachment ? world.instances[v.attachment.instanceId] : undefined;
  const unit = inst && rosterOf(world).unitOf.get(inst);
  if (!unit || !unit.atRest || unit.workedAt === world.tick - 1) return ioOf(world, v);
  if (inst.state !== 'running') return UNAVAILABLE;
  const m = unit.member;
  const rps = m?.data === v && m.team.workload.iopsPerRequest > 0 ? memberRps(m, m.team.workload.last.demandRps) : 0;
  const iops = rps * (m?.team.workload.iopsPerRequest ?? 0);
  const mibps = (rps * (m?.team.workload.kibPerRequest ?? 0)) / 1024;
  return {
    demandIops: iops,
    demandMiBps: mibps,
    deliveredIops: iops,
    deliveredMiBps: mibps,
    queueLength: 0,
    latencyMs: volumeSpec(v.type).latencyMs,
    limitedBy: 'none',
  };
}

export interface EbsTotals {
  demandIops: number;
  deliveredIops: number;
  deliveredMiBps: number;
  maxQueue: number;
}

/** The fleet's EBS figures for the last second: units worked one by one, plus resting members in bulk. */
export function ebsTotals(world: World): EbsTotals {
  const roster = rosterOf(world);
  // The units worked: summed as they were worked when the world has not changed since (see
  // backloggedVolumes), else looked at again.
  const totals: EbsTotals =
    roster.backloggedAt === world.tick - 1 ? { ...roster.workedIo } : workedIo(world, roster.lastWorked);
  const workedVcpu = new Map<Team, number>();
  for (const unit of roster.lastWorked) {
    const m = unit.member;
    if (m && unit.atRest && m.diskLatencyMs > 0) workedVcpu.set(m.team, (workedVcpu.get(m.team) ?? 0) + m.vcpu);
  }
  for (const team of roster.teams) {
    const wl = team.workload;
    // Members that do no disk work rest at a disk latency of 0 and add no I/O.
    let vcpu = -(workedVcpu.get(team) ?? 0);
    for (const [diskMs, n] of team.restingVcpu) if (diskMs > 0) vcpu += n;
    const rps = perVcpu(team, wl.last.demandRps) * vcpu;
    totals.demandIops += rps * wl.iopsPerRequest;
    totals.deliveredIops += rps * wl.iopsPerRequest;
    totals.deliveredMiBps += (rps * wl.kibPerRequest) / 1024;
  }
  return totals;
}

/** What the volumes of `units` asked and delivered in the last second, summed in their order. */
function workedIo(world: World, units: readonly Unit[]): EbsTotals {
  const totals: EbsTotals = { demandIops: 0, deliveredIops: 0, deliveredMiBps: 0, maxQueue: 0 };
  for (const unit of units) {
    // A quiet volume (see Unit.quiet) adds nothing.
    for (let i = 0; i < unit.volumes.length; i++) {
      if (i < QUIET_VOLUMES && unit.quiet & (1 << i)) continue;
      const io = ioOf(world, unit.volumes[i]!);
      totals.demandIops += io.demandIops;
      totals.deliveredIops += io.deliveredIops;
      totals.deliveredMiBps += io.deliveredMiBps;
      totals.maxQueue = Math.max(totals.maxQueue, io.queueLength);
    }
  }
  return totals;
}

/**
 * An instance's network in the last second, against its allowances as they stand: what its share
 * of its workload's demand asks of the network and what fits. Null when it serves no workload
 * whose traffic is modelled.
 */
export function instanceNetwork(world: World, inst: Instance): NetworkSecond | null {
  const m = rosterOf(world).unitOf.get(inst)?.member;
  if (!m) return null;
  const f = fitSecond(inst, m.team.workload, memberRps(m, m.team.workload.last.demandRps), newNetworkSecond());
  return f.traffic.outPackets > 0 ? f : null;
}
