// Each workload's SLO as the run went, at the sampled seconds (see metrics.ts) and at the run's two
// ends: the first sample is ten seconds in and the run may end between two, and harm in either
// span is harm all the same.
import type { Sample } from '../game/metrics.js';
import type { Session } from '../game/session.js';

/** One point: each workload's seconds measured and within its SLO so far, and requests failed so far. */
export interface SloPoint {
  tick: number;
  workloads: Record<string, { measured: number; good: number; failed: number }>;
}

/** What a workload lost between two points: seconds out of its SLO, and requests failed. */
export interface SpanHarm {
  missed: number;
  failed: number;
}

/**
 * The points of a run: its start (nothing measured yet), its samples, and the world as it ended
 * when that is after the last sample. A sample saved before its count of failed requests was kept
 * has it from its mean rate since the sample before.
 */
export function sloPoints({ samples, world, tick }: Session): SloPoint[] {
  const names = Object.keys(world.workloads);
  const start: SloPoint = {
    tick: 0,
    workloads: Object.fromEntries(names.map((n) => [n, { measured: 0, good: 0, failed: 0 }])),
  };
  const points = [start];
  let before: Sample | undefined;
  for (const sample of samples) {
    const last = points.at(-1)!;
    const workloads: SloPoint['workloads'] = {};
    for (const n of names) {
      const w = sample.workloads[n];
      if (!w) continue;
      const failedBefore = last.workloads[n]?.failed ?? 0;
      const span = sample.tick - (before?.tick ?? 0);
      workloads[n] = {
        measured: w.measuredSeconds,
        good: w.goodSeconds,
        failed: w.failed ?? failedBefore + w.errorRps * span,
      };
    }
    points.push({ tick: sample.tick, workloads });
    before = sample;
  }
  if (tick > points.at(-1)!.tick)
    points.push({
      tick,
      workloads: Object.fromEntries(
        names.map((n) => {
          const { measuredSeconds, goodSeconds, failed } = world.workloads[n]!.stats;
          return [n, { measured: measuredSeconds, good: goodSeconds, failed }];
        }),
      ),
    });
  return points;
}

/** What workload `name` lost from point `a` to point `b`; null where either does not know it. */
export function harmBetween(a: SloPoint, b: SloPoint, name: string): SpanHarm | null {
  const [was, now] = [a.workloads[name], b.workloads[name]];
  if (!was || !now) return null;
  return { missed: now.measured - was.measured - (now.good - was.good), failed: now.failed - was.failed };
}
