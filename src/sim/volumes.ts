// EBS volumes as objects: create, attach, detach, delete, Elastic Volumes modification and
// snapshots. How much I/O a volume delivers each tick is ebs-io.ts's job.
import type { EventSink } from './events.js';
import { formatSpan, formatWorldTime } from './commands/duration.js';
import { refuse } from './errors.js';
import { newId } from './ids.js';
import { insert, remove, rows } from './tables.js';
import { DAY_TICKS, TICKS, withinDay } from './timings.js';
import type { Instance, Snapshot, Tick, Volume, VolumeType, World } from './types.js';
import { watchOf } from './watch.js';
import { touchInstance, touchSnapshot, touchVolume } from './changes.js';
import { derived, derivedKind } from './derived.js';
import { billVolume, stopBillingVolume } from './billing.js';
import { currentLimits, fullBurstCredits, resolvePerformance, TYPE_CHANGE_IOPS, volumeSpec } from './volume-types.js';
import { creditsOf, IDLE_IO, releaseLane, setCredits, setIdleIo, storeCredits, stored } from './volume-lanes.js';
import { ByLaunch } from './by-launch.js';

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
  /** EBS encryption; default off, as encryption by default is an account setting EC2 leaves off. */
  encrypted?: boolean;
}

/** A volume's modification starts while it has none: shared, as most volumes are never modified; a modification gives the volume a list of its own. */
const NO_MODIFICATIONS: readonly Tick[] = Object.freeze([]);

export function createVolume(
  world: World,
  req: VolumeRequest,
  ready = false,
  snapshot: Snapshot | null = null,
): Volume {
  const perf = resolvePerformance(req.type, req.sizeGiB, req.iops, req.throughputMiBps);
  const fullCredits = fullBurstCredits(req.type, req.sizeGiB);
  if (snapshot && req.sizeGiB < snapshot.sizeGiB)
    refuse('InvalidParameterValue', `a volume from ${snapshot.id} needs at least ${snapshot.sizeGiB} GiB`);
  const volume: Volume = {
    id: newId(world, 'vol', world.volumes),
    name: req.name,
    zoneId: req.zoneId,
    type: req.type,
    sizeGiB: req.sizeGiB,
    iops: perf.iops,
    throughputMiBps: perf.throughputMiBps,
    state: ready ? 'available' : 'creating',
    readyAt: ready ? world.tick : world.tick + TICKS.volumeCreating,
    encrypted: req.encrypted ?? false,
    attachment: null,
    // -0 here, its figure below: see the comment there.
    burstCredits: stored(-0),
    modification: null,
    modificationStarts: NO_MODIFICATIONS,
    lazyLoad: snapshot ? { snapshotId: snapshot.id, remainingGiB: snapshot.sizeGiB } : null,
    dataset: snapshot ? snapshot.dataset : (req.dataset ?? null),
    impaired: false,
    io: stored(IDLE_IO),
    createdAt: world.tick,
    costMicros: 0,
    costMark: world.tick,
  };
  // The credits go into a field made a double by the -0 above, whole number or not: a gp2 volume's
  // credits take fractions, and a field started as a whole number would change the layout of every
  // volume of the region the first time one did (mid-build, or in the first second), each volume
  // moved to the new layout as it is next touched.
  storeCredits(volume, req.burstBalancePct === undefined ? fullCredits : (fullCredits * req.burstBalancePct) / 100);
  insert(world, 'volumes', volume.id, volume);
  billVolume(world, volume);
  touchVolume(world, volume);
  return volume;
}

/** Instance states a volume may be attached in. */
const ATTACHABLE: ReadonlySet<Instance['state']> = new Set(['running', 'stopped', 'pending']);

/**
 * Attaches `volume` to `instance` at `device`. `atLaunch`: part of the launch's block device
 * mapping, listed in the instance's metadata from the start; any other attachment to an instance
 * not stopped waits for its next start (see the attachment's `afterStart`).
 * @throws CommandError VolumeInUse, IncorrectState, InvalidVolume.ZoneMismatch,
 *   IncorrectInstanceState, InvalidParameterValue (the device taken)
 */
export function attachVolume(
  world: World,
  volume: Volume,
  instance: Instance,
  device: string,
  { deleteOnTermination = false, atLaunch = false } = {},
): void {
  // EC2 says VolumeInUse of a volume attached elsewhere, IncorrectState of one not yet (or no longer) there.
  if (volume.state === 'in-use')
    refuse('VolumeInUse', `${volume.id} is already attached to ${volume.attachment?.instanceId}`);
  if (volume.state !== 'available') refuse('IncorrectState', `${volume.id} is ${volume.state}, not available`);
  if (volume.zoneId !== instance.zoneId) {
    refuse(
      'InvalidVolume.ZoneMismatch',
      `${volume.id} is in ${volume.zoneId} and ${instance.id} in ${instance.zoneId}: a volume attaches only in its own zone (snapshot it and restore in ${instance.zoneId})`,
    );
  }
  if (!ATTACHABLE.has(instance.state)) refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
  const index = attachments(world);
  const attached = index.get(instance) ?? NONE;
  if (attached.some((v) => v.attachment!.device === device))
    refuse('InvalidParameterValue', `${device} is already in use on ${instance.id}`);
  volume.attachment = { instanceId: instance.id, device, deleteOnTermination };
  if (!atLaunch && instance.state !== 'stopped') volume.attachment.afterStart = true;
  index.set(instance, withVolume(attached, volume));
  volume.state = 'in-use';
  touchVolume(world, volume);
}

const NONE: readonly Volume[] = [];

// Volumes by the instance they are attached to, kept with the world's derived data. Only attach
// and detach change attachments (a new volume is unattached, an attached one cannot be deleted),
// and both keep this index exact; a world restored from JSON builds it afresh on first use.
const ATTACHMENTS = derivedKind('volume attachments', (world) => {
  const index = new ByLaunch<Volume[]>();
  for (const v of rows(world, 'volumes')) {
    if (!v.attachment) continue;
    const inst = world.instances[v.attachment.instanceId]!;
    index.set(inst, withVolume(index.get(inst) ?? NONE, v));
  }
  return index;
});

const attachments = (world: World): ByLaunch<Volume[]> => derived(world, ATTACHMENTS);

/**
 * An instance's volumes are listed by device name, whatever order they were attached in: as the
 * guest sees them. Each list holds exactly its volumes (a list grown by spreading keeps room for
 * more, some hundred bytes, in each of a region's instances), and the new one is put in its place
 * rather than the list sorted (a sort allocates room to work in, for each of a million instances).
 */
function withVolume(list: readonly Volume[], v: Volume): Volume[] {
  const device = v.attachment!.device;
  let at = list.length;
  while (at > 0 && device < list[at - 1]!.attachment!.device) at--;
  // Never made by new Array, whose slots start as holes: V8 would keep the list as one that may
  // have holes, and the code reading an instance's volumes (its I/O, its EBS checks) would meet two
  // kinds of list and be compiled again (see roster.ts's inThresholdOrder). Most instances have
  // one or two volumes, whose lists literals make at once.
  if (list.length === 0) return [v];
  if (list.length === 1) return at === 0 ? [v, list[0]!] : [list[0]!, v];
  const out = Array.from({ length: list.length + 1 }) as Volume[];
  for (let i = 0; i < at; i++) out[i] = list[i]!;
  out[at] = v;
  for (let i = at; i < list.length; i++) out[i + 1] = list[i]!;
  return out;
}

function unattach(world: World, volume: Volume): void {
  const index = attachments(world);
  const instance = world.instances[volume.attachment!.instanceId]!;
  const rest = index.get(instance)!.filter((v) => v !== volume);
  if (rest.length) index.set(instance, rest);
  else index.delete(instance);
  volume.attachment = null;
  volume.state = 'available';
  setIdleIo(world, volume);
  touchVolume(world, volume);
  touchInstance(world, instance);
}

export function attachedTo(world: World, instance: Instance): readonly Volume[] {
  return attachments(world).get(instance) ?? NONE;
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
    refuse(
      'IncorrectState',
      `${volume.id} is the root volume of ${instance.id}, which is ${instance.state}; stop the instance first`,
    );
  }
  // Listed in the instance's metadata since its start, it stays listed until the next.
  if (instance.state !== 'stopped' && !attachment.afterStart)
    instance.detachedSinceStart = [...(instance.detachedSinceStart ?? []), attachment.device];
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
  if (volume.attachment)
    refuse('VolumeInUse', `${volume.id} is attached to ${volume.attachment.instanceId}; detach it first`);
  remove(world, 'volumes', volume.id);
  releaseLane(world, volume);
  stopBillingVolume(world, volume);
  touchVolume(world, volume);
}

export interface VolumeChange {
  type: VolumeType | null;
  sizeGiB: number | null;
  iops: number | null;
  throughputMiBps: number | null;
}

/** Elastic Volumes: at most this many modifications of one volume in a rolling 24 hours. */
export const MODIFICATIONS_PER_DAY = 4;

/**
 * Elastic Volumes (API reference, "ModifyVolume"; EBS User Guide, "Monitor the progress of volume
 * modifications"): a volume may be modified while attached, once the previous modification has
 * completed (else IncorrectModificationState), and up to four times in a rolling 24 hours (else
 * VolumeModificationRateExceeded, saying when to retry). The modification passes through
 * `modifying` and `optimizing` to `completed`.
 */
export function modifyVolume(world: World, volume: Volume, change: VolumeChange, events: EventSink): void {
  if (volume.state === 'creating' || volume.state === 'deleting')
    refuse('IncorrectState', `${volume.id} is ${volume.state}`);
  const mod = volume.modification;
  if (mod && mod.state !== 'completed') {
    refuse(
      'IncorrectModificationState',
      `${volume.id} has a modification still ${mod.state} (started ${formatSpan(world.tick - mod.startedAt)} ago); retry once it has completed, in about ${formatSpan(remainingModification(volume, world.tick))}`,
    );
  }
  const recent = withinDay(volume.modificationStarts, world.tick);
  if (recent.length >= MODIFICATIONS_PER_DAY) {
    const retryAt = recent[0]! + DAY_TICKS;
    refuse(
      'VolumeModificationRateExceeded',
      `${volume.id} has been modified ${recent.length} times in the last 24 hours, the most EC2 allows; retry after ${formatWorldTime(world, retryAt)} (in ${formatSpan(retryAt - world.tick)})`,
    );
  }
  const type = change.type ?? volume.type;
  const sizeGiB = change.sizeGiB ?? volume.sizeGiB;
  if (sizeGiB < volume.sizeGiB)
    refuse('InvalidParameterValue', `${volume.id} cannot shrink from ${volume.sizeGiB} GiB to ${sizeGiB} GiB`);
  const spec = volumeSpec(type);
  const instance = volume.attachment && world.instances[volume.attachment.instanceId]!;
  if (spec.class === 'hdd' && instance?.rootVolumeId === volume.id)
    refuse(
      'InvalidParameterCombination',
      `${volume.id} is the root volume of ${instance.id}: ${type} volumes cannot be boot volumes (EBS volume types); choose an SSD type`,
    );
  // Provisioned figures are kept within one type; a new type that provisions IOPS starts from EC2's default.
  const sameType = type === volume.type;
  const perf = resolvePerformance(
    type,
    sizeGiB,
    change.iops ??
      (sameType ? (spec.provisioned.iops ? volume.iops : null) : spec.provisioned.iops ? TYPE_CHANGE_IOPS : null),
    change.throughputMiBps ?? (sameType && spec.provisioned.throughput ? volume.throughputMiBps : null),
  );
  const now = currentLimits(volume, creditsOf(world, volume) > 0);
  volume.modification = {
    state: 'modifying',
    startedAt: world.tick,
    endsAt: world.tick + TICKS.volumeModifying,
    optimizingFrom: null,
    original: { iops: now.iops, throughputMiBps: now.mibps },
    current: { iops: now.iops, throughputMiBps: now.mibps },
    target: { type, sizeGiB, iops: perf.iops, throughputMiBps: perf.throughputMiBps },
  };
  volume.modificationStarts = [...recent, world.tick];
  touchVolume(world, volume);
  events.emit(
    'volume-modifying',
    'info',
    volume.id,
    `${volume.id} modifying to ${type} ${sizeGiB} GiB ${perf.iops} IOPS ${perf.throughputMiBps} MiB/s (modification ${recent.length + 1} of ${MODIFICATIONS_PER_DAY} in 24 hours)`,
    { type, sizeGiB, iops: perf.iops, throughputMiBps: perf.throughputMiBps },
  );
}

function remainingModification(volume: Volume, tick: number): number {
  const mod = volume.modification!;
  // While modifying, the optimizing stage still lies ahead.
  return Math.max(1, mod.endsAt - tick) + (mod.state === 'modifying' ? optimizingSeconds(mod.target.sizeGiB) : 0);
}

/** How long optimizing takes: this simulation's choice, a minute or a second per GiB (EBS documents "a few minutes to a few hours"). */
function optimizingSeconds(sizeGiB: number): number {
  return Math.max(60, Math.ceil(sizeGiB / TICKS.snapshotGiBPerTick));
}

export function createSnapshot(world: World, volume: Volume, name: string | null, events: EventSink): Snapshot {
  if (volume.state === 'creating') refuse('IncorrectState', `${volume.id} is still creating`);
  // EBS reads the blocks to copy from the volume's zone: an impaired zone's volumes cannot be read.
  if (world.zones.find((z) => z.zoneId === volume.zoneId)?.impaired)
    refuse(
      'IncorrectState',
      `${volume.id} is in ${volume.zoneId}, which is impaired: its blocks cannot be read to snapshot`,
    );
  const snapshot: Snapshot = {
    id: newId(world, 'snap', world.snapshots),
    name,
    volumeId: volume.id,
    dataset: volume.dataset,
    sizeGiB: volume.sizeGiB,
    state: 'pending',
    startedAt: world.tick,
    completesAt: world.tick + Math.ceil(volume.sizeGiB / TICKS.snapshotGiBPerTick),
  };
  insert(world, 'snapshots', snapshot.id, snapshot);
  touchSnapshot(world, snapshot);
  events.emit(
    'snapshot-started',
    'info',
    snapshot.id,
    `${snapshot.id} of ${volume.id} started (${volume.sizeGiB} GiB)`,
  );
  return snapshot;
}

/** Volume and snapshot timers: creation, modification stages, snapshot completion, lazy loading. */
export function advanceVolumes(world: World, events: EventSink): void {
  const watch = watchOf(world);
  for (const v of watch.volumes) {
    if (v.state === 'creating' && v.readyAt <= world.tick) {
      v.state = 'available';
      touchVolume(world, v);
      events.emit('volume-available', 'info', v.id, `${v.id} available in ${v.zoneId}`);
    }
    const mod = v.modification;
    if (mod && mod.endsAt <= world.tick && mod.state !== 'completed') advanceModification(v, world, events);
    else if (mod?.state === 'optimizing') optimize(v, world);
  }
  for (const s of watch.snapshots) {
    if (s.state === 'pending' && s.completesAt <= world.tick) {
      s.state = 'completed';
      touchSnapshot(world, s);
      events.emit(
        'snapshot-completed',
        'info',
        s.id,
        `${s.id} completed; stored regionally, it survives the loss of a zone`,
      );
    }
  }
}

/**
 * While optimizing, performance lies between the source and target configurations, never below
 * the source (nor below the target when lowering): it moves in a straight line from one to the
 * other over the stage (EBS User Guide, "Monitor the progress of volume modifications"). What
 * depends on it looks again each second.
 */
function optimize(v: Volume, world: World): void {
  const mod = v.modification!;
  const progress = (world.tick - mod.optimizingFrom!) / (mod.endsAt - mod.optimizingFrom!);
  const between = (from: number, to: number) => from + (to - from) * progress;
  mod.current = {
    iops: between(mod.original.iops, mod.target.iops),
    throughputMiBps: between(mod.original.throughputMiBps, mod.target.throughputMiBps),
  };
  touchVolume(world, v);
}

function advanceModification(v: Volume, world: World, events: EventSink): void {
  const mod = v.modification!;
  touchVolume(world, v);
  if (mod.state === 'modifying') {
    // Size, type and the new price take effect at optimizing; performance moves towards the
    // target while optimizing and reaches it at completed.
    stopBillingVolume(world, v);
    v.type = mod.target.type;
    v.sizeGiB = mod.target.sizeGiB;
    v.iops = mod.target.iops;
    v.throughputMiBps = mod.target.throughputMiBps;
    billVolume(world, v);
    setCredits(world, v, Math.min(creditsOf(world, v), fullBurstCredits(v.type, v.sizeGiB)));
    mod.state = 'optimizing';
    mod.optimizingFrom = world.tick;
    mod.current = { ...mod.original };
    mod.endsAt = world.tick + optimizingSeconds(v.sizeGiB);
    events.emit(
      'volume-optimizing',
      'info',
      v.id,
      `${v.id} optimizing: new size in effect; performance moves from the old configuration to the new until the modification completes`,
    );
  } else {
    mod.state = 'completed';
    events.emit(
      'volume-modified',
      'info',
      v.id,
      `${v.id} modification completed; the new performance is in full effect`,
    );
  }
}
