// One measurement of the production-like region (bench/realistic-fleet.ts), in a process of its own
// so its peak memory is its own. All times are CPU time of this process (process.cpuUsage): the
// machine may be shared, and CPU time and the ratios to a reference measured in the same process
// carry the verdicts, not wall time. The fleet-wide events also give their main thread's share,
// the model's own work without V8's compiling beside it.
//   npx tsx --expose-gc bench/realistic.ts <hosts> [day|peak|minutes] [--imds] [--no-events]
// day: a full simulated day from 15:00 to 15:00; peak (the default): the afternoon peak hour,
// 15:00–16:00; a number: that many minutes from 15:00 (for a region whose hour does not fit the
// budget). Then the fleet-wide events at the peak, twice: first in the process, then repeated
// (unless --no-events: each costs minutes of CPU on the largest regions), memory, and with --imds
// the tick with the mock IMDS attached. <hosts>: a multiple of 20 from 20 to 200,000; minutes: 1
// to 1,440. Prints one line of JSON.
import { pathToFileURL } from 'node:url';
import { Session } from '../src/game/session.js';
import { ALARM_RULES } from '../src/game/alarms.js';
import { subjectsOf, type SimEvent } from '../src/sim/index.js';
import { ImdsServer } from '../src/imds/server.js';
import { levelSize } from '../src/game/level.js';
import { PEAK_START, realisticLevel } from './realistic-fleet.js';
import { referencePass } from './reference.js';
import { hostCount, readArgs, refuse, wholeNumber } from './args.js';
import { cpuMs, cpuSince, readCpu, type CpuReading } from './cpu.js';

export interface EventCost {
  command: string;
  /** Instances whose state or traffic the event can change. */
  affected: number;
  /** CPU of the tick that applied it, less an ordinary tick's. */
  cpuMs: number;
  events: number;
  /** CPU per affected instance, in µs (null when nothing is affected). */
  usPerInstance: number | null;
  /**
   * The same on the main thread alone, which runs the model: the rest is V8 compiling (see
   * mainThreadCpuMs); null where the system does not say.
   */
  mainThread: { cpuMs: number; usPerInstance: number | null } | null;
  /** The tick's CPU over an ordinary tick's. */
  tickRatio: number;
}

export interface RealisticResult {
  hosts: number;
  instances: number;
  volumes: number;
  buildCpuMs: number;
  firstTickCpuMs: number;
  run: {
    span: 'day' | 'peak-hour' | 'peak-minutes';
    from: string;
    ticks: number;
    simSecondsPerCpuSecond: number;
    avgTickCpuMs: number;
    /** The mean tick over the run's first hour (15:00 to 16:00, demand at its peak), or over the whole run when it is shorter. */
    peakHourTickCpuMs: number;
    /**
     * The run's first minute, in which V8 compiles the code a tick runs at this size and Trusted
     * Advisor first refreshes: what a new process pays once, apart from the load of the day.
     */
    firstMinuteTickCpuMs: number;
    /** The costliest minute of the run after its first (the first itself when the run is one minute long). */
    worstMinuteTickCpuMs: number;
    worstMinuteAt: string;
    /**
     * The tick that ends the run's first minute (second 60), in which Trusted Advisor first
     * refreshes (a look at every data volume, once a simulated day), as the alarms are evaluated.
     */
    advisorRefreshTickCpuMs: number;
    eventsPerTick: number;
  };
  reference: { records: number; passCpuMs: number };
  ratios: { avgTick: number; peakHourTick: number; firstMinuteTick: number; worstMinuteTick: number; build: number };
  /** Each event's first occurrence in this process, its code compiled as it runs; empty when measured with --no-events. */
  fleetEvents: EventCost[];
  /** The same events again, in the same order, once the region is back as it was: what a repeat costs. */
  fleetEventsRepeated: EventCost[];
  memory: { heapUsedMiB: number; peakRssMiB: number; bytesPerInstance: number; eventLogEntries: number };
  /** Mean ticks without and with the IMDS attached, and the share it adds in the median round. */
  imds: { endpoints: number; tickCpuMs: number; withImdsTickCpuMs: number; addedShare: number } | null;
}

/** Records up to which the reference is sampled through the run (see measureRealistic): 6 MB of arrays. */
const INTERLEAVED_MAX_RECORDS = 120_000;
const r1 = (n: number): number => Math.round(n * 10) / 10;
const r3 = (n: number): number => Math.round(n * 1000) / 1000;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function clock(session: Session): string {
  return new Date(session.level.world.epochMs + session.tick * 1000).toISOString().slice(11, 19);
}

/** The mean CPU of `n` ordinary ticks. */
function ordinaryTick(session: Session, n: number): CpuReading {
  const start = readCpu();
  session.run(n);
  const spent = cpuSince(start);
  return { process: spent.process / n, mainThread: spent.mainThread === null ? null : spent.mainThread / n };
}

/** An event's tick against an ordinary one: its CPU beyond it, in all and per affected instance. */
function costOf(command: string, affected: number, events: number, tick: CpuReading, ordinary: CpuReading): EventCost {
  const beyond = (spent: number, usual: number) => {
    const cost = Math.max(0, spent - usual);
    return { cpuMs: r3(cost), usPerInstance: affected > 0 ? r3((cost * 1000) / affected) : null };
  };
  const all = beyond(tick.process, ordinary.process);
  return {
    command,
    affected,
    cpuMs: all.cpuMs,
    events,
    usPerInstance: all.usPerInstance,
    mainThread:
      tick.mainThread === null || ordinary.mainThread === null ? null : beyond(tick.mainThread, ordinary.mainThread),
    tickRatio: r3(tick.process / ordinary.process),
  };
}

/** CPU and events of the tick that applies `command` (a scenario command), against an ordinary tick. */
function eventCost(session: Session, command: string, affected: number, ordinary: CpuReading): EventCost {
  session.enqueue(command, 'scenario');
  const start = readCpu();
  const events = session.advance();
  return costOf(command, affected, events.length, cpuSince(start), ordinary);
}

function fleetEvents(session: Session): EventCost[] {
  const world = session.world;
  const instances = Object.values(world.instances);
  const running = (pred: (i: (typeof instances)[number]) => boolean) =>
    instances.filter((i) => i.state === 'running' && pred(i)).length;
  const out: EventCost[] = [];
  let ordinary = ordinaryTick(session, 60);

  const zone = 'use1-az1';
  out.push(
    eventCost(
      session,
      `impair-zone ${zone}`,
      running((i) => i.zoneId === zone),
      ordinary,
    ),
  );
  session.run(120);
  out.push(eventCost(session, `restore-zone ${zone}`, instances.filter((i) => i.zoneId === zone).length, ordinary));
  session.run(300);

  ordinary = ordinaryTick(session, 60);
  const pool = Object.values(world.spotPools).find((p) => p.zoneId === 'use1-az2')!;
  const runningInPool = () => running((i) => i.spot !== null && i.zoneId === pool.zoneId);
  const inPool = runningInPool();
  const quarter = Math.round(pool.capacity / 4);
  // The command sets the pool's mean too, so the capacity to give back is read before it.
  const mean = pool.meanCapacity;
  out.push(
    eventCost(
      session,
      `set-spot-capacity ${pool.type} ${pool.zoneId} ${quarter}`,
      Math.max(0, inPool - quarter),
      ordinary,
    ),
  );
  // The interruptions follow the two-minute notice, and the interrupted instances leave their hosts
  // some seconds later: the tick in which most land, and the one in which most stop, each over the
  // instances it interrupts or stops (the costliest tick of the three minutes may be a collection
  // unrelated to either).
  const kinds = { interrupted: 'spot-interrupted', stopped: 'instance-stopped' } as const;
  const none = { count: 0, tick: { process: 0, mainThread: null } as CpuReading, events: 0 };
  const landing = { interrupted: none, stopped: none };
  for (let i = 0; i < 180; i++) {
    const start = readCpu();
    const events = session.advance();
    const tick = cpuSince(start);
    for (const [what, kind] of Object.entries(kinds) as [keyof typeof kinds, string][]) {
      // A pool's interruptions of one second are one event listing its instances.
      let count = 0;
      for (const e of events) if (e.kind === kind) count += subjectsOf(e).length;
      if (count > landing[what].count) landing[what] = { count, tick, events: events.length };
    }
  }
  for (const [what, { count, tick, events }] of Object.entries(landing))
    out.push(costOf(`Spot instances ${what} (the tick in which most are)`, count, events, tick, ordinary));
  // The pool's capacity back; its stopped instances resume as room allows (half an hour at most).
  session.enqueue(`set-spot-capacity ${pool.type} ${pool.zoneId} ${mean}`, 'scenario');
  for (let m = 0; m < 30 && runningInPool() < inPool; m++) session.run(60);

  ordinary = ordinaryTick(session, 60);
  const inWeb = running((i) => i.workload === 'web');
  out.push(eventCost(session, 'revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0', inWeb, ordinary));
  session.run(30);
  out.push(eventCost(session, 'authorize-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0', inWeb, ordinary));
  session.run(30);
  // Nothing listens on 8080: no instance's traffic can change.
  out.push(eventCost(session, 'authorize-ingress web --protocol tcp --port 8080 --cidr 10.0.0.0/8', 0, ordinary));
  // Back as it was, so the sequence can run again.
  session.enqueue('revoke-ingress web --protocol tcp --port 8080 --cidr 10.0.0.0/8', 'scenario');
  session.run(30);
  return out;
}

/**
 * The mean tick with the IMDS attached against ticks without, in this process: blocks of each in
 * turn, so that the fleet's own drift through the hour weighs on both alike. Each attachment
 * starts with a few ticks not counted, in which the server takes in the whole fleet.
 */
async function imdsCost(session: Session): Promise<RealisticResult['imds']> {
  const yieldTick = () => new Promise((resolve) => setImmediate(resolve));
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      session.advance();
      await yieldTick();
    }
  };
  // Blocks with and without the IMDS alike: each a minute long, so that each holds one of the
  // ticks that close a minute (the alarms' evaluation, several times an ordinary tick), and each
  // after the same few ticks unmeasured, so that neither follows the server's start or close.
  const measure = async () => {
    await run(WARM_TICKS);
    const start = cpuMs();
    await run(60);
    return cpuMs() - start;
  };
  let endpoints = 0;
  const attached = async () => {
    const server = new ImdsServer(session);
    await server.start();
    try {
      const cpu = await measure();
      endpoints = server.list().length;
      return cpu;
    } finally {
      await server.close();
    }
  };
  // Each round's order the other way about (without, with; then with, without): the region's own
  // drift through the hour, after the fleet-wide events, weighs on both alike.
  const rounds: { without: number; withImds: number }[] = [];
  for (let round = 0; round < IMDS_ROUNDS; round++) {
    if (round % 2 === 0) {
      const without = await measure();
      rounds.push({ without, withImds: await attached() });
    } else {
      const withImds = await attached();
      rounds.push({ without: await measure(), withImds });
    }
  }
  const sum = (key: 'without' | 'withImds') => rounds.reduce((total, r) => total + r[key], 0);
  // The share added is the median round's: a collection of the whole heap falls in one minute or
  // another, and would tip a sum over all of them by as much as the server costs.
  const shares = rounds.map((r) => r.withImds / r.without - 1).sort((a, b) => a - b);
  return {
    endpoints,
    tickCpuMs: r3(sum('without') / (IMDS_ROUNDS * 60)),
    withImdsTickCpuMs: r3(sum('withImds') / (IMDS_ROUNDS * 60)),
    addedShare: r3((shares[IMDS_ROUNDS / 2 - 1]! + shares[IMDS_ROUNDS / 2]!) / 2),
  };
}

/** Rounds of a minute without the IMDS and a minute with it: an even number, so each order comes as often. */
const IMDS_ROUNDS = 8;
/** Ticks run before each measured minute, unmeasured. */
const WARM_TICKS = 5;

export async function measureRealistic(
  hosts: number,
  span: string,
  withImds: boolean,
  withEvents = true,
): Promise<RealisticResult> {
  const minutes = span === 'day' ? 24 * 60 : span === 'peak' ? 60 : Number(span);
  const level = realisticLevel(hosts, PEAK_START, '24h');
  // The reference's arrays (56 bytes a record) are the benchmark's, not the region's: for a region
  // too large to hold both lightly, the pass is measured before the region is built and its arrays
  // let go, so that the region's peak memory is its own.
  const records = levelSize(level).instances;
  const reference = referencePass(records);
  reference.sample(100);
  const interleaved = records <= INTERLEAVED_MAX_RECORDS;
  if (!interleaved) {
    reference.release();
    gc();
  }
  const began = cpuMs();
  const session = new Session(level, 'bench');
  const buildCpuMs = cpuMs() - began;
  const instances = Object.keys(session.world.instances).length;

  let t = cpuMs();
  session.advance();
  const firstTickCpuMs = cpuMs() - t;

  // Minute by minute, so the worst minute shows; the reference is sampled between minutes, about
  // sixty times over the run, so that both are measured on the machine as it is at the time.
  let events = 0;
  const counter = (e: SimEvent[]) => (events += e.length);
  const stop = session.onEvents(counter);
  let worst = { perTick: 0, at: '' };
  let firstMinute = 0;
  let runCpu = 0;
  let peakCpu = 0;
  const peakMinutes = Math.min(60, minutes);
  const sampleEvery = Math.ceil(minutes / 60);
  let advisorRefresh = 0;
  for (let m = 0; m < minutes; m++) {
    const at = clock(session);
    t = cpuMs();
    if (m === 0) {
      // Tick 59 ends second 60, when the alarms are first evaluated and Trusted Advisor refreshes.
      const start = session.tick;
      session.run(ALARM_RULES.periodSeconds - 1 - start);
      const before = cpuMs();
      session.advance();
      advisorRefresh = cpuMs() - before;
      session.run(start + 60 - session.tick);
    } else session.run(60);
    const minute = cpuMs() - t;
    runCpu += minute;
    if (m < peakMinutes) peakCpu += minute;
    if (m === 0) firstMinute = minute / 60;
    // The first minute compiles the code (firstMinuteTickCpuMs): the worst is the day's own load.
    if ((m > 0 || minutes === 1) && minute / 60 > worst.perTick) worst = { perTick: minute / 60, at };
    if (interleaved && m % sampleEvery === 0) reference.sample(10);
  }
  stop();
  const ticks = minutes * 60;
  const avg = runCpu / ticks;
  const peakAvg = peakCpu / (peakMinutes * 60);
  const pass = reference.passCpuMs();

  const fleet = withEvents ? fleetEvents(session) : [];
  const repeated = withEvents ? fleetEvents(session) : [];
  gc();
  const mem = process.memoryUsage();
  const imds = withImds ? await imdsCost(session) : null;
  return {
    hosts,
    instances,
    volumes: Object.keys(session.world.volumes).length,
    buildCpuMs: Math.round(buildCpuMs),
    firstTickCpuMs: Math.round(firstTickCpuMs),
    run: {
      span: span === 'day' ? 'day' : span === 'peak' ? 'peak-hour' : 'peak-minutes',
      from: '15:00',
      ticks,
      simSecondsPerCpuSecond: Math.round(ticks / (runCpu / 1000)),
      avgTickCpuMs: r3(avg),
      peakHourTickCpuMs: r3(peakAvg),
      firstMinuteTickCpuMs: r3(firstMinute),
      worstMinuteTickCpuMs: r3(worst.perTick),
      worstMinuteAt: worst.at,
      advisorRefreshTickCpuMs: r3(advisorRefresh),
      eventsPerTick: r3(events / ticks),
    },
    reference: { records: instances, passCpuMs: r3(pass) },
    ratios: {
      avgTick: r1(avg / pass),
      peakHourTick: r1(peakAvg / pass),
      firstMinuteTick: r1(firstMinute / pass),
      worstMinuteTick: r1(worst.perTick / pass),
      build: Math.round(buildCpuMs / pass),
    },
    fleetEvents: fleet,
    fleetEventsRepeated: repeated,
    memory: {
      heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      bytesPerInstance: Math.round(mem.heapUsed / instances),
      eventLogEntries: session.events.length,
    },
    imds,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const script = 'bench/realistic.ts';
  const { values, positionals } = readArgs({
    script,
    usage: 'bench/realistic.ts <hosts> [day|peak|minutes] [--imds] [--no-events]',
    options: { imds: false, 'no-events': false },
    positionals: 2,
  });
  const [hostsText = '', span = 'peak'] = positionals;
  const hosts = hostCount(script, '<hosts>', hostsText);
  if (span !== 'day' && span !== 'peak' && !/^\d+$/.test(span))
    refuse(script, `[day|peak|minutes]: expected day, peak or a number of minutes, got '${span}'`);
  if (span !== 'day' && span !== 'peak') wholeNumber(script, '[minutes]', span, 1, 24 * 60);
  const result = await measureRealistic(hosts, span, values.imds === true, values['no-events'] !== true);
  console.log(JSON.stringify(result));
}
