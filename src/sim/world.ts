// Builds a world from a level's description of it: zones, racks of hosts, Spot pools, security
// and placement groups, workloads, and the fleet already running when play begins.
import { HOST_FAMILIES, hostFamily, instanceType } from './catalogue.js';
import { CommandError, refuse } from './errors.js';
import { touchEverything } from './changes.js';
import { counted } from './counted.js';
import { EventSink } from './events.js';
import { newId } from './ids.js';
import { launch, spotPoolKey, type LaunchRequest, type StartingFleet } from './instances.js';
import { buildNatGateways } from './nat.js';
import { rows } from './tables.js';
import { buildVpc, type VpcSpec } from './vpc.js';
import type { PlacementStrategy, SecurityGroupRule, SimEvent, World, Workload } from './types.js';

export interface RackSpec {
  zoneId: string;
  family: string;
  racks: number;
  hostsPerRack: number;
}

export interface SpotPoolSpec {
  type: string;
  zoneId: string;
  capacity: number;
  volatility: number;
}

/** A workload as a level describes it: everything but what play accumulates. */
export type WorkloadSpec = Omit<Workload, 'stats' | 'last'>;

export interface WorldSpec {
  seed: string;
  epochMs: number;
  region: string;
  zones: { name: string; zoneId: string }[];
  racks: RackSpec[];
  spotPools: SpotPoolSpec[];
  /** `vpc`: the group's VPC by its place in [vpc, ...otherVpcs]; absent: the first. */
  securityGroups: { name: string; ingress: SecurityGroupRule[]; vpc?: number }[];
  placementGroups: { name: string; strategy: PlacementStrategy; partitions: number }[];
  workloads: WorkloadSpec[];
  /** The level's own VPC; absent: the default VPC (see vpc.ts). */
  vpc?: VpcSpec;
  /** Further VPCs, isolated from the first and from each other; they may reuse its addresses. */
  otherVpcs?: VpcSpec[];
  /** Instances running at tick 0; security groups here are names. */
  fleet: LaunchRequest[];
}

function emptyWorld(spec: WorldSpec): World {
  return {
    schemaVersion: 1,
    seed: spec.seed,
    tick: 0,
    epochMs: spec.epochMs,
    region: spec.region,
    zones: spec.zones.map((z) => ({ ...z, impaired: false })),
    racks: {},
    hosts: {},
    instances: {},
    volumes: {},
    snapshots: {},
    spotPools: {},
    placementGroups: {},
    securityGroups: {},
    enis: {},
    elasticIps: {},
    workloads: {},
    ledger: { onDemandMicros: 0, spotMicros: 0, ebsMicros: 0, publicIpv4Micros: 0 },
    counters: {},
    rng: {},
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

function buildRacks(world: World, racks: RackSpec[]): void {
  const racksInZone = new Map<string, number>();
  racks.forEach((r, index) => {
    const family = hostFamily(r.family);
    if (!family)
      refuse(
        'InvalidParameterValue',
        `racks[${index}].family: unknown host family ${r.family} (families: ${[...HOST_FAMILIES.keys()].join(', ')})`,
      );
    for (let i = 0; i < r.racks; i++) {
      const n = (racksInZone.get(r.zoneId) ?? 0) + 1;
      racksInZone.set(r.zoneId, n);
      const rackId = `${r.zoneId}-r${pad(n)}`;
      const rack = { id: rackId, zoneId: r.zoneId, family: r.family, hostIds: [] as string[] };
      for (let h = 1; h <= r.hostsPerRack; h++) {
        const id = `${rackId}-h${pad(h)}`;
        world.hosts[id] = {
          id,
          rackId,
          zoneId: r.zoneId,
          family: r.family,
          vcpu: family.vcpu,
          memoryMiB: family.memoryMiB,
          usedVcpu: 0,
          usedMemoryMiB: 0,
          instanceIds: [],
          health: 'ok',
          healthSince: 0,
        };
        rack.hostIds.push(id);
      }
      world.racks[rackId] = rack;
    }
  });
}

/**
 * A workload's running figures, all 0. Those that take fractions are made -0, which V8 holds as a
 * double, and then set to 0: made whole numbers, the records' fields changed representation at a
 * zone's outage (the first fraction of an error), and the code that writes them each second,
 * compiled for whole numbers, went back to the interpreter every second after it (in one run of
 * the 10,000-host benchmark, 575 times in a row).
 */
function zeroFigures(): Pick<Workload, 'stats' | 'last'> {
  const stats = { requests: -0, served: -0, failed: -0, goodSeconds: 0, measuredSeconds: 0 };
  const last = { demandRps: -0, servedRps: -0, errorRps: -0, latencyMs: -0, healthyMembers: 0 };
  stats.requests = stats.served = stats.failed = 0;
  last.demandRps = last.servedRps = last.errorRps = last.latencyMs = 0;
  return { stats, last };
}

/**
 * The world at tick 0, with the events of building it: one for each entry of the fleet, not one
 * per instance, since a region's starting fleet runs to hundreds of thousands.
 */
export function createWorld(spec: WorldSpec): { world: World; events: SimEvent[] } {
  const world = emptyWorld(spec);
  const sink = new EventSink(world);
  buildRacks(world, spec.racks);
  // The fleet's tables keep their rows from the start, so that they grow with the fleet as it is
  // launched instead of being drawn up afresh from records of a million entries when first asked for.
  for (const table of ['instances', 'volumes', 'enis'] as const) rows(world, table);
  if (spec.vpc) {
    world.vpc = buildVpc(world, spec.vpc);
    buildNatGateways(world, world.vpc, spec.vpc.natGateways);
  }
  if (spec.otherVpcs?.length) {
    world.otherVpcs = spec.otherVpcs.map((v) => buildVpc(world, v));
    spec.otherVpcs.forEach((v, i) => buildNatGateways(world, world.otherVpcs![i]!, v.natGateways));
  }
  spec.spotPools.forEach((p, index) => {
    const type = instanceType(p.type);
    if (!type) refuse('InvalidParameterValue', `spotPools[${index}].type: unknown instance type ${p.type}`);
    const key = spotPoolKey(p.type, p.zoneId);
    world.spotPools[key] = {
      key,
      type: p.type,
      zoneId: p.zoneId,
      capacity: p.capacity,
      meanCapacity: p.capacity,
      volatility: p.volatility,
      priceMicros: Math.round(type.onDemandMicrosPerHour * 0.25),
      onDemandMicros: type.onDemandMicrosPerHour,
      chargedMicros: 0,
    };
  });
  const sgIds = new Map<string, string>();
  for (const sg of spec.securityGroups) {
    const id = newId(world, 'sg', world.securityGroups);
    world.securityGroups[id] = { id, name: sg.name, ingress: sg.ingress.map((r) => ({ ...r })) };
    if (sg.vpc) world.securityGroups[id]!.vpcId = world.otherVpcs![sg.vpc - 1]!.id;
    sgIds.set(sg.name, id);
  }
  for (const pg of spec.placementGroups) world.placementGroups[pg.name] = { ...pg };
  for (const w of spec.workloads) {
    world.workloads[w.name] = {
      ...w,
      ...zeroFigures(),
    };
  }
  const starting: StartingFleet = { spotUsers: new Map() };
  spec.fleet.forEach((req, i) => {
    try {
      const launched = launch(
        world,
        { ...req, securityGroupIds: req.securityGroupIds.map((name) => sgIds.get(name) ?? name) },
        new EventSink(world),
        starting,
      );
      const first = launched[0]!;
      const what = `${counted(launched.length, 'instance')} of ${req.type}`;
      sink.emit(
        'fleet-running',
        'info',
        req.name ?? first.id,
        `${what}${req.name ? ` (${req.name})` : ''} running in ${req.zoneId}`,
        { instances: launched.length, type: req.type, zone: req.zoneId },
      );
    } catch (err) {
      if (err instanceof CommandError) throw new CommandError(err.code, `fleet[${i}]: ${err.message}`);
      throw err;
    }
  });
  // Derived data is drawn up from the finished world, not kept up with it while it was built.
  touchEverything(world);
  return { world, events: sink.events };
}
