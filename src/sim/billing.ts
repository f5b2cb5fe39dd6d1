// Charges by the second: running instances at their on-demand or current Spot price, volumes for
// what they provision whatever their instance's state. Stopped instances cost nothing themselves.
import { instanceType } from './catalogue.js';
import { SECONDS_PER_HOUR } from './timings.js';
import type { World } from './types.js';
import { HOURS_PER_MONTH, monthlyMicros } from './volume-types.js';
import { rows } from './tables.js';

export function billSecond(world: World): void {
  for (const inst of rows(world.instances)) {
    if (inst.state !== 'running' && inst.state !== 'rebooting') continue;
    const perHour = inst.spot ? world.spotPools[inst.spot.poolKey]!.priceMicros : instanceType(inst.type)!.onDemandMicrosPerHour;
    const charge = perHour / SECONDS_PER_HOUR;
    inst.costMicros += charge;
    if (inst.spot) world.ledger.spotMicros += charge;
    else world.ledger.onDemandMicros += charge;
  }
  for (const v of rows(world.volumes)) {
    const charge = monthlyMicros(v) / (HOURS_PER_MONTH * SECONDS_PER_HOUR);
    v.costMicros += charge;
    world.ledger.ebsMicros += charge;
  }
}
