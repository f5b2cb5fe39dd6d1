// A worker thread of a batch (see batch.ts): loads the level and script once, then plays the seeds
// the main thread hands it, one at a time, until it is handed null.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../input/input-error.js';
import { loadJob, playSeed, type BatchJob, type WorkerReply } from './batch.js';

const job = (workerData as { job: BatchJob }).job;
const port = parentPort!;
const reply = (message: WorkerReply) => port.postMessage(message);

try {
  const { level, script } = loadJob(job);
  port.on('message', (task: { index: number; seed: string } | null) => {
    if (task === null) return port.close();
    try {
      reply({ index: task.index, result: playSeed(job, level, script, task.seed) });
    } catch (err) {
      reply({
        index: task.index,
        error: err instanceof Error ? err.message : String(err),
        input: err instanceof InputError,
      });
    }
  });
} catch (err) {
  reply({ index: -1, error: err instanceof Error ? err.message : String(err), input: err instanceof InputError });
}
