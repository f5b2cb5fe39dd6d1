// Instance network bandwidth: each type's allowances, the "up to" burst bucket, the ENA counters,
// and a workload's responses turned into traffic that fails when it does not fit.
import test from 'ava';
import {
  enaCounters,
  internetMbps,
  networkAllowance,
  networkBalancePct,
  NETWORK_BURST_SECONDS,
  newNetworkSecond,
  requestTraffic,
  newTraffic,
  resetAllowanceCounters,
  shapeSecond,
} from '../../src/sim/bandwidth.js';
import { instanceType, type Workload } from '../../src/sim/index.js';
import { apply, named, run, testSession } from '../helpers/world.js';

const spec = (type: string) => instanceType(type)!;

test("a type's allowances come from its 'baseline / up to' figures; the internet gateway holds small sizes to 5 Gbps", (t) => {
  const large = networkAllowance(spec('m6i.large'));
  t.deepEqual([large.baselineMbps, large.burstMbps], [781, 12500]);
  t.is(large.bucketMegabits, (12500 - 781) * NETWORK_BURST_SECONDS);
  t.is(internetMbps(spec('m6i.large')), 5000);
  const big = networkAllowance(spec('m6i.32xlarge'));
  t.deepEqual([big.baselineMbps, big.burstMbps, big.bucketMegabits], [50000, 50000, 0]);
  t.is(internetMbps(spec('m6i.32xlarge')), 25000);
});

test('a response of 1 MiB is 1,448-byte segments out to the internet and one ACK in for every two', (t) => {
  const wl = { kind: 'web', public: true, responseKiB: 1024 } as Workload;
  const traffic = requestTraffic(wl, newTraffic());
  t.is(traffic.outPackets, Math.ceil((1024 * 1024) / 1448));
  t.is(traffic.inPackets, 1 + Math.ceil(traffic.outPackets / 2));
  t.true(traffic.outMegabits > 8.39 && traffic.outMegabits < 8.8, String(traffic.outMegabits));
  // A workload with no response size puts nothing on the network.
  t.is(requestTraffic({ kind: 'database', public: false } as Workload, newTraffic()).outPackets, 0);
});

test('an instance bursts to its "up to" figure for 30 minutes, then shapes to baseline and counts what it drops', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const inst = named(world, 'web');
  // Inside the VPC (no gateway limit), asking the full 12.5 Gbps out.
  const wl = { kind: 'stream', public: false, responseKiB: 1024 } as Workload;
  const perRequest = requestTraffic(wl, newTraffic()).outMegabits;
  const rps = 12500 / perRequest;
  const f = newNetworkSecond();
  let full = 0;
  for (let s = 0; s < 1900; s++) if (shapeSecond(world, inst, wl, rps, f).served === 1) full++;
  t.true(Math.abs(full - 1800) <= 1, `burst lasted ${full} s`);
  t.is(networkBalancePct(inst), 0);
  t.true(Math.abs(f.served - 781 / 12500) < 1e-9, String(f.served));
  const counters = enaCounters(inst);
  t.true(counters.bw_out_allowance_exceeded > 0);
  t.is(counters.pps_allowance_exceeded, 0);
  t.is(counters.conntrack_allowance_exceeded, 0);
  // Under baseline it earns the bucket back in a day; a guest's restart zeroes the counters, not the bucket.
  shapeSecond(world, inst, wl, 100 / perRequest, f);
  t.true(Math.abs(networkBalancePct(inst) - 100 / 86400) < 1e-9);
  resetAllowanceCounters(inst);
  t.is(enaCounters(inst).bw_out_allowance_exceeded, 0);
  t.true(networkBalancePct(inst) > 0 && networkBalancePct(inst) < 1);
});

test('small responses meet the packets-per-second allowance before the bandwidth one', (t) => {
  const { world } = testSession({ fleet: [{ name: 'dns', type: 'c6i.large', zone: 'use1-az1' }] });
  const inst = named(world, 'dns');
  const wl = { kind: 'web', public: false, responseKiB: 0.25 } as Workload;
  const f = shapeSecond(world, inst, wl, 1_500_000, newNetworkSecond());
  t.true(f.fitPps < 1 && f.fitOut === 1 && f.fitIn === 1);
  t.true(enaCounters(inst).pps_allowance_exceeded > 0);
  t.is(enaCounters(inst).bw_out_allowance_exceeded, 0);
});

test('a web tier asked for more bytes than its baseline fails the excess once its bucket is spent, on low CPU', (t) => {
  const { world } = testSession({
    workloads: [{ name: 'media', kind: 'web', responseKiB: 1024, iopsPerRequest: 0, demand: { baseRps: 130 } }],
    securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
    fleet: [
      {
        name: 'media',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'media',
        securityGroups: ['web'],
        networkBurstBalance: 0.1,
      },
    ],
  });
  run(world, 200);
  const wl = world.workloads.media!;
  // 130 requests of 1 MiB a second ask about 1.13 Gbps of a 0.781 Gbps baseline; CPU is 65% busy.
  t.true(
    Math.abs(wl.last.servedRps - 781 / requestTraffic(wl, newTraffic()).outMegabits) < 0.01,
    String(wl.last.servedRps),
  );
  t.true(wl.last.errorRps > 35);
  t.true(enaCounters(named(world, 'media')).bw_out_allowance_exceeded > 0);
  // A type with twice the baseline serves it all, from a full bucket.
  apply(world, 'stop media');
  run(world, 120);
  // A stop, or a change to the same type, keeps what was spent.
  apply(world, 'modify-instance-type media m6i.large');
  t.true(networkBalancePct(named(world, 'media')) < 1);
  apply(world, 'modify-instance-type media c6i.xlarge', 'start media');
  run(world, 120);
  t.is(wl.last.errorRps, 0);
  t.is(networkBalancePct(named(world, 'media')), 100);
});
