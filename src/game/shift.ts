// A generated on-call shift: a level built from the campaign's incident kinds on a generated fleet,
// with the incidents spaced through the shift as a director would (quiet stretches, one at a time
// when it is easy; overlaps, thinner spare capacity and fewer hints when it is hard). Pure and
// deterministic: one seedrandom stream named for the shift, so the same seed, hours and difficulty
// give the same level, byte for byte.
import seedrandom from 'seedrandom';
import { formatClock, RECOVERIES_PER_DAY, ruleFlags } from '../sim/index.js';
import { InputError } from '../input/input-error.js';
import { LEVEL_SCHEMA } from './level.js';

export interface ShiftSpec {
  seed: string;
  /** Length of the shift, 1 to 24. */
  hours: number;
  /** 1 (quiet, one incident at a time, plenty of spare capacity) to 5 (overlaps, thin spares, no hints). */
  difficulty: number;
}

export const SHIFT_BOUNDS = { hours: [1, 24], difficulty: [1, 5] } as const;
export const SHIFT_DEFAULTS = { hours: 8, difficulty: 2 } as const;

/** A shift's level id, which names everything needed to build it again: `shift-3-d2-8h`. */
export const shiftId = ({ seed, hours, difficulty }: ShiftSpec) => `shift-${seed}-d${difficulty}-${hours}h`;
// What reads as a shift's id, its parts then held to their bounds (checkShift), so that a shift
// out of them is told which, not taken for no level at all.
const SHIFT_ID = /^shift-(.+)-d(\d+)-(\d+)h$/;

/** The shift a level id names, or null when it names none; out-of-bounds figures are refused. */
export function parseShiftId(id: string): ShiftSpec | null {
  const m = SHIFT_ID.exec(id);
  if (!m) return null;
  // One shift, one id: its numbers are written without leading zeros.
  if (/^0\d/.test(m[2]!) || /^0\d/.test(m[3]!))
    throw new InputError(`${id}: a shift's difficulty and hours are written without leading zeros`);
  return checkShift({ seed: m[1]!, difficulty: Number(m[2]), hours: Number(m[3]) }, id);
}

export function checkShift(spec: ShiftSpec, where: string): ShiftSpec {
  // Lower case only: the seed is part of the shift's level id, and a level id is lower case.
  if (!/^[a-z0-9]{1,40}$/.test(spec.seed))
    throw new InputError(`${where}: a shift's seed is 1 to 40 lower-case letters or digits, got '${spec.seed}'`);
  for (const key of ['hours', 'difficulty'] as const) {
    const [lo, hi] = SHIFT_BOUNDS[key];
    if (!Number.isInteger(spec[key]) || spec[key] < lo || spec[key] > hi)
      throw new InputError(`${where}: ${key} must be a whole number from ${lo} to ${hi}, got ${spec[key]}`);
  }
  return spec;
}

/** The tiers' security groups, one inbound rule each: what a reachability fault revokes. */
const SECURITY_GROUPS = [
  { name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
  { name: 'cache', ingress: [{ protocol: 'tcp', port: 6379, cidr: '10.0.0.0/16' }] },
  { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
] as const;

const ZONES = [
  { name: 'us-east-1a', id: 'use1-az1' },
  { name: 'us-east-1b', id: 'use1-az2' },
  { name: 'us-east-1c', id: 'use1-az4' },
];

interface Draws {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  /**
   * One of `list` no fault has been drawn for yet in this shift, marked as drawn; once each has had
   * one, a new round of the whole list: a guest hung or an instance retired earlier may still be
   * so, left alone, and the same fault again would add no incident. One draw, as pick: the shift's
   * other draws stay.
   */
  fresh(list: readonly string[], drawn: Set<string>): string;
}

function draws(spec: ShiftSpec): Draws {
  const rng = seedrandom.alea(`shift:${spec.seed}:d${spec.difficulty}:${spec.hours}h`);
  const next = () => rng.quick();
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const fresh = (list: readonly string[], drawn: Set<string>) => {
    let left = list.filter((name) => !drawn.has(name));
    if (!left.length) {
      for (const name of list) drawn.delete(name);
      left = [...list];
    }
    const name = pick(left);
    drawn.add(name);
    return name;
  };
  return { next, int, pick, fresh };
}

/** An incident kind of the campaign: the injects that cause it, and a hint that teaches where to look. */
interface Kind {
  name: string;
  /** Injects, given the fleet's names, the draws and the incident's start (seconds into the shift); `at` is seconds from that start. */
  injects(fleet: Fleet, d: Draws, start: number): { at: number; command: string }[];
  /** Whether it cannot strike at `start` (nothing there to take, or still out), so that a host fails instead. */
  instead?(fleet: Fleet, start: number): boolean;
  hint: string;
  /** Seconds it needs from its start to be dealt with, for spacing. */
  span: number;
}

interface Fleet {
  web: string[];
  cache: string[];
  spotWeb: string[];
  /** What a hang or a retirement may hit: a Spot instance may be gone by then, reclaimed. */
  onDemandWeb: string[];
  /** Zones that hold no single-instance system (the cache, the database): a zone outage there is survivable. */
  sparableZones: typeof ZONES;
  /** Instances a hang or a retirement has been drawn for so far (see Draws.fresh). */
  drawn: Set<string>;
  /** What a host failure strikes: the host under each of these instances. */
  hostFailures: readonly string[];
  /** Those a host failure has been drawn for so far. */
  failedHosts: Set<string>;
  /** Inbound rules a reachability fault may revoke, as `revoke-ingress` takes them: each tier's one. */
  ingressRules: readonly string[];
  /** Those revoked so far. */
  revokedRules: Set<string>;
  /** Each Spot pool's capacity, which a reclaimed pool gets back. */
  spotCapacity: number;
  /** Failures each of hostFailures may still be drawn for; absent: no bound. */
  failuresLeft: Map<string, number>;
  /** Until when a zone (`zone:<id>`) or the Spot pool (`pool:<zone id>`) is out, seconds into the shift. */
  busyUntil: Map<string, number>;
}

/**
 * The orders database: one r6i.large on a gp3 volume at its 3,000 baseline IOPS, asked for about
 * 2,000 IOPS. A surge of 1.55-1.7x asks 3,100-3,400 IOPS: past the volume's limit, inside the
 * instance's 3,600 IOPS EBS baseline, so raising the volume's IOPS (Elastic Volumes) is the remedy.
 */
const DB = { rps: 250, iopsPerRequest: 8, volume: 'orders-data', surge: [1.55, 1.7] } as const;

/** The Spot pool's key among Fleet.busyUntil. */
const SPOT_POOL = `pool:${ZONES[0]!.id}`;

/** The zones a zone impairment may strike at `start`: sparable, and not still out. */
const zonesUp = (f: Fleet, start: number) =>
  f.sparableZones.filter((z) => (f.busyUntil.get(`zone:${z.id}`) ?? 0) <= start);

const HOST_FAILURE: Kind = {
  name: 'host failure',
  // The cache's host (instance store keeps automatic recovery from helping, so the responder must
  // act) or the database's (EBS only: EC2 recovers it, and a stop would only lengthen the
  // outage), one not failed yet in the shift: left alone, a failed host is still failed. The
  // database's at most as often as EC2 recovers an instance in a day: more hardware failures under
  // one instance in a shift would be no fair draw.
  injects: (f, d) => {
    const name = d.fresh(
      f.hostFailures.filter((n) => (f.failuresLeft.get(n) ?? 1) > 0),
      f.failedHosts,
    );
    const left = f.failuresLeft.get(name);
    if (left !== undefined) f.failuresLeft.set(name, left - 1);
    return [{ at: 0, command: `fail-host ${name}` }];
  },
  hint: "A failed system status check is AWS's side: an EBS-only instance recovers by itself; one with instance store waits for a forced stop and a start.",
  span: 1200,
};

/** In order of what they ask of a responder: a shift of difficulty d draws from the first 3 + 2d. */
const KINDS: readonly Kind[] = [
  HOST_FAILURE,
  {
    name: 'guest hang',
    injects: (f, d) => [{ at: 0, command: `hang-guest ${d.fresh(f.onDemandWeb, f.drawn)}` }],
    hint: "An instance check failing while the system check passes is the guest's own trouble: a reboot is the first thing to try.",
    span: 900,
  },
  {
    name: 'scheduled retirement',
    injects: (f, d) => [
      {
        at: 0,
        command: `schedule-event ${d.fresh(f.onDemandWeb, f.drawn)} instance-retirement --in ${d.int(20, 40)}m`,
      },
    ],
    hint: 'A scheduled retirement stops the instance at its deadline: stop and start it before then to move it to healthy hardware.',
    span: 2400,
  },
  {
    name: 'EBS saturation',
    injects: (_f, d) => [
      {
        at: 0,
        command: `surge-demand orders-db ${(DB.surge[0] + (DB.surge[1] - DB.surge[0]) * d.next()).toFixed(2)} --for ${d.int(20, 40)}m`,
      },
    ],
    hint: "A database's latency climbing with its volume's queue while the instance is healthy is the volume at its limit: read the volume's IOPS against its provisioned figure, and raise it in place (Elastic Volumes).",
    span: 2400,
  },
  {
    name: 'reachability fault',
    // Someone tidies a tier's security group: nothing fails, but no client gets in. A rule not
    // revoked yet in the shift: left alone, a revoked rule is still gone.
    injects: (f, d) => [{ at: 0, command: `revoke-ingress ${d.fresh(f.ingressRules, f.revokedRules)}` }],
    hint: "Every instance of a tier healthy and none serving is the path, not the hosts: read its security group's inbound rules.",
    span: 900,
  },
  {
    name: 'Spot reclaim',
    // The pool the Spot part of the web tier runs in, whose capacity comes back within the hour (so
    // a later reclaim has something to take); a shift without Spot, or whose pool is still
    // reclaimed, loses a host instead.
    instead: (f, start) => !f.spotWeb.length || (f.busyUntil.get(SPOT_POOL) ?? 0) > start,
    injects: (f, d, start) => {
      const back = d.int(30, 60) * 60;
      f.busyUntil.set(SPOT_POOL, start + back);
      return [
        { at: 0, command: `set-spot-capacity m6i.large ${ZONES[0]!.id} 0` },
        { at: back, command: `set-spot-capacity m6i.large ${ZONES[0]!.id} ${f.spotCapacity}` },
      ];
    },
    hint: 'Spot interruption notices come two minutes ahead: launch replacements for web (with --sg web) in another pool or on-demand.',
    span: 1200,
  },
  {
    name: 'demand surge',
    injects: (_f, d) => [{ at: 0, command: `surge-demand web ${(1.5 + d.next()).toFixed(1)} --for ${d.int(15, 30)}m` }],
    hint: 'Errors rising on every web instance at once with nothing failed is load: add web capacity (launch --workload web --sg web).',
    span: 1800,
  },
  {
    name: 'zone impairment',
    // A zone the web tier spans but no single-instance system lives in (losing that one is the
    // 06-zone-down lesson), and not one still impaired: its restore would end the second outage
    // early. With both impaired, a host fails instead.
    instead: (f, start) => zonesUp(f, start).length === 0,
    injects: (f, d, start) => {
      const zone = d.pick(zonesUp(f, start));
      const back = d.int(15, 25) * 60;
      f.busyUntil.set(`zone:${zone.id}`, start + back);
      return [
        { at: 0, command: `impair-zone ${zone.id}` },
        { at: back, command: `restore-zone ${zone.id}` },
      ];
    },
    hint: 'When a whole zone fails its checks, no action in it helps: launch web capacity in the other zones until it recovers.',
    span: 1800,
  },
];

/**
 * Builds a shift's level as a plain JSON value, ready for parseLevel (and for an instructor to edit).
 * Errors: an out-of-bounds spec is an InputError.
 */
export function generateShift(input: ShiftSpec): Record<string, unknown> {
  const spec = checkShift(input, 'shift');
  const d = draws(spec);
  const hard = spec.difficulty;
  const duration = spec.hours * 3600;
  // The fleet: web spread over three zones, sized for the load with spare capacity that thins as the
  // shift gets harder; some of it on Spot from difficulty 2; a session cache on instance store.
  const webPerZone = d.int(2, 3);
  const spare = Math.max(0, 3 - Math.floor(hard / 2));
  const spotZones = hard >= 2 ? 1 : 0;
  const fleet: Record<string, unknown>[] = [];
  const names: Fleet = {
    web: [],
    cache: [],
    spotWeb: [],
    onDemandWeb: [],
    sparableZones: ZONES.slice(1),
    drawn: new Set(),
    hostFailures: ['cache-1', 'db-1'],
    failedHosts: new Set(),
    ingressRules: SECURITY_GROUPS.flatMap((g) =>
      g.ingress.map(
        (r) => `${g.name} ${ruleFlags({ protocol: r.protocol, fromPort: r.port, toPort: r.port, cidr: r.cidr })}`,
      ),
    ),
    revokedRules: new Set(),
    spotCapacity: 6 + 2 * spare,
    failuresLeft: new Map([['db-1', RECOVERIES_PER_DAY]]),
    busyUntil: new Map(),
  };
  ZONES.forEach((zone, z) => {
    const spot = z < spotZones;
    for (let i = 0; i < webPerZone; i++) {
      const name = `web-${zone.name.slice(-1)}${i + 1}`;
      names.web.push(name);
      (spot ? names.spotWeb : names.onDemandWeb).push(name);
      fleet.push({
        name,
        type: 'm6i.large',
        zone: zone.id,
        workload: 'web',
        securityGroups: ['web'],
        ...(spot ? { spot: true } : {}),
      });
    }
  });
  names.cache.push('cache-1');
  fleet.push({
    name: 'cache-1',
    type: 'm6id.large',
    zone: ZONES[0]!.id,
    workload: 'sessions',
    securityGroups: ['cache'],
    publicIp: false,
    instanceStoreDataGB: d.int(20, 80),
  });
  fleet.push({
    name: 'db-1',
    type: 'r6i.large',
    zone: ZONES[0]!.id,
    workload: 'orders-db',
    securityGroups: ['db'],
    publicIp: false,
    volume: { type: 'gp3', size: 200, name: DB.volume },
  });
  const webCount = names.web.length;
  // About 60% of the web tier's capacity at the start: 100 requests per vCPU per second, 2 vCPUs each.
  const baseRps = Math.round(webCount * 2 * 100 * (0.45 + 0.05 * hard + 0.05 * d.next()));

  // The director: incidents through the shift, one at a time with quiet stretches when easy,
  // closer together and overlapping when hard.
  const count = Math.max(1, Math.round(spec.hours * (0.4 + 0.25 * hard)));
  const slot = duration / (count + 1);
  const injects: { at: string; command: string }[] = [];
  const used: string[] = [];
  for (let i = 0; i < count; i++) {
    const drawn = KINDS[Math.floor(d.next() * Math.min(KINDS.length, 3 + 2 * hard))]!;
    const jitter = (d.next() - 0.5) * slot * (0.2 + 0.15 * hard);
    const start = Math.round(Math.min(duration - drawn.span, Math.max(300, slot * (i + 1) + jitter)));
    const kind = drawn.instead?.(names, start) ? HOST_FAILURE : drawn;
    used.push(kind.name);
    for (const inj of kind.injects(names, d, start))
      if (start + inj.at < duration) injects.push({ at: formatClock(start + inj.at), command: inj.command });
  }
  // From difficulty 4 a guest hang before the first incident, on an on-demand web instance or the
  // cache, drawn like the rest so that no two seeds share it: a fault of its own (a reboot fixes
  // it) to tell apart from the shift's heavier ones, whose alarms come soon after.
  if (hard >= 4) {
    used.push('guest hang');
    const at = Math.round(slot * (0.2 + 0.6 * d.next()));
    injects.push({
      at: formatClock(at),
      command: `hang-guest ${d.fresh([...names.cache, ...names.onDemandWeb], names.drawn)}`,
    });
  }
  injects.sort((a, b) => clockSeconds(a.at) - clockSeconds(b.at));
  // Each failure under the cache or the database takes a host for good: it restarts on another, so
  // there is one for each, and a spare.
  const hostsFor = (name: string) => 2 + injects.filter((i) => i.command === `fail-host ${name}`).length;

  const kinds = [...new Set(used)];
  const faults = used.length;
  const hints = kinds.map((k) => KINDS.find((x) => x.name === k)!.hint).slice(0, Math.max(0, 5 - hard));
  return {
    schema: LEVEL_SCHEMA,
    id: shiftId(spec),
    title: `On-call shift ${spec.seed}, difficulty ${hard}, ${spec.hours} h`,
    briefing: `An on-call shift of ${spec.hours} h in us-east-1: the web tier (${webCount} m6i.large across three zones${spotZones ? ', one zone on Spot' : ''}) behind port 443, a session cache on instance store, and the orders database (db-1, r6i.large in ${ZONES[0]!.name}) on a gp3 volume, ${DB.volume}. ${faults === 1 ? 'Something will go wrong' : `Expect ${faults} faults, each of which may open more than one incident`}; keep web, the cache and the database within their SLOs and leave every incident resolved.`,
    lesson: `This shift mixed ${kinds.join(', ')}. Read the status checks first (system: AWS's side; instance: the guest's), keep replacements in the workload's security group, and keep spare capacity outside the zone or pool in trouble.`,
    hints,
    objectives: [
      { kind: 'slo', workload: 'web', min: Number((0.97 - 0.01 * hard).toFixed(2)) },
      { kind: 'slo', workload: 'sessions', min: 0.95 },
      { kind: 'slo', workload: 'orders-db', min: 0.95 },
      { kind: 'running', workload: 'web', min: webCount },
      { kind: 'incidents-resolved' },
    ],
    seed: spec.seed,
    start: '2026-03-09T08:00:00Z',
    duration,
    region: 'us-east-1',
    zones: ZONES,
    racks: [
      ...ZONES.map((z) => ({
        zone: z.id,
        family: 'm6i',
        racks: 2,
        hostsPerRack: 1 + spare + Math.ceil(webPerZone / 2),
      })),
      { zone: ZONES[0]!.id, family: 'm6id', racks: 2, hostsPerRack: Math.ceil(hostsFor('cache-1') / 2) },
      { zone: ZONES[0]!.id, family: 'r6i', racks: 1, hostsPerRack: hostsFor('db-1') },
    ],
    spotPools: ZONES.map((z) => ({ type: 'm6i.large', zone: z.id, capacity: names.spotCapacity })),
    securityGroups: structuredClone(SECURITY_GROUPS),
    workloads: [
      { name: 'web', kind: 'web', demand: { baseRps, noise: 0.03 + 0.01 * hard } },
      {
        name: 'sessions',
        kind: 'database',
        port: 6379,
        stateful: false,
        demand: { baseRps: Math.round(baseRps / 3), noise: 0.05 },
      },
      {
        name: 'orders-db',
        kind: 'database',
        iopsPerRequest: DB.iopsPerRequest,
        demand: { baseRps: DB.rps, noise: 0.03 },
      },
    ],
    fleet,
    injects,
  };
}

function clockSeconds(clock: string): number {
  return clock.split(':').reduce((a, p) => a * 60 + Number(p), 0);
}
