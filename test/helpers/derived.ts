// Everything the model derives from a world, in terms of ids and in the order it walks them: what
// the tests compare between a world kept up to date and a copy drawn up afresh.
import { countedInstances, enaCounted } from '../../src/sim/bandwidth.js';
import { fleetRates } from '../../src/sim/billing.js';
import { dataVolumes } from '../../src/sim/data-volumes.js';
import type { World } from '../../src/sim/index.js';
import { rosterOf, type Unit } from '../../src/sim/roster.js';
import { spotPoolUsage } from '../../src/sim/spot-pool-usage.js';
import { watchOf } from '../../src/sim/watch.js';

const ids = (list: Iterable<{ id: string }>) => [...list].map((x) => x.id);
const unitName = (u: Unit) => u.instance?.id ?? u.volumes[0]!.id;

/** Everything derived from a world, in terms of ids, in the order the model walks it. */
export function derivedData(world: World) {
  const watch = watchOf(world);
  const roster = rosterOf(world);
  const rates = fleetRates(world);
  return {
    watch: Object.fromEntries(Object.entries(watch).map(([list, entries]) => [list, ids(entries as { id: string }[])])),
    teams: roster.teams.map((team) => ({
      workload: team.workload.name,
      members: team.byThreshold.map((m) => [
        unitName(m.unit),
        m.vcpu,
        m.data?.id ?? null,
        m.threshold,
        m.diskLatencyMs,
      ]),
      totalVcpu: team.totalVcpu,
      resting: [...team.restingVcpu].filter(([, vcpu]) => vcpu !== 0).sort((a, b) => a[0] - b[0]),
    })),
    units: [...roster.unitOf.values(), ...roster.looseUnits.values()]
      .map((u) => [unitName(u), ids(u.volumes), u.order, u.running, u.atRest, u.rates, u.ebs])
      .sort(),
    restless: [...roster.restless].map(unitName).sort(),
    storeFillers: ids(roster.storeFillers).sort(),
    running: roster.running,
    spot: [...spotPoolUsage(world)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, p]) => [key, ids(p.users), ids(p.holders), p.lowestMaxMicros, p.unadvised]),
    dataVolumes: ids(dataVolumes(world)).sort(),
    enaCounted: ids([...countedInstances(world)].filter((i) => world.instances[i.id] === i && enaCounted(i))).sort(),
    rates: { ...rates, spotHolders: [...rates.spotHolders].filter(([, n]) => n !== 0).sort() },
  };
}
