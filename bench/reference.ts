// The machine's limit for a tick, measured in the same process as the model: one pass over as many
// per-second records as the fleet has instances, each record in flat typed arrays and doing what
// the model does for a busy member each second — share out demand, work out CPU, disk I/O against
// the volume's baseline and burst bucket, and a latency.

const FIELDS = { share: 0, vcpu: 1, baselineIops: 2, burstCap: 3 } as const;

/** A fleet of `n` records, made once, shaped like the realistic fleet's members. */
function records(n: number) {
  const fixed = new Float64Array(n * 4);
  const balance = new Float64Array(n);
  const cpu = new Float64Array(n);
  const latency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    fixed[i * 4 + FIELDS.share] = 1 / n;
    fixed[i * 4 + FIELDS.vcpu] = i % 4 === 3 ? 2 : 16;
    fixed[i * 4 + FIELDS.baselineIops] = 2100 + (i % 301) * 3;
    fixed[i * 4 + FIELDS.burstCap] = 5.4e6;
    balance[i] = 5.4e6 * (0.3 + (i % 71) / 100);
  }
  return { fixed, balance, cpu, latency };
}

function pass(r: ReturnType<typeof records>, n: number, demandRps: number): number {
  const { fixed, balance, cpu, latency } = r;
  let served = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const rps = demandRps * fixed[o]!;
    const util = Math.min(1, rps / (fixed[o + FIELDS.vcpu]! * 100));
    const iops = rps * 2;
    const over = iops - fixed[o + FIELDS.baselineIops]!;
    const b = Math.min(fixed[o + FIELDS.burstCap]!, Math.max(0, balance[i]! - over));
    balance[i] = b;
    cpu[i] = util;
    latency[i] = 5 + 20 * util * util + (b > 0 || over <= 0 ? 0 : 40);
    served += rps * (1 - util * 0.01);
  }
  return served;
}

/**
 * The reference for `n` records, measured while the model runs: `sample(ms)` runs passes for at
 * least `ms` of CPU, and `passCpuMs()` is the mean pass over every sample so far. Sampled between
 * the model's minutes, the pass meets the same machine as the ticks it is set against (a shared
 * machine's load, and the collector's threads still at work after the build, move both alike),
 * instead of only the moment before the run. `release()` lets the records go, when they would
 * weigh on the memory measured of a region too large to hold them lightly.
 */
export function referencePass(n: number): {
  sample: (ms: number) => void;
  passCpuMs: () => number;
  release: () => void;
} {
  let r = records(n);
  let sink = 0;
  for (let i = 0; i < 5; i++) sink += pass(r, n, 1e6 + i); // warm the code path
  let passes = 0;
  let usedUs = 0;
  return {
    sample(ms: number) {
      const start = process.cpuUsage();
      let used = 0;
      for (let k = 0; used < ms * 1000 || k < 1; k++) {
        sink += pass(r, n, 1e6 + passes);
        passes++;
        const u = process.cpuUsage(start);
        used = u.user + u.system;
      }
      usedUs += used;
      if (Number.isNaN(sink)) throw new Error('reference pass went wrong');
    },
    passCpuMs: () => usedUs / 1000 / passes,
    /** Lets the records go; no sample may follow. */
    release() {
      r = records(0);
    },
  };
}
