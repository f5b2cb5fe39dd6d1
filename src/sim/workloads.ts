// Workloads turn demand into served requests, latency and errors: the cost of an incident that
// players see and the score measures. Each second: demand is split over the healthy members by
// size, members put their I/O on their data volume, and what the disks and CPUs deliver decides
// what is served.
import { instanceType } from './catalogue.js';
import { drawNoise } from './rng.js';
import { reachability } from './network.js';
import type { Instance, Volume, World, Workload, WorkloadKind } from './types.js';
import { rows } from './tables.js';
import { attachedByRow } from './volumes.js';

/** Latency of a request that waits on nothing: network and application time. */
const BASE_LATENCY_MS: Record<WorkloadKind, number> = { web: 20, database: 2, batch: 100, stream: 10 };
/** Guests fill their instance store (cache, scratch) at this rate while running. */
const STORE_FILL_GB_PER_TICK = 1 / 60;
const STORE_FILL_LIMIT = 0.9;

/** Clients inside the VPC, for workloads that are not public: an application tier's address. */
const VPC_CLIENT = '10.0.255.10';

/** A second's plan for one workload. Healthy members sit in parallel lists, not an object each, so a tick allocates nothing per member. */
export interface WorkloadPlan {
  workload: Workload;
  demandRps: number;
  totalVcpu: number;
  /** Each healthy member's vCPUs. */
  vcpus: number[];
  /** The volume each healthy member's work lands on. */
  volumes: (Volume | null)[];
}

/** A member's part of the demand, by its share of the healthy members' vCPUs. */
const shareRps = (plan: WorkloadPlan, vcpu: number) => (plan.demandRps * vcpu) / plan.totalVcpu;
const capacityRps = (wl: Workload, vcpu: number) => vcpu * wl.rpsPerVcpu;

function hourlyFactor(world: World, hourly: number[] | null): number {
  if (!hourly || hourly.length !== 24) return 1;
  const secondOfDay = Math.floor(((world.epochMs / 1000 + world.tick) % 86400 + 86400) % 86400);
  const hour = Math.floor(secondOfDay / 3600);
  const frac = (secondOfDay % 3600) / 3600;
  return hourly[hour]! + (hourly[(hour + 1) % 24]! - hourly[hour]!) * frac;
}

/** A stateful member answers only with its data set attached, not from an empty disk. */
function holdsData(wl: Workload, volumes: readonly Volume[]): boolean {
  return !wl.stateful || volumes.some((v) => v.dataset === wl.name);
}

/** The volume a member's work lands on: its first data volume, else its root volume. */
function dataVolume(inst: Instance, volumes: readonly Volume[]): Volume | null {
  return volumes.find((v) => v.id !== inst.rootVolumeId) ?? volumes[0] ?? null;
}

/** Clears last second's demand: this second's plan sets it afresh on the volumes in use. */
function clearDemand(world: World): void {
  for (const v of rows(world.volumes)) {
    v.io.demandIops = 0;
    v.io.demandMiBps = 0;
  }
}

/** Phase one: demand, its split over healthy members, and the I/O it asks of their volumes. */
export function planWorkloads(world: World): WorkloadPlan[] {
  const instances = rows(world.instances);
  const attached = attachedByRow(world);
  // Members by workload, as positions in the instance rows so their volumes come with them.
  const byWorkload = new Map<string, number[]>();
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (!inst.workload) continue;
    fillInstanceStore(world, inst);
    const list = byWorkload.get(inst.workload);
    if (list) list.push(i);
    else byWorkload.set(inst.workload, [i]);
  }
  clearDemand(world);
  const plans: WorkloadPlan[] = [];
  for (const name in world.workloads) {
    const wl = world.workloads[name]!;
    const shape = wl.demand;
    const demandRps = Math.max(0, shape.baseRps * hourlyFactor(world, shape.hourly) * (1 + shape.noise * drawNoise(world, `demand:${name}`)));
    const reaches = wl.public ? reachability(world, 'tcp', wl.port) : reachability(world, 'tcp', wl.port, VPC_CLIENT);
    const plan: WorkloadPlan = { workload: wl, demandRps, totalVcpu: 0, vcpus: [], volumes: [] };
    const healthy: number[] = [];
    for (const i of byWorkload.get(name) ?? []) {
      const inst = instances[i]!;
      if (!inService(inst) || !reaches(inst) || !holdsData(wl, attached[i]!)) continue;
      healthy.push(i);
      plan.totalVcpu += instanceType(inst.type)!.vcpu;
    }
    for (const i of healthy) {
      const instance = instances[i]!;
      const vcpu = instanceType(instance.type)!.vcpu;
      const volume = dataVolume(instance, attached[i]!);
      if (volume) {
        const rps = Math.min(shareRps(plan, vcpu), capacityRps(wl, vcpu));
        volume.io.demandIops = rps * wl.iopsPerRequest;
        volume.io.demandMiBps = (rps * wl.kibPerRequest) / 1024;
      }
      plan.vcpus.push(vcpu);
      plan.volumes.push(volume);
    }
    plans.push(plan);
  }
  return plans;
}

/** Running with both status checks passing: the network path is the remaining question. */
function inService(inst: Instance): boolean {
  return inst.state === 'running' && inst.checks.system !== 'impaired' && inst.checks.instance !== 'impaired';
}

/** Phase two, after the disks have delivered: what was served, how fast, and the SLO. */
export function settleWorkloads(plans: WorkloadPlan[]): void {
  for (const plan of plans) {
    const { workload: wl, demandRps } = plan;
    const members = plan.vcpus.length;
    let served = 0;
    let latencyWeighted = 0;
    for (let k = 0; k < members; k++) {
      const capacity = capacityRps(wl, plan.vcpus[k]!);
      const cpuServed = Math.min(shareRps(plan, plan.vcpus[k]!), capacity);
      const io = plan.volumes[k]?.io;
      const ioRatio = io && io.demandIops > 0 ? Math.min(1, io.deliveredIops / io.demandIops) : 1;
      const memberServed = cpuServed * ioRatio;
      const utilisation = Math.min(0.95, capacity > 0 ? cpuServed / capacity : 0);
      // Queueing at the CPU (M/M/1's 1 / (1 - u)) plus waiting on the disk for each I/O.
      const latency = BASE_LATENCY_MS[wl.kind] / (1 - utilisation) + (io && wl.iopsPerRequest > 0 ? io.latencyMs * Math.min(4, wl.iopsPerRequest) : 0);
      served += memberServed;
      latencyWeighted += latency * memberServed;
    }
    const errors = Math.max(0, demandRps - served);
    const latencyMs = served > 0 ? latencyWeighted / served : 0;
    wl.last = { demandRps, servedRps: served, errorRps: errors, latencyMs, healthyMembers: members };
    wl.stats.requests += demandRps;
    wl.stats.served += served;
    wl.stats.failed += errors;
    wl.stats.measuredSeconds += 1;
    const errorBudget = 1 - wl.slo.availability;
    const good = demandRps === 0 || (errors / demandRps <= errorBudget && latencyMs <= wl.slo.latencyMs);
    if (good) wl.stats.goodSeconds += 1;
  }
}

function fillInstanceStore(world: World, inst: Instance): void {
  const store = inst.instanceStore;
  // The disks went with a failed host: a guest stranded there writes nothing.
  if (!store || inst.state !== 'running' || world.hosts[inst.hostId!]!.health === 'failed') return;
  store.dataGB = Math.min(store.disks * store.diskGB * STORE_FILL_LIMIT, store.dataGB + STORE_FILL_GB_PER_TICK);
}
