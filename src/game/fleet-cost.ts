// What a fleet costs to keep as it is: the yardstick for a level's default budget, and the bill
// a projected score counts for the seconds still to play.
import { type World, fleetMicrosPerHour } from '../sim/index.js';

/** Cost in USD of billing the world's fleet as it stands for `seconds`, as the ledger would (billing.ts). */
export function fleetCostUsd(world: World, seconds: number): number {
  return (fleetMicrosPerHour(world) * seconds) / 3600 / 1e6;
}
