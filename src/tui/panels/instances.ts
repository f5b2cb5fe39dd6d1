// The instances table: what an operator scans first — which instance, where, in what state, and
// whether its status checks pass.
import { rows, type Instance, type World } from '../../sim/index.js';
import { checksCell, stateRole, zoneName } from '../labels.js';
import type { Column } from '../table.js';
import type { ListSource } from './list-panel.js';

function marketCell(inst: Instance) {
  if (inst.market === 'on-demand') return { text: 'od' };
  if (inst.spot?.noticeAt !== null && inst.spot?.noticeAt !== undefined)
    return { text: 'spot!', role: 'warn' as const };
  return { text: 'spot', role: 'accent' as const };
}

export function instanceColumns(world: () => World): Column<Instance>[] {
  return [
    { title: 'ID', width: 19, priority: 8, cell: (i) => i.id },
    { title: 'NAME', width: 8, priority: 9, grow: true, cell: (i) => i.name ?? '-' },
    { title: 'TYPE', width: 11, priority: 6, cell: (i) => i.type },
    { title: 'AZ', width: 10, priority: 3, cell: (i) => zoneName(world(), i.zoneId) },
    { title: 'HOST', width: 16, priority: 2, cell: (i) => i.hostId ?? '-' },
    { title: 'STATE', width: 13, priority: 10, cell: (i) => ({ text: i.state, role: stateRole(i.state) }) },
    { title: 'MKT', width: 5, priority: 5, cell: marketCell },
    { title: 'CHECKS', width: 9, priority: 7, cell: checksCell },
  ];
}

export function instancesSource(world: () => World): ListSource<Instance> {
  return {
    columns: instanceColumns(world),
    // In launch order, from the model's cached rows: enumerating a large record costs tens of ms.
    rows: () => rows(world(), 'instances'),
    key: (i) => i.id,
    matches: (i, test) =>
      test(i.id) ||
      test(i.name ?? '') ||
      test(i.type) ||
      test(zoneName(world(), i.zoneId)) ||
      test(i.zoneId) ||
      test(i.hostId ?? '') ||
      test(i.state) ||
      test(i.market),
    target: (i) => ({ kind: 'instance', id: i.id }),
    empty: () => 'no instances: launch some with :launch',
  };
}
