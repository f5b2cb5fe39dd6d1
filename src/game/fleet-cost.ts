// What a fleet costs to keep as it is: the yardstick for a level's default budget.
import {
  PUBLIC_IPV4_MICROS_PER_HOUR,
  publicIpv4Count,
  availableNatGateways,
  NAT_GATEWAY_MICROS_PER_HOUR,
  instanceType,
  type World,
  HOURS_PER_MONTH,
  monthlyMicros,
  rows,
} from '../sim/index.js';

/** Cost in USD of running the world's current instances, volumes, public addresses and NAT gateways for `seconds`. */
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
  microsPerHour += availableNatGateways(world) * NAT_GATEWAY_MICROS_PER_HOUR;
  return (microsPerHour * seconds) / 3600 / 1e6;
}
