// Instance lifecycle: launch, stop, start, reboot, terminate, type changes, and the timed
// transitions between states. Instance store lives on the host, so it survives a reboot and is
// lost whenever the instance leaves its host.
import { instanceType, type InstanceTypeSpec } from './catalogue.js';
import type { EventSink } from './events.js';
import { readMeter } from './billing.js';
import { touchInstance } from './changes.js';
import { spotStanding } from './spot-standing.js';
import { CommandError, refuse } from './errors.js';
import { newId, nextCounter } from './ids.js';
import { assignAddressOnStart, createEni, releaseAddressOnStop } from './network.js';
import { chooseHost, occupy, vacate, type Member } from './placement.js';
import { insert, remove, rows } from './tables.js';
import { TICKS } from './timings.js';
import type { Instance, InterruptionBehavior, Market, VolumeType, World } from './types.js';
import { watchOf } from './watch.js';
import { attachedTo, attachVolume, createVolume, deleteVolume, detachAll, type VolumeRequest } from './volumes.js';

export interface LaunchRequest {
  type: string;
  zoneId: string;
  count: number;
  name: string | null;
  market: Market;
  spotBehavior: InterruptionBehavior;
  spotMaxPriceMicros: number | null;
  placementGroup: string | null;
  partition: number | null;
  workload: string | null;
  securityGroupIds: string[];
  assignPublicIp: boolean;
  root: { type: VolumeType; sizeGiB: number };
  data: VolumeRequest | null;
  imdsTokensRequired: boolean;
  autoRecovery: boolean;
  /** Instance-store data already written, for fleets a level starts with. */
  storeDataGB: number;
  /** EBS burst bucket a level's starting instance has left, as a percentage of a full one; default full. */
  ebsBurstBalancePct?: number;
}

export function specOf(instance: Instance): InstanceTypeSpec {
  return instanceType(instance.type)!;
}

export function zoneIdOf(world: World, nameOrId: string): string {
  const zone = world.zones.find((z) => z.zoneId === nameOrId || z.name === nameOrId);
  if (!zone) refuse('InvalidParameterValue', `no zone ${nameOrId} in ${world.region} (zones: ${world.zones.map((z) => `${z.name}/${z.zoneId}`).join(', ')})`);
  return zone.zoneId;
}

function spotPoolKey(type: string, zoneId: string): string {
  return `${type}|${zoneId}`;
}

/** Spot instances of one pool that use its capacity. */
export function spotUsage(world: World, poolKey: string): readonly Instance[] {
  return spotStanding(world).get(poolKey)?.users ?? [];
}

function checkLaunch(world: World, req: LaunchRequest, spec: InstanceTypeSpec): void {
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > 100) refuse('InvalidParameterValue', `--count must be 1-100, not ${req.count}`);
  if (world.zones.find((z) => z.zoneId === req.zoneId)!.impaired) {
    refuse('InsufficientInstanceCapacity', `${req.zoneId} is impaired and is not accepting launches`);
  }
  if (req.placementGroup && !world.placementGroups[req.placementGroup]) refuse('InvalidPlacementGroup.Unknown', `no placement group ${req.placementGroup}`);
  if (req.workload && !world.workloads[req.workload]) refuse('InvalidParameterValue', `no workload ${req.workload} (workloads: ${Object.keys(world.workloads).join(', ') || 'none'})`);
  for (const sg of req.securityGroupIds) {
    if (!world.securityGroups[sg]) refuse('InvalidGroup.NotFound', `no security group ${sg}`);
  }
  if (req.name && findByName(world, req.name)) refuse('InvalidParameterValue', `an instance is already named ${req.name}`);
  if (req.market === 'spot') {
    const pool = world.spotPools[spotPoolKey(spec.name, req.zoneId)];
    if (!pool) refuse('InsufficientInstanceCapacity', `no Spot capacity pool for ${spec.name} in ${req.zoneId}`);
    const free = pool.capacity - spotUsage(world, pool.key).length;
    if (free < req.count) refuse('InsufficientInstanceCapacity', `Spot pool ${spec.name} in ${req.zoneId} has ${Math.max(0, free)} free, ${req.count} asked`);
    const max = req.spotMaxPriceMicros ?? pool.onDemandMicros;
    if (max < pool.priceMicros) refuse('SpotMaxPriceTooLow', `the Spot price is $${(pool.priceMicros / 1e6).toFixed(4)}/h, above your maximum`);
  }
}

// Name tags of instances that are not terminated, kept beside the instance table: launch adds,
// termination removes, and a world restored from JSON builds it afresh on first use.
const nameIndex = new WeakMap<object, Map<string, Instance>>();

function names(world: World): Map<string, Instance> {
  let index = nameIndex.get(world.instances);
  if (!index) {
    index = new Map();
    for (const inst of rows(world.instances)) if (inst.name && inst.state !== 'terminated') index.set(inst.name, inst);
    nameIndex.set(world.instances, index);
  }
  return index;
}

/** The instance carrying a Name tag, terminated ones aside. */
export function findByName(world: World, name: string): Instance | undefined {
  return names(world).get(name);
}

/** Plans every placement first, so a launch either places all its instances or none. */
function planPlacements(world: World, req: LaunchRequest, spec: InstanceTypeSpec): Member[] {
  const group = req.placementGroup ? world.placementGroups[req.placementGroup]! : null;
  const planned: Member[] = [];
  for (let i = 0; i < req.count; i++) planned.push(chooseHost(world, spec, req.zoneId, group, req.partition, planned));
  return planned;
}

export function launch(world: World, req: LaunchRequest, events: EventSink, immediate = false): Instance[] {
  const spec = instanceType(req.type);
  if (!spec) refuse('InvalidParameterValue', `unknown instance type ${req.type}`);
  checkLaunch(world, req, spec);
  const places = planPlacements(world, req, spec);
  const launched: Instance[] = [];
  places.forEach((place, i) => {
    const id = newId(world, 'i', (x) => x in world.instances);
    const name = req.name && req.count > 1 ? `${req.name}-${i + 1}` : req.name;
    const eni = createEni(world, id, req.zoneId, req.securityGroupIds, req.assignPublicIp);
    const root = createVolume(world, { zoneId: req.zoneId, type: req.root.type, sizeGiB: req.root.sizeGiB, iops: null, throughputMiBps: null, name: null }, true);
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
        req.market === 'spot'
          ? { poolKey: spotPoolKey(spec.name, req.zoneId), behavior: req.spotBehavior, maxPriceMicros: req.spotMaxPriceMicros, rebalanceAt: null, noticeAt: null, interruptAt: null, action: null }
          : null,
      placementGroup: req.placementGroup,
      partition: place.partition,
      eniId: eni.id,
      rootVolumeId: root.id,
      instanceStore: spec.instanceStore ? { disks: spec.instanceStore.disks, diskGB: spec.instanceStore.diskGB, dataGB: immediate ? req.storeDataGB : 0 } : null,
      checks: { system: 'initializing', instance: 'initializing', ebs: 'initializing', systemFailingSince: null },
      guestHealthy: true,
      autoRecovery: req.autoRecovery,
      ebsBurst: startingEbsBucket(spec, immediate ? req.ebsBurstBalancePct : undefined),
      workload: req.workload,
      launchSeq: nextCounter(world, 'launch'),
      launchedAt: world.tick,
      amiId: 'ami-0fleetops0000001',
      imdsTokensRequired: req.imdsTokensRequired,
      scheduledEvents: [],
      costMicros: 0,
      costMark: null,
    };
    if (immediate) instance.checks = { system: 'ok', instance: 'ok', ebs: 'ok', systemFailingSince: null };
    const index = names(world);
    insert(world.instances, id, instance);
    readMeter(world, instance);
    if (name) index.set(name, instance);
    occupy(world.hosts[place.hostId]!, instance, spec);
    attachVolume(world, root, instance, '/dev/xvda', true);
    if (req.data) {
      const data = createVolume(world, { ...req.data, zoneId: req.zoneId }, true);
      attachVolume(world, data, instance, '/dev/sdf', true);
    }
    assignAddressOnStart(world, eni);
    launched.push(instance);
    events.emit('instance-launched', 'info', id, `${id}${name ? ` (${name})` : ''} ${spec.name} ${req.market} on ${place.hostId}`, {
      type: spec.name,
      host: place.hostId,
      zone: req.zoneId,
    });
  });
  return launched;
}

/** Smaller sizes may run at their maximum EBS bandwidth for 30 minutes once every 24 hours. */
export const EBS_BURST_SECONDS = 1800;
export const EBS_BURST_REFILL_SECONDS = 24 * 3600;

export function fullEbsBucket(spec: InstanceTypeSpec) {
  return {
    megabits: (spec.ebs.maxMbps - spec.ebs.baselineMbps) * EBS_BURST_SECONDS,
    ios: (spec.ebs.maxIops - spec.ebs.baselineIops) * EBS_BURST_SECONDS,
  };
}

/** A level may start an instance with part of its bucket spent, so saturation arrives during play. */
function startingEbsBucket(spec: InstanceTypeSpec, pct: number | undefined) {
  const full = fullEbsBucket(spec);
  return pct === undefined ? full : { megabits: (full.megabits * pct) / 100, ios: (full.ios * pct) / 100 };
}

function instanceLabel(instance: Instance): string {
  return instance.name ? `${instance.id} (${instance.name})` : instance.id;
}

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
}

export function stop(world: World, instance: Instance, opts: { force: boolean; hibernate: boolean }, events: EventSink): void {
  requireState(instance, ['running', 'stopping'], 'stop');
  if (instance.state === 'stopping' && !opts.force) refuse('IncorrectInstanceState', `${instanceLabel(instance)} is already stopping; use --force if it is stuck`);
  if (instance.market === 'spot' && instance.spot!.behavior === 'terminate') {
    refuse('UnsupportedOperation', `${instanceLabel(instance)} is a one-time Spot instance: it can be terminated, not stopped`);
  }
  const host = instance.hostId ? world.hosts[instance.hostId] : undefined;
  // A stop on a failed host waits for a guest that cannot answer; a forced stop does not wait.
  const stuck = host?.health === 'failed' && !opts.force;
  const duration = stuck ? TICKS.stuckStopping : opts.hibernate ? TICKS.hibernating : TICKS.stopping;
  setState(world, instance, 'stopping', duration);
  instance.stopReason = opts.hibernate ? 'hibernate' : opts.force ? 'force' : 'user';
  events.emit('instance-stopping', 'info', instance.id, `${instanceLabel(instance)} stopping${opts.force ? ' (forced)' : ''}${stuck ? ': its host has failed, the stop will hang; --force it' : ''}`);
}

export function start(world: World, instance: Instance, events: EventSink): void {
  requireState(instance, ['stopped'], 'start');
  if (!attachedTo(world, instance).some((v) => v.id === instance.rootVolumeId)) {
    refuse('IncorrectInstanceState', `${instanceLabel(instance)} has no root volume attached; attach ${instance.rootVolumeId} as /dev/xvda first`);
  }
  const spec = specOf(instance);
  const group = instance.placementGroup ? world.placementGroups[instance.placementGroup] ?? null : null;
  const host = world.hosts[chooseHost(world, spec, instance.zoneId, group, instance.partition, []).hostId]!;
  occupy(host, instance, spec);
  setState(world, instance, 'pending', TICKS.pendingToRunning);
  instance.checks = { system: 'initializing', instance: 'initializing', ebs: 'initializing', systemFailingSince: null };
  instance.guestHealthy = true;
  assignAddressOnStart(world, world.enis[instance.eniId]!);
  events.emit('instance-starting', 'info', instance.id, `${instanceLabel(instance)} starting on ${host.id}`, { host: host.id });
}

export function reboot(world: World, instance: Instance, events: EventSink): void {
  requireState(instance, ['running'], 'reboot');
  setState(world, instance, 'rebooting', TICKS.rebooting);
  events.emit('instance-rebooting', 'info', instance.id, `${instanceLabel(instance)} rebooting on the same host; instance store kept`);
}

export function terminate(world: World, instance: Instance, events: EventSink, reason = 'user'): void {
  requireState(instance, ['pending', 'running', 'stopping', 'stopped', 'rebooting'], 'terminate');
  setState(world, instance, 'shutting-down', TICKS.shuttingDown);
  instance.stopReason = reason;
  events.emit('instance-terminating', 'info', instance.id, `${instanceLabel(instance)} shutting down`);
}

export function modifyInstanceType(instance: Instance, type: string, events: EventSink): void {
  const spec = instanceType(type);
  if (!spec) refuse('InvalidParameterValue', `unknown instance type ${type}`);
  requireState(instance, ['stopped'], 'change the type of');
  if (instance.market === 'spot') refuse('UnsupportedOperation', `the type of a Spot instance cannot be changed`);
  const from = instance.type;
  instance.type = type;
  instance.ebsBurst = fullEbsBucket(spec);
  instance.instanceStore = spec.instanceStore ? { disks: spec.instanceStore.disks, diskGB: spec.instanceStore.diskGB, dataGB: 0 } : null;
  events.emit('instance-type-changed', 'info', instance.id, `${instanceLabel(instance)} is now ${type} (was ${from})`, { from, to: type });
}

/** A stop moves the instance off its host, so events aimed at that host are done with. */
function completeHostEvents(instance: Instance): void {
  for (const ev of instance.scheduledEvents) if (ev.state === 'active') ev.state = 'completed';
}

/** Instance store goes with the host: empty it and say how much was lost. */
export function loseInstanceStore(instance: Instance, why: string, events: EventSink): void {
  const store = instance.instanceStore;
  if (!store || store.dataGB === 0) return;
  const lost = Math.round(store.dataGB * 10) / 10;
  store.dataGB = 0;
  events.emit('instance-store-lost', 'warn', instance.id, `${instanceLabel(instance)} lost ${lost} GB of instance store data (${why})`, { gb: lost, why });
}

function leaveHost(world: World, instance: Instance, why: string, events: EventSink): void {
  loseInstanceStore(instance, why, events);
  vacate(world, instance, specOf(instance));
  releaseAddressOnStop(world.enis[instance.eniId]!);
}

function finishTransition(world: World, instance: Instance, events: EventSink): void {
  switch (instance.state) {
    case 'pending':
    case 'rebooting':
      setState(world, instance, 'running', null);
      instance.guestHealthy = true;
      events.emit('instance-running', 'info', instance.id, `${instanceLabel(instance)} running`);
      break;
    case 'stopping': {
      const why = instance.stopReason === 'spot' ? 'Spot interruption' : instance.stopReason === 'hibernate' ? 'hibernate' : 'stop';
      leaveHost(world, instance, why, events);
      completeHostEvents(instance);
      setState(world, instance, 'stopped', null);
      events.emit('instance-stopped', 'info', instance.id, `${instanceLabel(instance)} stopped; host released`);
      break;
    }
    case 'shutting-down':
      leaveHost(world, instance, 'terminate', events);
      for (const volumeId of detachAll(world, instance)) deleteVolume(world, world.volumes[volumeId]!);
      setState(world, instance, 'terminated', TICKS.terminatedVisible);
      if (instance.name && names(world).get(instance.name) === instance) names(world).delete(instance.name);
      events.emit('instance-terminated', 'info', instance.id, `${instanceLabel(instance)} terminated`);
      break;
    case 'terminated':
      purge(world, instance);
      break;
    default:
      instance.transitionAt = null;
  }
}

/** A terminated instance leaves the listings after about an hour, with its interface. */
function purge(world: World, instance: Instance): void {
  const eni = world.enis[instance.eniId];
  if (eni?.allocationId) world.elasticIps[eni.allocationId]!.eniId = null;
  remove(world.enis, instance.eniId);
  remove(world.instances, instance.id);
  touchInstance(world, instance);
}

export function advanceLifecycles(world: World, events: EventSink): void {
  for (const instance of watchOf(world).transitions) {
    if (instance.transitionAt !== null && instance.transitionAt <= world.tick) finishTransition(world, instance, events);
  }
}

/** Moves a running instance to another host, as automatic recovery does: same id, addresses and volumes. */
export function migrate(world: World, instance: Instance, events: EventSink): boolean {
  const spec = specOf(instance);
  const group = instance.placementGroup ? world.placementGroups[instance.placementGroup] ?? null : null;
  const from = world.hosts[instance.hostId!]!;
  // Off its old host first, so that in a placement group its own place does not count against it.
  vacate(world, instance, spec);
  let target;
  try {
    target = world.hosts[chooseHost(world, spec, instance.zoneId, group, instance.partition, []).hostId]!;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    occupy(from, instance, spec);
    return false;
  }
  loseInstanceStore(instance, 'host change', events);
  occupy(target, instance, spec);
  setState(world, instance, 'rebooting', TICKS.rebooting);
  events.emit('instance-recovered', 'warn', instance.id, `${instanceLabel(instance)} recovered from ${from.id} to ${target.id}`, { from: from.id, to: target.id });
  return true;
}

export { instanceLabel };
