// Instance lifecycle: launch, stop, start, reboot, terminate, type changes, and the timed
// transitions between states. Instance store lives on the host, so it survives a reboot and is
// lost whenever the instance leaves its host.
import { partBucket, resetAllowanceCounters } from './bandwidth.js';
import { instanceType, type InstanceTypeSpec } from './catalogue.js';
import { counted, firstFew } from './counted.js';
import type { Describe, EventSink } from './events.js';
import { hibernating, readMeter } from './billing.js';
import { touchInstance } from './changes.js';
import { derived, derivedKind } from './derived.js';
import { spotPoolUsage } from './spot-pool-usage.js';
import { CommandError, refuse } from './errors.js';
import { flat, newId, nextCounter } from './ids.js';
import { MAX_HOP_LIMIT } from './metadata-options.js';
import { startingChecks } from './status-checks.js';
import { volumeSpec } from './volume-types.js';
import { assignAddressOnStart, createEni, disassociateAddress, elasticIpsOf, releaseAddressOnStop } from './network.js';
import { checkGroupsInVpc, launchSubnet } from './vpc.js';
import { detachInterface } from './interfaces.js';
import { chooseHost, occupy, Plan, vacate, type Member } from './placement.js';
import { insert, remove, rows } from './tables.js';
import { TICKS } from './timings.js';
import type {
  EbsBurstBucket,
  EventData,
  Instance,
  InterruptionBehavior,
  Market,
  MetadataOptions,
  ScheduledEvent,
  ScheduledEventCode,
  SpotPool,
  SpotState,
  VolumeType,
  World,
} from './types.js';
import { recoveredAt, watchOf } from './watch.js';
import { attachedTo, attachVolume, createVolume, deleteVolume, detachAll, type VolumeRequest } from './volumes.js';

export interface LaunchRequest {
  type: string;
  zoneId: string;
  /** RunInstances MaxCount: how many to launch, 1-100. */
  count: number;
  /** RunInstances MinCount: fewer than this and nothing launches; between it and count, as many as capacity allows. */
  minCount: number;
  name: string | null;
  market: Market;
  spotBehavior: InterruptionBehavior;
  spotMaxPriceMicros: number | null;
  placementGroup: string | null;
  partition: number | null;
  workload: string | null;
  securityGroupIds: string[];
  /**
   * An auto-assigned public IPv4 address: true or false as asked, null for the subnet's own setting
   * (EC2 API reference, "InstanceNetworkInterfaceSpecification": AssociatePublicIpAddress, which
   * "overrides the subnet's public IP address attribute").
   */
  assignPublicIp: boolean | null;
  root: { type: VolumeType; sizeGiB: number; encrypted: boolean; deleteOnTermination: boolean };
  data: (VolumeRequest & { deleteOnTermination: boolean }) | null;
  metadataOptions: MetadataOptions;
  /** HibernationOptions.Configured. */
  hibernation: boolean;
  autoRecovery: boolean;
  rebootMigration: Instance['rebootMigration'];
  /** Instance-store data already written, for fleets a level starts with. */
  storeDataGB: number;
  /** The subnet's name or id; absent or null: the zone's default subnet. */
  subnet?: string | null;
  /** EBS burst bucket a level's starting instance has left, as a percentage of a full one; default full. */
  ebsBurstBalancePct?: number;
  /** Network burst bucket a level's starting instance has left, as a percentage of a full one; default full. */
  networkBurstBalancePct?: number;
}

export function specOf(instance: Instance): InstanceTypeSpec {
  return instanceType(instance.type)!;
}

export function zoneIdOf(world: World, nameOrId: string): string {
  const zone = world.zones.find((z) => z.zoneId === nameOrId || z.name === nameOrId);
  if (!zone)
    refuse(
      'InvalidParameterValue',
      `no zone ${nameOrId} in ${world.region} (zones: ${world.zones.map((z) => `${z.name}/${z.zoneId}`).join(', ')})`,
    );
  return zone.zoneId;
}

/** A Spot pool's key in world.spotPools (`m6i.large|use1-az1`), one flat string (see flat). */
export function spotPoolKey(type: string, zoneId: string): string {
  return flat(type, '|', zoneId);
}

/** Spot instances of one pool that use its capacity. */
export function spotUsage(world: World, poolKey: string): readonly Instance[] {
  return spotPoolUsage(world).get(poolKey)?.users ?? [];
}

/**
 * A level's starting fleet as createWorld launches it, entry by entry: how many instances each Spot
 * pool has taken so far. Its launches are held to their pools' capacity by these counts (every
 * instance launched so is running on a host, so each counts) instead of by reading the pools'
 * usage: nothing derived is read while a region is built, so the journal of touched entities
 * keeps none of the build's writes (see changes.ts), a million instances' worth that the build's
 * end would discard.
 */
export interface StartingFleet {
  spotUsers: Map<string, number>;
}

/** How many instances use a Spot pool's capacity, counted for a starting fleet as it launches. */
function poolUsed(world: World, poolKey: string, starting: StartingFleet | null): number {
  return starting ? (starting.spotUsers.get(poolKey) ?? 0) : spotUsage(world, poolKey).length;
}

/** Hibernation needs less than this much memory (EC2 User Guide, "Hibernation prerequisites for EC2 instances"). */
const HIBERNATION_MAX_MEMORY_MIB = 150 * 1024;

/**
 * Hibernation prerequisites (EC2 User Guide, "Hibernation prerequisites for EC2 instances"):
 * enabled at launch, an encrypted EBS root, a type that supports it (no bare metal, under 150 GiB
 * of memory). Returns why the launch does not qualify, or null.
 */
export function hibernationUnsupported(spec: InstanceTypeSpec, rootEncrypted: boolean): string | null {
  if (spec.metal) return `${spec.name} is bare metal, which cannot hibernate`;
  if (spec.memoryMiB >= HIBERNATION_MAX_MEMORY_MIB)
    return `${spec.name} has ${spec.memoryMiB / 1024} GiB of memory; hibernation needs less than 150 GiB`;
  if (!rootEncrypted) return 'hibernation needs an encrypted EBS root volume (--encrypt-root)';
  return null;
}

function checkLaunch(world: World, req: LaunchRequest, spec: InstanceTypeSpec, starting: StartingFleet | null): void {
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > 100)
    refuse('InvalidParameterValue', `--count must be 1-100, not ${req.count}`);
  if (!Number.isInteger(req.minCount) || req.minCount < 1 || req.minCount > req.count)
    refuse('InvalidParameterValue', `--min-count must be 1-${req.count} (at most --count), not ${req.minCount}`);
  checkHopLimit(req.metadataOptions.httpPutResponseHopLimit);
  // EC2 User Guide, "Placement groups", cluster placement group rules: current generation
  // instances "except for burstable performance instances".
  if (spec.burstable && req.placementGroup && world.placementGroups[req.placementGroup]?.strategy === 'cluster')
    refuse(
      'Unsupported',
      `${spec.name} is a burstable performance type, which a cluster placement group does not take; choose another type or group`,
    );
  if (req.hibernation) {
    const why = hibernationUnsupported(spec, req.root.encrypted);
    if (why) refuse('UnsupportedHibernationConfiguration', why);
    if (req.market === 'spot' && req.spotBehavior !== 'hibernate')
      refuse(
        'InvalidParameterCombination',
        `a Spot instance enabled for hibernation hibernates when interrupted: drop --interruption ${req.spotBehavior}, or give hibernate`,
      );
  }
  if (world.zones.find((z) => z.zoneId === req.zoneId)!.impaired) {
    refuse(
      'InsufficientInstanceCapacity',
      `${req.zoneId} is impaired and is not accepting launches${zonesWithRoom(world, spec, req.zoneId, req.minCount)}`,
    );
  }
  if (req.placementGroup && !world.placementGroups[req.placementGroup])
    refuse('InvalidPlacementGroup.Unknown', `no placement group ${req.placementGroup}`);
  if (req.workload && !world.workloads[req.workload])
    refuse(
      'InvalidParameterValue',
      `no workload ${req.workload} (workloads: ${Object.keys(world.workloads).join(', ') || 'none'})`,
    );
  for (const sg of req.securityGroupIds) {
    if (!world.securityGroups[sg]) refuse('InvalidGroup.NotFound', `no security group ${sg}`);
  }
  if (!starting && req.name) {
    const taken = launchNames(req.name, req.count).find((name) => findByName(world, name));
    if (taken)
      refuse(
        'InvalidParameterValue',
        `an instance is already named ${taken}${req.count > 1 ? ` (a launch of ${req.count} named ${req.name} names them ${req.name}-1 to ${req.name}-${req.count})` : ''}`,
      );
  }
  if (req.market === 'spot') {
    const pool = world.spotPools[spotPoolKey(spec.name, req.zoneId)];
    if (!pool) refuse('InsufficientInstanceCapacity', `no Spot capacity pool for ${spec.name} in ${req.zoneId}`);
    const free = pool.capacity - poolUsed(world, pool.key, starting);
    if (free < req.minCount)
      refuse(
        'InsufficientInstanceCapacity',
        `Spot pool ${spec.name} in ${req.zoneId} has ${Math.max(0, free)} free, ${req.minCount} needed${spotZonesWithRoom(world, spec, req.zoneId, req.minCount, starting)}`,
      );
    const max = req.spotMaxPriceMicros ?? pool.onDemandMicros;
    if (max < pool.priceMicros)
      refuse('SpotMaxPriceTooLow', `the Spot price is $${(pool.priceMicros / 1e6).toFixed(4)}/h, above your maximum`);
  }
}

/** The Name tag of the `index`th instance of a launch named `name`: `web-1`, `web-2`... when it launches several. */
export const launchName = (name: string, index: number) => flat(name, '-', index + 1);

/** The Name tags a launch of `count` named `name` may give. */
function launchNames(name: string, count: number): string[] {
  return count > 1 ? Array.from({ length: count }, (_, i) => launchName(name, i)) : [name];
}

// Name tags of instances that are not terminated, kept with the world's derived data: launch adds,
// termination removes, and a world restored from JSON builds it afresh on first use.
const NAMES = derivedKind('instance names', (world) => {
  const index = new Map<string, Instance>();
  for (const inst of rows(world, 'instances')) if (inst.name && inst.state !== 'terminated') index.set(inst.name, inst);
  return index;
});

const names = (world: World): Map<string, Instance> => derived(world, NAMES);

/** The instance carrying a Name tag, terminated ones aside. */
export function findByName(world: World, name: string): Instance | undefined {
  return names(world).get(name);
}

/**
 * Plans placements before anything changes, as RunInstances does: as many as fit up to the
 * maximum count, and none at all when fewer than the minimum fit (EC2 API reference,
 * "RunInstances": MinCount / MaxCount). A Spot launch is further held to its pool's free capacity.
 */
function planPlacements(
  world: World,
  req: LaunchRequest,
  spec: InstanceTypeSpec,
  starting: StartingFleet | null,
): Member[] {
  const group = req.placementGroup ? world.placementGroups[req.placementGroup]! : null;
  const limit =
    req.market === 'spot'
      ? Math.min(
          req.count,
          world.spotPools[spotPoolKey(spec.name, req.zoneId)]!.capacity -
            poolUsed(world, spotPoolKey(spec.name, req.zoneId), starting),
        )
      : req.count;
  const planned = new Plan();
  for (let i = 0; i < limit; i++) {
    try {
      planned.add(chooseHost(world, spec, req.zoneId, group, req.partition, planned));
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      if (planned.size >= req.minCount) break;
      if (err.code !== 'InsufficientInstanceCapacity') throw err;
      const asked = req.minCount === req.count ? `${req.count}` : `at least ${req.minCount}`;
      const fit = req.count > 1 ? ` (${planned.size} of ${asked} fit)` : '';
      refuse(
        'InsufficientInstanceCapacity',
        `${err.message}${fit}${group ? '' : zonesWithRoom(world, spec, req.zoneId, req.minCount)}`,
      );
    }
  }
  return planned.members;
}

/** How many more instances of a type fit on the healthy hosts of a zone, counting up to `enough`. */
function roomIn(world: World, spec: InstanceTypeSpec, zoneId: string, enough: number): number {
  const planned = new Plan();
  while (planned.size < enough) {
    try {
      planned.add(chooseHost(world, spec, zoneId, null, null, planned));
    } catch (err) {
      if (err instanceof CommandError) break;
      throw err;
    }
  }
  return planned.size;
}

/**
 * EC2's InsufficientInstanceCapacity message names the zones that can take the request
 * (EC2 User Guide, "Troubleshoot Amazon EC2 instance launch issues": "You can currently get
 * <type> capacity by not specifying an Availability Zone in your request or choosing <zones>").
 */
function zonesWithRoom(world: World, spec: InstanceTypeSpec, exceptZoneId: string, count: number): string {
  const zones = world.zones.filter(
    (z) => z.zoneId !== exceptZoneId && !z.impaired && roomIn(world, spec, z.zoneId, count) >= count,
  );
  return zones.length
    ? `. You can currently get ${spec.name} capacity by choosing ${zones.map((z) => z.name).join(', ')}`
    : '';
}

function spotZonesWithRoom(
  world: World,
  spec: InstanceTypeSpec,
  exceptZoneId: string,
  count: number,
  starting: StartingFleet | null,
): string {
  const zones = world.zones.filter((z) => {
    const pool = world.spotPools[spotPoolKey(spec.name, z.zoneId)];
    return (
      z.zoneId !== exceptZoneId && !z.impaired && !!pool && pool.capacity - poolUsed(world, pool.key, starting) >= count
    );
  });
  return zones.length
    ? `. You can currently get ${spec.name} Spot capacity by choosing ${zones.map((z) => z.name).join(', ')}`
    : '';
}

/**
 * The image every instance runs: the model has one, and no catalogue of others. Written as EC2
 * writes an image id, `ami-` and 17 hex digits (EC2 User Guide, "Resource IDs"), so that a client
 * checking the form takes it.
 */
const FLEET_AMI_ID = 'ami-0f1ee7095a1d0e001';

/** An instance's scheduled events while it has none: shared, as almost every instance has none; scheduling one gives the instance a list of its own. */
const NO_SCHEDULED_EVENTS: readonly ScheduledEvent[] = Object.freeze([]);

/**
 * RunInstances. `starting`: a level's starting fleet (see StartingFleet), running when play
 * begins, whose instance names the level has already found unique (parseLevel); it is not held to
 * the names of the instances before it, and the index of Name tags, which no command has asked for
 * yet, is left to be drawn up by the first that does instead of growing with a region of a million
 * instances.
 */
export function launch(
  world: World,
  req: LaunchRequest,
  events: EventSink,
  starting: StartingFleet | null = null,
): Instance[] {
  const immediate = starting !== null;
  const spec = instanceType(req.type);
  if (!spec) refuse('InvalidParameterValue', `unknown instance type ${req.type}`);
  checkLaunch(world, req, spec, starting);
  const subnet = launchSubnet(world, req.zoneId, req.subnet ?? null, req.count);
  checkGroupsInVpc(world, subnet, req.securityGroupIds);
  const places = planPlacements(world, req, spec, starting);
  // One record of the options for all the instances launched together: a change gives an instance
  // a record of its own (modifyMetadataOptions), so none is ever written into.
  const metadataOptions = Object.freeze({ ...req.metadataOptions });
  // One key string for all the Spot instances launched together, as they share the record above.
  const poolKey = req.market === 'spot' ? spotPoolKey(spec.name, req.zoneId) : null;
  const launched: Instance[] = [];
  places.forEach((place, i) => {
    const id = newId(world, 'i', world.instances);
    const name = req.name && req.count > 1 ? launchName(req.name, i) : req.name;
    const eni = createEni(world, id, req.zoneId, req.securityGroupIds, req.assignPublicIp, subnet);
    const root = createVolume(
      world,
      {
        zoneId: req.zoneId,
        type: req.root.type,
        sizeGiB: req.root.sizeGiB,
        iops: null,
        throughputMiBps: null,
        name: null,
        encrypted: req.root.encrypted,
      },
      true,
    );
    const instance: Instance = {
      id,
      name,
      type: spec.name,
      zoneId: req.zoneId,
      hostId: null,
      state: immediate ? 'running' : 'pending',
      // The fleet a level starts with was running before play began: its checks have settled.
      stateSince: immediate ? world.tick - TICKS.statusChecksInitializing : world.tick,
      transitionAt: immediate ? null : world.tick + TICKS.pendingToRunning,
      stopReason: null,
      market: req.market,
      spot:
        poolKey !== null
          ? {
              poolKey,
              behavior: req.spotBehavior,
              maxPriceMicros: req.spotMaxPriceMicros,
              rebalanceAt: null,
              noticeAt: null,
              interruptAt: null,
              action: null,
            }
          : null,
      placementGroup: req.placementGroup,
      partition: place.partition,
      eniId: eni.id,
      rootVolumeId: root.id,
      instanceStore: spec.instanceStore
        ? {
            disks: spec.instanceStore.disks,
            diskGB: spec.instanceStore.diskGB,
            dataGB: immediate ? req.storeDataGB : 0,
          }
        : null,
      // The fleet a level starts with has its checks settled.
      checks: startingChecks(immediate ? 'ok' : 'initializing'),
      guestHealthy: true,
      guestRestartUntil: null,
      autoRecovery: req.autoRecovery,
      rebootMigration: req.rebootMigration,
      hibernationConfigured: req.hibernation,
      ebsBurst: startingEbsBucket(world, spec, immediate ? req.ebsBurstBalancePct : undefined),
      ...partBucket(spec, immediate ? req.networkBurstBalancePct : undefined),
      workload: req.workload,
      launchSeq: nextCounter(world, 'launch'),
      amiLaunchIndex: i,
      launchedAt: world.tick,
      // Every instance has the field from its launch: set only at a restart, it would give the
      // restarted instances a layout of their own beside the others'.
      restartedAt: null,
      amiId: FLEET_AMI_ID,
      metadataOptions,
      scheduledEvents: NO_SCHEDULED_EVENTS,
      // -0, a double that readMeter below turns into 0: V8 then keeps this field as a double from
      // the first instance on. Started as a whole number, the field would change its layout the
      // first time a meter read a fraction (a zone's outage, a Spot pool's interruptions), and
      // every instance of the region would be moved to the new layout as it is next touched.
      costMicros: -0,
      costMark: null,
      billedSince: null,
    };
    insert(world, 'instances', id, instance);
    readMeter(world, instance);
    if (name && !immediate) names(world).set(name, instance);
    occupy(world, world.hosts[place.hostId]!, instance, spec);
    attachVolume(world, root, instance, '/dev/xvda', {
      deleteOnTermination: req.root.deleteOnTermination,
      atLaunch: true,
    });
    if (req.data) {
      const data = createVolume(world, { ...req.data, zoneId: req.zoneId }, true);
      attachVolume(world, data, instance, '/dev/sdf', {
        deleteOnTermination: req.data.deleteOnTermination,
        atLaunch: true,
      });
    }
    assignAddressOnStart(world, eni);
    launched.push(instance);
    // The fleet a level starts with is told once per fleet entry (createWorld), not per instance.
    if (!immediate)
      events.emit(
        'instance-launched',
        'info',
        id,
        `${id}${name ? ` (${name})` : ''} ${spec.name} ${req.market} on ${place.hostId}`,
        {
          type: spec.name,
          host: place.hostId,
          zone: req.zoneId,
        },
      );
  });
  if (starting && poolKey) starting.spotUsers.set(poolKey, poolUsed(world, poolKey, starting) + launched.length);
  if (launched.length < req.count) {
    events.emit(
      'launch-partial',
      'warn',
      req.zoneId,
      `launched ${launched.length} of ${req.count} ${spec.name} in ${req.zoneId}: no capacity for more (--min-count ${req.minCount})`,
      { launched: launched.length, asked: req.count },
    );
  }
  return launched;
}

/** Smaller sizes may run at their maximum EBS bandwidth for 30 minutes once every 24 hours. */
export const EBS_BURST_SECONDS = 1800;
export const EBS_BURST_REFILL_SECONDS = 24 * 3600;

export function fullEbsBucket(spec: InstanceTypeSpec): EbsBurstBucket {
  return ebsBucket(
    (spec.ebs.maxMbps - spec.ebs.baselineMbps) * EBS_BURST_SECONDS,
    (spec.ebs.maxIops - spec.ebs.baselineIops) * EBS_BURST_SECONDS,
  );
}

/**
 * A bucket record holding these figures, in fields made doubles by -0 before the figures go in
 * (see createVolume's burst credits): a bucket being spent takes fractions, and the records then
 * never change layout.
 */
export function ebsBucket(megabits: number, ios: number): EbsBurstBucket {
  const b = { megabits: -0, ios: -0 };
  b.megabits = megabits;
  b.ios = ios;
  return b;
}

// Full buckets by instance type, kept with the world's derived data: almost every instance's bucket
// is full almost all the time, so those point at one frozen record of their type instead of each
// holding a copy. No full bucket is ever written into, since it may be shared (also in a copy of
// the world, which keeps references shared): the one writer (spendInstanceBurst in ebs-io.ts) gives
// the instance a record of its own first.
const FULL_EBS_BUCKETS = derivedKind('full EBS burst buckets', () => new Map<string, Readonly<EbsBurstBucket>>());

/** The shared, frozen full EBS burst bucket of an instance type (see FULL_EBS_BUCKETS). */
export function sharedFullEbsBucket(world: World, spec: InstanceTypeSpec): Readonly<EbsBurstBucket> {
  const shared = derived(world, FULL_EBS_BUCKETS);
  let full = shared.get(spec.name);
  if (!full) shared.set(spec.name, (full = Object.freeze(fullEbsBucket(spec))));
  return full;
}

/** A level may start an instance with part of its bucket spent, so saturation arrives during play. */
function startingEbsBucket(world: World, spec: InstanceTypeSpec, pct: number | undefined): EbsBurstBucket {
  const full = sharedFullEbsBucket(world, spec);
  return pct === undefined ? full : ebsBucket((full.megabits * pct) / 100, (full.ios * pct) / 100);
}

/** An instance as messages name it: `i-0abc… (web-1)`, or its id alone when it has no Name tag. */
function instanceLabel(instance: Pick<Instance, 'id' | 'name'>): string {
  return instance.name ? `${instance.id} (${instance.name})` : instance.id;
}

/**
 * The message of instances one cause reached together (see EventLog.emitFor): one instance as it
 * would be told on its own; several counted in `many` after their `cause` (named from the first),
 * the first few named.
 */
function causeNews(
  cause: (first: Instance, subject: string) => string,
  one: (instance: Instance, data: EventData | undefined) => string,
  many: (count: string, data: EventData | undefined) => string,
): Describe {
  return (instances, data, subject) => {
    const first = instances[0]!;
    if (instances.length === 1) return one(first, data);
    return `${cause(first, subject)}: ${many(counted(instances.length, 'instance'), data)}: ${firstFew(instances, instanceLabel)}`;
  };
}

/** The message of a host's instances told together, the host being the event's subject (see causeNews). */
export const hostNews = (
  one: (instance: Instance, data: EventData | undefined) => string,
  many: (count: string, data: EventData | undefined) => string,
): Describe => causeNews((_, host) => `host ${host}`, one, many);

/** The message of a zone's instances told together, the zone being the event's subject (see causeNews). */
export const zoneNews = (
  one: (instance: Instance, data: EventData | undefined) => string,
  many: (count: string, data: EventData | undefined) => string,
): Describe => causeNews((_, zone) => zone, one, many);

/** The Spot pool an instance is in, as messages name it. */
export const inSpotPool = (inst: Pick<Instance, 'type' | 'zoneId'>) => `Spot pool ${inst.type} in ${inst.zoneId}`;

/** The message of a Spot pool's instances told together (see causeNews). */
export const spotPoolNews = (
  one: (instance: Instance, data: EventData | undefined) => string,
  many: (count: string, data: EventData | undefined) => string,
): Describe => causeNews(inSpotPool, one, many);

/** Whether an event about a Spot interruption is about a hibernation (its `action`). */
export const hibernates = (data: EventData | undefined) => data?.action === 'hibernate';

/**
 * The stops, terminations and their ends that a Spot pool's interruptions bring in one second, and
 * EC2's restarts of its stopped instances once it has room again.
 */
const SPOT_NEWS = {
  starting: spotPoolNews(
    (inst) => `${instanceLabel(inst)} starting on ${inst.hostId}`,
    (count) => `${count} starting again, the pool having room`,
  ),
  running: spotPoolNews(
    (inst) => `${instanceLabel(inst)} running`,
    (count) => `${count} running`,
  ),
  stopping: spotPoolNews(
    (inst, data) => `${instanceLabel(inst)} ${hibernates(data) ? 'hibernating' : 'stopping'}`,
    (count, data) => `${count} ${hibernates(data) ? 'hibernating' : 'stopping'}`,
  ),
  stopped: spotPoolNews(
    (inst) => `${instanceLabel(inst)} stopped; host released`,
    (count) => `${count} stopped; hosts released`,
  ),
  terminating: spotPoolNews(
    (inst) => `${instanceLabel(inst)} shutting down`,
    (count) => `${count} shutting down`,
  ),
  terminated: spotPoolNews(
    (inst) => `${instanceLabel(inst)} terminated`,
    (count) => `${count} terminated`,
  ),
} satisfies Record<string, Describe>;

/**
 * EC2's retirement of a degraded host's instances, told in one event for the host per second and
 * kind, as their notices were (see ScheduledEvent.degradedHostId). An instance told alone is named
 * without its event's id, as its notice named it.
 */
const RETIREMENT_NEWS = {
  started: hostNews(
    (inst, data) => `${instanceLabel(inst)}: ${String(data?.code)} is happening now`,
    (count, data) => `${String(data?.code)} happening now for ${count}`,
  ),
  stopping: hostNews(
    (inst) => `${instanceLabel(inst)} stopping (forced)`,
    (count) => `${count} stopping (forced)`,
  ),
  stopped: hostNews(
    (inst) => `${instanceLabel(inst)} stopped; host released`,
    (count) => `${count} stopped`,
  ),
  completed: hostNews(
    (inst, data) => `${instanceLabel(inst)}: ${String(data?.code)} completed`,
    (count, data) => `${String(data?.code)} completed for ${count}`,
  ),
} satisfies Record<string, Describe>;

/**
 * The degraded host EC2 retires `instance` from as `ev` comes due, its news told with the host's
 * others (see RETIREMENT_NEWS): a retirement the host scheduled (see ScheduledEvent.degradedHostId),
 * of an instance running on it still; null for any other event, or an instance moved off the host
 * since (automatic recovery, reboot migration), whose news is the instance's own.
 */
export const retiredFrom = (instance: Instance, ev: ScheduledEvent): string | null =>
  ev.degradedHostId !== undefined && instance.state === 'running' && ev.degradedHostId === instance.hostId
    ? ev.degradedHostId
    : null;

/**
 * EC2's simplified automatic recovery of a failed host's instances, told in one event for the host
 * per second (its instances' checks failed in one, see health.ts), and their guests back up in one
 * for their zone, data `after` 'recovery', as they come back together. An instance told alone reads
 * as before: where it went.
 */
const RECOVERY_NEWS = {
  recovered: hostNews(
    (inst, data) => `${instanceLabel(inst)} recovered from ${String(data?.from)} to ${inst.hostId}`,
    (count) => `${count} recovered to healthy hosts`,
  ),
  restarted: zoneNews(
    (inst) => `${instanceLabel(inst)}: guest OS is up again`,
    (count) => `guest OS up again on ${count} after their recovery`,
  ),
} satisfies Record<string, Describe>;

/** The data of news of instances EC2 has just recovered, told for their zone (see RECOVERY_NEWS). */
export const AFTER_RECOVERY: Readonly<EventData> = Object.freeze({ after: 'recovery' });

/** Whether a scheduled event's code has EC2 stop its instance (see scheduledStop). */
export const stopsInstance = (code: ScheduledEventCode) => code === 'instance-stop' || code === 'instance-retirement';

function requireState(instance: Instance, allowed: Instance['state'][], action: string): void {
  if (!allowed.includes(instance.state)) {
    refuse('IncorrectInstanceState', `cannot ${action} ${instanceLabel(instance)}: it is ${instance.state}`);
  }
}

function setState(world: World, instance: Instance, state: Instance['state'], duration: number | null): void {
  instance.state = state;
  instance.stateSince = world.tick;
  instance.transitionAt = duration === null ? null : world.tick + duration;
  readMeter(world, instance);
  touchInstance(world, instance);
}

/**
 * A user's stop or hibernate (EC2 User Guide, "Stop and start Amazon EC2 instances"; "Hibernate
 * your Amazon EC2 instance"). A hibernate needs hibernation enabled at launch, and the instance is
 * billed while it hibernates (`stopping`), unlike a plain stop.
 */
export function stop(
  world: World,
  instance: Instance,
  opts: { force: boolean; hibernate: boolean },
  events: EventSink,
): void {
  // Idempotent, as EC2's StopInstances: a stopped instance, or one stopping (unless forced), is
  // answered with the state it is in, and nothing changes.
  if (instance.state === 'stopped' || (instance.state === 'stopping' && !opts.force)) return;
  requireState(instance, ['running', 'stopping'], 'stop');
  if (instance.market === 'spot' && instance.spot!.behavior === 'terminate') {
    refuse(
      'UnsupportedOperation',
      `${instanceLabel(instance)} is a one-time Spot instance: it can be terminated, not stopped`,
    );
  }
  if (opts.hibernate && !instance.hibernationConfigured) {
    refuse(
      'UnsupportedHibernationConfiguration',
      `${instanceLabel(instance)} is not enabled for hibernation; hibernation can only be enabled at launch (launch --hibernation --encrypt-root)`,
    );
  }
  if (instance.state === 'stopping') hurryStop(world, instance, events);
  else beginStop(world, instance, opts.hibernate ? 'hibernate' : opts.force ? 'force' : 'user', opts.force, events);
}

/**
 * A forced stop of an instance stopping already: the guest is no longer waited for, so the stop
 * ends within TICKS.stopping, and never later than it would have. It stays the stop begun, with
 * its reason (a Spot interruption EC2 restarts, a retirement, a hibernation) and its start.
 */
function hurryStop(world: World, instance: Instance, events: EventSink): void {
  const by = world.tick + TICKS.stopping;
  if (instance.transitionAt !== null && instance.transitionAt <= by) return;
  instance.transitionAt = by;
  touchInstance(world, instance);
  events.emit(
    'instance-stopping',
    'info',
    instance.id,
    `${instanceLabel(instance)}: its stop forced, done within ${TICKS.stopping} s`,
  );
}

/** EC2 stops or hibernates a Spot instance it interrupts: at once, whatever its guest is doing. */
export function interruptStop(world: World, instance: Instance, events: EventSink): void {
  beginStop(world, instance, 'spot', true, events);
}

function beginStop(world: World, instance: Instance, reason: string, force: boolean, events: EventSink): void {
  const host = instance.hostId ? world.hosts[instance.hostId] : undefined;
  // A stop on a failed host waits for a guest that cannot answer; a forced stop does not wait.
  const stuck = host?.health === 'failed' && !force;
  instance.stopReason = reason;
  const hibernate = reason === 'hibernate' || (reason === 'spot' && instance.spot?.action === 'hibernate');
  setState(world, instance, 'stopping', stuck ? TICKS.stuckStopping : hibernate ? TICKS.hibernating : TICKS.stopping);
  instance.guestRestartUntil = null;
  if (reason === 'spot') {
    const action = hibernate ? 'hibernate' : 'stop';
    events.emitFor('instance-stopping', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.stopping, { action });
    return;
  }
  if (reason === 'retirement' && host) {
    events.emitFor('instance-stopping', 'info', host.id, instance, RETIREMENT_NEWS.stopping);
    return;
  }
  events.emit(
    'instance-stopping',
    'info',
    instance.id,
    `${instanceLabel(instance)} ${hibernate ? 'hibernating' : 'stopping'}${force ? ' (forced)' : ''}${stuck ? ': its host has failed, the stop will hang; --force it' : ''}`,
  );
}

/**
 * A user's start. An instance EC2 stopped for a Spot interruption is restarted only by EC2, when
 * its pool has capacity again (EC2 User Guide, "Behavior of Spot Instance interruptions"); one its
 * user stopped starts only while its pool has capacity free and its price is within the
 * instance's maximum (see spotStartProblem). Idempotent, as EC2's StartInstances: a running or
 * pending instance is answered with the state it is in, and nothing changes.
 * @throws CommandError IncorrectInstanceState, IncorrectSpotRequestState,
 *   InsufficientInstanceCapacity, SpotMaxPriceTooLow
 */
export function start(world: World, instance: Instance, events: EventSink): void {
  if (instance.state === 'running' || instance.state === 'pending') return;
  requireState(instance, ['stopped'], 'start');
  if (instance.stopReason === 'spot') {
    refuse(
      'IncorrectSpotRequestState',
      `${instanceLabel(instance)} was stopped by a Spot interruption: only EC2 restarts it, once its pool has capacity again`,
    );
  }
  const problem = spotStartProblem(world, instance);
  if (problem) refuse(problem.code, `${instanceLabel(instance)} cannot start: ${problem.why}`);
  beginStart(world, instance, events);
}

/**
 * Why a stopped Spot instance may not start now, or null: "You can only start a Spot Instance if
 * ... Spot Instance capacity is available [and] the Spot price is lower than your maximum price"
 * (EC2 User Guide, "Start a Spot Instance"). Null for an On-Demand instance. EC2's own restart of
 * an interrupted instance asks the same (spot.ts).
 */
export function spotStartProblem(
  world: World,
  instance: Instance,
): { code: 'InsufficientInstanceCapacity' | 'SpotMaxPriceTooLow'; why: string } | null {
  if (!instance.spot) return null;
  const pool = world.spotPools[instance.spot.poolKey]!;
  if (pool.capacity - spotUsage(world, pool.key).length < 1)
    return { code: 'InsufficientInstanceCapacity', why: `${inSpotPool(instance)} has no capacity free` };
  const max = maxPriceOf(instance.spot, pool);
  if (max < pool.priceMicros)
    return {
      code: 'SpotMaxPriceTooLow',
      why: `the Spot price is $${(pool.priceMicros / 1e6).toFixed(4)}/h, above its maximum of $${(max / 1e6).toFixed(4)}/h`,
    };
  return null;
}

/**
 * The most a Spot instance pays an hour, in micro-dollars: its own maximum price, else its pool's
 * On-Demand price (SpotMarketOptions, MaxPrice: "the default is the On-Demand price").
 */
export const maxPriceOf = (spot: SpotState, pool: SpotPool): number => spot.maxPriceMicros ?? pool.onDemandMicros;

/** Places a stopped instance on a host and starts it; EC2's own restart of a Spot instance comes here directly. */
export function beginStart(world: World, instance: Instance, events: EventSink): void {
  const root = attachedTo(world, instance).find((v) => v.id === instance.rootVolumeId);
  if (!root) {
    // EC2: "Invalid value 'i-…' for instanceId. Instance does not have a volume attached at root".
    refuse(
      'InvalidParameterValue',
      `${instanceLabel(instance)} has no root volume attached; attach ${instance.rootVolumeId} as /dev/xvda first`,
    );
  }
  // Changed while detached, where no rule knew it for a root volume (see modifyVolume).
  if (volumeSpec(root.type).class === 'hdd')
    refuse(
      'InvalidParameterCombination',
      `${instanceLabel(instance)} cannot boot from ${root.id}: ${root.type} volumes cannot be boot volumes (EBS volume types); change it to an SSD type`,
    );
  const spec = specOf(instance);
  const group = instance.placementGroup ? (world.placementGroups[instance.placementGroup] ?? null) : null;
  const host = world.hosts[chooseHost(world, spec, instance.zoneId, group, instance.partition).hostId]!;
  occupy(world, host, instance, spec);
  // The volumes attached since the last start are in the block device mapping from this one on.
  for (const v of attachedTo(world, instance)) if (v.attachment!.afterStart) delete v.attachment!.afterStart;
  delete instance.detachedSinceStart;
  instance.restartedAt = world.tick;
  setState(world, instance, 'pending', TICKS.pendingToRunning);
  instance.checks = startingChecks('initializing');
  instance.guestHealthy = true;
  assignAddressOnStart(world, world.enis[instance.eniId]!);
  // Only EC2 starts an instance a Spot interruption stopped: its pool's room is the cause.
  if (instance.stopReason === 'spot')
    events.emitFor('instance-starting', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.starting);
  else
    events.emit('instance-starting', 'info', instance.id, `${instanceLabel(instance)} starting on ${host.id}`, {
      host: host.id,
    });
}

/** Whether a system-reboot event can be met by moving the instance, as reboot migration does: not with instance store, not on bare metal. */
function rebootMigrates(instance: Instance): boolean {
  return instance.rebootMigration === 'default' && instance.instanceStore === null && !specOf(instance).metal;
}

/**
 * A user's reboot (EC2 User Guide, "Reboot your Amazon EC2 instance"): the instance stays
 * `running` throughout, as EC2 has no rebooting state ("Amazon EC2 instance state changes"),
 * keeps its addresses and instance store, and its guest serves nothing until it is back. It
 * completes a pending instance-reboot event; with a system-reboot event pending and reboot
 * migration on (EC2's default where supported), the instance moves to new hardware and that event
 * completes too; otherwise it reboots in place and the system-reboot stays scheduled
 * ("Scheduled events for your instances"; API reference, "InstanceMaintenanceOptions").
 */
export function reboot(world: World, instance: Instance, events: EventSink): void {
  requireState(instance, ['running'], 'reboot');
  const pending = (code: string) => instance.scheduledEvents.filter((e) => e.state === 'active' && e.code === code);
  const systemReboots = pending('system-reboot');
  const from = instance.hostId!;
  const moved = systemReboots.length > 0 && rebootMigrates(instance) && moveHost(world, instance);
  restartGuest(world, instance);
  events.emit(
    'instance-reboot',
    'info',
    instance.id,
    moved
      ? `${instanceLabel(instance)} rebooting; reboot migration moved it from ${from} to ${instance.hostId}`
      : `${instanceLabel(instance)} rebooting on the same host; instance store kept; it stays running`,
    moved ? { from, to: instance.hostId } : undefined,
  );
  for (const ev of [...pending('instance-reboot'), ...(moved ? systemReboots : [])])
    endScheduledEvent(ev, 'completed', events, instance);
}

/** EC2's own reboot when a scheduled reboot event comes due: in place, on the same host. */
export function scheduledReboot(world: World, instance: Instance, events: EventSink): void {
  restartGuest(world, instance);
  events.emit(
    'instance-reboot',
    'info',
    instance.id,
    `${instanceLabel(instance)} rebooted by EC2 for its scheduled event; it stays running`,
  );
}

/**
 * EC2's own stop when an instance-stop or instance-retirement event comes due: an EBS-backed
 * instance is stopped, one a degraded host retires (`retiredFrom`, the host's id) with `stopReason`
 * 'retirement', its stops told for the host (see RETIREMENT_NEWS); a one-time Spot instance, which
 * cannot be stopped, is terminated.
 */
export function scheduledStop(world: World, instance: Instance, retiredFrom: string | null, events: EventSink): void {
  const reason = retiredFrom !== null ? 'retirement' : 'scheduled';
  if (instance.market === 'spot' && instance.spot!.behavior === 'terminate') terminate(world, instance, events, reason);
  else beginStop(world, instance, reason, true, events);
}

/** The guest goes down and comes back after TICKS.guestRestart; the instance stays running meanwhile. */
function restartGuest(world: World, instance: Instance): void {
  touchInstance(world, instance);
  instance.guestRestartUntil = world.tick + TICKS.guestRestart;
  instance.transitionAt = instance.guestRestartUntil;
}

export function terminate(world: World, instance: Instance, events: EventSink, reason = 'user'): void {
  // Idempotent, as EC2's TerminateInstances: one shutting down or terminated is answered so.
  if (instance.state === 'shutting-down' || instance.state === 'terminated') return;
  requireState(instance, ['pending', 'running', 'stopping', 'stopped'], 'terminate');
  // The reason first: the meter read as the state changes bills an interruption by EC2 its own way.
  // An instance EC2 is stopping already stays EC2's to stop: its instance store goes with that stop.
  if (!(instance.state === 'stopping' && stoppedByEc2(instance))) instance.stopReason = reason;
  // One stopping already shuts down from that stop, done no later than it would have been: the
  // guest is going down already, and a retirement's stops end together, their store lost as one.
  const stopEnds = instance.state === 'stopping' ? instance.transitionAt : null;
  setState(world, instance, 'shutting-down', TICKS.shuttingDown);
  if (stopEnds !== null && stopEnds < instance.transitionAt!) instance.transitionAt = stopEnds;
  instance.guestRestartUntil = null;
  if (reason === 'spot')
    events.emitFor('instance-terminating', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.terminating);
  else events.emit('instance-terminating', 'info', instance.id, `${instanceLabel(instance)} shutting down`);
}

/**
 * ModifyInstanceMetadataOptions (API reference): an instance's metadata options change while it
 * runs or is stopped; the hop limit stays within 1-64.
 */
export function modifyMetadataOptions(instance: Instance, options: MetadataOptions, events: EventSink): void {
  if (instance.state === 'shutting-down' || instance.state === 'terminated')
    refuse('IncorrectInstanceState', `${instanceLabel(instance)} is ${instance.state}`);
  checkHopLimit(options.httpPutResponseHopLimit);
  touchInstance(events.world, instance);
  instance.metadataOptions = options;
  const o = options;
  events.emit(
    'instance-metadata-options-changed',
    'info',
    instance.id,
    `${instanceLabel(instance)} metadata options: endpoint ${o.httpEndpoint}, tokens ${o.httpTokens}, hop limit ${o.httpPutResponseHopLimit}, tags ${o.instanceMetadataTags}`,
  );
}

function checkHopLimit(hop: number): void {
  if (!Number.isInteger(hop) || hop < 1 || hop > MAX_HOP_LIMIT)
    refuse('InvalidParameterValue', `the metadata hop limit must be 1-${MAX_HOP_LIMIT}, not ${hop}`);
}

export function modifyInstanceType(instance: Instance, type: string, events: EventSink): void {
  const spec = instanceType(type);
  if (!spec) refuse('InvalidParameterValue', `unknown instance type ${type}`);
  requireState(instance, ['stopped'], 'change the type of');
  if (instance.market === 'spot') refuse('UnsupportedOperation', `the type of a Spot instance cannot be changed`);
  // EC2 User Guide, "Change the instance type": "You can't change the instance type if hibernation
  // is enabled for the instance" (so never a hibernated one: only those may hibernate, a Spot
  // instance's type aside), and an AMI runs on one processor architecture only.
  if (instance.hibernationConfigured)
    refuse('UnsupportedOperation', `${instanceLabel(instance)} has hibernation enabled; its type cannot be changed`);
  const was = instanceType(instance.type)!;
  if (was.architecture !== spec.architecture)
    refuse(
      'InvalidInstanceAttributeValue',
      `${instanceLabel(instance)}'s AMI is for ${was.architecture}, and ${type} is ${spec.architecture}: choose a type of the same architecture`,
    );
  const from = instance.type;
  touchInstance(events.world, instance);
  instance.type = type;
  // A new type starts with full burst buckets (this simulation's choice); the same type keeps
  // what it had, as a stop and start does.
  if (type !== from) {
    instance.ebsBurst = sharedFullEbsBucket(events.world, spec);
    delete instance.network;
  }
  instance.instanceStore = spec.instanceStore
    ? { disks: spec.instanceStore.disks, diskGB: spec.instanceStore.diskGB, dataGB: 0 }
    : null;
  events.emit('instance-type-changed', 'info', instance.id, `${instanceLabel(instance)} is now ${type} (was ${from})`, {
    from,
    to: type,
  });
}

/**
 * Tells that a scheduled event is happening now: with the host's others for a degraded host's
 * retirement (`retiredFrom`, the host's id; see RETIREMENT_NEWS), else as the instance's own.
 */
export function eventStarted(
  instance: Instance,
  ev: ScheduledEvent,
  retiredFrom: string | null,
  events: EventSink,
): void {
  if (retiredFrom !== null)
    events.emitFor('scheduled-event-started', 'warn', retiredFrom, instance, RETIREMENT_NEWS.started, {
      code: ev.code,
    });
  else
    events.emit(
      'scheduled-event-started',
      'warn',
      instance.id,
      `${instanceLabel(instance)}: ${ev.code} (${ev.id}) is happening now`,
      { code: ev.code },
    );
}

/**
 * Ends a scheduled event: `completed` when it happened or the operator's action met it,
 * `canceled` when the instance went away first (EC2 User Guide, "Scheduled events for your
 * instances"). Ended events stay on the instance as its event history. `retiredFrom`: the host
 * of a retirement carried out, told with the host's others (see RETIREMENT_NEWS).
 */
export function endScheduledEvent(
  ev: ScheduledEvent,
  state: 'completed' | 'canceled',
  events: EventSink,
  instance: Instance,
  retiredFrom: string | null = null,
): void {
  ev.state = state;
  touchInstance(events.world, instance);
  if (retiredFrom !== null) {
    events.emitFor('scheduled-event-ended', 'info', retiredFrom, instance, RETIREMENT_NEWS.completed, {
      code: ev.code,
      state,
    });
    return;
  }
  events.emit(
    'scheduled-event-ended',
    'info',
    instance.id,
    `${instanceLabel(instance)}: ${ev.code} (${ev.id}) ${state}`,
    { code: ev.code, state },
  );
}

/**
 * Why an instance's store was emptied (instance-store-lost's `why`): by EC2 (its host failed, a
 * recovery moved it, a Spot interruption or a scheduled stop or retirement took it off its host) or
 * by the responder's own stop, hibernation or termination. Instance store data survives a reboot
 * and goes when the instance stops, hibernates or terminates, or its disk fails (EC2 User Guide,
 * "Data persistence for Amazon EC2 instance store volumes").
 */
const STORE_LOSSES = Object.freeze({
  'host failure': 'EC2',
  'host change': 'EC2',
  'Spot interruption': 'EC2',
  retirement: 'EC2',
  'scheduled stop': 'EC2',
  stop: 'responder',
  hibernate: 'responder',
  terminate: 'responder',
} as const);
export type StoreLoss = keyof typeof STORE_LOSSES;

/** Whether an instance-store-lost event's `why` is the responder's own command's doing (see STORE_LOSSES). */
export const lostByResponder = (why: unknown): boolean =>
  typeof why === 'string' && Object.hasOwn(STORE_LOSSES, why) && STORE_LOSSES[why as StoreLoss] === 'responder';

/** How much instance store data is lost, and why: one instance, or those one cause reached in a second (their GB added up). */
const storeLost = (data: EventData | undefined) =>
  `lost ${String(data?.gb)} GB of instance store data (${String(data?.why)})`;
const storeOne = (inst: Instance, data: EventData | undefined) => `${instanceLabel(inst)} ${storeLost(data)}`;
const storeMany = (count: string, data: EventData | undefined) => `${count} ${storeLost(data)}`;
/** Instance stores lost together, told for their host or their Spot pool. */
const STORE_NEWS = {
  host: hostNews(storeOne, storeMany),
  pool: spotPoolNews(storeOne, storeMany),
} satisfies Record<string, Describe>;

/**
 * Instance store goes with the host: empties it and says how much was lost. `cause`: the host or
 * Spot pool whose instances lose theirs together (a failure, a recovery, a retirement's stops, a
 * pool's interruptions), told in one event for it; null for the instance's own.
 */
export function loseInstanceStore(
  instance: Instance,
  why: StoreLoss,
  events: EventSink,
  cause: string | null = null,
): void {
  const store = instance.instanceStore;
  if (!store || store.dataGB === 0) return;
  const gb = store.dataGB;
  const lost = Math.round(gb * 10) / 10;
  store.dataGB = 0;
  touchInstance(events.world, instance);
  // The host the store was on, which a reaction's {host} names once the instance has left it; a
  // Spot pool's instances were on several.
  const spot = why === 'Spot interruption';
  if (cause !== null) {
    // The instances' own figures, added up and then rounded: each rounded first, ten of 0.04 GB read 0.
    const data: EventData = spot ? { why } : { why, host: cause };
    events.emitFor('instance-store-lost', 'warn', cause, instance, spot ? STORE_NEWS.pool : STORE_NEWS.host, data, {
      gb,
    });
    return;
  }
  const data: EventData = { gb: lost, why };
  if (instance.hostId !== null) data.host = instance.hostId;
  events.emit('instance-store-lost', 'warn', instance.id, `${instanceLabel(instance)} ${storeLost(data)}`, data);
}

/** The stop reasons of EC2's own stops (a Spot interruption, a retirement, a scheduled stop), and the loss each tells. */
const EC2_STOPS: Readonly<Record<string, StoreLoss>> = Object.freeze({
  spot: 'Spot interruption',
  retirement: 'retirement',
  scheduled: 'scheduled stop',
});
const stoppedByEc2 = (instance: Instance) =>
  instance.stopReason !== null && Object.hasOwn(EC2_STOPS, instance.stopReason);

/** Why a stop or termination taking `instance` off its host empties its instance store (see STORE_LOSSES). */
function storeLossOf(instance: Instance, terminating: boolean): StoreLoss {
  if (stoppedByEc2(instance)) return EC2_STOPS[instance.stopReason!]!;
  return terminating ? 'terminate' : hibernating(instance) ? 'hibernate' : 'stop';
}

/**
 * What the loss of `instance`'s store as it leaves its host is told with: its Spot pool's, for an
 * interruption; the degraded host's, for a retirement it scheduled (only those have the reason
 * 'retirement', see scheduledStop); null for the instance's own.
 */
function storeLossCause(instance: Instance): string | null {
  if (instance.stopReason === 'spot') return instance.spot!.poolKey;
  return instance.stopReason === 'retirement' ? instance.hostId : null;
}

function leaveHost(world: World, instance: Instance, why: StoreLoss, events: EventSink, cause: string | null): void {
  loseInstanceStore(instance, why, events, cause);
  vacate(world, instance, specOf(instance));
  releaseAddressOnStop(world, world.enis[instance.eniId]!);
}

function finishTransition(world: World, instance: Instance, events: EventSink): void {
  switch (instance.state) {
    case 'pending':
      setState(world, instance, 'running', null);
      instance.guestHealthy = true;
      resetAllowanceCounters(instance);
      if (instance.stopReason === 'spot')
        events.emitFor('instance-running', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.running);
      else events.emit('instance-running', 'info', instance.id, `${instanceLabel(instance)} running`);
      break;
    case 'running':
      // The guest is back from a reboot or a recovery.
      touchInstance(world, instance);
      instance.transitionAt = null;
      instance.guestRestartUntil = null;
      instance.guestHealthy = true;
      resetAllowanceCounters(instance);
      if (recoveredAt(instance, world.tick - TICKS.guestRestart))
        events.emitFor('guest-restarted', 'info', instance.zoneId, instance, RECOVERY_NEWS.restarted, AFTER_RECOVERY);
      else events.emit('guest-restarted', 'info', instance.id, `${instanceLabel(instance)}: guest OS is up again`);
      break;
    case 'stopping': {
      const why = storeLossOf(instance, false);
      const retiring = instance.stopReason === 'retirement' ? instance.hostId : null;
      leaveHost(world, instance, why, events, storeLossCause(instance));
      // A stop moves the instance off its host: the events scheduled for it there are met.
      for (const ev of instance.scheduledEvents)
        if (ev.state === 'active') endScheduledEvent(ev, 'completed', events, instance);
      setState(world, instance, 'stopped', null);
      if (instance.stopReason === 'spot')
        events.emitFor('instance-stopped', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.stopped);
      else if (retiring !== null)
        events.emitFor('instance-stopped', 'info', retiring, instance, RETIREMENT_NEWS.stopped);
      else
        events.emit(
          'instance-stopped',
          'info',
          instance.id,
          `${instanceLabel(instance)} ${why === 'hibernate' ? 'hibernated (stopped)' : 'stopped'}; host released`,
        );
      break;
    }
    case 'shutting-down':
      leaveHost(world, instance, storeLossOf(instance, true), events, storeLossCause(instance));
      for (const ev of instance.scheduledEvents)
        if (ev.state === 'active') endScheduledEvent(ev, 'canceled', events, instance);
      releaseInterfaces(world, instance, events);
      for (const volumeId of detachAll(world, instance)) deleteVolume(world, world.volumes[volumeId]!);
      setState(world, instance, 'terminated', TICKS.terminatedVisible);
      if (instance.name && names(world).get(instance.name) === instance) names(world).delete(instance.name);
      if (instance.stopReason === 'spot')
        events.emitFor('instance-terminated', 'info', instance.spot!.poolKey, instance, SPOT_NEWS.terminated);
      else events.emit('instance-terminated', 'info', instance.id, `${instanceLabel(instance)} terminated`);
      break;
    case 'terminated':
      purge(world, instance);
      break;
    default:
      touchInstance(world, instance);
      instance.transitionAt = null;
  }
}

/**
 * At termination the primary interface's Elastic IPs are disassociated (EC2 User Guide, "Elastic IP
 * addresses"); the allocation stays, billed idle. Interfaces attached after launch are detached.
 */
function releaseInterfaces(world: World, instance: Instance, events: EventSink): void {
  for (const id of instance.secondaryEniIds ?? []) detachInterface(world, world.enis[id]!);
  const eni = world.enis[instance.eniId]!;
  for (const { privateIp, allocationId } of elasticIpsOf(eni)) {
    disassociateAddress(world, eni, privateIp);
    events.emit(
      'address-disassociated',
      'info',
      instance.id,
      `${allocationId} disassociated from ${instanceLabel(instance)}, which terminated; the address stays allocated`,
    );
  }
}

/** A terminated instance leaves the listings after about an hour, with its interface. */
function purge(world: World, instance: Instance): void {
  remove(world, 'enis', instance.eniId);
  remove(world, 'instances', instance.id);
  touchInstance(world, instance);
}

export function advanceLifecycles(world: World, events: EventSink): void {
  for (const instance of watchOf(world).transitions) {
    if (instance.transitionAt !== null && instance.transitionAt <= world.tick)
      finishTransition(world, instance, events);
  }
}

/**
 * Moves a running instance to another healthy host, keeping its id, addresses and volumes; false
 * when no other host has room. Never back onto the host it leaves: recovery leaves failed hardware,
 * and reboot migration moves to new hardware even when the old host is healthy (EC2 User Guide,
 * "Scheduled events for your instances": reboot migration).
 */
function moveHost(world: World, instance: Instance): boolean {
  const spec = specOf(instance);
  const group = instance.placementGroup ? (world.placementGroups[instance.placementGroup] ?? null) : null;
  const from = world.hosts[instance.hostId!]!;
  // Off its old host first, so that in a placement group its own place does not count against it.
  vacate(world, instance, spec);
  let target;
  try {
    target =
      world.hosts[chooseHost(world, spec, instance.zoneId, group, instance.partition, undefined, from.id).hostId]!;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    occupy(world, from, instance, spec);
    return false;
  }
  occupy(world, target, instance, spec);
  return true;
}

/**
 * Simplified automatic recovery moves an instance off failed hardware (EC2 User Guide, "Automatic
 * instance recovery"): same id, addresses and EBS volumes; the guest reboots, and the instance stays
 * `running` throughout. False when no healthy host has room yet. Its guest rebooted on new
 * hardware, the events scheduled for it on the old are met, as by a stop and start or a reboot
 * migration ("Scheduled events for your instances"): a degraded host's retirement no longer stops
 * an instance that has left it.
 */
export function migrate(world: World, instance: Instance, events: EventSink): boolean {
  const from = instance.hostId!;
  if (!moveHost(world, instance)) return false;
  loseInstanceStore(instance, 'host change', events, from);
  restartGuest(world, instance);
  events.emitFor('instance-recovered', 'warn', from, instance, RECOVERY_NEWS.recovered, { from });
  for (const ev of instance.scheduledEvents)
    if (ev.state === 'active')
      endScheduledEvent(ev, 'completed', events, instance, ev.degradedHostId === from ? from : null);
  return true;
}

export { instanceLabel };
