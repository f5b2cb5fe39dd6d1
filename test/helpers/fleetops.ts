// Runs the fleetops command as a user would, in a child process that is killed if it overstays,
// so a command that hangs fails its test instead of stalling the suite. The limit tells a hang from
// a slow start: on a loaded 2-core machine a command that takes 2 s idle can take 30 s or more.
import { spawn } from 'node:child_process';
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
