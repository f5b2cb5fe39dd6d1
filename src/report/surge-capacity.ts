// Capacity added for a demand surge and kept after it: instances the responders launched for a
// workload while the scenario's surge on it ran, still running when the run ended, long after the
// surge was over. Where the fleet ended over its budget, that is where much of the money went, and
// the follow-up is to take such capacity back (scale in) once the surge has passed.
import type { Session } from '../game/session.js';
import { responders } from '../game/command-log.js';
import { commandInput } from '../sim/index.js';
import { actInstances, type Act } from './acts.js';

export interface SurgeCapacityKept {
  workload: string;
  /** The surge: when it began and ended (ticks), and its multiple of demand. */
  surge: { from: number; to: number; factor: number };
  /** Instances launched for the workload while it ran, running at the end, in launch order. */
  instances: string[];
  /** Seconds from the surge's end to the run's. */
  keptSeconds: number;
}

/**
 * For each surge of the run that ended before the run did, the instances the responders launched
 * for its workload while it ran (`launch … --workload <it>`) that were running at the end; surges
 * that left none are left out. In the order the surges began.
 */
export function surgeCapacityKept(session: Session, acts: readonly Act[]): SurgeCapacityKept[] {
  const { world, tick: end } = session;
  const kept: SurgeCapacityKept[] = [];
  for (const act of acts) {
    const surge = act.outcome === 'applied' ? commandInput(act.command, 'surge-demand') : null;
    if (!surge || act.tick + surge.for >= end) continue;
    const to = act.tick + surge.for;
    const instances = responders(acts)
      .filter((a) => a.outcome === 'applied' && a.tick >= act.tick && a.tick < to)
      .filter((a) => commandInput(a.command, 'launch')?.workload === surge.workload)
      .flatMap((a) => actInstances(a))
      .filter((id) => world.instances[id]?.state === 'running');
    if (instances.length)
      kept.push({
        workload: surge.workload,
        surge: { from: act.tick, to, factor: surge.factor },
        instances,
        keptSeconds: end - to,
      });
  }
  return kept;
}
