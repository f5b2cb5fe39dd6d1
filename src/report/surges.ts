// The scenario's demand surges as they ran. A workload has one surge at a time (surgeDemand in
// sim/faults.ts sets it): a later one replaces it, whatever was left of the first, and one of
// factor 1 ends it. A surge's own `--for` is how long it would have run, not how long it did.
import { commandInput } from '../sim/index.js';
import type { Act } from './acts.js';

export interface SurgeWindow {
  workload: string;
  /** The ticks it ran: demand times `factor` from `from` until `to`, exclusive. */
  from: number;
  to: number;
  factor: number;
  /** The `surge-demand` that set it. */
  act: Act;
}

/** Each applied surge of more than its workload's usual demand, over the ticks it ran; in the order they began. */
export function surgeWindows(acts: readonly Act[]): SurgeWindow[] {
  const applied = acts.flatMap((act) => {
    const input = act.outcome === 'applied' ? commandInput(act.command, 'surge-demand') : null;
    return input ? [{ act, input }] : [];
  });
  return applied.flatMap(({ act, input }, i) => {
    const next = applied.slice(i + 1).find((o) => o.input.workload === input.workload);
    const to = Math.min(act.tick + input.for, next?.act.tick ?? Infinity);
    return input.factor > 1 && to > act.tick
      ? [{ workload: input.workload, from: act.tick, to, factor: input.factor, act }]
      : [];
  });
}
