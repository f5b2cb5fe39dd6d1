// A region that looks like production, written in the level format so the benchmark measures the
// code paths players take. Every rack of 20 m6i hosts (128 vCPU each, 2,560 vCPU in all) carries:
//   112 web m6i.4xlarge on their gp3 root volumes;
//    20 database m6i.4xlarge with a gp3 data volume of 500 GiB and 6,000 IOPS;
//    20 database m6i.4xlarge with a gp2 data volume of 700–1,000 GiB, 30–100% burst balance left;
//    64 Spot m6i.large web instances (interruption: stop), in pools with 12% spare capacity that
//       drifts by up to 3% a minute.
// That fills the rack's vCPU exactly. Demand follows the hour of day, 0.35 at 04:00 to 1.0 from
// 15:00 to 17:00, with noise 0.1; at the peak the web tier runs at 75% CPU and the database serves
// 80 requests per vCPU (160 IOPS per vCPU, 2,560 per instance): more than a gp2 volume under
// 854 GiB sustains (3 IOPS per GiB), so those drain their burst credits in the afternoon.
// Sizes and balances come from a counter, not a random draw, so the fleet is the same every run.
import { parseLevel, type Level } from '../src/game/level.js';
import { spreadOverVpcs } from './vpcs.js';

const ZONES = [
  { name: 'us-east-1a', id: 'use1-az1' },
  { name: 'us-east-1b', id: 'use1-az2' },
  { name: 'us-east-1c', id: 'use1-az4' },
];
export const HOSTS_PER_RACK = 20;
/** Instances on one rack of 20 hosts, by role. */
export const PER_RACK = { web: 112, dbGp3: 20, dbGp2: 20, spot: 64 } as const;
export const INSTANCES_PER_RACK = PER_RACK.web + PER_RACK.dbGp3 + PER_RACK.dbGp2 + PER_RACK.spot;
/** A fleet entry launches at most 100 instances. */
const PER_ENTRY = 100;
/** gp2 volumes come in small entries so their sizes and burst balances vary across the fleet. */
const GP2_PER_ENTRY = 5;
const SPARE_SPOT = 0.12;
const DRIFT_PER_MINUTE = 0.03;
/** Share of peak demand at 00:00, 01:00, … 23:00: lowest at 04:00, flat at the top 15:00–17:00. */
export const HOURLY = [
  0.5, 0.45, 0.4, 0.37, 0.35, 0.37, 0.42, 0.5, 0.6, 0.7, 0.78, 0.85, 0.9, 0.94, 0.98, 1, 1, 1, 0.95, 0.88, 0.8, 0.7,
  0.62, 0.55,
];
const WEB_CPU_AT_PEAK = 0.75;
const WEB_RPS_PER_VCPU = 100;
const DB_RPS_PER_VCPU_AT_PEAK = 80;
const VCPU = { 'm6i.4xlarge': 16, 'm6i.large': 2 } as const;

function chunks(total: number, size: number): number[] {
  const out: number[] = [];
  for (let left = total; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

/** The afternoon peak the benchmarks start from: demand at its highest, gp2 volumes draining. */
export const PEAK_START = '2026-03-02T15:00:00Z';

/** The realistic region of `hosts` hosts (a multiple of 20), starting at `start` for `duration`. */
export function realisticLevel(
  hosts: number,
  start = '2026-03-02T00:00:00Z',
  duration: string | number = '24h',
): Level {
  if (!Number.isInteger(hosts) || hosts < HOSTS_PER_RACK || hosts % HOSTS_PER_RACK !== 0) {
    throw new Error(`hosts: expected a multiple of ${HOSTS_PER_RACK}, got ${hosts}`);
  }
  const racks = hosts / HOSTS_PER_RACK;
  const racksIn = ZONES.map((_, i) => Math.floor(racks / ZONES.length) + (i < racks % ZONES.length ? 1 : 0));
  const fleet: unknown[] = [];
  let gp2 = 0;
  ZONES.forEach((zone, z) => {
    const n = racksIn[z]!;
    // The large instances first, so each host's leftover vCPU is whole m6i.large slots.
    chunks(PER_RACK.web * n, PER_ENTRY).forEach((count, i) =>
      fleet.push({
        name: `web-${zone.id}-${i}`,
        type: 'm6i.4xlarge',
        zone: zone.id,
        count,
        workload: 'web',
        securityGroups: ['web'],
      }),
    );
    chunks(PER_RACK.dbGp3 * n, PER_ENTRY).forEach((count, i) =>
      fleet.push({
        name: `db-gp3-${zone.id}-${i}`,
        type: 'm6i.4xlarge',
        zone: zone.id,
        count,
        workload: 'db',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'gp3', size: 500, iops: 6000 },
      }),
    );
    chunks(PER_RACK.dbGp2 * n, GP2_PER_ENTRY).forEach((count, i) => {
      // Spread sizes over 700–1,000 GiB and balances over 30–100% by two co-prime counters.
      const size = 700 + ((gp2 * 37) % 301);
      const burstBalance = 30 + ((gp2 * 23) % 71);
      gp2++;
      fleet.push({
        name: `db-gp2-${zone.id}-${i}`,
        type: 'm6i.4xlarge',
        zone: zone.id,
        count,
        workload: 'db',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'gp2', size, burstBalance },
      });
    });
    chunks(PER_RACK.spot * n, PER_ENTRY).forEach((count, i) =>
      fleet.push({
        name: `spot-${zone.id}-${i}`,
        type: 'm6i.large',
        zone: zone.id,
        count,
        workload: 'web',
        securityGroups: ['web'],
        spot: true,
        interruption: 'stop',
      }),
    );
  });
  const spotPools = ZONES.map((zone, z) => {
    const capacity = Math.round(PER_RACK.spot * racksIn[z]! * (1 + SPARE_SPOT));
    return {
      type: 'm6i.large',
      zone: zone.id,
      capacity,
      volatility: Math.max(1, Math.round(capacity * DRIFT_PER_MINUTE)),
    };
  });
  const webVcpu = racks * (PER_RACK.web * VCPU['m6i.4xlarge'] + PER_RACK.spot * VCPU['m6i.large']);
  const dbVcpu = racks * (PER_RACK.dbGp3 + PER_RACK.dbGp2) * VCPU['m6i.4xlarge'];
  const { vpcs, securityGroups } = spreadOverVpcs(fleet as Parameters<typeof spreadOverVpcs>[0], ZONES, [
    { name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
    { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/8' }] },
  ]);
  const level = {
    schema: 'fleetops/level@1',
    id: `realistic-${hosts}`,
    title: `A production-like region, ${hosts} hosts`,
    briefing:
      'Web and database tiers on m6i, gp2 and gp3 volumes, Spot capacity that drifts, demand that follows the day.',
    start,
    duration,
    region: 'us-east-1',
    zones: ZONES,
    racks: ZONES.map((zone, z) => ({
      zone: zone.id,
      family: 'm6i',
      racks: racksIn[z]!,
      hostsPerRack: HOSTS_PER_RACK,
    })).filter((r) => r.racks > 0),
    spotPools,
    workloads: [
      {
        name: 'web',
        kind: 'web',
        rpsPerVcpu: WEB_RPS_PER_VCPU,
        demand: { baseRps: Math.round(webVcpu * WEB_RPS_PER_VCPU * WEB_CPU_AT_PEAK), hourly: HOURLY, noise: 0.1 },
      },
      {
        name: 'db',
        kind: 'database',
        demand: { baseRps: dbVcpu * DB_RPS_PER_VCPU_AT_PEAK, hourly: HOURLY, noise: 0.1 },
      },
    ],
    securityGroups,
    vpcs,
    fleet,
  };
  return parseLevel(JSON.stringify(level), level.id);
}
