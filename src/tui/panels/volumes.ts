// The volumes table: EBS use against its limits, so a saturated volume, an exhausted burst bucket
// or an instance-bandwidth ceiling stands out before latency does.
import {
  rows,
  type Volume,
  type VolumeIo,
  type World,
  volumeIo,
  creditsOf,
  currentLimits,
  fullBurstCredits,
} from '../../sim/index.js';
import { compact, percent } from '../format.js';
import { instanceLabel, zoneName } from '../labels.js';
import type { Column } from '../table.js';
import type { Role } from '../theme.js';
import type { ListSource } from './list-panel.js';

/** Used against limit, warning when the volume is what holds the I/O back. */
function usage(used: number, limit: number, io: VolumeIo) {
  const role: Role = io.limitedBy === 'volume' && used >= limit * 0.95 ? 'warn' : 'plain';
  return { text: `${compact(used)}/${compact(limit)}`, role };
}

function burstCell(world: World, v: Volume) {
  const full = fullBurstCredits(v.type, v.sizeGiB);
  if (full <= 0) return { text: '-', role: 'dim' as const };
  const share = creditsOf(world, v) / full;
  return { text: percent(share), role: share < 0.2 ? ('warn' as const) : ('plain' as const) };
}

const LIMITED: Record<VolumeIo['limitedBy'], { text: string; role: Role }> = {
  none: { text: '-', role: 'dim' },
  volume: { text: 'volume', role: 'warn' },
  instance: { text: 'instance', role: 'warn' },
  unavailable: { text: 'no I/O', role: 'error' },
};

export function volumeColumns(world: () => World): Column<Volume>[] {
  const attached = (v: Volume) => {
    if (v.impaired) return { text: 'STALLED', role: 'error' as const };
    if (!v.attachment) return { text: v.state, role: 'dim' as const };
    const inst = world().instances[v.attachment.instanceId];
    return { text: inst ? instanceLabel(inst) : v.attachment.instanceId };
  };
  const nameCell = (v: Volume) => {
    if (v.name) return { text: v.name };
    const inst = v.attachment ? world().instances[v.attachment.instanceId] : undefined;
    return { text: inst ? `(${inst.name ?? inst.id})` : '-', role: 'dim' as const };
  };
  const io = (v: Volume) => volumeIo(world(), v);
  const limits = (v: Volume) => currentLimits(v, creditsOf(world(), v) > 0);
  return [
    { title: 'ID', width: 21, priority: 10, cell: (v) => v.id },
    // Hints, scripts and commands name volumes by their Name tag as often as by id. One without a
    // tag shows, dimmed and in brackets, the instance it is attached to: on a narrow screen, where
    // ATTACHED is left out, that is what tells a root volume from a data volume's.
    { title: 'NAME', width: 14, priority: 9, cell: nameCell },
    { title: 'TYPE', width: 4, priority: 8, cell: (v) => v.type },
    {
      title: 'IOPS',
      width: 9,
      priority: 9,
      align: 'right',
      cell: (v) => usage(io(v).deliveredIops, limits(v).iops, io(v)),
    },
    {
      title: 'MiB/s',
      width: 9,
      priority: 7,
      align: 'right',
      cell: (v) => usage(io(v).deliveredMiBps, limits(v).mibps, io(v)),
    },
    { title: 'BURST', width: 5, priority: 5, align: 'right', cell: (v) => burstCell(world(), v) },
    {
      title: 'QUEUE',
      width: 5,
      priority: 8,
      align: 'right',
      cell: (v) => ({ text: compact(io(v).queueLength), role: io(v).queueLength >= 1 ? 'warn' : 'plain' }),
    },
    { title: 'LIMIT', width: 8, priority: 4, cell: (v) => LIMITED[io(v).limitedBy] },
    { title: 'ATTACHED', width: 10, priority: 6, grow: true, cell: attached },
    { title: 'AZ', width: 10, priority: 1, cell: (v) => zoneName(world(), v.zoneId) },
  ];
}

export function volumesSource(world: () => World): ListSource<Volume> {
  return {
    columns: volumeColumns(world),
    // In creation order, from the model's cached rows: enumerating a large record costs tens of ms.
    rows: () => rows(world(), 'volumes'),
    key: (v) => v.id,
    matches: (v, test) => {
      const inst = v.attachment ? world().instances[v.attachment.instanceId] : undefined;
      return (
        test(v.id) ||
        test(v.name ?? '') ||
        test(v.type) ||
        test(v.state) ||
        test(volumeIo(world(), v).limitedBy) ||
        test(zoneName(world(), v.zoneId)) ||
        (!!inst && (test(inst.id) || test(inst.name ?? ''))) ||
        (v.impaired && test('stalled'))
      );
    },
    target: (v) => ({ kind: 'volume', id: v.id }),
    empty: () => 'no EBS volumes',
  };
}
