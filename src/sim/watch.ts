// The entities a quiet second must look at: those with a timer running (a transition, a Spot
// notice, a scheduled event, a volume being created or modified, a snapshot in progress) and those
// whose status checks are still settling. Everything else stays as it is until it is touched (see
// changes.ts), and then only what was touched is looked at again.
import { instanceType } from './catalogue.js';
import { beyondReach, byLaunch, derivedSlot, maintained, stillListed, type Touched } from './changes.js';
import { resorted } from './sorted.js';
import { rows } from './tables.js';
import { TICKS, withinDay } from './timings.js';
import type { Host, Instance, ScheduledEvent, Snapshot, Tick, Volume, World } from './types.js';

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

type InstanceList = 'transitions' | 'spot' | 'scheduled' | 'checks';

const isActive = (e: ScheduledEvent) => e.state === 'active';

const INSTANCE_LISTS: Record<InstanceList, (world: World, inst: Instance) => boolean> = {
  transitions: (_, inst) => inst.transitionAt !== null,
  spot: (_, inst) =>
    !!inst.spot && (inst.spot.interruptAt !== null || (inst.state === 'stopped' && inst.stopReason === 'spot')),
  scheduled: (_, inst) => inst.scheduledEvents.some(isActive),
  // Health looks at every touched instance in the tick it was touched, and drops from this list
  // those whose checks have settled.
  checks: (world, inst) => stillSettling(world, inst),
};

const LIST_NAMES: readonly InstanceList[] = Object.freeze(Object.keys(INSTANCE_LISTS) as InstanceList[]);

const timedVolume = (v: Volume) => v.state === 'creating' || (!!v.modification && v.modification.state !== 'completed');
const pendingSnapshot = (s: Snapshot) => s.state === 'pending';
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const slot = derivedSlot<Watch>('watch lists');

function build(world: World): Watch {
  const watch: Watch = { transitions: [], spot: [], scheduled: [], checks: [], volumes: [], snapshots: [] };
  // This runs once for each of a region's million instances, mostly before V8 has optimized it:
  // indexed loops (an iterator there allocates a record at every step), and each list's test and
  // the list itself at hand by place, not looked up by name for each instance.
  const tests = LIST_NAMES.map((list) => INSTANCE_LISTS[list]);
  const lists = LIST_NAMES.map((list) => watch[list]);
  const instances = rows(world, 'instances');
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    for (let l = 0; l < tests.length; l++) if (tests[l]!(world, inst)) lists[l]!.push(inst);
  }
  watch.volumes = rows(world, 'volumes').filter(timedVolume).sort(byId);
  watch.snapshots = rows(world, 'snapshots').filter(pendingSnapshot).sort(byId);
  return watch;
}

function update(world: World, watch: Watch, touched: Touched): void {
  // What reaches an instance decides none of these lists.
  const instances = beyondReach(touched);
  if (instances.size) {
    const listed = stillListed(world, instances);
    for (const list of LIST_NAMES) {
      watch[list] = resorted(
        watch[list],
        instances,
        listed.filter((inst) => INSTANCE_LISTS[list](world, inst)),
        byLaunch,
      );
    }
  }
  if (touched.volumes.size) {
    const added = [...touched.volumes].filter((v) => world.volumes[v.id] === v && timedVolume(v));
    watch.volumes = resorted(watch.volumes, touched.volumes, added, byId);
  }
  if (touched.snapshots.size) {
    watch.snapshots = resorted(
      watch.snapshots,
      touched.snapshots,
      [...touched.snapshots].filter(pendingSnapshot),
      byId,
    );
  }
}

/**
 * Simplified automatic recovery (EC2 User Guide, "Automatic instance recovery"): not for bare
 * metal types, nor for an instance with instance store volumes. Such an instance on failed
 * hardware waits for its operator.
 */
export function canAutoRecover(inst: Instance): boolean {
  return inst.autoRecovery && inst.instanceStore === null && !instanceType(inst.type)!.metal;
}

/**
 * Automatic recovery acts on at most three failures of an instance a day (EC2 User Guide,
 * "Troubleshoot instance recovery failures": "The automatic recovery process attempts to recover
 * your instance for up to three separate failures per day"); the day is a rolling 24 hours here,
 * this simulation's reading of it.
 */
export const RECOVERIES_PER_DAY = 3;

/** The instance's recoveries within the last 24 hours (see RECOVERIES_PER_DAY). */
export function recentRecoveries(world: World, inst: Instance): readonly Tick[] {
  return withinDay(inst.recoveries ?? [], world.tick);
}

/** Whether automatic recovery last moved `inst` at `tick`: its checks and guest come back after, together with the others it moved then. */
export const recoveredAt = (inst: Instance, tick: Tick): boolean => inst.recoveries?.at(-1) === tick;

/** How many more failures automatic recovery would act on today. */
export const recoveriesLeft = (world: World, inst: Instance): number =>
  RECOVERIES_PER_DAY - recentRecoveries(world, inst).length;

/**
 * Seconds a failed host has failed an instance's system check, `failingSince` the check's: the
 * clock recovery acts on at TICKS.recoveryAfter. It answers the host's failure, so a check its
 * zone's impairment failed earlier starts it no sooner.
 */
export const hostFailedFor = (world: World, host: Host, failingSince: Tick): number =>
  world.tick - Math.max(failingSince, host.healthSince);

/**
 * Running, with checks still initializing, or failing on a failed host in a way that recovery will
 * act on once it has lasted long enough. A zone's impairment alone never brings recovery, so its
 * instances' checks hold until the zone is restored (an event).
 */
export function stillSettling(world: World, inst: Instance): boolean {
  if (inst.state !== 'running') return false;
  if (world.tick - inst.stateSince < TICKS.statusChecksInitializing) return true;
  const since = inst.checks.systemFailingSince;
  const host = world.hosts[inst.hostId!]!;
  // Watched until recovery acts, or until it would have and the day's allowance is spent (told then).
  return (
    since !== null &&
    host.health === 'failed' &&
    canAutoRecover(inst) &&
    (hostFailedFor(world, host, since) < TICKS.recoveryAfter || recoveriesLeft(world, inst) > 0)
  );
}

/** Drops from a list the instances it no longer concerns once its system has acted on them: those whose change no event told. */
export function pruneWatch(world: World, list: InstanceList): void {
  const watch = watchOf(world);
  watch[list] = watch[list].filter((inst) => INSTANCE_LISTS[list](world, inst));
}

export function watchOf(world: World): Watch {
  return maintained(
    world,
    slot,
    () => build(world),
    (watch, touched) => update(world, watch, touched),
  );
}
