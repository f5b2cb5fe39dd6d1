// How much I/O each attached volume delivers in one second. Delivery is capped by the volume's own
// limits (with gp2 / st1 / sc1 burst credits) AND by the attached instance's EBS bandwidth, which
// smaller sizes may exceed for 30 minutes a day from a burst bucket. Unserved demand queues in the
// guest's NVMe queue, and the queue is what users feel as latency; I/O that finds the queue full
// is not taken and fails back to the workload.
import { instanceType } from './catalogue.js';
import { EBS_BURST_REFILL_SECONDS, EBS_BURST_SECONDS, ebsBucket } from './instances.js';
import { TICKS } from './timings.js';
import { MBPS_PER_MIBPS, QUIET_VOLUMES, type EbsRates, type Unit } from './roster.js';
import type { Instance, Volume, World } from './types.js';
import { derived, derivedKind } from './derived.js';
import { fullBurstCredits, type VolumeRates } from './volume-types.js';
import { setDelivery, setLimitedBy } from './volume-io.js';
import { creditsOf, LIMITED, type VolumeLanes } from './volume-lanes.js';

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

/** The world's working figures for deliverUnit, reused from unit to unit and tick to tick. */
export function ioScratch(world: World): Want[] {
  return derived(world, WANTS);
}

/**
 * One second of an I/O unit (an instance with its volumes, or a volume on its own earning back
 * credits), from the demand in its volumes' lanes (`lanes`, the unit's, taken: see unitLanes);
 * `wants` holds working figures (see ioScratch).
 */
export function deliverUnit(unit: Unit, lanes: VolumeLanes, held: readonly number[], wants: Want[]): void {
  const { instance, rates } = unit;
  const n = held.length;
  if (n === 0) return;
  // Compared with null, not tested for truth: a truth test reads the record's map, a miss of the
  // processor's caches on a record that the second of a unit whose EBS bucket is full never reads.
  if (instance === null) {
    for (let i = 0; i < n; i++) refillVolumeBurst(lanes, held[i]!, rates[i]!, 0, 0);
    return;
  }
  // A unit's running is its instance's state when it joined: a change of state marks the instance.
  if (!unit.running) {
    for (let i = 0; i < n; i++) {
      setDelivery(lanes, held[i]!, 0, 0, 0, 0, LIMITED.unavailable);
      refillVolumeBurst(lanes, held[i]!, rates[i]!, 0, 0);
    }
    return;
  }
  // What each volume could deliver on its own, summed for the instance.
  // A quiet volume (see Unit.quiet) would add nothing and be left as it is: it is passed by.
  let count = 0;
  let iops = 0;
  let mbps = 0;
  for (let i = 0; i < n; i++) {
    if (i < QUIET_VOLUMES && unit.quiet & (1 << i)) continue;
    if (unit.unsteadyAt(i) && unit.volumes[i]!.impaired) {
      stall(lanes, held[i]!);
      continue;
    }
    const want = volumeWant(lanes, held[i]!, rates[i]!, (wants[count++] ??= newWant()));
    want.index = i;
    iops += want.iops;
    mbps += want.mibps * MBPS_PER_MIBPS;
  }
  // The fraction of that the instance's EBS bandwidth admits: its maximum while the burst
  // bucket lasts, else its baseline. A full bucket asked no more than baseline stays full.
  const ebs = unit.ebs!;
  const spec = ebs.spec;
  const full = unit.ebsFull && iops <= spec.baselineIops && mbps <= spec.baselineMbps;
  const capIops = (full ? ebs.fullIos : instance.ebsBurst.ios) > 0 ? spec.maxIops : spec.baselineIops;
  const capMbps = (full ? ebs.fullMegabits : instance.ebsBurst.megabits) > 0 ? spec.maxMbps : spec.baselineMbps;
  const factor = Math.min(1, iops > 0 ? capIops / iops : 1, mbps > 0 ? capMbps / mbps : 1);
  if (!full) {
    spendInstanceBurst(instance, ebs, iops, mbps, factor);
    unit.ebsFull = instance.ebsBurst.megabits === ebs.fullMegabits && instance.ebsBurst.ios === ebs.fullIos;
  }
  const bound = factor < 1 ? unit.quiet : 0;
  if (unit.quietBound !== bound) boundQuiet(unit, lanes, held, bound);
  for (let w = 0; w < count; w++) {
    const want = wants[w]!;
    const i = want.index;
    const v = unit.unsteadyAt(i) ? unit.volumes[i]! : null;
    settle(lanes, want, v, factor);
    if (i !== unit.dataIndex && i < QUIET_VOLUMES && standsIdle(lanes, want.lane, want.rates, v)) {
      unit.quiet |= 1 << i;
      if (factor < 1) unit.quietBound |= 1 << i;
    }
  }
}

/**
 * Nothing asked or queued, nothing loading, its bucket full: an idle second leaves it so. `v`, the
 * volume, is given when it may be impaired or loading (see Unit.unsteady).
 */
function standsIdle(lanes: VolumeLanes, lane: number, rates: VolumeRates, v: Volume | null): boolean {
  return (
    lanes.demandIops[lane] === 0 &&
    lanes.queueLength[lane] === 0 &&
    !v?.lazyLoad &&
    !v?.impaired &&
    (!rates.burst || lanes.credits[lane] === rates.fullCredits)
  );
}

/** Quiet volumes say whether the instance limited them this second, as a worked idle volume would. */
function boundQuiet(unit: Unit, lanes: VolumeLanes, held: readonly number[], bound: number): void {
  for (let i = 0; i < QUIET_VOLUMES && i < held.length; i++) {
    const bit = 1 << i;
    if ((unit.quietBound & bit) !== (bound & bit))
      setLimitedBy(lanes, held[i]!, bound & bit ? LIMITED.instance : LIMITED.none);
  }
  unit.quietBound = bound;
}

/** Settles a volume's second at the fraction `factor` of what it wanted; `v` as for standsIdle. */
function settle(lanes: VolumeLanes, want: Want, v: Volume | null, factor: number): void {
  const { lane, rates, iops, mibps, limitIops, volumeBound } = want;
  const deliveredIops = iops * factor;
  const deliveredMiBps = mibps * factor;
  const limit = limitIops * factor;
  const backlogLeft = Math.max(0, lanes.demandIops[lane]! + lanes.queueLength[lane]! - deliveredIops);
  // What does not fit in the queue was never taken: the workload sees it fail (see workloads.ts).
  const queueLength = Math.min(backlogLeft, GUEST_QUEUE_DEPTH);
  setDelivery(
    lanes,
    lane,
    deliveredIops,
    deliveredMiBps,
    queueLength,
    rates.latencyMs + (v?.lazyLoad ? LAZY_LOAD_LATENCY_MS : 0) + (limit > 0 ? (1000 * queueLength) / limit : 0),
    factor < 1 ? LIMITED.instance : volumeBound ? LIMITED.volume : LIMITED.none,
  );
  refillVolumeBurst(lanes, lane, rates, deliveredIops, deliveredMiBps);
  if (v !== null) hydrate(v, deliveredMiBps);
}

/** An impaired volume completes nothing and its queue fills. */
function stall(lanes: VolumeLanes, lane: number): void {
  const queueLength = Math.min(lanes.queueLength[lane]! + lanes.demandIops[lane]!, GUEST_QUEUE_DEPTH);
  setDelivery(lanes, lane, 0, 0, queueLength, IO_TIMEOUT_SECONDS * 1000, LIMITED.unavailable);
}

export interface Want {
  /** The volume's lane. */
  lane: number;
  /** The volume's place in its unit's list. */
  index: number;
  rates: VolumeRates;
  iops: number;
  mibps: number;
  limitIops: number;
  volumeBound: boolean;
}

/** Working figures of one instance's volumes, reused from instance to instance and tick to tick. */
const WANTS = derivedKind<Want[]>('I/O working figures', () => []);

const newWant = (): Want => ({
  lane: 0,
  index: 0,
  rates: null!,
  iops: 0,
  mibps: 0,
  limitIops: 0,
  volumeBound: false,
});

/** What the volume would deliver if the instance did not stand in the way, written into `want`. */
function volumeWant(lanes: VolumeLanes, lane: number, rates: VolumeRates, want: Want): Want {
  const demandIops = lanes.demandIops[lane]!;
  const limits = lanes.credits[lane]! > 0 ? rates.withCredits : rates.withoutCredits;
  const offeredIops = demandIops + lanes.queueLength[lane]!;
  const ioKiB = demandIops > 0 ? (lanes.demandMiBps[lane]! * 1024) / demandIops : rates.ioSizeKiB;
  // A throughput ceiling is an IOPS ceiling at the workload's I/O size.
  const limitIops = Math.min(limits.iops, ioKiB > 0 ? (limits.mibps * 1024) / ioKiB : limits.iops);
  const iops = Math.min(offeredIops, limitIops);
  want.lane = lane;
  want.rates = rates;
  want.iops = iops;
  want.mibps = (iops * ioKiB) / 1024;
  want.limitIops = limitIops;
  want.volumeBound = offeredIops > limitIops;
  return want;
}

/** gp2 earns I/O credits at its baseline and spends them above it; st1 / sc1 do the same in MiB. */
function refillVolumeBurst(
  lanes: VolumeLanes,
  lane: number,
  rates: VolumeRates,
  deliveredIops: number,
  deliveredMiBps: number,
): void {
  if (!rates.burst) return;
  const used = rates.burst === 'io-credits' ? deliveredIops : deliveredMiBps;
  lanes.credits[lane] = Math.max(0, Math.min(rates.fullCredits, lanes.credits[lane]! + rates.baseline - used));
}

/**
 * Instance burst bucket: spent by whatever runs above baseline; refilled only while the volumes ask
 * for less than baseline, at a rate that makes a full bucket take 24 hours ("30 minutes once every
 * 24 hours"). An instance held at its baseline by an empty bucket is not under it and earns nothing.
 */
function spendInstanceBurst(instance: Instance, ebs: EbsRates, iops: number, mbps: number, factor: number): void {
  let b = instance.ebsBurst;
  // A full bucket may be its type's shared record (sharedFullEbsBucket), shared also in a copy of
  // the world: it is never written into, and the instance takes a record of its own.
  if (b.megabits === ebs.fullMegabits && b.ios === ebs.fullIos) instance.ebsBurst = b = ebsBucket(b.megabits, b.ios);
  b.megabits = burstAfter(b.megabits, mbps, factor, ebs.spec.baselineMbps, ebs.fullMegabits);
  b.ios = burstAfter(b.ios, iops, factor, ebs.spec.baselineIops, ebs.fullIos);
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
export function burstBalancePct(world: World, v: Volume): number | null {
  const full = fullBurstCredits(v.type, v.sizeGiB);
  return full > 0 ? (100 * creditsOf(world, v)) / full : null;
}

/** Instance EBS I/O burst balance as CloudWatch's EBSIOBalance%: 100 when full or when there is no burst. */
export function ebsIoBalancePct(instance: Instance): number {
  const ebs = instanceType(instance.type)!.ebs;
  const full = (ebs.maxIops - ebs.baselineIops) * EBS_BURST_SECONDS;
  return full > 0 ? (100 * instance.ebsBurst.ios) / full : 100;
}
