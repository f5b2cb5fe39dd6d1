// A volume's I/O in the last second, as a record on the volume. Most of a region's volumes do
// nothing most seconds (their units at rest, or asked nothing), so every volume doing nothing points
// at one frozen record, IDLE_IO, instead of each holding a copy of it. The rule that makes sharing
// safe: no record holding the idle figures is ever written into, since it may be shared, by
// reference here and so also in a copy of the world (structuredClone keeps references shared). A
// write that makes a volume do something gives it a record of its own; a second that leaves it idle
// points it at the shared one again. Every write goes through the functions here.
import type { Volume, VolumeIo } from './types.js';

/**
 * A fresh record of the idle figures, made by a literal, not a spread copy of IDLE_IO: a spread
 * copy's fields hold their numbers boxed afresh at every write, and a busy volume's are written
 * every second. The figures are -0, which equals 0 and prints as 0, but is a double: V8 keeps each
 * field as a double from the first record on. Started as whole numbers, a field changed its layout
 * the first time it held a fraction (a queue's first fraction of an I/O came with a zone's
 * restore), and every record and all the code that reads them had to change with it.
 */
const idleRecord = (): VolumeIo => ({
  demandIops: -0,
  demandMiBps: -0,
  deliveredIops: -0,
  deliveredMiBps: -0,
  queueLength: -0,
  latencyMs: -0,
  limitedBy: 'none',
});

/** A volume's I/O in a second it does none; shared by every volume doing none. */
export const IDLE_IO: Readonly<VolumeIo> = Object.freeze(idleRecord());

const idle = (io: VolumeIo): boolean =>
  io.demandIops === 0 &&
  io.demandMiBps === 0 &&
  io.deliveredIops === 0 &&
  io.deliveredMiBps === 0 &&
  io.queueLength === 0 &&
  io.latencyMs === 0 &&
  io.limitedBy === 'none';

/** The volume's record to write into: its own, made afresh while it holds the idle figures (perhaps shared). */
function own(v: Volume): VolumeIo {
  if (idle(v.io)) v.io = idleRecord();
  return v.io;
}

/** The demand put on the volume this second (IOPS, MiB/s). */
export function setDemand(v: Volume, demandIops: number, demandMiBps: number): void {
  if (v.io.demandIops === demandIops && v.io.demandMiBps === demandMiBps) return;
  const io = own(v);
  io.demandIops = demandIops;
  io.demandMiBps = demandMiBps;
  if (idle(io)) v.io = IDLE_IO;
}

/** What the volume delivered this second (IOPS, MiB/s), what is left queued, its latency (ms) and what limited it. */
export function setDelivery(
  v: Volume,
  deliveredIops: number,
  deliveredMiBps: number,
  queueLength: number,
  latencyMs: number,
  limitedBy: VolumeIo['limitedBy'],
): void {
  const io = v.io;
  if (
    io.demandIops === 0 &&
    io.demandMiBps === 0 &&
    deliveredIops === 0 &&
    deliveredMiBps === 0 &&
    queueLength === 0 &&
    latencyMs === 0 &&
    limitedBy === 'none'
  ) {
    v.io = IDLE_IO;
    return;
  }
  const mine = own(v);
  mine.deliveredIops = deliveredIops;
  mine.deliveredMiBps = deliveredMiBps;
  mine.queueLength = queueLength;
  mine.latencyMs = latencyMs;
  mine.limitedBy = limitedBy;
}

/** What limited the volume this second, its other figures as they stand. */
export function setLimitedBy(v: Volume, limitedBy: VolumeIo['limitedBy']): void {
  const io = v.io;
  setDelivery(v, io.deliveredIops, io.deliveredMiBps, io.queueLength, io.latencyMs, limitedBy);
}
