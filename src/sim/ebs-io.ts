// How much I/O each attached volume delivers in one second. Delivery is capped by the volume's own
// limits (with gp2 / st1 / sc1 burst credits) AND by the attached instance's EBS bandwidth, which
// smaller sizes may exceed for 30 minutes a day from a burst bucket. Unserved demand queues, and
// the queue is what users feel as latency.
import { instanceType } from './catalogue.js';
import { EBS_BURST_REFILL_SECONDS, EBS_BURST_SECONDS } from './instances.js';
import { TICKS } from './timings.js';
import type { Instance, Volume, World } from './types.js';
import { burstBaseline, currentLimits, fullBurstCredits, volumeSpec } from './volume-types.js';
import { rows } from './tables.js';

/** Megabits per second in one MiB per second. */
const MBPS_PER_MIBPS = 8.388608;
/** Clients give up on I/O that has waited this long; the queue never holds more. */
const QUEUE_SECONDS = 30;
/** Restored blocks are fetched from the regional store on first read: this much slower. */
const LAZY_LOAD_LATENCY_MS = 20;

interface InstanceCap {
  iops: number;
  mbps: number;
}

/** The instance's EBS ceiling this second: its maximum while the burst bucket lasts, else baseline. */
function instanceCap(instance: Instance): InstanceCap {
  const ebs = instanceType(instance.type)!.ebs;
  return {
    iops: instance.ebsBurst.ios > 0 ? ebs.maxIops : ebs.baselineIops,
    mbps: instance.ebsBurst.megabits > 0 ? ebs.maxMbps : ebs.baselineMbps,
  };
}

function serving(world: World, volume: Volume): Instance | null {
  if (!volume.attachment) return null;
  const instance = world.instances[volume.attachment.instanceId];
  return instance && instance.state === 'running' ? instance : null;
}

export function deliverIo(world: World): void {
  // First pass: what each volume could deliver on its own, summed per instance.
  const active: { v: Volume; instance: Instance; want: ReturnType<typeof volumeWant> }[] = [];
  const offeredByInstance = new Map<string, { iops: number; mbps: number }>();
  for (const v of rows(world.volumes)) {
    const instance = serving(world, v);
    if (!instance) {
      if (v.attachment) idle(v, 'unavailable');
      refillVolumeBurst(v, 0, 0);
    } else if (v.impaired) {
      stall(v);
    } else {
      const want = volumeWant(v);
      active.push({ v, instance, want });
      const sum = offeredByInstance.get(instance.id) ?? { iops: 0, mbps: 0 };
      sum.iops += want.iops;
      sum.mbps += want.mibps * MBPS_PER_MIBPS;
      offeredByInstance.set(instance.id, sum);
    }
  }
  // The fraction of its volumes' wanted I/O each instance's EBS bandwidth admits.
  const factorByInstance = new Map<string, number>();
  for (const [instanceId, offered] of offeredByInstance) {
    const instance = world.instances[instanceId]!;
    const cap = instanceCap(instance);
    const factor = Math.min(1, offered.iops > 0 ? cap.iops / offered.iops : 1, offered.mbps > 0 ? cap.mbps / offered.mbps : 1);
    factorByInstance.set(instanceId, factor);
    spendInstanceBurst(instance, offered, factor);
  }
  // Second pass: settle each volume.
  for (const { v, instance, want } of active) {
    const factor = factorByInstance.get(instance.id)!;
    const deliveredIops = want.iops * factor;
    const deliveredMiBps = want.mibps * factor;
    const limitIops = want.limitIops * factor;
    const backlogLeft = Math.max(0, v.io.demandIops + v.io.queueLength - deliveredIops);
    v.io.queueLength = Math.min(backlogLeft, v.io.demandIops * QUEUE_SECONDS);
    v.io.deliveredIops = deliveredIops;
    v.io.deliveredMiBps = deliveredMiBps;
    v.io.latencyMs = volumeSpec(v.type).latencyMs + (v.lazyLoad ? LAZY_LOAD_LATENCY_MS : 0) + (limitIops > 0 ? (1000 * v.io.queueLength) / limitIops : 0);
    v.io.limitedBy = factor < 1 ? 'instance' : want.volumeBound ? 'volume' : 'none';
    refillVolumeBurst(v, deliveredIops, deliveredMiBps);
    hydrate(v, deliveredMiBps);
  }
}

/** An impaired volume completes nothing and its queue fills. */
function stall(v: Volume): void {
  v.io.deliveredIops = 0;
  v.io.deliveredMiBps = 0;
  v.io.queueLength = Math.min(v.io.queueLength + v.io.demandIops, v.io.demandIops * QUEUE_SECONDS);
  v.io.latencyMs = QUEUE_SECONDS * 1000;
  v.io.limitedBy = 'unavailable';
}

/** What the volume would deliver if the instance did not stand in the way. */
function volumeWant(v: Volume) {
  const limits = currentLimits(v);
  const offeredIops = v.io.demandIops + v.io.queueLength;
  const ioKiB = v.io.demandIops > 0 ? (v.io.demandMiBps * 1024) / v.io.demandIops : volumeSpec(v.type).ioSizeKiB;
  // A throughput ceiling is an IOPS ceiling at the workload's I/O size.
  const limitIops = Math.min(limits.iops, ioKiB > 0 ? (limits.mibps * 1024) / ioKiB : limits.iops);
  const iops = Math.min(offeredIops, limitIops);
  return { iops, mibps: (iops * ioKiB) / 1024, limitIops, volumeBound: offeredIops > limitIops };
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
function spendInstanceBurst(instance: Instance, offered: { iops: number; mbps: number }, factor: number): void {
  const ebs = instanceType(instance.type)!.ebs;
  const b = instance.ebsBurst;
  b.megabits = burstAfter(b.megabits, offered.mbps, factor, ebs.baselineMbps, (ebs.maxMbps - ebs.baselineMbps) * EBS_BURST_SECONDS);
  b.ios = burstAfter(b.ios, offered.iops, factor, ebs.baselineIops, (ebs.maxIops - ebs.baselineIops) * EBS_BURST_SECONDS);
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
