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
 * credits), from the demand on its volumes' io; `wants` holds working figures (see ioScratch).
 */
export function deliverUnit(unit: Unit, wants: Want[]): void {
  const { instance, volumes, rates } = unit;
  const n = volumes.length;
  if (n === 0) return;
  if (!instance) {
    for (let i = 0; i < n; i++) refillVolumeBurst(volumes[i]!, rates[i]!, 0, 0);
    return;
  }
  // A unit's running is its instance's state when it joined: a change of state marks the instance.
  if (!unit.running) {
    for (let i = 0; i < n; i++) {
      idle(volumes[i]!, 'unavailable');
      refillVolumeBurst(volumes[i]!, rates[i]!, 0, 0);
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
    const v = volumes[i]!;
    if (v.impaired) {
      stall(v);
      continue;
    }
    const want = volumeWant(v, rates[i]!, (wants[count++] ??= newWant()));
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
  if (unit.quietBound !== bound) boundQuiet(unit, bound);
  for (let w = 0; w < count; w++) {
    const want = wants[w]!;
    settle(want, factor);
    if (want.index !== unit.dataIndex && want.index < QUIET_VOLUMES && standsIdle(want.v, want.rates)) {
      unit.quiet |= 1 << want.index;
      if (factor < 1) unit.quietBound |= 1 << want.index;
    }
  }
}

/** Nothing asked or queued, nothing loading, its bucket full: an idle second leaves it so. */
function standsIdle(v: Volume, rates: VolumeRates): boolean {
  return (
    v.io.demandIops === 0 &&
    v.io.queueLength === 0 &&
    !v.lazyLoad &&
    !v.impaired &&
    (!rates.burst || v.burstCredits === rates.fullCredits)
  );
}

/** Quiet volumes say whether the instance limited them this second, as a worked idle volume would. */
function boundQuiet(unit: Unit, bound: number): void {
  for (let i = 0; i < QUIET_VOLUMES && i < unit.volumes.length; i++) {
    const bit = 1 << i;
    if ((unit.quietBound & bit) !== (bound & bit)) setLimitedBy(unit.volumes[i]!, bound & bit ? 'instance' : 'none');
  }
  unit.quietBound = bound;
}

function settle(want: Want, factor: number): void {
  const { v, rates, iops, mibps, limitIops, volumeBound } = want;
  const io = v.io;
  const deliveredIops = iops * factor;
  const deliveredMiBps = mibps * factor;
  const limit = limitIops * factor;
  const backlogLeft = Math.max(0, io.demandIops + io.queueLength - deliveredIops);
  // What does not fit in the queue was never taken: the workload sees it fail (see workloads.ts).
  const queueLength = Math.min(backlogLeft, GUEST_QUEUE_DEPTH);
  setDelivery(
    v,
    deliveredIops,
    deliveredMiBps,
    queueLength,
    rates.latencyMs + (v.lazyLoad ? LAZY_LOAD_LATENCY_MS : 0) + (limit > 0 ? (1000 * queueLength) / limit : 0),
    factor < 1 ? 'instance' : volumeBound ? 'volume' : 'none',
  );
  refillVolumeBurst(v, rates, deliveredIops, deliveredMiBps);
  hydrate(v, deliveredMiBps);
}

/** An impaired volume completes nothing and its queue fills. */
function stall(v: Volume): void {
  const queueLength = Math.min(v.io.queueLength + v.io.demandIops, GUEST_QUEUE_DEPTH);
  setDelivery(v, 0, 0, queueLength, IO_TIMEOUT_SECONDS * 1000, 'unavailable');
}

export interface Want {
  v: Volume;
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
  v: null!,
  index: 0,
  rates: null!,
  iops: 0,
  mibps: 0,
  limitIops: 0,
  volumeBound: false,
});

/** What the volume would deliver if the instance did not stand in the way, written into `want`. */
function volumeWant(v: Volume, rates: VolumeRates, want: Want): Want {
  const io = v.io;
  const limits = v.burstCredits > 0 ? rates.withCredits : rates.withoutCredits;
  const offeredIops = io.demandIops + io.queueLength;
  const ioKiB = io.demandIops > 0 ? (io.demandMiBps * 1024) / io.demandIops : rates.ioSizeKiB;
  // A throughput ceiling is an IOPS ceiling at the workload's I/O size.
  const limitIops = Math.min(limits.iops, ioKiB > 0 ? (limits.mibps * 1024) / ioKiB : limits.iops);
  const iops = Math.min(offeredIops, limitIops);
  want.v = v;
  want.rates = rates;
  want.iops = iops;
  want.mibps = (iops * ioKiB) / 1024;
  want.limitIops = limitIops;
  want.volumeBound = offeredIops > limitIops;
  return want;
}

function idle(v: Volume, limitedBy: Volume['io']['limitedBy']): void {
  setDelivery(v, 0, 0, 0, 0, limitedBy);
}

/** gp2 earns I/O credits at its baseline and spends them above it; st1 / sc1 do the same in MiB. */
function refillVolumeBurst(v: Volume, rates: VolumeRates, deliveredIops: number, deliveredMiBps: number): void {
  if (!rates.burst) return;
  const used = rates.burst === 'io-credits' ? deliveredIops : deliveredMiBps;
  v.burstCredits = Math.max(0, Math.min(rates.fullCredits, v.burstCredits + rates.baseline - used));
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
