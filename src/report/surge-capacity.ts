// Capacity added for a demand surge and kept after it: instances the responders launched for a
// workload while the scenario's surge on it ran, still running when the run ended, long after the
// surge was over, as far as the workload ended larger than it began the surge. Where the fleet ended
// over its budget, that is where much of the money went, and the follow-up is to take such
// capacity back (scale in) once the surge has passed.
import type { Session } from '../game/session.js';
import { responders } from '../game/command-log.js';
import { commandInput, rows, subjectsOf } from '../sim/index.js';
import { actInstances, type Act } from './acts.js';
import { actAt, runningBefore } from './causes.js';
import { surgeWindows } from './surges.js';

export interface SurgeCapacityKept {
  workload: string;
  /** The surge as it ran: its first and last ticks (exclusive) and its multiple of demand. */
  surge: { from: number; to: number; factor: number };
  /** How many more instances the workload ran at the end than before the surge, all launched for it during the surge. */
  kept: number;
  /** Seconds from the surge's end to the run's. */
  keptSeconds: number;
}

/**
 * For each surge of the run that was over before the run ended, with no surge on its workload
 * running in the last second, the capacity the responders added for its workload while it ran
 * (`launch … --workload <it>`) and kept to the end: the instances launched then and running at
 * the end, but no more than the workload's running instances grew by from the surge's start to
 * the end (a launch that replaced a member lost, or one scaled in for later, is no capacity
 * kept). An instance purged since it terminated, its workload unknown, is counted as the
 * workload's at the surge's start. Surges that left none are left out; in the order they began.
 */
export function surgeCapacityKept(session: Session, acts: readonly Act[]): SurgeCapacityKept[] {
  const { world, events, tick: end } = session;
  const running = (id: string) => world.instances[id]?.state === 'running';
  const windows = surgeWindows(acts);
  const kept: SurgeCapacityKept[] = [];
  for (const surge of windows) {
    const { workload, from, to } = surge;
    if (to >= end || windows.some((o) => o.workload === workload && o.from < end && end <= o.to)) continue;
    const added = responders(acts)
      .filter((a) => a.outcome === 'applied' && a.tick >= from && a.tick < to)
      .filter((a) => commandInput(a.command, 'launch')?.workload === workload)
      .flatMap((a) => actInstances(a))
      .filter(running).length;
    // The surge's own command's events mark where it began in the event log.
    const at = actAt(session, surge.act);
    const members = rows(world, 'instances').filter((i) => i.workload === workload);
    const before =
      // Launched before it (the level's own fleet at the start), and running as it began.
      members.filter((i) => (i.launchedAt < from || i.launchedAt === 0) && runningBefore(session, i.id, at)).length +
      new Set(
        events
          .filter((e) => e.kind === 'instance-terminated' && e.tick >= from)
          .flatMap(subjectsOf)
          .filter((id) => !world.instances[id]),
      ).size;
    const grew = members.filter((i) => i.state === 'running').length - before;
    const count = Math.min(added, grew);
    if (count > 0)
      kept.push({ workload, surge: { from, to, factor: surge.factor }, kept: count, keptSeconds: end - to });
  }
  return kept;
}
