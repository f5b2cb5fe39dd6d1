// The entities a quiet second must look at: those with a timer running (a transition, a Spot
// notice, a scheduled event, a volume being created or modified, a snapshot in progress) and those
// whose status checks are still settling. Everything else stays as it is until an event happens,
// and any event has this list drawn up afresh (see changes.ts).
import { derived, derivedSlot } from './changes.js';
import { rows } from './tables.js';
import { TICKS } from './timings.js';
import type { Instance, Snapshot, Volume, World } from './types.js';

export interface Watch {
  /** Instances part-way through a timed transition. */
  transitions: Instance[];
  /** Spot instances with an interruption due, or stopped by one and waiting for room to resume. */
  spot: Instance[];
  /** Instances with a scheduled event still to happen. */
  scheduled: Instance[];
  /** Running instances whose checks are still initializing or whose failing system check may trigger recovery. */
  checks: Instance[];
  /** Volumes being created or modified. */
  volumes: Volume[];
  snapshots: Snapshot[];
}

const slot = derivedSlot<Watch>();

function build(world: World): Watch {
  const watch: Watch = { transitions: [], spot: [], scheduled: [], checks: [], volumes: [], snapshots: [] };
  for (const inst of rows(world.instances)) {
    if (inst.transitionAt !== null) watch.transitions.push(inst);
    if (inst.spot && (inst.spot.interruptAt !== null || (inst.state === 'stopped' && inst.stopReason === 'spot'))) watch.spot.push(inst);
    if (inst.scheduledEvents.length && inst.scheduledEvents.some((e) => e.state === 'active')) watch.scheduled.push(inst);
    // Drawn up after a change, which brings a full pass of the checks in the same tick: only those
    // still settling after this tick need watching.
    if (stillSettling(world, inst)) watch.checks.push(inst);
  }
  for (const v of rows(world.volumes)) if (v.state === 'creating' || (v.modification && v.modification.state !== 'completed')) watch.volumes.push(v);
  for (const s of rows(world.snapshots)) if (s.state === 'pending') watch.snapshots.push(s);
  return watch;
}

/** Running, with checks still initializing or a failing system check that may bring recovery. */
export function stillSettling(world: World, inst: Instance): boolean {
  return inst.state === 'running' && (world.tick - inst.stateSince < TICKS.statusChecksInitializing || inst.checks.systemFailingSince !== null);
}

export function watchOf(world: World): Watch {
  return derived(world, slot, () => build(world));
}
