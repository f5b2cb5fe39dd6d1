// How long the dashboard takes to draw a frame of a large region: the production-like region of
// 10,000 hosts (bench/realistic-fleet.ts) at the afternoon peak, one tick between frames so every
// frame has new figures, rendered by blessed into memory at 200x60. The first frame lays everything out and is timed on its own; the frames timed for the
// mean and p95 follow a few seconds of play, as a player's would.
// Runnable alone: npx tsx bench/frame.ts [hosts] [frames] (hosts: a multiple of 20 from 20 to
// 200,000, 10,000 unless given; frames: 1 to 10,000, 100 unless given).
import { Session } from '../src/game/session.js';
import { Dashboard } from '../src/tui/dashboard.js';
import { openHeadless } from '../src/tui/headless.js';
import { createTheme } from '../src/tui/theme.js';
import { PEAK_START, realisticLevel } from './realistic-fleet.js';
import { hostCount, readArgs, wholeNumber } from './args.js';
import { cpuMs } from './cpu.js';

export interface FrameResult {
  hosts: number;
  instances: number;
  volumes: number;
  frames: number;
  /** The first frame: every panel laid out and filled for the first time. */
  firstMs: number;
  meanMs: number;
  p95Ms: number;
  /** A frame in which nothing changed: the dashboard should skip it almost for free. */
  idleMs: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Frames drawn before timing starts: the first seconds of play, while the code paths are first taken. */
const SETTLING_FRAMES = 20;

export async function benchFrame(hosts = 10_000, frames = 100): Promise<FrameResult> {
  const session = new Session(realisticLevel(hosts, PEAK_START, '1h'), 'bench');
  const term = openHeadless(200, 60);
  const clock = { speed: 1, paused: false, togglePause() {}, faster() {}, slower() {} };
  const dashboard = new Dashboard({ session, clock, screen: term.screen, theme: createTheme(false), onExit: () => {} });
  const times: number[] = [];
  for (let i = 0; i < SETTLING_FRAMES + frames; i++) {
    session.advance();
    // Move around as a player would, so the frames are not all the same view.
    if (i % 5 === 0) term.type(i % 10 === 0 ? '\t' : 'j');
    await new Promise((resolve) => setImmediate(resolve));
    const start = cpuMs();
    dashboard.frame();
    times.push(cpuMs() - start);
  }
  const firstMs = times[0]!;
  times.splice(0, SETTLING_FRAMES);
  const idleStart = cpuMs();
  dashboard.frame();
  const idleMs = cpuMs() - idleStart;
  dashboard.detach();
  term.screen.destroy();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    hosts,
    instances: Object.keys(session.world.instances).length,
    volumes: Object.keys(session.world.volumes).length,
    frames,
    firstMs: round(firstMs),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    p95Ms: round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!),
    idleMs: round(idleMs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const script = 'bench/frame.ts';
  const { positionals } = readArgs({ script, usage: 'bench/frame.ts [hosts] [frames]', positionals: 2 });
  const [hosts, frames] = positionals;
  const r = await benchFrame(
    hosts === undefined ? undefined : hostCount(script, '[hosts]', hosts),
    frames === undefined ? undefined : wholeNumber(script, '[frames]', frames, 1, 10_000),
  );
  console.log(
    `dashboard frame at 200x60, ${r.hosts} hosts (${r.instances} instances, ${r.volumes} volumes): first ${r.firstMs} ms, then mean ${r.meanMs} ms, p95 ${r.p95Ms} ms over ${r.frames} frames; unchanged frame ${r.idleMs} ms`,
  );
}
