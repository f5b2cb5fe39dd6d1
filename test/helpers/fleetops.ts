// Runs the fleetops command as a user would, in a child process that is killed if it overstays,
// so a command that hangs fails its test instead of stalling the suite. The limit tells a hang from
// a slow start: on a loaded 2-core machine a command that takes 2 s idle can take 30 s or more.
import { spawn } from 'node:child_process';
import { format } from 'node:util';
import { PROJECT_ROOT } from '../../src/cli/root.js';

/** The project's folder, whether the tests run from their sources or from their build. */
export const ROOT = PROJECT_ROOT;

/** Far beyond any command's run on a busy machine; only a hang gets there. */
const HANG_MS = 180_000;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed for running past the time limit. */
  timedOut: boolean;
}

export interface RunOptions {
  env?: Record<string, string>;
  limitMs?: number;
  /** Close the reading end of stdout before fleetops writes, as `| head -1` does once it has its line. */
  stdoutClosed?: boolean;
}

export function fleetops(args: string[], options: RunOptions = {}): Promise<Ran> {
  const child = spawn(process.execPath, ['bin/fleetops.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
  });
  if (options.stdoutClosed) child.stdout.destroy();
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.limitMs ?? HANG_MS);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    }),
  );
}

/**
 * Runs the command line's `main` in this process for each of `runs` in turn, what each prints
 * captured: for commands that answer at once (help, a refusal), at a fraction of a process's
 * start. The console is taken over meanwhile, so only serial tests (`test.serial`) may call it.
 */
export async function fleetopsHere(...runs: string[][]): Promise<Ran[]> {
  const { main } = await import('../../src/cli.js');
  const { log, error } = console;
  const ran: Ran[] = [];
  try {
    for (const args of runs) {
      const out: string[] = [];
      const err: string[] = [];
      console.log = (...parts: unknown[]) => void out.push(`${format(...parts)}\n`);
      console.error = (...parts: unknown[]) => void err.push(`${format(...parts)}\n`);
      const code = await main(args);
      ran.push({ code, stdout: out.join(''), stderr: err.join(''), timedOut: false });
    }
  } finally {
    console.log = log;
    console.error = error;
  }
  return ran;
}
