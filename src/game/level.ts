// Levels are data: JSON files under levels/ describing the region, the fleet, the workloads and
// the scenario's injects. This module checks one and turns it into the model's world spec.
import type { LaunchRequest } from '../sim/instances.js';
import { DEFAULT_METADATA_OPTIONS, MAX_HOP_LIMIT } from '../sim/metadata-options.js';
import { parseDuration } from '../sim/index.js';
import type { MetadataOptions, SecurityGroupRule, VolumeType, WorkloadKind } from '../sim/types.js';
import type { RackSpec, SpotPoolSpec, WorldSpec, WorkloadSpec } from '../sim/world.js';
import kindsData from './data/workload-kinds.json' with { type: 'json' };
import { injectSpec, processSpec, type InjectSpec, type ProcessSpec } from './inject-spec.js';
import { DEFAULT_WEIGHTS, type ScoringWeights } from './score.js';
import type { Objective } from './objectives.js';
import { parseJson, type Field } from './schema.js';

export const LEVEL_SCHEMA = 'fleetops/level@1';

export interface Level {
  id: string;
  title: string;
  /** The situation at the start of play. */
  briefing: string;
  /** What the level teaches and the remedy; "" when the level states none. */
  lesson: string;
  hints: string[];
  objectives: Objective[];
  scoring: ScoringWeights;
  /** What the level allows to spend; null: the starting fleet's own cost plus a quarter. */
  budgetUsd: number | null;
  /** Lost data that takes the data-loss score to zero. */
  dataLossToleranceGB: number;
  /** Length of play in ticks. */
  duration: number;
  defaultSeed: string;
  /** World spec without its seed, which each run supplies. */
  world: Omit<WorldSpec, 'seed'>;
  /** What may happen to the player; the seed decides the details (see inject-plan.ts). */
  injects: InjectSpec[];
  /** Faults that run through the whole level at a rate. */
  processes: ProcessSpec[];
}

type KindDefaults = Omit<WorkloadSpec, 'name' | 'kind' | 'demand'>;
const KIND_DEFAULTS = (kindsData as unknown as { kinds: Record<WorkloadKind, KindDefaults> }).kinds;
const KINDS = Object.keys(KIND_DEFAULTS) as WorkloadKind[];
const ZONE_ID = /^[a-z]{2,5}\d-az\d+$/;
/** Longest play a level may ask for. */
const MAX_DURATION = 86400;
const INSTANCE_TYPE = /^[a-z0-9]+\.[a-z0-9]+$/;

function duration(f: Field): number {
  const text = typeof f.value === 'number' ? String(f.value) : f.string(undefined, 'a duration such as 3600, 45m or 1h30m');
  const seconds = parseDuration(text);
  if (seconds === null) f.fail('a duration such as 3600, 45m or 1h30m');
  return seconds;
}

function zoneRef(f: Field, zones: Map<string, string>): string {
  const z = f.string();
  const id = zones.get(z);
  if (!id) f.fail(`a zone of this level (${[...zones.keys()].filter((k) => ZONE_ID.test(k)).join(', ')})`);
  return id;
}

function rule(f: Field): SecurityGroupRule {
  f.keys(['protocol', 'port', 'cidr']);
  const protocol = f.at('protocol').oneOf(['tcp', 'udp', 'icmp', 'all'] as const);
  const portText = String(f.at('port').or('0-65535', (p) => (typeof p.value === 'number' ? String(p.int(0, 65535)) : p.string(/^\d+(-\d+)?$/, 'a port or range such as 443 or 8000-8100'))));
  const [from, to] = portText.split('-').map(Number) as [number, number | undefined];
  return { protocol, fromPort: from, toPort: to ?? from, cidr: f.at('cidr').string(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'an IPv4 CIDR such as 0.0.0.0/0') };
}

function workload(f: Field): WorkloadSpec {
  f.keys(['name', 'kind', 'demand', 'rpsPerVcpu', 'iopsPerRequest', 'kibPerRequest', 'port', 'public', 'stateful', 'slo']);
  const kind = f.at('kind').oneOf(KINDS);
  const d = KIND_DEFAULTS[kind];
  const demand = f.at('demand').keys(['baseRps', 'hourly', 'noise']);
  const hourly = demand.at('hourly').or(null, (h) => {
    const list = h.items().map((x) => x.number(0, 100));
    if (list.length !== 24) h.fail('24 hourly multipliers');
    return list;
  });
  const slo = f.at('slo');
  return {
    name: f.at('name').string(/^[a-z][a-z0-9-]*$/, 'a lower-case name'),
    kind,
    demand: { baseRps: demand.at('baseRps').number(0), hourly, noise: demand.at('noise').or(0, (n) => n.number(0, 1)) },
    rpsPerVcpu: f.at('rpsPerVcpu').or(d.rpsPerVcpu, (x) => x.number(0)),
    iopsPerRequest: f.at('iopsPerRequest').or(d.iopsPerRequest, (x) => x.number(0)),
    kibPerRequest: f.at('kibPerRequest').or(d.kibPerRequest, (x) => x.number(0)),
    port: f.at('port').or(d.port, (x) => x.int(0, 65535)),
    public: f.at('public').or(d.public, (x) => x.boolean()),
    stateful: f.at('stateful').or(d.stateful, (x) => x.boolean()),
    slo: slo.present
      ? { latencyMs: slo.keys(['latencyMs', 'availability']).at('latencyMs').number(1), availability: slo.at('availability').number(0, 1) }
      : d.slo,
  };
}

/**
 * Instance metadata options with EC2's names, `metadataOptions: { httpEndpoint, httpTokens,
 * httpPutResponseHopLimit, instanceMetadataTags }`; `imds` (httpTokens) and `imdsHopLimit`
 * (httpPutResponseHopLimit) say the same more briefly, but not beside metadataOptions.
 */
function metadataOptions(f: Field): MetadataOptions {
  const full = f.at('metadataOptions');
  const short = ['imds', 'imdsHopLimit'].find((k) => f.at(k).present);
  if (full.present && short) f.at(short).fail(`no ${short} beside metadataOptions (give httpTokens and httpPutResponseHopLimit there)`);
  if (full.present) {
    full.keys(['httpEndpoint', 'httpTokens', 'httpPutResponseHopLimit', 'instanceMetadataTags']);
    return {
      httpEndpoint: full.at('httpEndpoint').or(DEFAULT_METADATA_OPTIONS.httpEndpoint, (x) => x.oneOf(['enabled', 'disabled'] as const)),
      httpTokens: full.at('httpTokens').or(DEFAULT_METADATA_OPTIONS.httpTokens, (x) => x.oneOf(['required', 'optional'] as const)),
      httpPutResponseHopLimit: full.at('httpPutResponseHopLimit').or(DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit, (x) => x.int(1, MAX_HOP_LIMIT)),
      instanceMetadataTags: full.at('instanceMetadataTags').or(DEFAULT_METADATA_OPTIONS.instanceMetadataTags, (x) => x.oneOf(['enabled', 'disabled'] as const)),
    };
  }
  return {
    ...DEFAULT_METADATA_OPTIONS,
    httpTokens: f.at('imds').or(DEFAULT_METADATA_OPTIONS.httpTokens, (x) => x.oneOf(['required', 'optional'] as const)),
    httpPutResponseHopLimit: f.at('imdsHopLimit').or(DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit, (x) => x.int(1, MAX_HOP_LIMIT)),
  };
}

function fleetEntry(f: Field, zones: Map<string, string>, workloads: WorkloadSpec[]): LaunchRequest {
  f.keys([
    'name', 'type', 'zone', 'count', 'workload', 'securityGroups', 'volume', 'root', 'spot', 'interruption', 'placementGroup', 'partition', 'publicIp',
    'imds', 'imdsHopLimit', 'metadataOptions', 'hibernation', 'autoRecovery', 'rebootMigration', 'instanceStoreDataGB', 'ebsBurstBalance',
  ]);
  const rootField = f.at('root');
  const root = rootField.present
    ? (() => {
        rootField.keys(['encrypted', 'deleteOnTermination']);
        return {
          encrypted: rootField.at('encrypted').or(false, (x) => x.boolean()),
          deleteOnTermination: rootField.at('deleteOnTermination').or(true, (x) => x.boolean()),
        };
      })()
    : { encrypted: false, deleteOnTermination: true };
  const zoneId = zoneRef(f.at('zone'), zones);
  const volume = f.at('volume');
  const spot = f.at('spot').or(false, (x) => x.boolean());
  const count = f.at('count').or(1, (x) => x.int(1, 100));
  const workload = f.at('workload').or(null, (x) => x.string());
  // The data volume of a stateful workload's member holds that workload's data from the start.
  const dataset = workloads.find((w) => w.name === workload && w.stateful)?.name;
  return {
    type: f.at('type').string(INSTANCE_TYPE, 'an instance type such as m6i.large'),
    zoneId,
    name: f.at('name').or(null, (x) => x.string()),
    market: spot ? 'spot' : 'on-demand',
    spotBehavior: f.at('interruption').or('terminate' as const, (x) => x.oneOf(['terminate', 'stop', 'hibernate'] as const)),
    spotMaxPriceMicros: null,
    placementGroup: f.at('placementGroup').or(null, (x) => x.string()),
    partition: f.at('partition').or(null, (x) => x.int(1, 7)),
    workload,
    securityGroupIds: f.at('securityGroups').or(['default'], (x) => x.items().map((i) => i.string())),
    assignPublicIp: f.at('publicIp').or(true, (x) => x.boolean()),
    count,
    minCount: count,
    root: { type: 'gp3', sizeGiB: 8, ...root },
    data: volume.present
      ? (() => {
          volume.keys(['type', 'size', 'iops', 'throughput', 'name', 'burstBalance', 'deleteOnTermination']);
          return {
            zoneId,
            type: volume.at('type').oneOf(['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'] as const) as VolumeType,
            sizeGiB: volume.at('size').int(1),
            iops: volume.at('iops').or(null, (x) => x.int(1)),
            throughputMiBps: volume.at('throughput').or(null, (x) => x.int(1)),
            // A name lets scripts and players refer to the volume; each instance needs its own.
            name: volume.at('name').or(null, (x) => (count > 1 ? x.fail('no name when count is above 1') : x.string(/^[a-z][a-z0-9-]{5,}$/, 'a lower-case name of at least 6 characters'))),
            burstBalancePct: volume.at('burstBalance').or(undefined, (x) => x.number(0, 100)),
            dataset,
            // EC2 keeps a volume attached at launch other than the root unless told otherwise.
            deleteOnTermination: volume.at('deleteOnTermination').or(false, (x) => x.boolean()),
          };
        })()
      : null,
    metadataOptions: metadataOptions(f),
    hibernation: f.at('hibernation').or(false, (x) => x.boolean()),
    autoRecovery: f.at('autoRecovery').or(true, (x) => x.boolean()),
    rebootMigration: f.at('rebootMigration').or('default' as const, (x) => x.oneOf(['default', 'disabled'] as const)),
    storeDataGB: f.at('instanceStoreDataGB').or(0, (x) => x.number(0)),
    ebsBurstBalancePct: f.at('ebsBurstBalance').or(undefined, (x) => x.number(0, 100)),
  };
}

function objective(f: Field, workloads: WorkloadSpec[]): Objective {
  const kind = f.at('kind').oneOf(['slo', 'no-data-loss', 'max-cost', 'incidents-resolved', 'running'] as const);
  const workload = (w: Field) => {
    const name = w.string();
    if (!workloads.some((x) => x.name === name)) w.fail(`a workload of this level (${workloads.map((x) => x.name).join(', ') || 'none defined'})`);
    return name;
  };
  switch (kind) {
    case 'slo':
      f.keys(['kind', 'workload', 'min']);
      return { kind, workload: workload(f.at('workload')), min: f.at('min').number(0, 1) };
    case 'running':
      f.keys(['kind', 'workload', 'min']);
      return { kind, workload: workload(f.at('workload')), min: f.at('min').int(0) };
    case 'max-cost':
      f.keys(['kind', 'usd']);
      return { kind, usd: f.at('usd').number(0) };
    default:
      f.keys(['kind']);
      return { kind };
  }
}

function scoring(f: Field): ScoringWeights {
  if (!f.present) return DEFAULT_WEIGHTS;
  const names = Object.keys(DEFAULT_WEIGHTS) as (keyof ScoringWeights)[];
  f.keys(names);
  const weights = { ...DEFAULT_WEIGHTS };
  for (const name of names) weights[name] = f.at(name).or(DEFAULT_WEIGHTS[name], (x) => x.int(0, 100));
  if (names.every((n) => weights[n] === 0)) f.fail('at least one weight above 0');
  return weights;
}

export function parseLevel(text: string, source: string): Level {
  const root = parseJson(text, source);
  root.keys(['schema', 'id', 'title', 'briefing', 'lesson', 'hints', 'objectives', 'scoring', 'budgetUsd', 'dataLossToleranceGB', 'seed', 'start', 'duration', 'region', 'zones', 'racks', 'spotPools', 'securityGroups', 'placementGroups', 'workloads', 'fleet', 'injects', 'processes']);
  if (root.at('schema').value !== LEVEL_SCHEMA) root.at('schema').fail(`"${LEVEL_SCHEMA}"`);
  const start = root.at('start').string(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'an ISO 8601 UTC time such as 2026-03-02T09:00:00Z');
  const epochMs = Date.parse(start);
  // Date.parse rolls 2026-02-30 over into March; a date that does not read back is not a real one.
  if (Number.isNaN(epochMs) || new Date(epochMs).toISOString().slice(0, 19) !== start.slice(0, 19)) root.at('start').fail('a real date');

  const zones = new Map<string, string>();
  const zoneList = root.at('zones').items().map((z) => {
    z.keys(['name', 'id']);
    const zone = { name: z.at('name').string(/^[a-z]{2}-[a-z]+-\d[a-z]$/, 'a zone name such as us-east-1a'), zoneId: z.at('id').string(ZONE_ID, 'a zone id such as use1-az1') };
    zones.set(zone.name, zone.zoneId).set(zone.zoneId, zone.zoneId);
    return zone;
  });
  if (zoneList.length < 1) root.at('zones').fail('at least one zone');

  const racks: RackSpec[] = root.at('racks').items().map((r) => {
    r.keys(['zone', 'family', 'racks', 'hostsPerRack']);
    return { zoneId: zoneRef(r.at('zone'), zones), family: r.at('family').string(/^[a-z0-9]+$/, 'a host family such as m6i'), racks: r.at('racks').int(1, 10000), hostsPerRack: r.at('hostsPerRack').int(1, 64) };
  });
  const spotPools: SpotPoolSpec[] = root.at('spotPools').optionalItems().map((p) => {
    p.keys(['type', 'zone', 'capacity', 'volatility']);
    return { type: p.at('type').string(INSTANCE_TYPE, 'an instance type'), zoneId: zoneRef(p.at('zone'), zones), capacity: p.at('capacity').int(0), volatility: p.at('volatility').or(1, (v) => v.number(0)) };
  });
  const securityGroups = root.at('securityGroups').optionalItems().map((g) => {
    g.keys(['name', 'ingress']);
    return { name: g.at('name').string(), ingress: g.at('ingress').optionalItems().map(rule) };
  });
  if (!securityGroups.some((g) => g.name === 'default')) securityGroups.unshift({ name: 'default', ingress: [] });
  const placementGroups = root.at('placementGroups').optionalItems().map((g) => {
    g.keys(['name', 'strategy', 'partitions']);
    const strategy = g.at('strategy').oneOf(['cluster', 'spread', 'partition'] as const);
    return { name: g.at('name').string(), strategy, partitions: g.at('partitions').or(strategy === 'partition' ? 2 : 0, (x) => x.int(1, 7)) };
  });
  const workloads = root.at('workloads').optionalItems().map(workload);
  const fleetFields = root.at('fleet').optionalItems();
  const fleet = fleetFields.map((f) => fleetEntry(f, zones, workloads));
  fleet.forEach((entry, i) => {
    const f = fleetFields[i]!;
    if (entry.workload && !workloads.some((w) => w.name === entry.workload)) f.at('workload').fail(`a workload of this level (${workloads.map((w) => w.name).join(', ') || 'none defined'})`);
    for (const sg of entry.securityGroupIds) if (!securityGroups.some((g) => g.name === sg)) f.at('securityGroups').fail(`security group names of this level (${securityGroups.map((g) => g.name).join(', ')})`);
    if (entry.placementGroup && !placementGroups.some((g) => g.name === entry.placementGroup)) f.at('placementGroup').fail('a placement group of this level');
  });
  const length = duration(root.at('duration'));
  if (length < 1 || length > MAX_DURATION) root.at('duration').fail('a duration from 1 second to 24 hours');
  const names = workloads.map((w) => w.name);
  const injects = root.at('injects').optionalItems().map((f) => injectSpec(f, length, names, zones));
  const processes = root.at('processes').optionalItems().map((f) => processSpec(f, length, names, zones));

  return {
    id: root.at('id').string(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case id such as 01-first-shift'),
    title: root.at('title').string(),
    briefing: root.at('briefing').string(),
    lesson: root.at('lesson').or('', (x) => x.string()),
    hints: root.at('hints').optionalItems().map((h) => h.string()),
    objectives: root.at('objectives').optionalItems().map((o) => objective(o, workloads)),
    scoring: scoring(root.at('scoring')),
    budgetUsd: root.at('budgetUsd').or(null, (x) => x.number(0.01)),
    dataLossToleranceGB: root.at('dataLossToleranceGB').or(100, (x) => x.number(1)),
    duration: length,
    defaultSeed: root.at('seed').or('1', (s) => (typeof s.value === 'number' ? String(s.int(0)) : s.string())),
    world: { epochMs, region: root.at('region').string(/^[a-z]{2}-[a-z]+-\d$/, 'a region such as us-east-1'), zones: zoneList, racks, spotPools, securityGroups, placementGroups, workloads, fleet },
    injects,
    processes,
  };
}
