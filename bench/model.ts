// One measurement of the model, in a process of its own so that its peak memory is its own:
//   ticks <hosts> <ticks>   build a region, then time its first tick (which draws up what later
//                           ticks reuse), <ticks> quiet ticks, and ticks in which a player stops an
//                           instance (each looked at again where it is touched)
//   exercise <hosts>        time a whole one-hour exercise, world building included
// <hosts>: a multiple of 20 from 20 to 200,000; <ticks>: 1 to 100,000.
// Prints one line of JSON.
import { pathToFileURL } from 'node:url';
import { Session } from '../src/game/session.js';
import { hostCount, readArgs, refuse, wholeNumber } from './args.js';
import { benchLevel } from './fleet.js';

export interface ModelResult {
  mode: 'ticks' | 'exercise';
  hosts: number;
  instances: number;
  volumes: number;
  buildMs: number;
  firstTickMs: number;
  ticks: number;
  msPerTick: number;
  /** A tick in which one command changes the fleet. */
  msPerChangedTick: number;
  ticksPerSecond: number;
  totalMs: number;
  peakRssMiB: number;
}

const CHANGED_TICKS = 20;

function measure(mode: ModelResult['mode'], hosts: number, ticks: number): ModelResult {
  const began = performance.now();
  const session = new Session(benchLevel(hosts), 'bench');
  const built = performance.now();
  session.advance();
  const first = performance.now();
  session.run(ticks);
  const done = performance.now();
  const msPerTick = (done - first) / ticks;
  let msPerChangedTick = 0;
  if (mode === 'ticks') {
    const ids = Object.keys(session.world.instances);
    const start = performance.now();
    for (let i = 0; i < CHANGED_TICKS; i++) {
      session.enqueue(`stop ${ids[i]}`, 'player');
      session.advance();
    }
    msPerChangedTick = (performance.now() - start) / CHANGED_TICKS;
  }
  return {
    mode,
    hosts,
    instances: Object.keys(session.world.instances).length,
    volumes: Object.keys(session.world.volumes).length,
    buildMs: Math.round(built - began),
    firstTickMs: Math.round(first - built),
    ticks,
    msPerTick: Math.round(msPerTick * 100) / 100,
    msPerChangedTick: Math.round(msPerChangedTick * 100) / 100,
    ticksPerSecond: Math.round((1000 / msPerTick) * 10) / 10,
    totalMs: Math.round(done - began),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const script = 'bench/model.ts';
  const usage = 'bench/model.ts ticks <hosts> <ticks> | exercise <hosts>';
  const { positionals } = readArgs({ script, usage, positionals: 3 });
  const [mode, hosts = '', ticks = ''] = positionals;
  if ((mode !== 'ticks' && mode !== 'exercise') || (mode === 'exercise' && positionals.length > 2))
    refuse(script, `expected ticks <hosts> <ticks> or exercise <hosts>; usage: ${usage}`);
  const result =
    mode === 'exercise'
      ? measure('exercise', hostCount(script, '<hosts>', hosts), 3599)
      : measure('ticks', hostCount(script, '<hosts>', hosts), wholeNumber(script, '<ticks>', ticks, 1, 100_000));
  console.log(JSON.stringify(result));
}
