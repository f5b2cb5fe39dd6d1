// EBS volumes as objects: create, attach, detach, delete, Elastic Volumes modification and
// snapshots. How much I/O a volume delivers each tick is ebs-io.ts's job.
import type { EventSink } from './events.js';
import { refuse } from './errors.js';
import { newId } from './ids.js';
import { insert, remove, rows } from './tables.js';
import { TICKS } from './timings.js';
import type { Instance, Snapshot, Volume, VolumeType, World } from './types.js';
import { watchOf } from './watch.js';
import { touchInstance, touchVolume } from './changes.js';
import { billVolume, stopBillingVolume } from './billing.js';
import { fullBurstCredits, resolvePerformance } from './volume-types.js';

export interface VolumeRequest {
  zoneId: string;
  type: VolumeType;
  sizeGiB: number;
  iops: number | null;
  throughputMiBps: number | null;
  name: string | null;
  /** Burst credits a level's starting volume has left, as a percentage of a full bucket; default full. */
  burstBalancePct?: number;
  /** A level's data volume: the stateful workload whose data it starts with. */
  dataset?: string;
}

const IDLE_IO = { demandIops: 0, demandMiBps: 0, deliveredIops: 0, deliveredMiBps: 0, queueLength: 0, latencyMs: 0, limitedBy: 'none' } as const;

export function createVolume(world: World, req: VolumeRequest, ready = false, snapshot: Snapshot | null = null): Volume {
  const perf = resolvePerformance(req.type, req.sizeGiB, req.iops, req.throughputMiBps);
  const fullCredits = fullBurstCredits(req.type, req.sizeGiB);
  if (snapshot && req.sizeGiB < snapshot.sizeGiB) refuse('InvalidParameterValue', `a volume from ${snapshot.id} needs at least ${snapshot.sizeGiB} GiB`);
  const volume: Volume = {
    id: newId(world, 'vol', (id) => id in world.volumes),
    name: req.name,
    zoneId: req.zoneId,
    type: req.type,
    sizeGiB: req.sizeGiB,
    iops: perf.iops,
    throughputMiBps: perf.throughputMiBps,
    state: ready ? 'available' : 'creating',
    readyAt: ready ? world.tick : world.tick + TICKS.volumeCreating,
    attachment: null,
    burstCredits: req.burstBalancePct === undefined ? fullCredits : (fullCredits * req.burstBalancePct) / 100,
    modification: null,
    lastModifiedAt: null,
    lazyLoad: snapshot ? { snapshotId: snapshot.id, remainingGiB: snapshot.sizeGiB } : null,
    dataset: snapshot ? snapshot.dataset : req.dataset ?? null,
    impaired: false,
    io: { ...IDLE_IO },
    createdAt: world.tick,
    costMicros: 0,
    costMark: world.tick,
  };
  insert(world.volumes, volume.id, volume);
  billVolume(world, volume);
  touchVolume(world, volume);
  return volume;
}

export function attachVolume(world: World, volume: Volume, instance: Instance, device: string, deleteOnTermination = false): void {
  if (volume.state !== 'available') refuse('IncorrectState', `${volume.id} is ${volume.state}, not available`);
  if (volume.zoneId !== instance.zoneId) {
    refuse('InvalidVolume.ZoneMismatch', `${volume.id} is in ${volume.zoneId} and ${instance.id} in ${instance.zoneId}: a volume attaches only in its own zone (snapshot it and restore in ${instance.zoneId})`);
  }
  if (!['running', 'stopped', 'pending'].includes(instance.state)) refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
  if (attachedTo(world, instance).some((v) => v.attachment!.device === device)) refuse('InvalidParameterValue', `${device} is already in use on ${instance.id}`);
  const index = attachments(world);
  volume.attachment = { instanceId: instance.id, device, deleteOnTermination };
  addTo(index, instance.id, volume);
  volume.state = 'in-use';
  touchVolume(world, volume);
}

const NONE: readonly Volume[] = [];

// Volumes by the instance they are attached to. Only attach and detach change attachments (a new
// volume is unattached, an attached one cannot be deleted), and both keep this index exact; a
// world restored from JSON builds it afresh on first use.
const attachmentIndex = new WeakMap<object, Map<string, Volume[]>>();

function attachments(world: World): Map<string, Volume[]> {
  let index = attachmentIndex.get(world.volumes);
  if (!index) {
    index = new Map();
    for (const v of rows(world.volumes)) if (v.attachment) addTo(index, v.attachment.instanceId, v);
    attachmentIndex.set(world.volumes, index);
  }
  return index;
}

/** An instance's volumes are listed by device name, whatever order they were attached in: as the guest sees them. */
function addTo(index: Map<string, Volume[]>, instanceId: string, v: Volume): void {
  const list = index.get(instanceId);
  if (list) index.set(instanceId, [...list, v].sort((a, b) => (a.attachment!.device < b.attachment!.device ? -1 : 1)));
  else index.set(instanceId, [v]);
}

function unattach(world: World, volume: Volume): void {
  const index = attachments(world);
  const instanceId = volume.attachment!.instanceId;
  const rest = index.get(instanceId)!.filter((v) => v !== volume);
  if (rest.length) index.set(instanceId, rest);
  else index.delete(instanceId);
  volume.attachment = null;
  volume.state = 'available';
  volume.io = { ...IDLE_IO };
  touchVolume(world, volume);
  touchInstance(world, world.instances[instanceId]!);
}

export function attachedTo(world: World, instance: Instance): readonly Volume[] {
  return attachments(world).get(instance.id) ?? NONE;
}

/** The first free device name from /dev/sdf to /dev/sdp, as the console suggests. */
export function nextDevice(world: World, instance: Instance): string {
  const used = new Set(attachedTo(world, instance).map((v) => v.attachment!.device));
  for (const letter of 'fghijklmnop') {
    const device = `/dev/sd${letter}`;
    if (!used.has(device)) return device;
  }
  refuse('AttachmentLimitExceeded', `${instance.id} has no free device name`);
}

/** As in EC2, no option detaches the root volume of an instance that is not stopped. */
export function detachVolume(world: World, volume: Volume): void {
  const attachment = volume.attachment;
  if (!attachment) refuse('IncorrectState', `${volume.id} is not attached`);
  const instance = world.instances[attachment.instanceId]!;
  if (volume.id === instance.rootVolumeId && instance.state !== 'stopped') {
    refuse('OperationNotPermitted', `${volume.id} is the root volume of ${instance.id}, which is ${instance.state}; stop the instance first`);
  }
  unattach(world, volume);
}

/** Detaches every volume of a terminating instance; returns those to delete with it. */
export function detachAll(world: World, instance: Instance): string[] {
  const toDelete: string[] = [];
  for (const volume of [...attachedTo(world, instance)]) {
    if (volume.attachment!.deleteOnTermination) toDelete.push(volume.id);
    unattach(world, volume);
  }
  return toDelete;
}

export function deleteVolume(world: World, volume: Volume): void {
  if (volume.attachment) refuse('VolumeInUse', `${volume.id} is attached to ${volume.attachment.instanceId}; detach it first`);
  remove(world.volumes, volume.id);
  stopBillingVolume(world, volume);
  touchVolume(world, volume);
}

export interface VolumeChange {
  type: VolumeType | null;
  sizeGiB: number | null;
  iops: number | null;
  throughputMiBps: number | null;
}

export function modifyVolume(world: World, volume: Volume, change: VolumeChange, events: EventSink): void {
  if (volume.state === 'creating' || volume.state === 'deleting') refuse('IncorrectState', `${volume.id} is ${volume.state}`);
  if (volume.lastModifiedAt !== null && world.tick - volume.lastModifiedAt < TICKS.volumeModifyCooldown) {
    const left = TICKS.volumeModifyCooldown - (world.tick - volume.lastModifiedAt);
    refuse('VolumeModificationRateExceeded', `${volume.id} was modified ${formatDuration(world.tick - volume.lastModifiedAt)} ago; wait ${formatDuration(left)} more (at least 6 hours between modifications)`);
  }
  const type = change.type ?? volume.type;
  const sizeGiB = change.sizeGiB ?? volume.sizeGiB;
  if (sizeGiB < volume.sizeGiB) refuse('InvalidParameterValue', `${volume.id} cannot shrink from ${volume.sizeGiB} GiB to ${sizeGiB} GiB`);
  // Keep provisioned figures across a change only where the target type provisions them too.
  const keep = type === volume.type;
  const perf = resolvePerformance(type, sizeGiB, change.iops ?? (keep && type !== 'gp2' ? volume.iops : null), change.throughputMiBps ?? (keep && type === 'gp3' ? volume.throughputMiBps : null));
  volume.modification = { state: 'modifying', startedAt: world.tick, endsAt: world.tick + TICKS.volumeModifying, target: { type, sizeGiB, iops: perf.iops, throughputMiBps: perf.throughputMiBps } };
  volume.lastModifiedAt = world.tick;
  events.emit('volume-modifying', 'info', volume.id, `${volume.id} modifying to ${type} ${sizeGiB} GiB ${perf.iops} IOPS ${perf.throughputMiBps} MiB/s`, { type, sizeGiB, iops: perf.iops, throughputMiBps: perf.throughputMiBps });
}

export function createSnapshot(world: World, volume: Volume, name: string | null, events: EventSink): Snapshot {
  if (volume.state === 'creating') refuse('IncorrectState', `${volume.id} is still creating`);
  const snapshot: Snapshot = {
    id: newId(world, 'snap', (id) => id in world.snapshots),
    name,
    volumeId: volume.id,
    dataset: volume.dataset,
    sizeGiB: volume.sizeGiB,
    state: 'pending',
    startedAt: world.tick,
    completesAt: world.tick + Math.ceil(volume.sizeGiB / TICKS.snapshotGiBPerTick),
  };
  insert(world.snapshots, snapshot.id, snapshot);
  events.emit('snapshot-started', 'info', snapshot.id, `${snapshot.id} of ${volume.id} started (${volume.sizeGiB} GiB)`);
  return snapshot;
}

/** Volume and snapshot timers: creation, modification stages, snapshot completion, lazy loading. */
export function advanceVolumes(world: World, events: EventSink): void {
  const watch = watchOf(world);
  for (const v of watch.volumes) {
    if (v.state === 'creating' && v.readyAt <= world.tick) {
      v.state = 'available';
      events.emit('volume-available', 'info', v.id, `${v.id} available in ${v.zoneId}`);
    }
    const mod = v.modification;
    if (mod && mod.endsAt <= world.tick && mod.state !== 'completed') advanceModification(v, world, events);
  }
  for (const s of watch.snapshots) {
    if (s.state === 'pending' && s.completesAt <= world.tick) {
      s.state = 'completed';
      events.emit('snapshot-completed', 'info', s.id, `${s.id} completed; stored regionally, it survives the loss of a zone`);
    }
  }
}

function advanceModification(v: Volume, world: World, events: EventSink): void {
  const mod = v.modification!;
  if (mod.state === 'modifying') {
    // The new limits apply once the volume reaches optimizing, as EBS does.
    stopBillingVolume(world, v);
    v.type = mod.target.type;
    v.sizeGiB = mod.target.sizeGiB;
    v.iops = mod.target.iops;
    v.throughputMiBps = mod.target.throughputMiBps;
    billVolume(world, v);
    v.burstCredits = Math.min(v.burstCredits, fullBurstCredits(v.type, v.sizeGiB));
    mod.state = 'optimizing';
    mod.endsAt = world.tick + Math.max(60, Math.ceil(v.sizeGiB / TICKS.snapshotGiBPerTick));
    events.emit('volume-optimizing', 'info', v.id, `${v.id} optimizing; new limits in effect`);
  } else {
    mod.state = 'completed';
    events.emit('volume-modified', 'info', v.id, `${v.id} modification completed`);
  }
}

export function formatDuration(ticks: number): string {
  const h = Math.floor(ticks / 3600);
  const m = Math.floor((ticks % 3600) / 60);
  const s = ticks % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
