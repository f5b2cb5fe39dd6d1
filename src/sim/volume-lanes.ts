// The figures a volume's every worked second changes (its I/O and its burst credits) in columns of
// flat arrays, one lane per volume, instead of in fields of its record. A region's afternoon works
// tens of thousands of units a second, and each field read from a record was a miss of the
// processor's caches: the record, its I/O record, each figure's boxed number. A unit keeps its
// volumes' lanes (see Unit.lanes), so a worked second reads and writes the columns alone.
//
// A volume takes a lane the first time its unit is worked; from then on the lane holds its figures
// and the record's copy is written only when the world is written out (writeLanes), before a save,
// a copy or a fingerprint. Every read and write goes through here (the record's fields are Stored,
// which the compiler holds to). The lanes are the world's derived data: a world restored from JSON
// starts with none and reads each volume's figures from its record when its lane is taken.
import { derived, derivedKind, peek } from './derived.js';
import { fingerprint } from './hash.js';
import type { Stored, Volume, VolumeIo, World } from './types.js';

/** What limited a volume's second, as the number its lane holds. */
export const LIMITED = { none: 0, volume: 1, instance: 2, unavailable: 3 } as const;
const LIMITED_BY: readonly VolumeIo['limitedBy'][] = ['none', 'volume', 'instance', 'unavailable'];

const FIRST_CAPACITY = 1024;

/**
 * A volume's I/O in a second it does none, in a record: shared by every volume doing none, so a
 * region's idle volumes do not each hold a copy, and never written into. The figures are -0, which
 * equals 0 and prints as 0: a lane's idle figures are -0 too, so a figure read before and after a
 * lane was taken is the same double.
 */
export const IDLE_IO: Readonly<VolumeIo> = Object.freeze({
  demandIops: -0,
  demandMiBps: -0,
  deliveredIops: -0,
  deliveredMiBps: -0,
  queueLength: -0,
  latencyMs: -0,
  limitedBy: 'none',
});

const isIdle = (io: Readonly<VolumeIo>): boolean =>
  io.demandIops === 0 &&
  io.demandMiBps === 0 &&
  io.deliveredIops === 0 &&
  io.deliveredMiBps === 0 &&
  io.queueLength === 0 &&
  io.latencyMs === 0 &&
  io.limitedBy === 'none';

/** A figure as a record stores it (see Stored), for a record being made. */
export const stored = <T>(value: T): Stored<T> => value as unknown as Stored<T>;

/** The record's copy of the volume's I/O: its figures while it has no lane, else as of the last writeLanes. */
export const storedIo = (v: Volume): Readonly<VolumeIo> => v.io as unknown as VolumeIo;
/** The record's copy of the volume's burst credits (see storedIo). */
export const storedCredits = (v: Volume): number => v.burstCredits as unknown as number;

/** Writes the record's copy of the volume's I/O: the shared idle record for idle figures. */
function storeIo(v: Volume, io: Readonly<VolumeIo>): void {
  (v as { io: unknown }).io = isIdle(io) ? IDLE_IO : io;
}

/** Writes the record's copy of the volume's burst credits. */
export function storeCredits(v: Volume, credits: number): void {
  (v as { burstCredits: unknown }).burstCredits = credits;
}

/** The columns: lane `i` of each is one volume's. Grown by doubling; freed lanes are taken again. */
export class VolumeLanes {
  demandIops = new Float64Array(FIRST_CAPACITY);
  demandMiBps = new Float64Array(FIRST_CAPACITY);
  deliveredIops = new Float64Array(FIRST_CAPACITY);
  deliveredMiBps = new Float64Array(FIRST_CAPACITY);
  queueLength = new Float64Array(FIRST_CAPACITY);
  latencyMs = new Float64Array(FIRST_CAPACITY);
  /** LIMITED's numbers. */
  limitedBy = new Uint8Array(FIRST_CAPACITY);
  /** gp2: I/O credits; st1 / sc1: MiB of throughput credits. */
  credits = new Float64Array(FIRST_CAPACITY);
  /** Each volume's lane. */
  readonly laneOf = new Map<Volume, number>();
  private readonly free: number[] = [];
  private used = 0;

  /** The volume's lane, taken (with its record's figures) if it has none. */
  take(v: Volume): number {
    const held = this.laneOf.get(v);
    if (held !== undefined) return held;
    const lane = this.free.pop() ?? this.next();
    this.laneOf.set(v, lane);
    const io = storedIo(v);
    if (isIdle(io)) this.idle(lane);
    else {
      this.demandIops[lane] = io.demandIops;
      this.demandMiBps[lane] = io.demandMiBps;
      this.deliveredIops[lane] = io.deliveredIops;
      this.deliveredMiBps[lane] = io.deliveredMiBps;
      this.queueLength[lane] = io.queueLength;
      this.latencyMs[lane] = io.latencyMs;
      this.limitedBy[lane] = LIMITED[io.limitedBy];
    }
    this.credits[lane] = storedCredits(v);
    return lane;
  }

  /** Lets a deleted volume's lane go. */
  release(v: Volume): void {
    const lane = this.laneOf.get(v);
    if (lane === undefined) return;
    this.laneOf.delete(v);
    this.free.push(lane);
  }

  /** Whether the lane's second did nothing. */
  isIdle(lane: number): boolean {
    return (
      this.demandIops[lane] === 0 &&
      this.demandMiBps[lane] === 0 &&
      this.deliveredIops[lane] === 0 &&
      this.deliveredMiBps[lane] === 0 &&
      this.queueLength[lane] === 0 &&
      this.latencyMs[lane] === 0 &&
      this.limitedBy[lane] === LIMITED.none
    );
  }

  /** The idle figures (see IDLE_IO). */
  idle(lane: number): void {
    this.demandIops[lane] = -0;
    this.demandMiBps[lane] = -0;
    this.deliveredIops[lane] = -0;
    this.deliveredMiBps[lane] = -0;
    this.queueLength[lane] = -0;
    this.latencyMs[lane] = -0;
    this.limitedBy[lane] = LIMITED.none;
  }

  /** The lane's figures as a record. */
  io(lane: number): VolumeIo {
    return {
      demandIops: this.demandIops[lane]!,
      demandMiBps: this.demandMiBps[lane]!,
      deliveredIops: this.deliveredIops[lane]!,
      deliveredMiBps: this.deliveredMiBps[lane]!,
      queueLength: this.queueLength[lane]!,
      latencyMs: this.latencyMs[lane]!,
      limitedBy: LIMITED_BY[this.limitedBy[lane]!]!,
    };
  }

  private next(): number {
    if (this.used === this.credits.length) this.grow(this.used * 2);
    return this.used++;
  }

  private grow(capacity: number): void {
    const wider = <A extends Float64Array | Uint8Array>(a: A): A => {
      const out = new (a.constructor as new (n: number) => A)(capacity);
      out.set(a);
      return out;
    };
    this.demandIops = wider(this.demandIops);
    this.demandMiBps = wider(this.demandMiBps);
    this.deliveredIops = wider(this.deliveredIops);
    this.deliveredMiBps = wider(this.deliveredMiBps);
    this.queueLength = wider(this.queueLength);
    this.latencyMs = wider(this.latencyMs);
    this.limitedBy = wider(this.limitedBy);
    this.credits = wider(this.credits);
  }
}

const LANES = derivedKind('volume lanes', () => new VolumeLanes());

/** The world's volume lanes. */
export const lanesOf = (world: World): VolumeLanes => derived(world, LANES);

/** The volume's I/O in the last second it was worked. */
export function ioOf(world: World, v: Volume): Readonly<VolumeIo> {
  const lane = peek(world, LANES)?.laneOf.get(v);
  return lane === undefined ? storedIo(v) : lanesOf(world).io(lane);
}

/** The volume's burst credits: gp2's I/O credits, st1 / sc1's MiB of throughput credits. */
export function creditsOf(world: World, v: Volume): number {
  const lanes = peek(world, LANES);
  const lane = lanes?.laneOf.get(v);
  return lane === undefined ? storedCredits(v) : lanes!.credits[lane]!;
}

/** Sets the volume's burst credits. */
export function setCredits(world: World, v: Volume, credits: number): void {
  const lanes = peek(world, LANES);
  const lane = lanes?.laneOf.get(v);
  if (lane === undefined) storeCredits(v, credits);
  else lanes!.credits[lane] = credits;
}

/** Sets the volume's I/O to a second of doing none (a volume detached). */
export function setIdleIo(world: World, v: Volume): void {
  const lanes = peek(world, LANES);
  const lane = lanes?.laneOf.get(v);
  if (lane === undefined) storeIo(v, IDLE_IO);
  else lanes!.idle(lane);
}

/** A volume deleted: its lane is let go. */
export function releaseLane(world: World, v: Volume): void {
  peek(world, LANES)?.release(v);
}

/**
 * Writes every lane's figures into its volume's record, so the world's JSON, its copies and its
 * fingerprint hold them. The lanes stay as they are and go on holding the figures.
 */
export function writeLanes(world: World): void {
  const lanes = peek(world, LANES);
  if (!lanes) return;
  for (const [v, lane] of lanes.laneOf) {
    storeIo(v, lanes.io(lane));
    storeCredits(v, lanes.credits[lane]!);
  }
}

/** The world's fingerprint (see hash.ts), its records holding every lane's figures (see writeLanes). */
export function worldFingerprint(world: World): string {
  writeLanes(world);
  return fingerprint(world);
}

/** A copy of the world, its records holding every lane's figures (see writeLanes); it starts with no lanes. */
export function copyWorld(world: World): World {
  writeLanes(world);
  return structuredClone(world);
}
