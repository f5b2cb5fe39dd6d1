// The trainee's handler as a child process of the exercise: started by `sh -c` with the exercise's
// endpoints in its environment, its output passed on line by line, and stopped (with everything it
// started) when the exercise ends. Where libfaketime is installed (Debian's `faketime` package), the
// handler's clock is the level's: it starts at the level's current time and runs at the exercise's
// speed, in the handler and in every program it runs (`date`, `curl`, `python3`), so `time - now`,
// `sleep 5` and token TTLs mean simulated seconds, as they do in the world.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { escapeControls } from '../input/control.js';

/** Where Debian's libfaketime package puts the library (`dpkg -L libfaketime`). */
const FAKETIME_LIBRARIES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

/** How long (ms) a handler has to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 2000;

export type HandlerClock = { kind: 'faketime'; env: Record<string, string> } | { kind: 'real'; reason: string };

/** Finds libfaketime: a known path, else asks dpkg where the package put it. */
function faketimeLibrary(): string | null {
  const known = FAKETIME_LIBRARIES.find((path) => existsSync(path));
  if (known) return known;
  const listed = spawnSync('dpkg', ['-L', 'libfaketime'], { encoding: 'utf8' });
  const found =
    listed.status === 0 ? listed.stdout.split('\n').find((line) => line.endsWith('/libfaketime.so.1')) : undefined;
  return found && existsSync(found) ? found : null;
}

/** `2026-03-02 08:00:00`, libfaketime's absolute time format (UTC, with TZ=UTC in the environment). */
const faketimeDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The environment that puts a process on the level's clock from now on: `startMs` (the level's
 * current time) running at `speed` simulated seconds per real second. FAKETIME_DONT_RESET keeps
 * the clock going across the programs the handler runs instead of restarting it in each.
 */
export function handlerClock(startMs: number, speed: number): HandlerClock {
  const library = faketimeLibrary();
  if (!library)
    return {
      kind: 'real',
      reason: "libfaketime is not installed (apt-get install faketime), so the handler runs on this machine's clock",
    };
  return {
    kind: 'faketime',
    env: { LD_PRELOAD: library, FAKETIME: `@${faketimeDate(startMs)} x${speed}`, FAKETIME_DONT_RESET: '1', TZ: 'UTC' },
  };
}

/** The most characters of one line of a handler's output shown; the rest of a longer one is counted, not kept. */
export const HANDLER_LINE_CHARS = 1000;

/**
 * Passes each line `stream` carries to `say`, its control characters escaped (a handler's output
 * goes to the player's terminal, where an escape sequence would clear or retitle it) and cut at
 * HANDLER_LINE_CHARS, so a line without end takes no more memory than that.
 */
function linesOf(stream: Readable, say: (line: string) => void): void {
  let line = '';
  let dropped = 0;
  const flush = () => {
    say(
      `${escapeControls(line.replace(/\r$/, ''))}${dropped ? ` … (${dropped.toLocaleString('en-US')} more characters)` : ''}`,
    );
    line = '';
    dropped = 0;
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (let start = 0; ;) {
      const end = chunk.indexOf('\n', start);
      const piece = end < 0 ? chunk.slice(start) : chunk.slice(start, end);
      const room = HANDLER_LINE_CHARS - line.length;
      line += piece.slice(0, room);
      dropped += Math.max(0, piece.length - room);
      if (end < 0) break;
      flush();
      start = end + 1;
    }
  });
  stream.on('end', () => {
    if (line || dropped) flush();
  });
}

export class HandlerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly command: string,
    private readonly env: Record<string, string>,
    private readonly clock: HandlerClock,
    private readonly say: (line: string) => void,
  ) {}

  /** Starts the handler in a process group of its own, so that stopping it stops what it started. */
  start(): void {
    const clockEnv = this.clock.kind === 'faketime' ? this.clock.env : {};
    const preload = [clockEnv.LD_PRELOAD, process.env.LD_PRELOAD].filter(Boolean).join(':');
    const child = spawn('/bin/sh', ['-c', this.command], {
      env: { ...process.env, ...this.env, ...clockEnv, ...(preload ? { LD_PRELOAD: preload } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) linesOf(stream, this.say);
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.say(`could not start: ${err.message}`);
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (this.child) this.say(signal ? `exited on ${signal}` : `exited with code ${code}`);
        this.child = null;
        resolve();
      });
    });
  }

  /** Resolves when the handler has exited (at once if it never started). */
  whenExited(): Promise<void> {
    return this.exited;
  }

  /** Ends the handler's process group: SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const group = -child.pid;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(group, name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    // Whatever the handler left running in its group goes with it.
    signal('SIGKILL');
  }
}
