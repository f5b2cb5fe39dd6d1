// Small worlds for tests, built through the same level format players use.
import { parseLevel, type Level } from '../../src/game/level.js';
import { Session } from '../../src/game/session.js';
import { findByName } from '../../src/sim/instances.js';
import {
  EventSink,
  parseCommand,
  step,
  applyNow,
  type Instance,
  type SimEvent,
  type Volume,
  type World,
} from '../../src/sim/index.js';

export type LevelPatch = Record<string, unknown>;

/** A level with three zones, a few racks of m6i / m6id / c6i / r6i hosts and no fleet, patched by the test. */
export function testLevel(patch: LevelPatch = {}): Level {
  const base = {
    schema: 'fleetops/level@1',
    id: 'test',
    title: 'Test',
    briefing: 'A level for tests.',
    start: '2026-03-02T09:00:00Z',
    duration: '1h',
    region: 'us-east-1',
    zones: [
      { name: 'us-east-1a', id: 'use1-az1' },
      { name: 'us-east-1b', id: 'use1-az2' },
      { name: 'us-east-1c', id: 'use1-az4' },
    ],
    racks: [
      { zone: 'use1-az1', family: 'm6i', racks: 3, hostsPerRack: 3 },
      { zone: 'use1-az2', family: 'm6i', racks: 3, hostsPerRack: 3 },
      { zone: 'use1-az4', family: 'm6i', racks: 3, hostsPerRack: 3 },
      { zone: 'use1-az1', family: 'm6id', racks: 1, hostsPerRack: 2 },
      { zone: 'use1-az1', family: 'c6i', racks: 1, hostsPerRack: 2 },
      { zone: 'use1-az1', family: 'r6i', racks: 1, hostsPerRack: 2 },
    ],
    spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 20, volatility: 0 }],
    securityGroups: [{ name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
    workloads: [],
    fleet: [],
    injects: [],
    ...patch,
  };
  return parseLevel(JSON.stringify(base), 'test-level.json');
}

export function testSession(patch: LevelPatch = {}, seed = 'test'): Session {
  return new Session(testLevel(patch), seed);
}

/** Applies commands to a world at its current tick, outside any tick; returns their events. */
export function apply(world: World, ...lines: string[]): SimEvent[] {
  const sink = new EventSink(world);
  for (const line of lines) applyNow(world, parseCommand(line), sink);
  return sink.events;
}

/** Runs n ticks with no commands and returns every event. */
export function run(world: World, n: number): SimEvent[] {
  const events: SimEvent[] = [];
  for (let i = 0; i < n; i++) events.push(...step(world));
  return events;
}

export function refusals(events: SimEvent[]): string[] {
  return events.filter((e) => e.kind === 'command-refused').map((e) => e.message);
}

export function eventsOf(events: SimEvent[], kind: string): SimEvent[] {
  return events.filter((e) => e.kind === kind);
}

/** The live instance with this Name tag; fails the test loudly when there is none. */
export function named(world: World, name: string): Instance {
  const found = findByName(world, name);
  if (!found) throw new Error(`no instance named ${name}`);
  return found;
}

/** The instance's first volume other than its root. */
export function dataVolumeOf(world: World, instance: Instance): Volume {
  const found = Object.values(world.volumes).find(
    (v) => v.attachment?.instanceId === instance.id && v.id !== instance.rootVolumeId,
  );
  if (!found) throw new Error(`${instance.id} has no data volume`);
  return found;
}

/**
 * A database of `count` r6i.large instances, each with a gp3 data volume of 3,000 IOPS that its
 * share of 2,000 requests a second at 10 I/Os each (5,000 IOPS for four) asks too much of: every
 * volume past its limits from the first second.
 */
export function saturatingDatabase(count: number): LevelPatch {
  return {
    securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] }],
    workloads: [{ name: 'db', kind: 'database', iopsPerRequest: 10, demand: { baseRps: 2000, noise: 0 } }],
    fleet: [
      {
        name: 'db',
        count,
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'db',
        securityGroups: ['db'],
        volume: { type: 'gp3', size: 100 },
      },
    ],
  };
}
