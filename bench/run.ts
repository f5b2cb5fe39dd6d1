// `npm run bench`: how fleetops scales. First the production-like region (bench/realistic.ts) at
// 1,000, 10,000 and 100,000 hosts (50,000 when 100,000 does not fit the heap), its CPU against a
// typed-array pass over as many records measured in the same process, and 100,000 again with room
// in its heap (the JSON's `withRoom`); then the idle floor, a fleet where nothing moves
// (bench/model.ts). Each measurement runs in a process of its own so its peak memory is its own;
// prints tables and the same figures as JSON (also written to bench/latest.json, for comparison
// across releases).
//   npm run bench [-- --sizes 1000,10000]   only those realistic sizes, and no idle floor
// (sizes are host counts, multiples of 20 from 20 to 200,000).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { hostCount, readArgs } from './args.js';
import { benchFrame, type FrameResult } from './frame.js';
import { benchImdsOnLevel, type ImdsBenchResult } from './imds.js';
import type { ModelResult } from './model.js';
import type { RealisticResult } from './realistic.js';

/**
 * Realistic region sizes and what is simulated at each within a few minutes of CPU: a whole day
 * where it fits, else the afternoon peak hour, else its first minutes. The IMDS (one socket for
 * every instance) is attached up to 10,000 hosts; on the largest its minute of ticks with and
 * without would not fit the budget. The fleet-wide events cost per affected instance, so the
 * smaller regions show them; on the largest they would take minutes of CPU each.
 */
interface RealisticPlan {
  hosts: number;
  span: string;
  imds: boolean;
  events: boolean;
  /** The heap limit its process gets, MiB. */
  heapMiB: number;
  /** Measured instead when this size does not fit the heap: the largest that fits is then said. */
  otherwise?: RealisticPlan;
}

/** The heap the model gets: with the rest of a Node process, a region must fit in 2 GiB. */
const HEAP_MIB = 1792;

/**
 * The largest region again with room in its heap: near a heap's limit V8 marks the whole heap
 * over and over, and at 100,000 hosts (1.6 GiB live of 1.75) that is most of a tick. This run
 * shows what a tick costs where Node's own default (about 4 GiB on a machine of 16 GiB or more)
 * leaves the collector room; the run in 1.75 GiB is the one that shows the region fits.
 */
const ROOMY_HEAP_MIB = 3072;

const REALISTIC: RealisticPlan[] = [
  { hosts: 1_000, span: 'day', imds: true, events: true, heapMiB: HEAP_MIB },
  { hosts: 10_000, span: 'peak', imds: true, events: true, heapMiB: HEAP_MIB },
  {
    hosts: 100_000,
    span: '5',
    imds: false,
    events: false,
    heapMiB: HEAP_MIB,
    otherwise: { hosts: 50_000, span: '5', imds: false, events: false, heapMiB: HEAP_MIB },
  },
  { hosts: 100_000, span: '5', imds: false, events: false, heapMiB: ROOMY_HEAP_MIB },
];

/** Idle-floor sizes and how many ticks to time at each: enough to average, few enough to finish. */
const SIZES: [hosts: number, ticks: number][] = [
  [1_000, 1000],
  [10_000, 300],
  [100_000, 100],
];

function child<T>(script: string, args: string[], heapMiB = HEAP_MIB): T {
  const out = execFileSync(
    process.execPath,
    [`--max-old-space-size=${heapMiB}`, '--expose-gc', '--import', 'tsx', join(import.meta.dirname, script), ...args],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

const model = (...args: string[]) => child<ModelResult>('model.ts', args);

/** A realistic size's figures, with the heap limit they were measured under. */
type Measured = RealisticResult & { heapLimitMiB: number };

/** A realistic size, or why it did not fit: a region that outgrows the heap ends its process. */
function realistic({
  hosts,
  span,
  imds,
  events,
  heapMiB,
}: RealisticPlan): Measured | { hosts: number; heapLimitMiB: number; failed: string } {
  try {
    const result = child<RealisticResult>(
      'realistic.ts',
      [String(hosts), span, ...(imds ? ['--imds'] : []), ...(events ? [] : ['--no-events'])],
      heapMiB,
    );
    return { ...result, heapLimitMiB: heapMiB };
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    const signal = (err as { signal?: string }).signal;
    const reason = /heap out of memory|Allocation failed/i.test(stderr)
      ? `did not fit in a ${heapMiB} MiB heap`
      : signal
        ? `stopped by ${signal}`
        : stderr.trim().split('\n').pop() || String(err);
    return { hosts, heapLimitMiB: heapMiB, failed: reason };
  }
}

function sizesOption(): number[] | null {
  const script = 'npm run bench';
  const { values } = readArgs({ script, usage: 'npm run bench [-- --sizes 1000,10000]', options: { sizes: true } });
  const text = values.sizes;
  if (typeof text !== 'string') return null;
  return text.split(',').map((size) => hostCount(script, '--sizes', size));
}

/** A share as a signed percentage: +12%, -55% (the blocks with the IMDS attached may read lower). */
function signedPercent(share: number): string {
  const pct = Math.round(share * 100);
  return `${pct >= 0 ? '+' : ''}${pct}%`;
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  return [head, ...cells].map((r) => r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
}

const only = sizesOption();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: Math.round(loadavg()[0]! * 10) / 10,
};
console.log(
  `fleetops benchmark on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${machine.loadAverageAtStart} at the start\n`,
);

const plan = only
  ? only.flatMap((hosts) => {
      const planned = REALISTIC.filter((r) => r.hosts === hosts);
      return planned.length
        ? planned
        : [
            {
              hosts,
              span: hosts <= 2_000 ? 'day' : 'peak',
              imds: hosts <= 10_000,
              events: hosts <= 10_000,
              heapMiB: HEAP_MIB,
            },
          ];
    })
  : REALISTIC;
const real: ReturnType<typeof realistic>[] = [];
for (const first of plan) {
  let next: RealisticPlan | undefined = first;
  while (next) {
    const { hosts, span, heapMiB } = next;
    process.stderr.write(
      `realistic region: ${hosts} hosts, ${span === 'day' ? 'a day' : span === 'peak' ? 'the peak hour' : `${span} peak minutes`}, heap limit ${heapMiB} MiB...\n`,
    );
    const result = realistic(next);
    real.push(result);
    next = 'failed' in result ? next.otherwise : undefined;
  }
}
const ok = real.filter((r): r is Measured => !('failed' in r));
console.log(
  'Production-like region (CPU time; x = times one typed-array pass over as many records, in the same process)',
);
console.log(
  table(
    [
      'hosts',
      'heap limit MiB',
      'instances',
      'build s',
      'simulated',
      'sim s / CPU s',
      'avg tick ms',
      'x',
      'peak hour ms',
      'x',
      'first minute ms',
      'x',
      'worst minute ms',
      'x',
      'advisor tick ms',
      'pass ms',
      'heap MiB',
      'peak RSS MiB',
      'B/instance',
    ],
    ok.map((r) => [
      r.hosts,
      r.heapLimitMiB,
      r.instances,
      (r.buildCpuMs / 1000).toFixed(1),
      r.run.span,
      r.run.simSecondsPerCpuSecond,
      r.run.avgTickCpuMs,
      r.ratios.avgTick,
      r.run.peakHourTickCpuMs,
      r.ratios.peakHourTick,
      r.run.firstMinuteTickCpuMs,
      r.ratios.firstMinuteTick,
      r.run.worstMinuteTickCpuMs,
      r.ratios.worstMinuteTick,
      r.run.advisorRefreshTickCpuMs,
      r.reference.passCpuMs,
      r.memory.heapUsedMiB,
      r.memory.peakRssMiB,
      r.memory.bytesPerInstance,
    ]),
  ),
);
for (const r of real) if ('failed' in r) console.log(`${r.hosts} hosts: ${r.failed}`);
for (const r of ok.filter((r) => r.fleetEvents.length > 0)) {
  console.log(
    `\nfleet-wide events at ${r.hosts} hosts (CPU beyond an ordinary tick, all threads and the main thread's alone; first in the process, then the same sequence again):`,
  );
  console.log(
    table(
      [
        'event',
        'affected',
        'CPU ms',
        'µs / instance',
        'main thread',
        'x tick',
        'events',
        'repeated: µs / instance',
        'main thread',
        'x tick',
      ],
      r.fleetEvents.map((e, i) => {
        const again = r.fleetEventsRepeated[i];
        return [
          e.command,
          e.affected,
          e.cpuMs,
          e.usPerInstance ?? '-',
          e.mainThread?.usPerInstance ?? '-',
          e.tickRatio,
          e.events,
          again?.usPerInstance ?? '-',
          again?.mainThread?.usPerInstance ?? '-',
          again?.tickRatio ?? '-',
        ];
      }),
    ),
  );
  if (r.imds)
    console.log(
      `IMDS attached (${r.imds.endpoints} endpoints): a mean tick of ${r.imds.tickCpuMs} ms without it, ${r.imds.withImdsTickCpuMs} ms with it; it adds ${signedPercent(r.imds.addedShare)} in the median pair of minutes`,
    );
}
// In the JSON, `realistic` holds one result per size, each in the heap that shows a region fits
// in 2 GiB; the runs with room in the heap (see ROOMY_HEAP_MIB) are kept apart, in `withRoom`.
const inBudget = real.filter((r) => r.heapLimitMiB === HEAP_MIB);
const withRoom = real.filter((r) => r.heapLimitMiB !== HEAP_MIB);
if (only) {
  console.log(`\n${JSON.stringify({ machine, realistic: inBudget, withRoom })}`);
  process.exit(0);
}

console.log(
  '\nIdle floor: a fleet where nothing moves (one instance type on gp3, flat 60% load, empty Spot pools; wall time)',
);
const ticks: ModelResult[] = [];
for (const [hosts, n] of SIZES) {
  process.stderr.write(`model: ${hosts} hosts...\n`);
  ticks.push(model('ticks', String(hosts), String(n)));
}
console.log(
  table(
    ['hosts', 'instances', 'volumes', 'build s', 'first tick ms', 'ms/tick', 'ticks/s', 'ms/tick changed', 'peak MiB'],
    ticks.map((r) => [
      r.hosts,
      r.instances,
      r.volumes,
      (r.buildMs / 1000).toFixed(1),
      r.firstTickMs,
      r.msPerTick,
      r.ticksPerSecond,
      r.msPerChangedTick,
      r.peakRssMiB,
    ]),
  ),
);

process.stderr.write('exercise: one hour on 1,000 hosts...\n');
const hour = model('exercise', '1000');
console.log(
  `\none-hour exercise, 1,000 hosts: ${(hour.totalMs / 1000).toFixed(1)} s (${hour.msPerTick} ms per simulated second)`,
);

process.stderr.write('dashboard frame, production-like region of 10,000 hosts...\n');
const frame: FrameResult = await benchFrame(10_000);
console.log(
  `dashboard frame at 200x60, production-like region of 10,000 hosts at the peak, CPU time: first ${frame.firstMs} ms, then mean ${frame.meanMs} ms, p95 ${frame.p95Ms} ms over ${frame.frames} frames`,
);

process.stderr.write('IMDS load test...\n');
const imds: ImdsBenchResult = await benchImdsOnLevel();
console.log(
  `IMDS: ${imds.requests} requests, ${imds.errors} errors, ${imds.rps} requests/s, p50 ${imds.p50Ms} ms, p99 ${imds.p99Ms} ms`,
);

const results = { machine, realistic: inBudget, withRoom, idleFloor: { ticks, exercise: hour }, frame, imds };
writeFileSync(join(import.meta.dirname, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results)}`);
