// The volumes that hold a workload's data. A volume's data set is given when it is made (from the
// level, or from the snapshot it is restored from) and never changes, so the list is kept up to date
// with the volumes touched (see changes.ts) and whoever looks only at data volumes (Trusted
// Advisor's snapshot check) reads these instead of every volume of the region.
import { derivedSlot, maintained } from './changes.js';
import { rows } from './tables.js';
import type { Volume, World } from './types.js';

const slot = derivedSlot<Set<Volume>>('data volumes');

/** The volumes in the table that hold a workload's data, in no fixed order. */
export function dataVolumes(world: World): ReadonlySet<Volume> {
  return maintained(
    world,
    slot,
    () => new Set(rows(world, 'volumes').filter((v) => v.dataset !== null)),
    (held, touched) => {
      for (const v of touched.volumes)
        if (world.volumes[v.id] === v && v.dataset !== null) held.add(v);
        else held.delete(v);
    },
  );
}
