// How much I/O each attached volume delivers in one second. Delivery is capped by the volume's own
// limits (with gp2 / st1 / sc1 burst credits) AND by the attached instance's EBS bandwidth, which
// smaller sizes may exceed for 30 minutes a day from a burst bucket. Unserved demand queues in the
// guest's NVMe queue, and the queue is what users feel as latency; I/O that finds the queue full
// is not taken and fails back to the workload.
import { instanceType, type InstanceTypeSpec } from './catalogue.js';
import { EBS_BURST_REFILL_SECONDS, EBS_BURST_SECONDS } from './instances.js';
import { TICKS } from './timings.js';
import { MBPS_PER_MIBPS, type Unit } from './roster.js';
import type { Instance, Volume, World } from './types.js';
import { derived, derivedKind } from './derived.js';
import { burstBaseline, currentLimits, fullBurstCredits, volumeSpec, type Limits } from './volume-types.js';

/**
 * I/Os the guest keeps outstanding on one EBS NVMe device: this simulation's choice, after the
 * Linux NVMe driver's default io_queue_depth. By Little's law a full queue waits depth / IOPS, so
 * latency stays bounded however long a volume is saturated (EBS User Guide, "Amazon EBS I/O
 * characteristics and monitoring": latency follows queue length and IOPS).
 */
export const GUEST_QUEUE_DEPTH = 1024;
/** A stalled device's I/O times out after this long (Linux's default nvme io_timeout, seconds). */
const IO_TIMEOUT_SECONDS = 30;
/** Restored blocks are fetched from the regional store on first read: this much slower. */
const LAZY_LOAD_LATENCY_MS = 20;

/** One second of I/O units: each an instance with its volumes, or a volume on its own earning back credits. */
export function deliverUnits(world: World, units: readonly Unit[]): void {
  const wants = derived(world, WANTS);
  for (const unit of units) deliverUnit(unit, wants);
}

/** One unit's second, with `wants` for working figures. */
function deliverUnit(unit: Unit, wants: Want[]): void {
  const instance = unit.instance;
  const volumes = unit.volumes;
  if (volumes.length === 0) return;
  if (!instance) {
    for (const v of volumes) refillVolumeBurst(v, 0, 0);
    return;
  }
  if (instance.state !== 'running') {
    for (const v of volumes) {
      idle(v, 'unavailable');
      refillVolumeBurst(v, 0, 0);
    }
    return;
  }
  // What each volume could deliver on its own, summed for the instance.
  let count = 0;
  let iops = 0;
  let mbps = 0;
  for (const v of volumes) {
    if (v.impaired) {
      stall(v);
      continue;
    }
    const want = volumeWant(v, (wants[count++] ??= newWant()));
    iops += want.iops;
    mbps += want.mibps * MBPS_PER_MIBPS;
  }
  // The fraction of that the instance's EBS bandwidth admits: its maximum while the burst
  // bucket lasts, else its baseline.
  const ebs = instanceType(instance.type)!.ebs;
  const capIops = instance.ebsBurst.ios > 0 ? ebs.maxIops : ebs.baselineIops;
  const capMbps = instance.ebsBurst.megabits > 0 ? ebs.maxMbps : ebs.baselineMbps;
  const factor = Math.min(1, iops > 0 ? capIops / iops : 1, mbps > 0 ? capMbps / mbps : 1);
  spendInstanceBurst(instance, ebs, iops, mbps, factor);
  for (let w = 0; w < count; w++) settle(wants[w]!, factor);
}

function settle({ v, iops, mibps, limitIops, volumeBound }: Want, factor: number): void {
  const deliveredIops = iops * factor;
  const deliveredMiBps = mibps * factor;
  const limit = limitIops * factor;
  const backlogLeft = Math.max(0, v.io.demandIops + v.io.queueLength - deliveredIops);
  // What does not fit in the queue was never taken: the workload sees it fail (see workloads.ts).
  v.io.queueLength = Math.min(backlogLeft, GUEST_QUEUE_DEPTH);
  v.io.deliveredIops = deliveredIops;
  v.io.deliveredMiBps = deliveredMiBps;
  v.io.latencyMs =
    volumeSpec(v.type).latencyMs +
    (v.lazyLoad ? LAZY_LOAD_LATENCY_MS : 0) +
    (limit > 0 ? (1000 * v.io.queueLength) / limit : 0);
  v.io.limitedBy = factor < 1 ? 'instance' : volumeBound ? 'volume' : 'none';
  refillVolumeBurst(v, deliveredIops, deliveredMiBps);
  hydrate(v, deliveredMiBps);
}

/** An impaired volume completes nothing and its queue fills. */
function stall(v: Volume): void {
  v.io.deliveredIops = 0;
  v.io.deliveredMiBps = 0;
  v.io.queueLength = Math.min(v.io.queueLength + v.io.demandIops, GUEST_QUEUE_DEPTH);
  v.io.latencyMs = IO_TIMEOUT_SECONDS * 1000;
  v.io.limitedBy = 'unavailable';
}

interface Want {
  v: Volume;
  iops: number;
  mibps: number;
  limitIops: number;
  volumeBound: boolean;
  /** The volume's limits this second, written here rather than into a new object per volume. */
  limits: Limits;
}

/** Working figures of one instance's volumes, reused from instance to instance and tick to tick. */
const WANTS = derivedKind<Want[]>('I/O working figures', () => []);

const newWant = (): Want => ({
  v: null!,
  iops: 0,
  mibps: 0,
  limitIops: 0,
  volumeBound: false,
  limits: { iops: 0, mibps: 0 },
});

/** What the volume would deliver if the instance did not stand in the way, written into `want`. */
function volumeWant(v: Volume, want: Want): Want {
  const limits = currentLimits(v, v.burstCredits > 0, want.limits);
  const offeredIops = v.io.demandIops + v.io.queueLength;
  const ioKiB = v.io.demandIops > 0 ? (v.io.demandMiBps * 1024) / v.io.demandIops : volumeSpec(v.type).ioSizeKiB;
  // A throughput ceiling is an IOPS ceiling at the workload's I/O size.
  const limitIops = Math.min(limits.iops, ioKiB > 0 ? (limits.mibps * 1024) / ioKiB : limits.iops);
  const iops = Math.min(offeredIops, limitIops);
  want.v = v;
  want.iops = iops;
  want.mibps = (iops * ioKiB) / 1024;
  want.limitIops = limitIops;
  want.volumeBound = offeredIops > limitIops;
  return want;
}

function idle(v: Volume, limitedBy: Volume['io']['limitedBy']): void {
  v.io.deliveredIops = 0;
  v.io.deliveredMiBps = 0;
  v.io.queueLength = 0;
  v.io.latencyMs = 0;
  v.io.limitedBy = limitedBy;
}

/** gp2 earns I/O credits at its baseline and spends them above it; st1 / sc1 do the same in MiB. */
function refillVolumeBurst(v: Volume, deliveredIops: number, deliveredMiBps: number): void {
  const burst = volumeSpec(v.type).burst;
  if (!burst) return;
  const used = burst.kind === 'io-credits' ? deliveredIops : deliveredMiBps;
  v.burstCredits = Math.max(0, Math.min(fullBurstCredits(v.type, v.sizeGiB), v.burstCredits + burstBaseline(v) - used));
}

/**
 * Instance burst bucket: spent by whatever runs above baseline; refilled only while the volumes ask
 * for less than baseline, at a rate that makes a full bucket take 24 hours ("30 minutes once every
 * 24 hours"). An instance held at its baseline by an empty bucket is not under it and earns nothing.
 */
function spendInstanceBurst(
  instance: Instance,
  ebs: InstanceTypeSpec['ebs'],
  iops: number,
  mbps: number,
  factor: number,
): void {
  const b = instance.ebsBurst;
  b.megabits = burstAfter(
    b.megabits,
    mbps,
    factor,
    ebs.baselineMbps,
    (ebs.maxMbps - ebs.baselineMbps) * EBS_BURST_SECONDS,
  );
  b.ios = burstAfter(b.ios, iops, factor, ebs.baselineIops, (ebs.maxIops - ebs.baselineIops) * EBS_BURST_SECONDS);
}

function burstAfter(balance: number, wanted: number, factor: number, baseline: number, full: number): number {
  if (wanted <= baseline) return Math.min(full, balance + full / EBS_BURST_REFILL_SECONDS);
  return Math.max(0, balance - Math.max(0, wanted * factor - baseline));
}

/** Lazy loading from a snapshot: blocks arrive as they are read, plus a steady background fetch. */
function hydrate(v: Volume, deliveredMiBps: number): void {
  if (!v.lazyLoad) return;
  v.lazyLoad.remainingGiB = Math.max(0, v.lazyLoad.remainingGiB - deliveredMiBps / 1024 - TICKS.hydrateGiBPerTick);
  if (v.lazyLoad.remainingGiB === 0) v.lazyLoad = null;
}

/** Instance EBS burst balance as CloudWatch's EBSByteBalance%: 100 when full or when there is no burst. */
export function ebsByteBalancePct(instance: Instance): number {
  const ebs = instanceType(instance.type)!.ebs;
  const full = (ebs.maxMbps - ebs.baselineMbps) * EBS_BURST_SECONDS;
  return full > 0 ? (100 * instance.ebsBurst.megabits) / full : 100;
}

/** Volume burst balance as CloudWatch's BurstBalance, or null for types without credits. */
export function burstBalancePct(v: Volume): number | null {
  const full = fullBurstCredits(v.type, v.sizeGiB);
  return full > 0 ? (100 * v.burstCredits) / full : null;
}

/** Instance EBS I/O burst balance as CloudWatch's EBSIOBalance%: 100 when full or when there is no burst. */
export function ebsIoBalancePct(instance: Instance): number {
  const ebs = instanceType(instance.type)!.ebs;
  const full = (ebs.maxIops - ebs.baselineIops) * EBS_BURST_SECONDS;
  return full > 0 ? (100 * instance.ebsBurst.ios) / full : 100;
}
