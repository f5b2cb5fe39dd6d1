// A batch of exercises over many seeds, spread over worker threads. Each seed is one independent,
// deterministic play, so a worker returns exactly what the same play gives on the main thread:
// its summary and, when asked for, its report's text. Results come back in seed order whatever
// the order workers finish in, so a batch prints and writes the same bytes with any --jobs.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError } from '../input/input-error.js';
import type { Level } from '../game/level.js';
import { attachScript, parseScript, type Script } from '../game/script.js';
import { Session } from '../game/session.js';
import { DEFAULT_MODE, type Mode } from '../game/mode.js';
import { summarize, type Summary } from '../game/summary.js';
import { renderReport, type ReportFormat, type RunContext } from '../report/index.js';
import { wholeNumber } from './args.js';
import { loadLevel, readText } from './files.js';

/** What every seed of a batch plays: the level and script as given on the command line. */
export interface BatchJob {
  /** The level argument (an id or a file), loaded again by each worker. */
  levelArg: string;
  scriptPath: string | null;
  /** The responder named in the reports. */
  player: string;
  mode: Mode;
  /** What the reports say drove the run. */
  context: RunContext;
  /** The report's format, or null when no report is written. */
  format: ReportFormat | null;
}

export interface SeedResult {
  seed: string;
  summary: Summary;
  report: string | null;
}

export const MAX_JOBS = 64;

/** `--jobs`: 1 to MAX_JOBS worker threads; by default as many as the machine has cores. */
export function parseJobs(text: string | true | undefined): number {
  return wholeNumber('exercise', 'jobs', text, Math.min(availableParallelism(), MAX_JOBS), 1, MAX_JOBS);
}

/** Runs one exercise to the level's end; `player` is the responder named in its report. */
export function runExercise(
  level: Level,
  seed: string,
  script: Script | null,
  player = '',
  mode: Mode = DEFAULT_MODE,
): Session {
  const session = new Session(level, seed, undefined, mode);
  session.player = player;
  if (script) attachScript(session, script);
  session.run(level.duration);
  return session;
}

/** One seed's play, as the main thread and the workers both run it. */
export function playSeed(job: BatchJob, level: Level, script: Script | null, seed: string): SeedResult {
  const session = runExercise(level, seed, script, job.player, job.mode);
  return {
    seed,
    summary: summarize(session),
    report: job.format ? renderReport(session, job.format, job.context) : null,
  };
}

export function loadJob(job: BatchJob): { level: Level; script: Script | null } {
  return {
    level: loadLevel(job.levelArg),
    script: job.scriptPath ? parseScript(readText(job.scriptPath), job.scriptPath) : null,
  };
}

/** A worker's answers: a seed's result, or why the play failed. */
export type WorkerReply = { index: number; result: SeedResult } | { index: number; error: string; input: boolean };

/** Starts a worker on batch-worker.js, beside this module in the build. */
function startWorker(job: BatchJob): Worker {
  return new Worker(new URL('./batch-worker.js', import.meta.url), { workerData: { job } });
}

/**
 * Plays every seed, on `jobs` worker threads (on this thread when one is enough), and calls
 * `done` with each result in seed order. Rejects with the first failure, an InputError if it was
 * the input's fault.
 */
export async function runBatch(
  job: BatchJob,
  seeds: string[],
  jobs: number,
  done: (result: SeedResult) => void,
): Promise<void> {
  const threads = Math.min(jobs, seeds.length);
  if (threads <= 1) {
    const { level, script } = loadJob(job);
    for (const seed of seeds) done(playSeed(job, level, script, seed));
    return;
  }
  const results: (SeedResult | undefined)[] = new Array(seeds.length);
  let next = 0;
  let delivered = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = threads;
      const give = (worker: Worker) => {
        if (next < seeds.length) worker.postMessage({ index: next, seed: seeds[next++] });
        else worker.postMessage(null);
      };
      for (let i = 0; i < threads; i++) {
        const worker = startWorker(job);
        workers.push(worker);
        worker.on('message', (reply: WorkerReply) => {
          if ('error' in reply) return reject(reply.input ? new InputError(reply.error) : new Error(reply.error));
          results[reply.index] = reply.result;
          while (delivered < seeds.length && results[delivered]) {
            done(results[delivered]!);
            results[delivered++] = undefined;
          }
          give(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`exercise: a batch worker stopped with code ${code}`));
          else if (--running === 0) resolve();
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
