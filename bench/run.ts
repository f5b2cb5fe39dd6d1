// `npm run bench`: how fleetops scales. Each model measurement runs in a process of its own so
// its peak memory is its own; prints a table and the same figures as JSON (also written to
// bench/latest.json, for comparison across releases).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchFrame, type FrameResult } from './frame.js';
import { benchImdsOnLevel, type ImdsBenchResult } from './imds.js';
import type { ModelResult } from './model.js';

/** Region sizes and how many ticks to time at each: enough to average, few enough to finish. */
const SIZES: [hosts: number, ticks: number][] = [
  [1_000, 1000],
  [10_000, 300],
  [100_000, 100],
];

/** The heap the model gets: with the rest of a Node process, a region must fit in 2 GiB. */
const HEAP_MIB = 1792;

function model(...args: string[]): ModelResult {
  const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', join(import.meta.dirname, 'model.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ModelResult;
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  return [head, ...cells].map((r) => r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
}

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(`fleetops benchmark on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}\n`);

const ticks: ModelResult[] = [];
for (const [hosts, n] of SIZES) {
  process.stderr.write(`model: ${hosts} hosts...\n`);
  ticks.push(model('ticks', String(hosts), String(n)));
}
console.log(table(['hosts', 'instances', 'volumes', 'build s', 'first tick ms', 'ms/tick', 'ticks/s', 'ms/tick changed', 'peak MiB'], ticks.map((r) => [r.hosts, r.instances, r.volumes, (r.buildMs / 1000).toFixed(1), r.firstTickMs, r.msPerTick, r.ticksPerSecond, r.msPerChangedTick, r.peakRssMiB])));

process.stderr.write('exercise: one hour on 1,000 hosts...\n');
const hour = model('exercise', '1000');
console.log(`\none-hour exercise, 1,000 hosts: ${(hour.totalMs / 1000).toFixed(1)} s (${hour.msPerTick} ms per simulated second)`);

process.stderr.write('dashboard frame at 10,000 hosts...\n');
const frame: FrameResult = await benchFrame(10_000);
console.log(`dashboard frame, 10,000 hosts: first ${frame.firstMs} ms, then mean ${frame.meanMs} ms, p95 ${frame.p95Ms} ms over ${frame.frames} frames`);

process.stderr.write('IMDS load test...\n');
const imds: ImdsBenchResult = await benchImdsOnLevel();
console.log(`IMDS: ${imds.requests} requests, ${imds.errors} errors, ${imds.rps} requests/s, p50 ${imds.p50Ms} ms, p99 ${imds.p99Ms} ms`);

const results = { machine, ticks, exercise: hour, frame, imds };
writeFileSync(join(import.meta.dirname, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results)}`);
