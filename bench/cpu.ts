// CPU time, the benchmarks' clock: the machines they run on are shared, and CPU time is what this
// process spent whatever else the machine was doing.
import { readFileSync } from 'node:fs';

/** CPU time (user and system) this process has spent, in milliseconds: every thread, V8's own among them. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Where Linux keeps a thread's time on the CPU (the first field, in ns); the main thread's id is the process's. */
const MAIN_THREAD_SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/**
 * CPU time this process's main thread has spent, in milliseconds, which runs the model; null where
 * the system does not say (no Linux /proc). What cpuMs counts beyond it is V8's own threads at work:
 * its optimizing compiler, compiling code as it first runs or after a deoptimization, and its
 * concurrent collector.
 */
export function mainThreadCpuMs(): number | null {
  try {
    return Number(readFileSync(MAIN_THREAD_SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** The process's and its main thread's CPU, in milliseconds (see cpuMs and mainThreadCpuMs). */
export interface CpuReading {
  process: number;
  mainThread: number | null;
}

export const readCpu = (): CpuReading => ({ process: cpuMs(), mainThread: mainThreadCpuMs() });

/** The CPU spent since `start`, in milliseconds. */
export function cpuSince(start: CpuReading): CpuReading {
  const now = readCpu();
  return {
    process: now.process - start.process,
    mainThread: now.mainThread === null || start.mainThread === null ? null : now.mainThread - start.mainThread,
  };
}
