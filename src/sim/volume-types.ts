// EBS volume-type rules, read from the sourced data file: which sizes and provisioned figures a
// type accepts, what a volume of given size may deliver, and its burst bucket.
import data from './data/ebs-volume-types.json' with { type: 'json' };
import { refuse } from './errors.js';
import { VOLUME_TYPES, type Volume, type VolumeType } from './types.js';

interface VolumeTypeSpec {
  /** Which figures a request may set for this type; the others follow from its size. */
  provisioned: { iops: boolean; throughput: boolean };
  class: 'ssd' | 'hdd';
  minGiB: number;
  maxGiB: number;
  iops: { min: number | null; baseline: number | null; perGiB: number | null; max: number; maxPerGiB: number | null };
  throughputMiBps: {
    baseline: number | null;
    max: number;
    maxPerIops: number | null;
    bySize: { upToGiB: number | null; maxMiBps: number; needsBurstCredits: boolean }[] | null;
    byIops: { upToIops: number; maxPerIops: number; capMiBps: number }[] | null;
    baselinePerTiB: number | null;
    burstPerTiB: number | null;
  };
  burst: {
    kind: 'io-credits' | 'throughput-credits';
    burstIops: number | null;
    bucketSize: number | null;
    bucketMiBPerTiB: number | null;
    appliesBelowGiB: number | null;
  } | null;
  latencyMs: number;
  ioSizeKiB: number;
  usdPerGiBMonth: number;
  usdPerIopsMonth: number | null;
  usdPerMiBpsMonth: number | null;
}

const SPECS = (data as unknown as { types: Record<VolumeType, VolumeTypeSpec> }).types;

export function volumeSpec(type: VolumeType): VolumeTypeSpec {
  return SPECS[type];
}

/** The types that take a figure: `iops` or `throughput`, in the table's order. */
export function typesProvisioning(figure: keyof VolumeTypeSpec['provisioned']): VolumeType[] {
  return VOLUME_TYPES.filter((t) => SPECS[t].provisioned[figure]);
}

const largest = (of: (spec: VolumeTypeSpec) => number) => Math.max(...VOLUME_TYPES.map((t) => of(SPECS[t])));

/**
 * What a request may ask of any volume type, before its own type's limits are checked: the
 * command and level bounds (size in GiB, IOPS, MiB/s), each from 1 to the largest in the table.
 */
export const VOLUME_BOUNDS = {
  sizeGiB: [1, largest((s) => s.maxGiB)],
  iops: [1, largest((s) => s.iops.max)],
  throughputMiBps: [1, largest((s) => s.throughputMiBps.max)],
} as const satisfies Record<string, readonly [number, number]>;

/** gp2's size-scaled baseline: 3 IOPS per GiB, at least 100, at most 16,000. */
function scaledIops(spec: VolumeTypeSpec, sizeGiB: number): number {
  return Math.min(spec.iops.max, Math.max(spec.iops.min ?? 0, spec.iops.perGiB! * sizeGiB));
}

/**
 * IOPS a volume changed to a type that provisions them (io1, io2, gp3) gets when the change names
 * none (EC2 API reference, "ModifyVolume": Iops, "If you change the volume type to io1, io2, or
 * gp3, the default is 3,000"); a change within one type keeps the volume's own.
 */
export const TYPE_CHANGE_IOPS = 3000;

/**
 * Checks size and provisioned figures against the type's rules and fills in gp3's included
 * 3,000 IOPS and 125 MiB/s. io1 and io2 have no default: their IOPS are required (EC2 API
 * reference, "CreateVolume": Iops, "This parameter is required for io1 and io2 volumes"), refused
 * with MissingParameter. The IOPS a volume includes whatever its size (gp3's 3,000) are allowed
 * at any size; only IOPS above them are held to the type's IOPS per GiB ("Amazon EBS General
 * Purpose SSD volumes": gp3 "delivers a consistent baseline IOPS performance of 3,000 IOPS ...
 * included with the price of storage" for every size from 1 GiB).
 */
export function resolvePerformance(
  type: VolumeType,
  sizeGiB: number,
  iops: number | null,
  throughputMiBps: number | null,
): { iops: number; throughputMiBps: number } {
  const spec = SPECS[type];
  if (!spec)
    refuse('InvalidParameterValue', `unknown volume type ${type} (types: ${[...VOLUME_TYPES].sort().join(', ')})`);
  if (!Number.isInteger(sizeGiB) || sizeGiB < spec.minGiB || sizeGiB > spec.maxGiB) {
    refuse('InvalidParameterValue', `${type} volumes are ${spec.minGiB}-${spec.maxGiB} GiB, not ${sizeGiB}`);
  }
  if (iops !== null && !spec.provisioned.iops)
    refuse('InvalidParameterCombination', `${type} volumes do not take --iops`);
  if (throughputMiBps !== null && !spec.provisioned.throughput)
    refuse(
      'InvalidParameterCombination',
      `only ${typesProvisioning('throughput').join(', ')} volumes take --throughput`,
    );

  if (!spec.provisioned.iops) {
    return {
      iops: spec.iops.perGiB ? scaledIops(spec, sizeGiB) : spec.iops.max,
      throughputMiBps: throughputCap(type, sizeGiB, 0),
    };
  }
  const included = spec.iops.baseline ?? 0;
  const iopsCeiling = Math.max(included, Math.min(spec.iops.max, spec.iops.maxPerGiB! * sizeGiB));
  if (iops === null && spec.iops.baseline === null)
    refuse('MissingParameter', `${type} volumes need --iops: ${spec.iops.min}-${iopsCeiling} for ${sizeGiB} GiB`);
  const wantIops = iops ?? included;
  if (!Number.isInteger(wantIops) || wantIops < spec.iops.min! || wantIops > iopsCeiling) {
    refuse(
      'InvalidParameterValue',
      `a ${sizeGiB} GiB ${type} volume takes ${spec.iops.min}-${iopsCeiling} IOPS (${included ? `${included} included, more at ` : ''}${spec.iops.maxPerGiB} per GiB, at most ${spec.iops.max}), not ${wantIops}`,
    );
  }
  if (!spec.provisioned.throughput) return { iops: wantIops, throughputMiBps: throughputCap(type, sizeGiB, wantIops) };
  const wantThroughput = throughputMiBps ?? spec.throughputMiBps.baseline!;
  const throughputCeiling = Math.min(spec.throughputMiBps.max, Math.floor(wantIops * spec.throughputMiBps.maxPerIops!));
  if (
    !Number.isInteger(wantThroughput) ||
    wantThroughput < spec.throughputMiBps.baseline! ||
    wantThroughput > throughputCeiling
  ) {
    refuse(
      'InvalidParameterValue',
      `a ${type} volume with ${wantIops} IOPS takes ${spec.throughputMiBps.baseline}-${throughputCeiling} MiB/s (${spec.throughputMiBps.maxPerIops} MiB/s per IOPS), not ${wantThroughput}`,
    );
  }
  return { iops: wantIops, throughputMiBps: wantThroughput };
}

/** The throughput a volume may reach with burst credits in hand. */
function throughputCap(type: VolumeType, sizeGiB: number, iops: number): number {
  const spec = SPECS[type];
  const t = spec.throughputMiBps;
  if (t.bySize) return t.bySize.find((b) => b.upToGiB === null || sizeGiB <= b.upToGiB)!.maxMiBps;
  if (t.byIops) {
    const rule = t.byIops.find((r) => iops <= r.upToIops) ?? t.byIops[t.byIops.length - 1]!;
    return Math.min(rule.capMiBps, iops * rule.maxPerIops);
  }
  if (t.burstPerTiB !== null) return Math.min(t.max, (t.burstPerTiB * sizeGiB) / 1024);
  // Where throughput is not provisioned, a per-IOPS figure is what the volume delivers (io2).
  if (t.maxPerIops !== null && !spec.provisioned.throughput) return Math.min(t.max, iops * t.maxPerIops);
  return t.max;
}

export function fullBurstCredits(type: VolumeType, sizeGiB: number): number {
  const burst = SPECS[type].burst;
  if (!burst) return 0;
  if (burst.kind === 'io-credits') return burst.bucketSize!;
  return (burst.bucketMiBPerTiB! * sizeGiB) / 1024;
}

/** Baseline a volume earns credits at and falls back to: I/O per second (gp2) or MiB/s (st1, sc1). */
export function burstBaseline(volume: Volume): number {
  const spec = SPECS[volume.type];
  if (spec.burst?.kind === 'io-credits') return volume.iops;
  if (spec.burst?.kind === 'throughput-credits')
    return Math.min(spec.throughputMiBps.max, (spec.throughputMiBps.baselinePerTiB! * volume.sizeGiB) / 1024);
  return 0;
}

/** What the volume can deliver this second, given whether it has burst credits left (see creditsOf). */
export function currentLimits(volume: Volume, hasCredits: boolean, into: Limits = { iops: 0, mibps: 0 }): Limits {
  const mod = volume.modification;
  if (mod?.state === 'optimizing') return setLimits(into, mod.current.iops, mod.current.throughputMiBps);
  const spec = SPECS[volume.type];
  if (spec.burst?.kind === 'io-credits') {
    const bursts = volume.sizeGiB < spec.burst.appliesBelowGiB! && volume.iops < spec.burst.burstIops!;
    const iops = bursts && hasCredits ? spec.burst.burstIops! : volume.iops;
    const band = sizeBand(spec, volume.sizeGiB);
    const mibps = band.needsBurstCredits && !hasCredits ? (iops * spec.ioSizeKiB) / 1024 : band.maxMiBps;
    return setLimits(into, iops, Math.min(mibps, band.maxMiBps));
  }
  if (spec.burst?.kind === 'throughput-credits')
    return setLimits(into, volume.iops, hasCredits ? volume.throughputMiBps : burstBaseline(volume));
  return setLimits(into, volume.iops, volume.throughputMiBps);
}

/**
 * What a volume's figures make of its I/O each second, fixed for as long as its type, size,
 * provisioned figures and modification stand: its latency, I/O size, burst bucket and limits with
 * and without burst credits. Worked out once for a configuration, so a busy volume's second reads
 * numbers rather than looking its type up again.
 */
export interface VolumeRates {
  /** Milliseconds an I/O takes with nothing queued. */
  latencyMs: number;
  ioSizeKiB: number;
  burst: BurstKind | null;
  /** Credits in a full bucket (I/Os or MiB); 0 without a bucket. */
  fullCredits: number;
  /** What earns credits back each second (see burstBaseline); 0 without a bucket. */
  baseline: number;
  withCredits: Limits;
  withoutCredits: Limits;
}

type BurstKind = NonNullable<VolumeTypeSpec['burst']>['kind'];

export function volumeRates(volume: Volume): VolumeRates {
  const spec = SPECS[volume.type];
  return {
    latencyMs: spec.latencyMs,
    ioSizeKiB: spec.ioSizeKiB,
    burst: spec.burst?.kind ?? null,
    fullCredits: fullBurstCredits(volume.type, volume.sizeGiB),
    baseline: burstBaseline(volume),
    withCredits: currentLimits(volume, true),
    withoutCredits: currentLimits(volume, false),
  };
}

/**
 * Whether a volume's rates move from second to second, as its limits do while a modification is
 * optimizing. Otherwise they follow from its type, size, IOPS and throughput alone (see
 * volumeRates): volumes alike in those four may share them.
 */
export function ratesMove(volume: Volume): boolean {
  return volume.modification?.state === 'optimizing';
}

/** IOPS and MiB/s a volume delivers at most. */
export interface Limits {
  iops: number;
  mibps: number;
}

/** The throughput band a size falls in; a plain loop, as this is asked of every busy volume each second. */
function sizeBand(spec: VolumeTypeSpec, sizeGiB: number) {
  for (const b of spec.throughputMiBps.bySize!) if (b.upToGiB === null || sizeGiB <= b.upToGiB) return b;
  throw new Error(`no throughput band for ${sizeGiB} GiB`);
}

function setLimits(into: Limits, iops: number, mibps: number): Limits {
  into.iops = iops;
  into.mibps = mibps;
  return into;
}

/** Monthly price of a volume, in micro-dollars; EBS bills by the second on a 730-hour month. */
export function monthlyMicros(volume: Volume): number {
  const spec = SPECS[volume.type];
  let usd = spec.usdPerGiBMonth * volume.sizeGiB;
  if (spec.usdPerIopsMonth !== null) usd += spec.usdPerIopsMonth * Math.max(0, volume.iops - (spec.iops.baseline ?? 0));
  if (spec.usdPerMiBpsMonth !== null)
    usd += spec.usdPerMiBpsMonth * Math.max(0, volume.throughputMiBps - (spec.throughputMiBps.baseline ?? 0));
  // Whole micro-dollars, so that the fleet's price is an exact sum in any order.
  return Math.round(usd * 1_000_000);
}

export const HOURS_PER_MONTH = 730;
