// What a fleet costs to keep as it is: the yardstick for a level's default budget.
import {
  PUBLIC_IPV4_MICROS_PER_HOUR,
  publicIpv4Count,
  instanceType,
  type World,
  HOURS_PER_MONTH,
  monthlyMicros,
  rows,
} from '../sim/index.js';

/** Cost in USD of running the world's current instances, volumes and public addresses for `seconds`. */
export function fleetCostUsd(world: World, seconds: number): number {
  let microsPerHour = 0;
  for (const inst of rows(world, 'instances')) {
    if (inst.state !== 'running' && inst.state !== 'pending') continue;
    microsPerHour += inst.spot
      ? world.spotPools[inst.spot.poolKey]!.priceMicros
      : instanceType(inst.type)!.onDemandMicrosPerHour;
  }
  for (const id in world.volumes) microsPerHour += monthlyMicros(world.volumes[id]!) / HOURS_PER_MONTH;
  microsPerHour += publicIpv4Count(world) * PUBLIC_IPV4_MICROS_PER_HOUR;
  return (microsPerHour * seconds) / 3600 / 1e6;
}
