// Levels are data: JSON files under levels/ describing the region, the fleet, the workloads and
// the scenario's injects. This module checks one and turns it into the model's world spec.
import {
  type LaunchRequest,
  DEFAULT_METADATA_OPTIONS,
  MAX_HOP_LIMIT,
  MAX_RESPONSE_KIB,
  characterCount,
  ENABLED_DISABLED,
  fingerprint,
  HTTP_TOKENS,
  INSTANCE_NAME,
  INSTANCE_NAME_EXPECTED,
  instanceType,
  INTERRUPTION_BEHAVIORS,
  maskedCidr,
  NAME_MAX_CHARS,
  NOT_AN_ID,
  parseCidr,
  storageNameProblem,
  parseDuration,
  PLACEMENT_STRATEGIES,
  PROTOCOLS,
  REBOOT_MIGRATIONS,
  SURGE_FACTOR_MAX,
  VOLUME_BOUNDS,
  VOLUME_TYPES,
  type MetadataOptions,
  type SecurityGroupRule,
  type WorkloadKind,
  type RackSpec,
  type SpotPoolSpec,
  type WorldSpec,
  type WorkloadSpec,
  type VpcSpec,
} from '../sim/index.js';
import kindsData from './data/workload-kinds.json' with { type: 'json' };
import { injectSpec, processSpec, type InjectSpec, type ProcessSpec } from './inject-spec.js';
import { DEFAULT_WEIGHTS, type ScoringWeights } from './score.js';
import { LEVEL_ID, LEVEL_ID_EXPECTED } from './level-id.js';
import { OBJECTIVE_KINDS, type Objective } from './objectives.js';
import { parseJson, type Field } from '../input/fields.js';
import { SEED, SEED_EXPECTED, SEED_MAX_CHARS } from '../input/seed.js';
import { groupVpc, portRange, subnetRef, vpcSpecs } from './level-vpc.js';

export const LEVEL_SCHEMA = 'fleetops/level@1';

export interface Level {
  id: string;
  title: string;
  /** The situation at the start of play. */
  briefing: string;
  /** What the level teaches and the remedy: shown in training mode, hidden in an exam. */
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
  /**
   * Where it was read from (its file, or a shift's id), for messages about its world; not part of
   * what the level is, so not in its hash (see levelHash). Absent from a level made in code.
   */
  source?: string;
}

/** How messages name a level: by the file it was read from, else by its id. */
export const levelLabel = (level: Level): string => level.source ?? `level ${level.id}`;

/**
 * A level's fingerprint, what a save holds to know its level again: of what the level is, not
 * where it was read from, so a save still loads from a copy of its level file.
 */
export function levelHash(level: Level): string {
  const { source: _source, ...content } = level;
  return fingerprint(content);
}

type KindDefaults = Omit<WorkloadSpec, 'name' | 'kind' | 'demand'>;
const KIND_DEFAULTS = (kindsData as unknown as { kinds: Record<WorkloadKind, KindDefaults> }).kinds;
const KINDS: readonly WorkloadKind[] = Object.keys(KIND_DEFAULTS) as WorkloadKind[];
const ZONE_ID = /^[a-z]{2,5}\d-az\d+$/;
const INSTANCE_TYPE = /^[a-z0-9]+\.[a-z0-9]+$/;

/**
 * An instance type the catalogue has (src/sim/data/instance-types.json): checked as the level is
 * read, so the refusal names the file and field rather than coming from the world's build.
 */
function knownType(f: Field, example: string): string {
  const name = f.string(INSTANCE_TYPE, `an instance type such as ${example}`);
  if (!instanceType(name))
    f.fail(`an instance type fleetops models, such as ${example} (src/sim/data/instance-types.json)`);
  return name;
}

/**
 * What a level may ask of the model: each bound keeps a run finite and its world inside a 2 GiB
 * heap (README, Performance: 100,000 hosts and 800,000 instances fit). Stated in docs/levels.md.
 */
export const LEVEL_BOUNDS = {
  /** Characters in a level file. */
  chars: 8_000_000,
  /** Longest play a level may ask for: a day runs in seconds at campaign sizes. */
  durationSeconds: 86_400,
  /** Injects and fault processes, each. */
  injects: 10_000,
  hosts: 100_000,
  /** A production-like region of 100,000 hosts runs 1,080,000 (README, Performance). */
  instances: 1_100_000,
  /** Entries launch at most 100 instances each, and a region varies its volumes entry by entry. */
  fleetEntries: 40_000,
  /** A region has at most a few zones; 26 is every letter a zone name can end in. */
  zones: 26,
  /** EC2's default quotas: 500 placement groups per Region, 60 inbound rules per security group, 5 groups per network interface. */
  placementGroups: 500,
  rulesPerGroup: 60,
  groupsPerInstance: 5,
  securityGroups: 500,
  workloads: 100,
  objectives: 50,
  hints: 50,
  spotPoolCapacity: 1_000_000,
  /** A region of 100,000 hosts serves hundreds of millions of requests a second at its peak. */
  baseRps: 10_000_000_000,
  usd: 1_000_000_000,
  /** The least a budget may be, a cent: the score divides by it. */
  budgetUsd: 0.01,
  /** Text fields (names, titles, hints), in characters; EC2's Name tag holds 256. */
  name: NAME_MAX_CHARS,
  seed: SEED_MAX_CHARS,
  text: 20_000,
} as const;

const DURATION_EXPECTED = 'a duration such as 3600, 45m or 1h30m';

/** The last moment of year 9999, which an ISO 8601 time of four-digit years can name. */
const LAST_TIME_MS = Date.parse('9999-12-31T23:59:59Z');

function duration(f: Field): number {
  const text = typeof f.value === 'number' ? String(f.value) : f.string(undefined, DURATION_EXPECTED);
  const seconds = parseDuration(text);
  if (seconds === null) f.fail(DURATION_EXPECTED);
  return seconds;
}

/**
 * Refuses demand whose requests over the level could pass Number.MAX_SAFE_INTEGER, beyond which a
 * double no longer counts them one by one and the totals a summary and a report give stop being
 * exact: every workload at its peak (its base rate at its largest hourly multiplier, its noise at
 * the top, the largest surge a scenario may inject) for the whole of the level.
 */
function checkDemandTotals(f: Field, workloads: readonly WorkloadSpec[], seconds: number): void {
  const peak = workloads.reduce(
    (sum, w) => sum + w.demand.baseRps * Math.max(...(w.demand.hourly ?? [1])) * (1 + w.demand.noise),
    0,
  );
  const most = Number.MAX_SAFE_INTEGER / (seconds * SURGE_FACTOR_MAX);
  if (peak > most)
    f.fail(
      `demand whose requests over the level stay exact (at most ${Math.floor(most).toLocaleString('en-US')} requests a second in all at the peak, before a surge of up to ${SURGE_FACTOR_MAX}x, over ${seconds.toLocaleString('en-US')} s)`,
      `${Math.round(peak).toLocaleString('en-US')} at the peak`,
    );
}

/** A list of at most `max` entries; an absent one is empty unless it is `required`. */
function list(f: Field, max: number, required = false): Field[] {
  return required ? f.items(max) : f.optionalItems(max);
}

/**
 * A name or a title: shown on a line of its own (a table's row, the dashboard's header, a
 * summary) and named in one-line commands, so no newline or tab, which a briefing, a lesson or a
 * hint may hold.
 */
const ONE_LINE = /^[^\n\t]+$/;

const bounded = (f: Field, max: number = LEVEL_BOUNDS.name, pattern?: RegExp, expected?: string) => {
  const value = f.string(pattern, expected);
  if (value.length > max && characterCount(value) > max) f.fail(`at most ${max.toLocaleString('en-US')} characters`);
  return value;
};

/** Text of several lines, a briefing's, a lesson's or a hint's, with something to read: not white space alone. */
const prose = (f: Field) => bounded(f, LEVEL_BOUNDS.text, /\S/, 'a string of text, not white space alone');

/** A security or placement group's name, which commands name it by. */
const groupName = (f: Field) => bounded(f, LEVEL_BOUNDS.name, ONE_LINE, 'a name on one line');

/**
 * Refuses the second of two entries with the same key: `fields[i]` holds `keys[i]` (null: no key),
 * and the message names both places.
 */
function unique(keys: readonly (string | null)[], fields: readonly Field[], what: string): void {
  const seen = new Map<string, Field>();
  keys.forEach((k, i) => {
    if (k === null) return;
    const first = seen.get(k);
    if (first) fields[i]!.fail(`${what} of its own (${first.path} already gives '${k}')`);
    seen.set(k, fields[i]!);
  });
}

function zoneRef(f: Field, zones: Map<string, string>): string {
  const z = f.string();
  const id = zones.get(z);
  if (!id) f.fail(`a zone of this level (${[...zones.keys()].filter((k) => ZONE_ID.test(k)).join(', ')})`);
  return id;
}

function rule(f: Field): SecurityGroupRule {
  f.keys(['protocol', 'port', 'cidr']);
  const protocol = f.at('protocol').oneOf(PROTOCOLS);
  const [from, to] = f.at('port').or<[number, number]>([0, 65535], portRange);
  const cidr = f.at('cidr');
  // The same test the model applies to authorize-ingress: four octets of 0..255 and a prefix of 0..32.
  if (!parseCidr(cidr.string())) cidr.fail('an IPv4 CIDR such as 0.0.0.0/0 (octets 0 to 255, prefix 0 to 32)');
  // Kept as EC2 keeps it, masked to its prefix (see maskedCidr).
  return { protocol, fromPort: from, toPort: to, cidr: maskedCidr(cidr.string()) };
}

function workload(f: Field): WorkloadSpec {
  f.keys([
    'name',
    'kind',
    'demand',
    'rpsPerVcpu',
    'iopsPerRequest',
    'kibPerRequest',
    'responseKiB',
    'port',
    'public',
    'stateful',
    'egressPort',
    'slo',
  ]);
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
    name: bounded(f.at('name'), 64, /^[a-z][a-z0-9-]*$/, 'a lower-case name'),
    kind,
    demand: {
      baseRps: demand.at('baseRps').number(0, LEVEL_BOUNDS.baseRps),
      hourly,
      noise: demand.at('noise').or(0, (n) => n.number(0, 1)),
    },
    rpsPerVcpu: f.at('rpsPerVcpu').or(d.rpsPerVcpu, (x) => x.number(0, 1_000_000)),
    iopsPerRequest: f.at('iopsPerRequest').or(d.iopsPerRequest, (x) => x.number(0, 1000)),
    kibPerRequest: f.at('kibPerRequest').or(d.kibPerRequest, (x) => x.number(0, 1_048_576)),
    // Absent: the kind's default, left out of the world so that it hashes as before the field existed.
    responseKiB: f.at('responseKiB').or(undefined, (x) => x.number(0, MAX_RESPONSE_KIB)),
    port: f.at('port').or(d.port, (x) => x.int(0, 65535)),
    public: f.at('public').or(d.public, (x) => x.boolean()),
    stateful: f.at('stateful').or(d.stateful, (x) => x.boolean()),
    ...(f.at('egressPort').present ? { egressPort: f.at('egressPort').int(1, 65535) } : {}),
    slo: slo.present
      ? {
          latencyMs: slo.keys(['latencyMs', 'availability']).at('latencyMs').number(1, 3_600_000),
          availability: slo.at('availability').number(0, 1),
        }
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
  if (full.present && short)
    f.at(short).fail(`no ${short} beside metadataOptions (give httpTokens and httpPutResponseHopLimit there)`);
  if (full.present) {
    full.keys(['httpEndpoint', 'httpTokens', 'httpPutResponseHopLimit', 'instanceMetadataTags']);
    return {
      httpEndpoint: full.at('httpEndpoint').or(DEFAULT_METADATA_OPTIONS.httpEndpoint, (x) => x.oneOf(ENABLED_DISABLED)),
      httpTokens: full.at('httpTokens').or(DEFAULT_METADATA_OPTIONS.httpTokens, (x) => x.oneOf(HTTP_TOKENS)),
      httpPutResponseHopLimit: full
        .at('httpPutResponseHopLimit')
        .or(DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit, (x) => x.int(1, MAX_HOP_LIMIT)),
      instanceMetadataTags: full
        .at('instanceMetadataTags')
        .or(DEFAULT_METADATA_OPTIONS.instanceMetadataTags, (x) => x.oneOf(ENABLED_DISABLED)),
    };
  }
  return {
    ...DEFAULT_METADATA_OPTIONS,
    httpTokens: f.at('imds').or(DEFAULT_METADATA_OPTIONS.httpTokens, (x) => x.oneOf(HTTP_TOKENS)),
    httpPutResponseHopLimit: f
      .at('imdsHopLimit')
      .or(DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit, (x) => x.int(1, MAX_HOP_LIMIT)),
  };
}

function fleetEntry(
  f: Field,
  zones: Map<string, string>,
  workloads: WorkloadSpec[],
  vpcs: readonly VpcSpec[],
): LaunchRequest {
  f.keys([
    'name',
    'type',
    'zone',
    'count',
    'workload',
    'securityGroups',
    'volume',
    'root',
    'spot',
    'interruption',
    'placementGroup',
    'partition',
    'publicIp',
    'imds',
    'imdsHopLimit',
    'metadataOptions',
    'hibernation',
    'autoRecovery',
    'rebootMigration',
    'instanceStoreDataGB',
    'ebsBurstBalance',
    'networkBurstBalance',
    'subnet',
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
    type: knownType(f.at('type'), 'm6i.large'),
    zoneId,
    // What a command can name it by, as a launch's --name is held to (see names.ts).
    name: f.at('name').or(null, (x) => {
      const name = bounded(x, LEVEL_BOUNDS.name, INSTANCE_NAME, INSTANCE_NAME_EXPECTED);
      if (name.startsWith('i-')) x.fail(NOT_AN_ID);
      return name;
    }),
    market: spot ? 'spot' : 'on-demand',
    // As at launch: hibernation enabled makes hibernate the default (see launchRequest), and only a
    // Spot instance is interrupted.
    spotBehavior: f
      .at('interruption')
      .or(f.at('hibernation').value === true ? ('hibernate' as const) : ('terminate' as const), (x) => {
        if (!spot) x.fail('nothing without "spot": true: only a Spot instance is interrupted');
        return x.oneOf(INTERRUPTION_BEHAVIORS);
      }),
    spotMaxPriceMicros: null,
    placementGroup: f.at('placementGroup').or(null, (x) => groupName(x)),
    partition: f.at('partition').or(null, (x) => {
      // A partition is one of a partition placement group's: without a group it would mean nothing.
      if (f.at('placementGroup').value === undefined || f.at('placementGroup').value === null)
        x.fail('no partition without a placementGroup of strategy partition');
      return x.int(1, 7);
    }),
    workload,
    securityGroupIds: f.at('securityGroups').or(['default'], (x) => {
      const names = x.items().map((i) => groupName(i));
      if (names.length < 1 || names.length > LEVEL_BOUNDS.groupsPerInstance)
        x.fail(`1 to ${LEVEL_BOUNDS.groupsPerInstance} security group names`);
      if (new Set(names).size !== names.length) x.fail('security group names, each named once');
      return names;
    }),
    // Absent: as the subnet maps them (the default VPC's do); given, it overrides the subnet's setting.
    assignPublicIp: f.at('publicIp').or(null, (x) => x.boolean()),
    count,
    minCount: count,
    root: { type: 'gp3', sizeGiB: 8, ...root },
    data: volume.present
      ? (() => {
          volume.keys(['type', 'size', 'iops', 'throughput', 'name', 'burstBalance', 'deleteOnTermination']);
          return {
            zoneId,
            type: volume.at('type').oneOf(VOLUME_TYPES),
            sizeGiB: volume.at('size').int(...VOLUME_BOUNDS.sizeGiB),
            iops: volume.at('iops').or(null, (x) => x.int(...VOLUME_BOUNDS.iops)),
            throughputMiBps: volume.at('throughput').or(null, (x) => x.int(...VOLUME_BOUNDS.throughputMiBps)),
            // A name lets scripts and players refer to the volume; each instance needs its own.
            name: volume.at('name').or(null, (x) => {
              if (count > 1) x.fail('no name when count is above 1');
              // As create-volume --name is held (see names.ts); the rule's pattern bounds its length.
              const name = x.string();
              const problem = storageNameProblem('volume', name);
              return problem ? x.fail(problem) : name;
            }),
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
    rebootMigration: f.at('rebootMigration').or('default' as const, (x) => x.oneOf(REBOOT_MIGRATIONS)),
    storeDataGB: f.at('instanceStoreDataGB').or(0, (x) => {
      const gb = x.number(0, 1_000_000);
      // Data on instance store needs disks to be on: a type without them cannot hold any.
      const store = instanceType(f.at('type').string())?.instanceStore;
      if (gb > 0 && store === null)
        x.fail(`0 for ${f.at('type').string()}, a type without instance store (m6id, r6id and i4i types have it)`);
      // No more than the type's disks hold: a larger figure would be cut to them without a word.
      if (store && gb > store.disks * store.diskGB)
        x.fail(
          `at most ${store.disks * store.diskGB} for ${f.at('type').string()}, whose instance store is ${store.disks} x ${store.diskGB} GB`,
        );
      return gb;
    }),
    ebsBurstBalancePct: f.at('ebsBurstBalance').or(undefined, (x) => x.number(0, 100)),
    networkBurstBalancePct: f.at('networkBurstBalance').or(undefined, (x) => x.number(0, 100)),
    subnet: subnetRef(f.at('subnet'), vpcs, zoneId).name,
  };
}

function objective(f: Field, workloads: WorkloadSpec[]): Objective {
  const kind = f.at('kind').oneOf(OBJECTIVE_KINDS);
  const workload = (w: Field) => {
    const name = w.string();
    if (!workloads.some((x) => x.name === name))
      w.fail(`a workload of this level (${workloads.map((x) => x.name).join(', ') || 'none defined'})`);
    return name;
  };
  switch (kind) {
    case 'slo':
      f.keys(['kind', 'workload', 'min']);
      return { kind, workload: workload(f.at('workload')), min: f.at('min').number(0, 1) };
    case 'running':
      f.keys(['kind', 'workload', 'min']);
      return { kind, workload: workload(f.at('workload')), min: f.at('min').int(0, LEVEL_BOUNDS.instances) };
    case 'max-cost':
      f.keys(['kind', 'usd']);
      return { kind, usd: budgetFigure(f.at('usd')) };
    default:
      f.keys(['kind']);
      return { kind };
  }
}

/** A budget in US dollars, as `budgetUsd` or a `max-cost` objective gives it. */
const budgetFigure = (f: Field): number => f.number(LEVEL_BOUNDS.budgetUsd, LEVEL_BOUNDS.usd);

/**
 * The level's budget: `budgetUsd`, or a `max-cost` objective's figure when it gives none. A level
 * states one budget, which its briefing's goal and its score both speak of: a `max-cost` objective
 * of another figure than `budgetUsd` is refused (null: the starting fleet's cost and some room).
 */
function budget(root: Field, fields: Field[], objectives: readonly Objective[]): number | null {
  const given = root.at('budgetUsd').or(null, budgetFigure);
  let stated = given;
  objectives.forEach((o, i) => {
    if (o.kind !== 'max-cost') return;
    if (stated === null) stated = o.usd;
    else if (o.usd !== stated)
      fields[i]!.at('usd').fail(
        `${stated}, the level's ${given !== null ? 'budgetUsd' : 'first max-cost objective'}: a level states one budget, which its score measures against`,
      );
  });
  return stated;
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

/** A name as a launch of several gives it: `base-k`, k counted from 1 in plain decimal. */
const NUMBERED_NAME = /^(.*)-([1-9]\d*)$/;

/**
 * Refuses the first instance name a fleet entry gives that an earlier entry already gives, as a
 * look at every name against all those before it would, without writing out the million names a
 * region's fleet gives. An entry gives its name when it launches one, else name-1, name-2… up to
 * its count; so `base-k` comes from an entry named `base` that launches k or more, or from an
 * entry of one instance named so, and two entries of several clash exactly when they share a name.
 */
function checkInstanceNames(fleet: readonly LaunchRequest[], fields: readonly Field[]): void {
  const refuse = (i: number, first: number, name: string): never =>
    fields[i]!.at('name').fail(
      `an instance name of its own (${fields[first]!.at('name').path} already gives '${name}')`,
    );
  const single = new Map<string, number>();
  const several = new Map<string, { entry: number; count: number }>();
  /** One-instance entries named `base-k`, by base. */
  const numbered = new Map<string, { k: number; entry: number }[]>();
  fleet.forEach(({ name, count }, i) => {
    if (!name) return;
    if (count > 1) {
      const owner = several.get(name);
      if (owner) refuse(i, owner.entry, `${name}-1`);
      let clash: { k: number; entry: number } | undefined;
      for (const s of numbered.get(name) ?? []) if (s.k <= count && (!clash || s.k < clash.k)) clash = s;
      if (clash) refuse(i, clash.entry, `${name}-${clash.k}`);
      several.set(name, { entry: i, count });
      return;
    }
    const first = single.get(name);
    if (first !== undefined) refuse(i, first, name);
    const m = NUMBERED_NAME.exec(name);
    const owner = m && several.get(m[1]!);
    if (owner && Number(m[2]) <= owner.count) refuse(i, owner.entry, name);
    single.set(name, i);
    if (m) numbered.set(m[1]!, [...(numbered.get(m[1]!) ?? []), { k: Number(m[2]), entry: i }]);
  });
}

/** Refuses a fleet that would not fit the heap, naming the entry that goes past the bound. */
function checkSize(racks: RackSpec[], rackFields: Field[], fleet: LaunchRequest[], fleetFields: Field[]): void {
  let hosts = 0;
  racks.forEach((r, i) => {
    hosts += r.racks * r.hostsPerRack;
    if (hosts > LEVEL_BOUNDS.hosts)
      rackFields[i]!.fail(
        `racks that keep the level to at most ${LEVEL_BOUNDS.hosts.toLocaleString('en-US')} hosts`,
        `${hosts.toLocaleString('en-US')} hosts by this entry`,
      );
  });
  let instances = 0;
  fleet.forEach((e, i) => {
    instances += e.count;
    if (instances > LEVEL_BOUNDS.instances)
      fleetFields[i]!.fail(
        `a fleet of at most ${LEVEL_BOUNDS.instances.toLocaleString('en-US')} instances in all`,
        `${instances.toLocaleString('en-US')} by this entry`,
      );
  });
}

/** Hosts in the level's racks and instances in its starting fleet: what building its world costs. */
export function levelSize(level: Level): { hosts: number; instances: number } {
  return {
    hosts: level.world.racks.reduce((n, r) => n + r.racks * r.hostsPerRack, 0),
    instances: level.world.fleet.reduce((n, f) => n + f.count, 0),
  };
}

/** Names that must each mean one thing: the second of two entries with the same name is refused. */
function checkNames(
  fields: Record<'zones' | 'securityGroups' | 'placementGroups' | 'workloads' | 'spotPools' | 'fleet', Field[]>,
  level: Omit<WorldSpec, 'seed' | 'epochMs'>,
): void {
  const at = (list: Field[], key: string) => list.map((f) => f.at(key));
  unique(
    level.zones.map((z) => z.name),
    at(fields.zones, 'name'),
    'a zone name',
  );
  unique(
    level.zones.map((z) => z.zoneId),
    at(fields.zones, 'id'),
    'a zone id',
  );
  // A `default` group is added only when the level names none, so every name here is the level's.
  const groups = fields.securityGroups;
  unique(
    level.securityGroups.slice(level.securityGroups.length - groups.length).map((g) => g.name),
    at(groups, 'name'),
    'a security group name',
  );
  unique(
    level.placementGroups.map((g) => g.name),
    at(fields.placementGroups, 'name'),
    'a placement group name',
  );
  unique(
    level.workloads.map((w) => w.name),
    at(fields.workloads, 'name'),
    'a workload name',
  );
  unique(
    level.spotPools.map((p) => `${p.type} in ${p.zoneId}`),
    fields.spotPools,
    'a Spot pool type and zone',
  );
  checkInstanceNames(level.fleet, fields.fleet);
  unique(
    level.fleet.map((e) => e.data?.name ?? null),
    fields.fleet.map((f, i) => (level.fleet[i]!.data?.name ? f.at('volume').at('name') : f)),
    'a volume name',
  );
}

export function parseLevel(text: string, source: string): Level {
  const root = parseJson(text, source, LEVEL_BOUNDS.chars);
  root.keys([
    'schema',
    'id',
    'title',
    'briefing',
    'lesson',
    'hints',
    'objectives',
    'scoring',
    'budgetUsd',
    'dataLossToleranceGB',
    'seed',
    'start',
    'duration',
    'region',
    'zones',
    'racks',
    'spotPools',
    'securityGroups',
    'placementGroups',
    'workloads',
    'fleet',
    'injects',
    'processes',
    'vpc',
    'vpcs',
  ]);
  if (root.at('schema').value !== LEVEL_SCHEMA) root.at('schema').fail(`"${LEVEL_SCHEMA}"`);
  const start = root
    .at('start')
    .string(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'an ISO 8601 UTC time such as 2026-03-02T09:00:00Z');
  const epochMs = Date.parse(start);
  // Date.parse rolls 2026-02-30 over into March; a date that does not read back is not a real one.
  if (Number.isNaN(epochMs) || new Date(epochMs).toISOString().slice(0, 19) !== start.slice(0, 19))
    root.at('start').fail('a real date');
  const length = duration(root.at('duration'));
  if (length < 1 || length > LEVEL_BOUNDS.durationSeconds)
    root.at('duration').fail('a duration from 1 second to 24 hours');
  // Every time a report or the IMDS writes is an ISO 8601 time of four-digit years.
  if (epochMs + length * 1000 > LAST_TIME_MS) root.at('start').fail('a start whose play ends by 9999-12-31T23:59:59Z');

  const region = root.at('region').string(/^[a-z]{2}-[a-z]+-\d$/, 'a region such as us-east-1');
  const zones = new Map<string, string>();
  const zoneFields = list(root.at('zones'), LEVEL_BOUNDS.zones, true);
  const zoneList = zoneFields.map((z) => {
    z.keys(['name', 'id']);
    // A zone's name is its region's and a letter (EC2 User Guide, "Regions and Zones").
    const zone = {
      name: z.at('name').string(new RegExp(`^${region}[a-z]$`), `a zone name of ${region}, such as ${region}a`),
      zoneId: z.at('id').string(ZONE_ID, 'a zone id such as use1-az1'),
    };
    zones.set(zone.name, zone.zoneId).set(zone.zoneId, zone.zoneId);
    return zone;
  });
  if (zoneList.length < 1) root.at('zones').fail('at least one zone');

  const rackFields = root.at('racks').items();
  const racks: RackSpec[] = rackFields.map((r) => {
    r.keys(['zone', 'family', 'racks', 'hostsPerRack']);
    return {
      zoneId: zoneRef(r.at('zone'), zones),
      family: r.at('family').string(/^[a-z0-9]+$/, 'a host family such as m6i'),
      racks: r.at('racks').int(1, 10000),
      hostsPerRack: r.at('hostsPerRack').int(1, 64),
    };
  });
  const spotFields = list(root.at('spotPools'), 1000);
  const spotPools: SpotPoolSpec[] = spotFields.map((p) => {
    p.keys(['type', 'zone', 'capacity', 'volatility']);
    return {
      type: knownType(p.at('type'), 'm6i.large'),
      zoneId: zoneRef(p.at('zone'), zones),
      capacity: p.at('capacity').int(0, LEVEL_BOUNDS.spotPoolCapacity),
      volatility: p.at('volatility').or(1, (v) => v.number(0, 10_000)),
    };
  });
  const vpcs = vpcSpecs(root.at('vpc'), root.at('vpcs'), (z) => zoneRef(z, zones));
  const groupFields = list(root.at('securityGroups'), LEVEL_BOUNDS.securityGroups);
  const securityGroups = groupFields.map((g) => {
    g.keys(['name', 'ingress', 'vpc']);
    const vpc = groupVpc(g.at('vpc'), vpcs);
    return {
      name: groupName(g.at('name')),
      ingress: list(g.at('ingress'), LEVEL_BOUNDS.rulesPerGroup).map(rule),
      ...(vpc ? { vpc } : {}),
    };
  });
  if (!securityGroups.some((g) => g.name === 'default')) securityGroups.unshift({ name: 'default', ingress: [] });
  const placementFields = list(root.at('placementGroups'), LEVEL_BOUNDS.placementGroups);
  const placementGroups = placementFields.map((g) => {
    g.keys(['name', 'strategy', 'partitions']);
    const strategy = g.at('strategy').oneOf(PLACEMENT_STRATEGIES);
    return {
      name: groupName(g.at('name')),
      strategy,
      // Only a partition placement group has partitions (CreatePlacementGroup, PartitionCount).
      partitions: g.at('partitions').or(strategy === 'partition' ? 2 : 0, (x) => {
        if (strategy !== 'partition') x.fail(`nothing: a ${strategy} placement group has no partitions`);
        return x.int(1, 7);
      }),
    };
  });
  const workloadFields = list(root.at('workloads'), LEVEL_BOUNDS.workloads);
  const workloads = workloadFields.map(workload);
  checkDemandTotals(root.at('workloads'), workloads, length);
  const fleetFields = list(root.at('fleet'), LEVEL_BOUNDS.fleetEntries);
  const fleet = fleetFields.map((f) => fleetEntry(f, zones, workloads, vpcs));
  fleet.forEach((entry, i) => {
    const f = fleetFields[i]!;
    if (entry.workload && !workloads.some((w) => w.name === entry.workload))
      f.at('workload').fail(`a workload of this level (${workloads.map((w) => w.name).join(', ') || 'none defined'})`);
    const vpc = subnetRef(f.at('subnet'), vpcs, entry.zoneId).vpc;
    for (const sg of entry.securityGroupIds) {
      const group = securityGroups.find((g) => g.name === sg);
      if (group === undefined)
        return f
          .at('securityGroups')
          .fail(`security group names of this level (${securityGroups.map((g) => g.name).join(', ')})`);
      if ((group.vpc ?? 0) !== vpc)
        f.at('securityGroups').fail(
          `groups of the subnet's VPC ${vpcs[vpc]?.name ?? ''} (${
            securityGroups
              .filter((g) => (g.vpc ?? 0) === vpc)
              .map((g) => g.name)
              .join(', ') || 'none: give the VPC its own groups with `vpc`'
          }); ${sg} is in ${vpcs[group.vpc ?? 0]?.name}`,
        );
    }
    const group = entry.placementGroup ? placementGroups.find((g) => g.name === entry.placementGroup) : null;
    if (group === undefined) f.at('placementGroup').fail('a placement group of this level');
    // EC2 takes a partition number only for a partition placement group (RunInstances, Placement.PartitionNumber).
    if (entry.partition !== null && group?.strategy !== 'partition')
      f.at('partition').fail(`no partition: ${entry.placementGroup} is a ${group?.strategy} placement group`);
  });
  checkSize(racks, rackFields, fleet, fleetFields);
  const world = {
    region,
    zones: zoneList,
    racks,
    spotPools,
    securityGroups,
    placementGroups,
    workloads,
    fleet,
    ...(vpcs[0] ? { vpc: vpcs[0] } : {}),
    ...(vpcs.length > 1 ? { otherVpcs: vpcs.slice(1) } : {}),
  };
  checkNames(
    {
      zones: zoneFields,
      securityGroups: groupFields,
      placementGroups: placementFields,
      workloads: workloadFields,
      spotPools: spotFields,
      fleet: fleetFields,
    },
    world,
  );
  const names = workloads.map((w) => w.name);
  const injects = list(root.at('injects'), LEVEL_BOUNDS.injects).map((f) => injectSpec(f, length, names, zones));
  const processes = list(root.at('processes'), LEVEL_BOUNDS.injects).map((f) => processSpec(f, length, names, zones));

  const objectiveFields = list(root.at('objectives'), LEVEL_BOUNDS.objectives);
  const objectives = objectiveFields.map((o) => objective(o, workloads));
  // An objective of one kind for one workload (or the run) twice would count twice in the
  // objectives' share of the score, and two figures for it would contradict each other.
  const subjectOf = (o: Objective) => `${o.kind} ${'workload' in o ? o.workload : ''}`;
  objectives.forEach((o, i) => {
    const first = objectives.findIndex((other) => subjectOf(other) === subjectOf(o));
    if (first < i)
      objectiveFields[i]!.fail(
        `an objective not given before (objectives[${first}] is ${'workload' in o ? `the ${o.kind} objective of ${o.workload}` : `the ${o.kind} objective`})`,
        JSON.stringify(objectiveFields[i]!.value).slice(0, 80),
      );
  });
  return {
    id: root.at('id').string(LEVEL_ID, LEVEL_ID_EXPECTED),
    title: bounded(root.at('title'), LEVEL_BOUNDS.name, /^(?=.*\S)[^\n\t]+$/u, 'a title on one line (not only spaces)'),
    briefing: prose(root.at('briefing')),
    lesson: root.at('lesson').or('', prose),
    hints: list(root.at('hints'), LEVEL_BOUNDS.hints).map(prose),
    objectives,
    scoring: scoring(root.at('scoring')),
    budgetUsd: budget(root, objectiveFields, objectives),
    dataLossToleranceGB: root.at('dataLossToleranceGB').or(100, (x) => x.number(1, 1_000_000)),
    duration: length,
    defaultSeed: root
      .at('seed')
      .or('1', (s) =>
        typeof s.value === 'number' ? String(s.int(0, Number.MAX_SAFE_INTEGER)) : s.string(SEED, SEED_EXPECTED),
      ),
    world: { epochMs, ...world },
    injects,
    processes,
    source,
  };
}
