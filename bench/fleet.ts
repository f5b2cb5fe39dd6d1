// Benchmark fleets: a region of N hosts, about 8 instances and 10 volumes per host, workloads on,
// written in the level format players use so the benchmark measures the real code paths.
import { parseLevel, type Level } from '../src/game/level.js';
import { spreadOverVpcs } from './vpcs.js';

const ZONES = [
  { name: 'us-east-1a', id: 'use1-az1' },
  { name: 'us-east-1b', id: 'use1-az2' },
  { name: 'us-east-1c', id: 'use1-az4' },
];
const HOSTS_PER_RACK = 20;
/** m6i hosts hold 128 vCPU: eight m6i.4xlarge (16 vCPU) fill one exactly. */
const INSTANCES_PER_HOST = 8;
const PER_ENTRY = 100;

export function benchLevel(hosts: number, duration = '1h'): Level {
  // Whole racks, spread over the zones as evenly as they go: never more hosts than asked for.
  const racks = Math.ceil(hosts / HOSTS_PER_RACK);
  const racksIn = ZONES.map((_, i) => Math.floor(racks / ZONES.length) + (i < racks % ZONES.length ? 1 : 0));
  const fleet: unknown[] = [];
  ZONES.forEach((zone, z) => {
    const perZone = racksIn[z]! * HOSTS_PER_RACK * INSTANCES_PER_HOST;
    for (let placed = 0, n = 0; placed < perZone; n++) {
      const count = Math.min(PER_ENTRY, perZone - placed);
      // One instance in four is a database with a data volume: 8 roots + 2 data volumes per host.
      const db = n % 4 === 0;
      fleet.push({
        name: `${db ? 'db' : 'web'}-${zone.id}-${n}`,
        type: 'm6i.4xlarge',
        zone: zone.id,
        count,
        workload: db ? 'db' : 'web',
        securityGroups: [db ? 'db' : 'web'],
        ...(db ? { publicIp: false, volume: { type: 'gp3', size: 500, iops: 6000 } } : {}),
      });
      placed += count;
    }
  });
  const { vpcs, securityGroups } = spreadOverVpcs(fleet as Parameters<typeof spreadOverVpcs>[0], ZONES, [
    { name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
    { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/8' }] },
  ]);
  const level = {
    schema: 'fleetops/level@1',
    id: `bench-${hosts}`,
    title: `Benchmark region, ${hosts} hosts`,
    briefing: 'A large region for measuring the model.',
    start: '2026-03-02T09:00:00Z',
    duration,
    region: 'us-east-1',
    zones: ZONES,
    racks: ZONES.map((z, i) => ({ zone: z.id, family: 'm6i', racks: racksIn[i]!, hostsPerRack: HOSTS_PER_RACK })),
    spotPools: ZONES.map((z) => ({ type: 'm6i.large', zone: z.id, capacity: 500, volatility: 5 })),
    workloads: [
      { name: 'web', kind: 'web', demand: { baseRps: hosts * 6 * 16 * 60, noise: 0.05 } },
      { name: 'db', kind: 'database', demand: { baseRps: hosts * 2 * 16 * 110, noise: 0.05 } },
    ],
    securityGroups,
    vpcs,
    fleet,
  };
  return parseLevel(JSON.stringify(level), `bench-${hosts}`);
}
