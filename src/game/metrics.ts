// Time series of what a session looked like, sampled every few simulated seconds: the raw material
// for the dashboard's charts and the report's. Sampling reads the world only.
import { ledgerTotalMicros, type World, runningCount, ebsTotals, fleetNetworkOutMbps } from '../sim/index.js';

/** Seconds between samples: fine enough for incidents measured in minutes, small for an hour's play. */
export const SAMPLE_EVERY = 10;

export interface Sample {
  tick: number;
  running: number;
  /**
   * Each workload's last second, but for its errors, and its seconds measured and good so far (for
   * its error budget). `errorRps` is the mean since the sample before: requests that failed for a
   * few seconds between two samples still show in it.
   */
  workloads: Record<
    string,
    {
      demandRps: number;
      servedRps: number;
      errorRps: number;
      latencyMs: number;
      measuredSeconds: number;
      goodSeconds: number;
      /** Requests failed so far; absent in samples saved before it was kept. */
      failed?: number;
    }
  >;
  ebs: { deliveredMiBps: number; demandIops: number; deliveredIops: number; maxQueue: number };
  /** The workloads' NetworkOut to their clients, Mbps; absent in samples saved before it was measured. */
  networkOutMbps?: number;
  spot: Record<string, { capacity: number; priceMicros: number }>;
  costMicros: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** The world as it is now; `previous` is the sample before, if any, for the mean errors since it. */
export function sample(world: World, previous: Sample | undefined): Sample {
  const running = runningCount(world);
  const ebs = ebsTotals(world);
  const workloads: Sample['workloads'] = {};
  const span = previous ? world.tick - previous.tick : 0;
  for (const name in world.workloads) {
    const { last, stats } = world.workloads[name]!;
    const failedBefore = previous?.workloads[name]?.failed;
    workloads[name] = {
      demandRps: r2(last.demandRps),
      servedRps: r2(last.servedRps),
      // The first sample, or one after a save that kept no count, has only the last second.
      errorRps: r2(failedBefore !== undefined && span > 0 ? (stats.failed - failedBefore) / span : last.errorRps),
      latencyMs: r2(last.latencyMs),
      measuredSeconds: stats.measuredSeconds,
      goodSeconds: stats.goodSeconds,
      failed: stats.failed,
    };
  }
  const spot: Sample['spot'] = {};
  for (const key in world.spotPools) {
    const pool = world.spotPools[key]!;
    spot[key] = { capacity: pool.capacity, priceMicros: pool.priceMicros };
  }
  return {
    tick: world.tick,
    running,
    workloads,
    ebs: {
      deliveredMiBps: r2(ebs.deliveredMiBps),
      demandIops: r2(ebs.demandIops),
      deliveredIops: r2(ebs.deliveredIops),
      maxQueue: r2(ebs.maxQueue),
    },
    networkOutMbps: r2(fleetNetworkOutMbps(world)),
    spot,
    costMicros: Math.round(ledgerTotalMicros(world.ledger)),
  };
}
