// Capacity added for a demand surge and kept after it: instances the responders launched for a
// workload while the scenario's surge on it ran, still running when the run ended, long after the
// surge was over, beyond those that only replaced members it lost meanwhile. Where the fleet ended
// over its budget, that is where much of the money went, and the follow-up is to take such
// capacity back (scale in) once the surge has passed.
import type { Session } from '../game/session.js';
import { responders } from '../game/command-log.js';
import { commandInput, subjectsOf } from '../sim/index.js';
import { actInstances, type Act } from './acts.js';
import { surgeWindows } from './surges.js';

export interface SurgeCapacityKept {
  workload: string;
  /** The surge as it ran: its first and last ticks (exclusive) and its multiple of demand. */
  surge: { from: number; to: number; factor: number };
  /** How many more instances than it lost the workload was given while the surge ran, running at the end. */
  kept: number;
  /** Seconds from the surge's end to the run's. */
  keptSeconds: number;
}

const TAKEN_OUT = new Set(['instance-stopped', 'instance-terminated']);

/**
 * For each surge of the run that was over before the run ended, with no other surge on its
 * workload still running then, the capacity the responders added for its workload while it ran
 * (`launch … --workload <it>`) and kept to the end: the instances launched then and running at
 * the end, less the workload's members that stopped or terminated meanwhile and were not running
 * at the end (those launched replaced them). Surges that left none are left out; in the order
 * the surges began.
 */
export function surgeCapacityKept(session: Session, acts: readonly Act[]): SurgeCapacityKept[] {
  const { world, events, tick: end } = session;
  const running = (id: string) => world.instances[id]?.state === 'running';
  const windows = surgeWindows(acts);
  const kept: SurgeCapacityKept[] = [];
  for (const surge of windows) {
    const { workload, from, to } = surge;
    if (to >= end || windows.some((o) => o.workload === workload && o.from < end && end < o.to)) continue;
    const launched = new Set(
      responders(acts)
        .filter((a) => a.outcome === 'applied' && a.tick >= from && a.tick < to)
        .filter((a) => commandInput(a.command, 'launch')?.workload === workload)
        .flatMap((a) => actInstances(a)),
    );
    const added = [...launched].filter(running).length;
    const lost = new Set(
      events
        .filter((e) => TAKEN_OUT.has(e.kind) && e.tick >= from && e.tick < to)
        .flatMap(subjectsOf)
        .filter((id) => !launched.has(id) && world.instances[id]?.workload === workload && !running(id)),
    );
    if (added > lost.size)
      kept.push({
        workload,
        surge: { from, to, factor: surge.factor },
        kept: added - lost.size,
        keptSeconds: end - to,
      });
  }
  return kept;
}
