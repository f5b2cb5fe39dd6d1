// A world's records name each other: a host its instances, an instance its host, interface and
// volumes, a subnet its route table. The model relies on every such id naming a record, on the
// record naming it back, and on both being in one zone; the schema of the world's type cannot say
// so. A snapshot edited by hand that breaks one of these stops a tick half-way, so before one is
// restored (see snapshot-check.ts) each is checked here, from the list of what names what.
import type { Level } from '../game/level.js';
import {
  ALEA_MULTIPLIER,
  instanceType,
  vpcsOf,
  type Instance,
  type InstanceState,
  type VpcLayout,
  type World,
} from '../sim/index.js';

type Records = Record<string, Record<string, unknown>>;

/** A world's tables, and each VPC's: subnets, route tables, network ACLs and NAT gateways. */
const VPC_TABLES = ['subnets', 'routeTables', 'networkAcls', 'natGateways'] as const;
type VpcTable = (typeof VPC_TABLES)[number];
type Table = Exclude<keyof World, 'zones' | 'vpc' | 'otherVpcs'> | VpcTable;

/**
 * The field of each table's records that holds the key the table files it under. A table not
 * listed is not one of records (the ledger, the counters, the random streams).
 */
export const KEY_FIELD: Partial<Record<Table, string>> = {
  racks: 'id',
  hosts: 'id',
  instances: 'id',
  volumes: 'id',
  snapshots: 'id',
  spotPools: 'key',
  placementGroups: 'name',
  securityGroups: 'id',
  enis: 'id',
  elasticIps: 'allocationId',
  workloads: 'name',
  subnets: 'id',
  routeTables: 'id',
  networkAcls: 'id',
  natGateways: 'id',
};

/**
 * Where an id may point: a table of the world (a VPC's tables: of any VPC), a table of the
 * referring record's own VPC (`own …`), the zones, the VPCs, or the instance-type catalogue.
 */
type Target = Table | `own ${VpcTable}` | 'zones' | 'vpcs' | 'catalogue';

/** States in which an instance holds a place on a host: EC2 frees it once the instance is stopped or terminated. */
const ON_A_HOST: readonly InstanceState[] = ['pending', 'running', 'stopping', 'shutting-down'];

/**
 * One id a record gives of another.
 * - `field`: a dotted path; `[]` after a key for a list.
 * - `back`: the fields of the record named, any one of which must name the referrer back.
 * - `sameZone`: both records have one `zoneId`.
 * - `while`: for an instance's field, the states in which it must name a record; in others it may
 *   name what is gone (a terminated instance's interface, a stopped one's root volume detached and
 *   deleted) or nothing.
 */
export interface Reference {
  table: Table;
  field: string;
  target: Target;
  back?: readonly string[];
  sameZone?: true;
  while?: readonly InstanceState[];
}

export const REFERENCES: readonly Reference[] = [
  { table: 'racks', field: 'zoneId', target: 'zones' },
  { table: 'racks', field: 'hostIds[]', target: 'hosts', back: ['rackId'], sameZone: true },
  { table: 'hosts', field: 'rackId', target: 'racks', back: ['hostIds[]'], sameZone: true },
  { table: 'hosts', field: 'zoneId', target: 'zones' },
  { table: 'hosts', field: 'instanceIds[]', target: 'instances', back: ['hostId'], sameZone: true },
  { table: 'instances', field: 'type', target: 'catalogue' },
  { table: 'instances', field: 'zoneId', target: 'zones' },
  {
    table: 'instances',
    field: 'hostId',
    target: 'hosts',
    back: ['instanceIds[]'],
    sameZone: true,
    while: ON_A_HOST,
  },
  {
    table: 'instances',
    field: 'eniId',
    target: 'enis',
    back: ['instanceId'],
    sameZone: true,
    while: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
  },
  { table: 'instances', field: 'secondaryEniIds[]', target: 'enis', back: ['instanceId'], sameZone: true },
  { table: 'instances', field: 'scheduledEvents[].degradedHostId', target: 'hosts', sameZone: true },
  {
    table: 'instances',
    field: 'rootVolumeId',
    target: 'volumes',
    back: ['attachment.instanceId'],
    sameZone: true,
    while: ON_A_HOST,
  },
  { table: 'instances', field: 'placementGroup', target: 'placementGroups' },
  { table: 'instances', field: 'workload', target: 'workloads' },
  { table: 'instances', field: 'spot.poolKey', target: 'spotPools', sameZone: true },
  { table: 'volumes', field: 'zoneId', target: 'zones' },
  { table: 'volumes', field: 'attachment.instanceId', target: 'instances', sameZone: true },
  { table: 'volumes', field: 'lazyLoad.snapshotId', target: 'snapshots' },
  { table: 'volumes', field: 'dataset', target: 'workloads' },
  { table: 'snapshots', field: 'dataset', target: 'workloads' },
  { table: 'spotPools', field: 'zoneId', target: 'zones' },
  { table: 'spotPools', field: 'type', target: 'catalogue' },
  { table: 'securityGroups', field: 'vpcId', target: 'vpcs' },
  { table: 'enis', field: 'zoneId', target: 'zones' },
  { table: 'enis', field: 'instanceId', target: 'instances', back: ['eniId', 'secondaryEniIds[]'], sameZone: true },
  { table: 'enis', field: 'allocationId', target: 'elasticIps', back: ['eniId'] },
  { table: 'enis', field: 'secondaryIps[].allocationId', target: 'elasticIps', back: ['eniId'] },
  { table: 'enis', field: 'securityGroupIds[]', target: 'securityGroups' },
  { table: 'enis', field: 'subnetId', target: 'subnets', sameZone: true },
  {
    table: 'elasticIps',
    field: 'eniId',
    target: 'enis',
    back: ['allocationId', 'secondaryIps[].allocationId'],
  },
  { table: 'elasticIps', field: 'natGatewayId', target: 'natGateways', back: ['allocationId'] },
  { table: 'subnets', field: 'zoneId', target: 'zones' },
  { table: 'subnets', field: 'routeTableId', target: 'own routeTables' },
  { table: 'subnets', field: 'networkAclId', target: 'own networkAcls' },
  { table: 'natGateways', field: 'subnetId', target: 'own subnets', sameZone: true },
  { table: 'natGateways', field: 'zoneId', target: 'zones' },
  { table: 'natGateways', field: 'allocationId', target: 'elasticIps', back: ['natGatewayId'] },
];

const NONE: readonly unknown[] = [];

/** A dotted path of REFERENCES as its steps: each a key, and whether it holds a list to flatten. */
type Path = readonly { key: string; list: boolean }[];

const pathOf = (dotted: string): Path =>
  dotted.split('.').map((step) => ({ key: step.replace('[]', ''), list: step.endsWith('[]') }));

/** The values at `path` in `record`: none where a step is absent or null. */
function valuesAt(record: unknown, path: Path): readonly unknown[] {
  if (path.length === 1) {
    // Most references are one field of the record itself: read it without building lists.
    const { key, list } = path[0]!;
    const got = (record as Record<string, unknown>)[key];
    return got === null || got === undefined ? NONE : list ? (got as unknown[]) : [got];
  }
  let values: unknown[] = [record];
  for (const { key, list } of path) {
    const next: unknown[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') continue;
      const got = (v as Record<string, unknown>)[key];
      if (got === null || got === undefined) continue;
      if (list) next.push(...(got as unknown[]));
      else next.push(got);
    }
    values = next;
  }
  return values;
}

/** What a lookup gives for an id of what has no record of its own (a zone, an instance type). */
const THERE: Readonly<Record<string, unknown>> = {};

/** REFERENCES by table, their paths split once: a region's tables hold a million records between them. */
const BY_TABLE = new Map<Table, { ref: Reference; path: Path; back: Path[] }[]>();
for (const ref of REFERENCES)
  BY_TABLE.set(ref.table, [
    ...(BY_TABLE.get(ref.table) ?? []),
    { ref, path: pathOf(ref.field), back: (ref.back ?? []).map(pathOf) },
  ]);

/** One table as found in the world: where it is, its records, and the VPC it belongs to, if one. */
interface Found {
  table: Table;
  at: string;
  records: Records;
  vpc: VpcLayout | null;
}

/** The world's tables, and each VPC's, with the path a message names them by. */
function tablesOf(world: World): Found[] {
  const found: Found[] = [];
  for (const table of Object.keys(KEY_FIELD) as Table[])
    if (!(VPC_TABLES as readonly string[]).includes(table))
      found.push({ table, at: `snapshot.world.${table}`, records: world[table as keyof World] as Records, vpc: null });
  const vpcs: [string, VpcLayout][] = [
    ...(world.vpc ? [['snapshot.world.vpc', world.vpc] as [string, VpcLayout]] : []),
    ...(world.otherVpcs ?? []).map((v, i): [string, VpcLayout] => [`snapshot.world.otherVpcs.${i}`, v]),
  ];
  for (const [at, vpc] of vpcs)
    for (const table of VPC_TABLES)
      found.push({ table, at: `${at}.${table}`, records: (vpc[table] ?? {}) as unknown as Records, vpc });
  return found;
}

/** Why a record is filed under another key than its own, or null. */
function misfiled(found: readonly Found[]): string | null {
  for (const { table, at, records } of found) {
    const field = KEY_FIELD[table]!;
    for (const key in records)
      if (records[key]![field] !== key)
        return `${at}.${key}.${field}: expected ${JSON.stringify(key).slice(0, 40)}, the key it is filed under`;
  }
  return null;
}

/**
 * The first id of `world` that names nothing, does not name its record back, or lies in another
 * zone (see REFERENCES), as a line; null when there is none.
 */
function danglingId(world: World, found: readonly Found[]): string | null {
  const zones = new Set(world.zones.map((z) => z.zoneId));
  // Every VPC's records, including the default VPC's when the world runs in it.
  const vpcs = vpcsOf(world);
  const vpcIds = new Set(vpcs.map((v) => v.id));
  const anyVpc = (table: VpcTable, id: string) => vpcs.find((v) => Object.hasOwn(v[table] ?? {}, id))?.[table]?.[id];
  const inSet = (ids: Set<string>) => (id: string) => (ids.has(id) ? THERE : undefined);
  const inRecords = (records: Records) => (id: string) => (Object.hasOwn(records, id) ? records[id] : undefined);
  /** How to find the record an id names, for a reference from a record of `vpc` (null: not a VPC's). */
  const finder = (target: Target, vpc: VpcLayout | null): ((id: string) => Record<string, unknown> | undefined) => {
    switch (target) {
      case 'zones':
        return inSet(zones);
      case 'vpcs':
        return inSet(vpcIds);
      case 'catalogue':
        return (id) => (instanceType(id) ? THERE : undefined);
      case 'subnets':
      case 'routeTables':
      case 'networkAcls':
      case 'natGateways':
        return (id) => anyVpc(target, id) as Record<string, unknown> | undefined;
      default:
        return target.startsWith('own ')
          ? inRecords((vpc?.[target.slice(4) as VpcTable] ?? {}) as unknown as Records)
          : inRecords(world[target as keyof World] as Records);
    }
  };
  const named = (target: Target) =>
    target === 'catalogue'
      ? 'instance type fleetops knows'
      : target === 'zones'
        ? 'zone of snapshot.world.zones'
        : target === 'vpcs'
          ? 'VPC of the world'
          : target.startsWith('own ')
            ? `record of its VPC's ${target.slice(4)}`
            : `record of snapshot.world.${target}`;
  // An id that names nothing is told before any disagreement of zone or answer, which an id edited
  // to name nothing leaves behind in the record it named.
  let disagreement: string | null = null;
  for (const { table, at, records, vpc } of found)
    for (const { ref, path, back } of BY_TABLE.get(table) ?? []) {
      const key = KEY_FIELD[table]!;
      const find = finder(ref.target, vpc);
      for (const id in records) {
        const record = records[id]!;
        if (ref.while) {
          const state = (record as unknown as Instance).state;
          if (!ref.while.includes(state)) continue;
          if (record[ref.field] === null)
            return `${at}.${id}.${ref.field}: expected an id, as a ${state} instance has one`;
        }
        for (const value of valuesAt(record, path)) {
          const where = () => `${at}.${id}.${ref.field.replaceAll('[]', '')}: ${JSON.stringify(value).slice(0, 40)}`;
          const other = typeof value === 'string' ? find(value) : undefined;
          if (!other) return `${where()} names no ${named(ref.target)}`;
          if (disagreement !== null) continue;
          if (ref.sameZone && other.zoneId !== record.zoneId)
            disagreement = `${where()} is in zone ${String(other.zoneId)}, not this record's ${String(record.zoneId)}`;
          else if (back.length && !back.some((p) => valuesAt(other, p).includes(record[key])))
            disagreement = `${where()} does not name ${JSON.stringify(record[key]).slice(0, 40)} back in its ${ref.back!.join(' or ').replaceAll('[]', '')}`;
        }
      }
    }
  return disagreement;
}

/** Why a VPC lacks what serves every subnet without its own association (see vpc.ts), or null. */
function vpcWithoutDefaults(found: readonly Found[]): string | null {
  for (const { table, at, records } of found) {
    const flag = table === 'routeTables' ? 'main' : table === 'networkAcls' ? 'default' : null;
    if (flag === null) continue;
    const count = Object.values(records).filter((r) => r[flag] === true).length;
    if (count !== 1) return `${at}: expected one with ${flag}: true, found ${count}`;
  }
  return null;
}

/** How far apart sums of the same seconds' fractions may drift: a day's requests by 1e-15 each. */
const SUM_ROUNDING = 1e-9;

/**
 * Why a workload's running totals cannot be (more seconds good than measured, or measured than
 * played, more served or failed than asked for), or null.
 */
function impossibleTotals(world: World): string | null {
  for (const name in world.workloads) {
    const s = world.workloads[name]!.stats;
    const at = `snapshot.world.workloads.${name}.stats`;
    if (s.goodSeconds > s.measuredSeconds) return `${at}.goodSeconds: expected no more than measuredSeconds`;
    if (s.measuredSeconds > world.tick)
      return `${at}.measuredSeconds: expected no more than the ${world.tick} s played`;
    // Sums of a second's fractions: requests is served plus failed to within their rounding.
    const field = (['served', 'failed'] as const).find((f) => s[f] > s.requests * (1 + SUM_ROUNDING));
    if (field) return `${at}.${field}: expected no more than requests, of which it is a part`;
  }
  return null;
}

/** A workload's fields that its play writes, beside those its level describes. */
const PLAYED = new Set(['stats', 'last', 'surge']);

/** Why the world does not hold what its level gives every play of it: its workloads, zones and VPCs, or null. */
function unlikeLevel(world: World, level: Level): string | null {
  const wanted = level.world.workloads.map((w) => w.name);
  const held = Object.keys(world.workloads);
  if (wanted.length !== held.length || wanted.some((n) => !Object.hasOwn(world.workloads, n)))
    return `snapshot.world.workloads: expected the level's workloads (${wanted.join(', ') || 'none'}), got ${held.join(', ').slice(0, 60) || 'none'}`;
  // A workload is its level's description, which no command changes, and what it has done so far.
  for (const spec of level.world.workloads) {
    const record = world.workloads[spec.name] as unknown as Record<string, unknown>;
    const described = spec as unknown as Record<string, unknown>;
    const field = [...new Set([...Object.keys(record), ...Object.keys(described)])].find((k) =>
      Object.hasOwn(described, k) ? JSON.stringify(record[k]) !== JSON.stringify(described[k]) : !PLAYED.has(k),
    );
    if (field !== undefined)
      return `snapshot.world.workloads.${spec.name}.${field}: expected ${JSON.stringify(described[field])?.slice(0, 60) ?? 'nothing'}, as the level describes it`;
  }
  const zones = (list: readonly { name: string; zoneId: string }[]) =>
    list.map((z) => `${z.name} (${z.zoneId})`).join(', ');
  if (zones(world.zones) !== zones(level.world.zones))
    return `snapshot.world.zones: expected the level's zones, ${zones(level.world.zones)}`;
  if (level.world.vpc && !world.vpc) return "snapshot.world.vpc: expected a value, the level's VPC";
  const others = level.world.otherVpcs?.length ?? 0;
  if ((world.otherVpcs?.length ?? 0) !== others)
    return `snapshot.world.otherVpcs: expected the level's ${others} further VPCs`;
  return null;
}

/**
 * Why the instances' launch sequence cannot be: each is a whole number from 1 to the world's
 * launch counter, which hands them out, and no two instances share one (derived data is kept in
 * arrays by it: see sim/by-launch.ts); each one's place in its launch (amiLaunchIndex, which IMDS
 * serves and names its reservation by) is a whole number below its sequence, one more than the
 * place of the instance launched just before it where that one is still listed; null when it can.
 */
function launchOrderProblem(world: World): string | null {
  const handedOut = world.counters.launch ?? 0;
  const bySeq = new Map<number, Instance>();
  for (const id in world.instances) {
    const seq = world.instances[id]!.launchSeq;
    if (!Number.isInteger(seq) || seq < 1 || seq > handedOut)
      return `snapshot.world.instances.${id}.launchSeq: expected a whole number from 1 to ${handedOut}, the launches counted`;
    if (bySeq.has(seq))
      return `snapshot.world.instances.${id}.launchSeq: expected one no other instance has, got ${seq}`;
    bySeq.set(seq, world.instances[id]!);
  }
  for (const [seq, inst] of bySeq) {
    const index = inst.amiLaunchIndex ?? 0;
    const before = bySeq.get(seq - 1);
    const at = `snapshot.world.instances.${inst.id}.amiLaunchIndex`;
    if (!Number.isInteger(index) || index < 0 || index >= seq)
      return `${at}: expected a whole number from 0 to ${seq - 1}, its place in its launch`;
    if (index > 0 && before && (before.amiLaunchIndex ?? 0) !== index - 1)
      return `${at}: expected ${(before.amiLaunchIndex ?? 0) + 1} or 0, after ${before.id}'s place in its launch`;
  }
  return null;
}

/**
 * Why a random stream's state is not one Alea's step leaves (see sim/rng.ts): three fractions in
 * [0, 1) and a carry, a whole number below 2091640; null when every stream's is.
 */
function randomStateProblem(world: World): string | null {
  for (const name in world.rng) {
    const { s0, s1, s2, c } = world.rng[name]!;
    if (![s0, s1, s2].every((x) => x >= 0 && x < 1))
      return `snapshot.world.rng.${name}: expected s0, s1 and s2 from 0 to below 1`;
    if (!Number.isInteger(c) || c < 0 || c >= ALEA_CARRY_LIMIT)
      return `snapshot.world.rng.${name}.c: expected a whole number below ${ALEA_CARRY_LIMIT}`;
  }
  return null;
}

/** Alea's carry is the whole part of ALEA_MULTIPLIER s0 + c 2^-32, with s0 below 1: never above the multiplier. */
const ALEA_CARRY_LIMIT = ALEA_MULTIPLIER + 1;

/**
 * Why the records of `world` (a play of `level`, its schema already checked) do not hold together,
 * as one line naming the field; null when they do. Checked: each record is filed under its own
 * key; every id of REFERENCES names a record, which names it back and is in the same zone where
 * the list says so; each VPC has one main route table and one default network ACL; launch
 * sequence numbers and random streams are ones the model hands out; workloads' totals are
 * possible; the level's workloads, zones and VPCs are there.
 */
export function worldProblem(world: World, level: Level): string | null {
  const found = tablesOf(world);
  return (
    unlikeLevel(world, level) ??
    misfiled(found) ??
    vpcWithoutDefaults(found) ??
    danglingId(world, found) ??
    launchOrderProblem(world) ??
    randomStateProblem(world) ??
    impossibleTotals(world)
  );
}
