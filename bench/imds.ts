// A bounded load test of the mock IMDS on loopback: concurrent keep-alive clients, each holding its
// own IMDSv2 token as a real handler would, read metadata until a fixed number of requests is done.
// Run alone with `npx tsx bench/imds.ts`: it starts a level's IMDS and prints the figures.
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { loadLevel } from '../src/cli/files.js';
import { Session } from '../src/game/session.js';
import { ImdsServer } from '../src/imds/server.js';
import { readArgs } from './args.js';

export interface ImdsBenchOptions {
  requests?: number;
  concurrency?: number;
}

export interface ImdsBenchResult {
  requests: number;
  /** Requests that failed or did not answer 200. */
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** What a polling handler reads, round and round. */
const PATHS = [
  '/latest/meta-data/spot/instance-action',
  '/latest/meta-data/instance-id',
  '/latest/meta-data/events/maintenance/scheduled',
  '/latest/dynamic/instance-identity/document',
];
const OK = new Set([200, 404]);

function call(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return Math.round(value * 1000) / 1000;
}

export async function benchImds(endpoint: string, options: ImdsBenchOptions = {}): Promise<ImdsBenchResult> {
  const total = options.requests ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;

  async function client(): Promise<void> {
    const token = await call(agent, `${endpoint}/latest/api/token`, 'PUT', {
      'x-aws-ec2-metadata-token-ttl-seconds': '21600',
    }).then(
      (r) => (r.status === 200 ? r.body : ''),
      () => '',
    );
    while (issued < total) {
      const path = PATHS[issued++ % PATHS.length]!;
      const start = performance.now();
      try {
        const { status } = await call(agent, endpoint + path, 'GET', { 'x-aws-ec2-metadata-token': token });
        if (!OK.has(status)) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - start);
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** The load test against the first instance of the first level, with the server in this process. */
export async function benchImdsOnLevel(options: ImdsBenchOptions = {}): Promise<ImdsBenchResult> {
  const session = new Session(loadLevel('01-first-shift'), '1');
  const server = new ImdsServer(session);
  await server.start();
  try {
    const [first] = server.list();
    return await benchImds(first!.url, options);
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  readArgs({ script: 'bench/imds.ts', usage: 'bench/imds.ts (no arguments)' });
  const result = await benchImdsOnLevel();
  console.log(
    `imds: ${result.requests} requests, ${result.errors} errors, ${result.rps} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
  );
}
