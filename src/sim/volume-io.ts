// A volume's I/O in a second, written into its lane (see volume-lanes.ts). A lane whose figures
// come to a second of doing nothing holds the idle figures (-0, as the shared idle record does)
// after every write here, so its figures are the same doubles its record's copy would hold.
import { LIMITED, type VolumeLanes } from './volume-lanes.js';

/** The demand put on the volume this second (IOPS, MiB/s). */
export function setDemand(lanes: VolumeLanes, lane: number, demandIops: number, demandMiBps: number): void {
  if (lanes.demandIops[lane] === demandIops && lanes.demandMiBps[lane] === demandMiBps) return;
  lanes.demandIops[lane] = demandIops;
  lanes.demandMiBps[lane] = demandMiBps;
  if (lanes.isIdle(lane)) lanes.idle(lane);
}

/** What the volume delivered this second (IOPS, MiB/s), what is left queued, its latency (ms) and what limited it. */
export function setDelivery(
  lanes: VolumeLanes,
  lane: number,
  deliveredIops: number,
  deliveredMiBps: number,
  queueLength: number,
  latencyMs: number,
  limitedBy: number,
): void {
  if (
    lanes.demandIops[lane] === 0 &&
    lanes.demandMiBps[lane] === 0 &&
    deliveredIops === 0 &&
    deliveredMiBps === 0 &&
    queueLength === 0 &&
    latencyMs === 0 &&
    limitedBy === LIMITED.none
  ) {
    lanes.idle(lane);
    return;
  }
  lanes.deliveredIops[lane] = deliveredIops;
  lanes.deliveredMiBps[lane] = deliveredMiBps;
  lanes.queueLength[lane] = queueLength;
  lanes.latencyMs[lane] = latencyMs;
  lanes.limitedBy[lane] = limitedBy;
}

/** What limited the volume this second, its other figures as they stand. */
export function setLimitedBy(lanes: VolumeLanes, lane: number, limitedBy: number): void {
  setDelivery(
    lanes,
    lane,
    lanes.deliveredIops[lane]!,
    lanes.deliveredMiBps[lane]!,
    lanes.queueLength[lane]!,
    lanes.latencyMs[lane]!,
    limitedBy,
  );
}
