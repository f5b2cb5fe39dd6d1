// The alarms a responder can act on before harm: each fires once as it enters ALARM, at the end of a
// simulated minute, names its subject so a script's {subject} can act on it, and fires again only
// after it has been back to OK.
import test from 'ava';
import { ALARM_RULES } from '../../src/game/alarms.js';
import { Session, type SessionSnapshot } from '../../src/game/session.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { saturatingDatabase, testSession } from '../helpers/world.js';

const fired = (s: Session, kind: string) => s.events.filter((e) => e.kind === kind);
const name = (s: Session, id: string) => s.world.instances[id]?.name ?? s.world.volumes[id]?.name ?? id;

/** A database whose gp2 volume and instance start with their burst buckets low (10% and 5%), serving as they drain. */
const lowBalances = () =>
  testSession({
    workloads: [{ name: 'db', kind: 'database', iopsPerRequest: 5, demand: { baseRps: 500, noise: 0 } }],
    fleet: [
      {
        name: 'db-1',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'db',
        ebsBurstBalance: 5,
        volume: { type: 'gp2', size: 200, name: 'orders-data', burstBalance: 10 },
      },
    ],
  });

test('a low gp2 BurstBalance and a low EBSByteBalance% each alarm once, naming the volume and the instance', (t) => {
  const s = lowBalances();
  s.run(ALARM_RULES.periodSeconds - 1);
  t.deepEqual(fired(s, 'burst-balance-low'), [], 'nothing before the first minute ends');
  s.run(10 * ALARM_RULES.periodSeconds);
  const burst = fired(s, 'burst-balance-low');
  t.deepEqual(
    burst.map((e) => [e.tick, name(s, e.subject)]),
    [[ALARM_RULES.periodSeconds - 1, 'orders-data']],
  );
  t.regex(burst[0]!.message, /BurstBalance \d+%, under 20%/);
  t.deepEqual(
    fired(s, 'ebs-balance-low').map((e) => name(s, e.subject)),
    ['db-1'],
  );
});

test('a volume asked for more than its IOPS alarms on the volume; one held back by its instance, on the instance', (t) => {
  const s = testSession({
    securityGroups: [
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
      { name: 'stream', ingress: [{ protocol: 'tcp', port: 9092, cidr: '10.0.0.0/16' }] },
    ],
    workloads: [
      { name: 'db', kind: 'database', iopsPerRequest: 10, demand: { baseRps: 500, noise: 0 } },
      { name: 'scan', kind: 'stream', kibPerRequest: 256, demand: { baseRps: 1500, noise: 0 } },
    ],
    fleet: [
      {
        name: 'db-1',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'db',
        securityGroups: ['db'],
        volume: { type: 'gp3', size: 100, name: 'db-data' },
      },
      {
        name: 'scan-1',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'scan',
        securityGroups: ['stream'],
        ebsBurstBalance: 0,
        volume: { type: 'gp3', size: 500, throughput: 1000, iops: 16000, name: 'scan-data' },
      },
    ],
  });
  s.run(5 * ALARM_RULES.periodSeconds);
  t.deepEqual(
    fired(s, 'volume-performance-exceeded').map((e) => name(s, e.subject)),
    ['db-data'],
  );
  t.deepEqual(
    fired(s, 'instance-ebs-exceeded').map((e) => name(s, e.subject)),
    ['scan-1'],
  );
});

test("a workload's volumes entering ALARM in the same minute are one event listing them; a reaction runs for each", (t) => {
  const s = testSession(saturatingDatabase(4));
  attachScript(s, parseScript('on volume-performance-exceeded modify-volume {subject} --iops 6000\n', 'plan.txt'));
  s.run(2 * ALARM_RULES.periodSeconds);
  const [told, ...more] = fired(s, 'volume-performance-exceeded');
  t.deepEqual(more, [], 'one event for the four volumes');
  const volumes = Object.values(s.world.volumes)
    .filter((v) => v.dataset === 'db')
    .map((v) => v.id)
    .sort();
  t.is(told!.subject, 'db');
  t.deepEqual(told!.volumeIds, volumes, 'each volume, in id order');
  t.deepEqual(told!.data, { metric: 'VolumeIOPSExceededCheck', volumes: 4 });
  t.regex(
    told!.message,
    /^db: 4 volumes at VolumeIOPSExceededCheck \/ VolumeThroughputExceededCheck 1: each asked for more than its limits; I\/O queues: vol-\w+, vol-\w+, vol-\w+ and 1 more$/,
  );
  t.deepEqual(
    volumes.map((id) => s.world.volumes[id]!.modification?.target.iops ?? s.world.volumes[id]!.iops),
    [6000, 6000, 6000, 6000],
    'the reaction ran for every volume listed',
  );
});

test("a workload's CPU alarm needs three minutes at 80%, and fires again only after it has been OK", (t) => {
  const minute = ALARM_RULES.periodSeconds;
  const s = testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 300, noise: 0 } }],
    fleet: [
      { name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1', workload: 'web', securityGroups: ['default'] },
    ],
    injects: [
      { at: '5m', command: 'surge-demand web 1.2 --for 10m' },
      { at: '25m', command: 'surge-demand web 1.2 --for 10m' },
    ],
  });
  s.run(7 * minute + 30);
  t.deepEqual(fired(s, 'cpu-utilization-high'), [], 'at 75% nothing; at 90%, two minutes are not enough');
  s.run(40 * minute);
  const alarms = fired(s, 'cpu-utilization-high');
  t.deepEqual(
    alarms.map((e) => e.tick),
    [8 * minute - 1, 28 * minute - 1],
  );
  t.is(alarms[0]!.subject, 'web');
  t.regex(alarms[0]!.message, /average CPUUtilization 90% over 2 instances/);
});

test('the advisor flags a data volume without a snapshot once, and not one that has a snapshot', (t) => {
  const s = testSession({
    workloads: [{ name: 'db', kind: 'database', demand: { baseRps: 10, noise: 0 } }],
    fleet: [
      {
        name: 'db-1',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'db',
        volume: { type: 'gp3', size: 10, name: 'db-data' },
      },
      { name: 'web-1', type: 'm6i.large', zone: 'use1-az1' },
    ],
  });
  s.run(10 * ALARM_RULES.periodSeconds);
  t.deepEqual(
    fired(s, 'snapshot-missing').map((e) => [e.tick, name(s, e.subject)]),
    [[ALARM_RULES.periodSeconds - 1, 'db-data']],
  );
  const covered = testSession({
    workloads: [{ name: 'db', kind: 'database', demand: { baseRps: 10, noise: 0 } }],
    fleet: [
      {
        name: 'db-1',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'db',
        volume: { type: 'gp3', size: 10, name: 'db-data' },
      },
    ],
  });
  covered.enqueue('create-snapshot db-data', 'player');
  covered.run(2 * ALARM_RULES.periodSeconds);
  t.deepEqual(fired(covered, 'snapshot-missing'), []);
});

test("the advisor tells one finding for a workload's data volumes flagged together, naming the first few", (t) => {
  const s = testSession({
    workloads: [{ name: 'db', kind: 'database', demand: { baseRps: 10, noise: 0 } }],
    fleet: [
      { name: 'db', type: 'm6i.large', zone: 'use1-az1', count: 3, workload: 'db', volume: { type: 'gp3', size: 10 } },
      {
        name: 'db-b',
        type: 'm6i.large',
        zone: 'use1-az2',
        count: 2,
        workload: 'db',
        volume: { type: 'gp3', size: 10 },
      },
    ],
  });
  s.run(3 * ALARM_RULES.periodSeconds);
  const found = fired(s, 'snapshot-missing');
  t.is(found.length, 1, 'one event for the five volumes');
  const flagged = Object.values(s.world.volumes)
    .filter((v) => v.dataset === 'db')
    .map((v) => v.id)
    .sort();
  t.is(flagged.length, 5);
  t.is(found[0]!.subject, flagged[0]!, 'the first volume');
  t.deepEqual(found[0]!.volumeIds, flagged, 'all five, so a reaction runs for each');
  t.deepEqual(found[0]!.data, { check: 'Amazon EBS Snapshots', workload: 'db', volumes: 5 });
  t.regex(
    found[0]!.message,
    /^Trusted Advisor, Amazon EBS Snapshots: 5 volumes hold db's data in us-east-1a, us-east-1b and have no snapshot: vol-\w+, vol-\w+, vol-\w+ and 2 more$/,
  );
});

test('ENA allowance counters that rise alarm once per instance, and again after a minute without a rise', (t) => {
  const s = testSession({
    securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
    workloads: [{ name: 'media', kind: 'web', responseKiB: 1024, iopsPerRequest: 0, demand: { baseRps: 120 } }],
    fleet: [
      {
        name: 'media-1',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'media',
        securityGroups: ['web'],
        networkBurstBalance: 0,
      },
    ],
  });
  s.run(5 * ALARM_RULES.periodSeconds);
  const alarms = fired(s, 'network-allowance-exceeded');
  t.deepEqual(
    alarms.map((e) => [e.tick, name(s, e.subject)]),
    [[ALARM_RULES.periodSeconds - 1, 'media-1']],
  );
  t.regex(
    alarms[0]!.message,
    /^media-1 \(i-[0-9a-f]+\): ENA bw_out_allowance_exceeded [\d,]+ \(\+[\d,]+\) in the last minute/,
  );
  t.notRegex(alarms[0]!.message, /launch|modify|stop|scale/, 'the signal, not the remedy');
  // A second server halves each one's traffic, under the baseline: back to OK.
  // Without it, over again: a second alarm.
  s.enqueue('launch m6i.large --az us-east-1a --name media-2 --workload media --sg web', 'player');
  s.run(3 * ALARM_RULES.periodSeconds);
  t.is(fired(s, 'network-allowance-exceeded').length, 1);
  // What it earned back under the baseline lasts a few minutes of burst first.
  s.enqueue('terminate media-2', 'player');
  s.run(8 * ALARM_RULES.periodSeconds);
  t.is(fired(s, 'network-allowance-exceeded').length, 2);
});

test('a play resumed from its save carries its alarms on: it tells what the unbroken play tells, and the save keeps their streaks as a record', (t) => {
  const unbroken = lowBalances();
  const played = lowBalances();
  played.run(3 * ALARM_RULES.periodSeconds);
  const saved = JSON.parse(JSON.stringify(played.toSnapshot())) as SessionSnapshot;
  const volume = Object.values(played.world.volumes).find((v) => v.name === 'orders-data')!;
  t.is(saved.tracker.streaks[`alarm:burst-balance-low:${volume.id}`], 3, 'three minutes in ALARM');
  t.is(saved.tracker.streaks[`alarm:snapshot-missing:${volume.id}`], 1, 'flagged by the one refresh so far');
  const resumed = Session.fromSnapshot(played.level, saved);
  unbroken.run(10 * ALARM_RULES.periodSeconds);
  resumed.run(7 * ALARM_RULES.periodSeconds);
  const told = (s: Session) => s.events.map((e) => `${e.tick} ${e.kind} ${e.subject}`);
  t.deepEqual(told(resumed), told(unbroken));
  t.is(fired(resumed, 'burst-balance-low').length, 1, 'not again after the resume');
});
