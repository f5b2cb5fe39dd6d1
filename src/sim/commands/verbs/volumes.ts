// EBS verbs: volumes and snapshots, and Elastic Volumes changes.
import { checkAttachmentRoom, EBS_DEVICE } from '../../attachments.js';
import { refuse } from '../../errors.js';
import { quoted } from '../echo.js';
import { checkStorageName } from '../../names.js';
import { instanceLabel, zoneIdOf } from '../../instances.js';
import { VOLUME_TYPES } from '../../types.js';
import { typesProvisioning, VOLUME_BOUNDS } from '../../volume-types.js';
import {
  attachVolume,
  createSnapshot,
  createVolume,
  deleteVolume,
  detachVolume,
  modifyVolume,
  nextDevice,
} from '../../volumes.js';
import { resolveInstance, resolveSnapshot, resolveVolume } from '../resolve.js';
import { worldVerb } from '../spec.js';
import { INSTANCE_ARG, VOLUME_ARG } from './args.js';

// The bounds any type allows; each type's own limits are checked against the data table.
const { sizeGiB: SIZE_RANGE, iops: IOPS_RANGE, throughputMiBps: THROUGHPUT_RANGE } = VOLUME_BOUNDS;
const IOPS_TYPES = typesProvisioning('iops').join(', ');
const THROUGHPUT_TYPES = typesProvisioning('throughput').join(', ');

/** Whether a volume or snapshot of `table` has the Name tag `name`: commands would then find two. */
function named(table: Readonly<Record<string, { name: string | null }>>, name: string): boolean {
  for (const id in table) if (table[id]!.name === name) return true;
  return false;
}

export const VOLUME_VERBS = [
  worldVerb(
    {
      verb: 'create-volume',
      scope: 'world',
      summary: 'create an EBS volume in a zone, empty or from a snapshot',
      args: [],
      flags: [
        { name: 'az', kind: 'zone', help: 'zone name or id', required: true },
        { name: 'type', kind: 'volume-type', help: 'volume type', values: VOLUME_TYPES },
        { name: 'size', kind: 'int', help: 'size in GiB', range: SIZE_RANGE },
        { name: 'iops', kind: 'int', help: `provisioned IOPS (${IOPS_TYPES})`, range: IOPS_RANGE },
        { name: 'throughput', kind: 'int', help: `provisioned MiB/s (${THROUGHPUT_TYPES})`, range: THROUGHPUT_RANGE },
        { name: 'snapshot', kind: 'snapshot', help: 'restore from this snapshot (any zone)' },
        { name: 'name', kind: 'word', help: 'Name tag' },
      ],
    },
    (world, input, events) => {
      if (input.name !== undefined) checkStorageName('volume', input.name, named(world.volumes, input.name));
      const zoneId = zoneIdOf(world, input.az);
      const snapshot = input.snapshot ? resolveSnapshot(world, input.snapshot) : null;
      if (snapshot && snapshot.state !== 'completed')
        refuse('IncorrectState', `${snapshot.id} is still ${snapshot.state}`);
      const size =
        input.size ?? snapshot?.sizeGiB ?? refuse('MissingParameter', 'create-volume needs --size or --snapshot');
      const volume = createVolume(
        world,
        {
          zoneId,
          type: input.type ?? 'gp3',
          sizeGiB: size,
          iops: input.iops ?? null,
          throughputMiBps: input.throughput ?? null,
          name: input.name ?? null,
        },
        false,
        snapshot,
      );
      events.emit(
        'volume-created',
        'info',
        volume.id,
        `${volume.id} ${volume.type} ${volume.sizeGiB} GiB creating in ${zoneId}${snapshot ? ` from ${snapshot.id} (blocks load lazily on first read)` : ''}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'attach-volume',
      scope: 'world',
      summary: 'attach a volume to an instance in the same zone',
      args: [VOLUME_ARG, INSTANCE_ARG],
      flags: [{ name: 'device', kind: 'word', help: 'device name (default: next free /dev/sdX)' }],
    },
    (world, input, events) => {
      const volume = resolveVolume(world, input.volume);
      const instance = resolveInstance(world, input.instance);
      if (input.device !== undefined && !EBS_DEVICE.test(input.device))
        refuse(
          'InvalidParameterValue',
          `${quoted(input.device)} is not a valid EBS device name: use /dev/sdf to /dev/sdp (or /dev/sd[a-z], /dev/xvd[b-c][a-z]; /dev/xvda for the root volume)`,
        );
      checkAttachmentRoom(world, instance, volume.id);
      const device = input.device ?? nextDevice(world, instance);
      attachVolume(world, volume, instance, device);
      events.emit(
        'volume-attached',
        'info',
        volume.id,
        `${volume.id} attached to ${instanceLabel(instance)} as ${device}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'detach-volume',
      scope: 'world',
      summary: 'detach a volume (a root volume only from a stopped instance)',
      args: [VOLUME_ARG],
      flags: [],
    },
    (world, input, events) => {
      const volume = resolveVolume(world, input.volume);
      const from = volume.attachment?.instanceId;
      detachVolume(world, volume);
      events.emit('volume-detached', 'info', volume.id, `${volume.id} detached from ${from}`);
    },
  ),
  worldVerb(
    { verb: 'delete-volume', scope: 'world', summary: 'delete an available volume', args: [VOLUME_ARG], flags: [] },
    (world, input, events) => {
      const volume = resolveVolume(world, input.volume);
      deleteVolume(world, volume);
      events.emit('volume-deleted', 'info', volume.id, `${volume.id} deleted`);
    },
  ),
  worldVerb(
    {
      verb: 'modify-volume',
      scope: 'world',
      summary: 'Elastic Volumes: change type, size, IOPS or throughput (each after the last completes, 4 in 24 h)',
      args: [VOLUME_ARG],
      flags: [
        { name: 'type', kind: 'volume-type', help: 'new type', values: VOLUME_TYPES },
        { name: 'size', kind: 'int', help: 'new size in GiB (grow only)', range: SIZE_RANGE },
        { name: 'iops', kind: 'int', help: 'new provisioned IOPS', range: IOPS_RANGE },
        {
          name: 'throughput',
          kind: 'int',
          help: `new provisioned MiB/s (${THROUGHPUT_TYPES})`,
          range: THROUGHPUT_RANGE,
        },
      ],
    },
    (world, input, events) => {
      const change = {
        type: input.type ?? null,
        sizeGiB: input.size ?? null,
        iops: input.iops ?? null,
        throughputMiBps: input.throughput ?? null,
      };
      if (Object.values(change).every((v) => v === null))
        refuse('MissingParameter', 'modify-volume needs at least one of --type, --size, --iops, --throughput');
      modifyVolume(world, resolveVolume(world, input.volume), change, events);
    },
  ),
  worldVerb(
    {
      verb: 'create-snapshot',
      scope: 'world',
      summary: 'snapshot a volume to the regional store',
      args: [VOLUME_ARG],
      flags: [{ name: 'name', kind: 'word', help: 'Name tag, to restore it by name' }],
    },
    (world, input, events) => {
      if (input.name !== undefined) checkStorageName('snapshot', input.name, named(world.snapshots, input.name));
      createSnapshot(world, resolveVolume(world, input.volume), input.name ?? null, events);
    },
  ),
];
