// Incidents are opened for causes, not for every instance a cause reaches: an impaired zone is one
// incident however many instances fail their checks in it, while a guest that hangs on healthy
// hardware is an incident of its own.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { runExercise } from '../../src/cli/batch.js';
import { loadLevel } from '../../src/cli/files.js';
import { restoredTracker, type Incident } from '../../src/game/incidents.js';
import { parseScript } from '../../src/game/script.js';
import { testSession } from '../helpers/world.js';

function played(injects: { at: string; command: string }[]) {
  const session = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 6 },
      { name: 'api', type: 'm6i.large', zone: 'use1-az2', count: 2 },
    ],
    injects,
  });
  session.run(180);
  return session.incidents.map((i) => [i.kind, i.severity, i.instances.length]);
}

test('an impaired zone opens one incident for the zone, not one for each instance failing its checks', (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'impair-zone use1-az1' }]), [['zone-impaired', 'SEV1', 6]]);
});

test('a guest hung on healthy hardware opens an instance-check incident', (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'hang-guest web-2' }]), [['instance-check', 'SEV3', 1]]);
});

test('a guest that hung while its zone was down is an incident once the zone is back and its check goes on failing', (t) => {
  t.deepEqual(
    played([
      { at: '01:00', command: 'impair-zone use1-az1' },
      { at: '01:20', command: 'hang-guest web-2' },
      { at: '02:00', command: 'restore-zone use1-az1' },
    ]),
    [
      ['zone-impaired', 'SEV1', 6],
      ['instance-check', 'SEV3', 1],
    ],
  );
});

test('a busy volume past its IOPS opens a saturation incident, though its full queue holds less than a second of demand', (t) => {
  const session = testSession({
    securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] }],
    workloads: [{ name: 'db', kind: 'database', iopsPerRequest: 8, demand: { baseRps: 400, noise: 0 } }],
    fleet: [
      {
        name: 'db-1',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'db',
        securityGroups: ['db'],
        volume: { type: 'gp3', size: 100, name: 'db-data' },
      },
    ],
  });
  session.run(180);
  t.deepEqual(
    session.incidents.filter((i) => i.kind === 'ebs-saturation').map((i) => [i.severity, i.title.split(',')[1]]),
    [['SEV2', " limited by the volume's own limits (gp3)"]],
  );
});

test('a host failure opens one incident for the host, whatever its instances checks tell', (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'fail-host use1-az1-r01-h01' }]).slice(0, 1), [
    ['host-failure', 'SEV2', 6],
  ]);
});

test("a degraded host's retirements are one incident for the host, its notices one event listing its instances", (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'impair-host use1-az1-r01-h01 --retire-in 1h' }]), [
    ['scheduled-event', 'SEV3', 6],
  ]);
  const session = testSession({
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 6 }],
    injects: [{ at: '01:00', command: 'impair-host use1-az1-r01-h01 --retire-in 1h' }],
  });
  session.run(120);
  const notices = session.events.filter((e) => e.kind === 'scheduled-event');
  t.is(notices.length, 1);
  t.is(notices[0]!.subject, 'use1-az1-r01-h01');
  t.is(notices[0]!.instanceIds?.length, 6);
  // Each instance holds its own event, as its IMDS serves it.
  t.true(notices[0]!.instanceIds!.every((id) => session.world.instances[id]!.scheduledEvents.length === 1));
  t.regex(
    session.incidents[0]!.title,
    /^host use1-az1-r01-h01: instance-retirement scheduled for 6 instances \(web-1, web-2, web-3 and 3 more\)$/,
  );
});

// A Spot interruption's harm is the capacity lost: an instance EC2 starts again once its pool has
// room is capacity back, and the incident is mitigated then, not left open for ever.
test('a Spot interruption by stop is mitigated once EC2 has started the interrupted instances again and service holds', (t) => {
  const session = testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 250, noise: 0 } }],
    fleet: [
      { name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop', workload: 'web' },
    ],
    injects: [
      { at: '01:00', command: 'set-spot-capacity m6i.large use1-az1 1' },
      { at: '10:00', command: 'set-spot-capacity m6i.large use1-az1 20' },
    ],
  });
  session.run(10 * 60);
  const [incident] = session.incidents.filter((i) => i.kind === 'spot-interruption');
  t.is(incident?.instances.length, 2);
  t.is(incident!.mitigatedAt, null, 'one instance cannot carry the demand');
  session.run(5 * 60);
  t.true(incident!.instances.every((id) => session.world.instances[id]!.state === 'running'));
  t.true(incident!.mitigatedAt !== null && incident!.mitigatedAt > 10 * 60);
});

test("a Spot interruption is mitigated once its own workload serves again, whatever another workload's burn", (t) => {
  const session = testSession({
    workloads: [
      { name: 'web', kind: 'web', demand: { baseRps: 250, noise: 0 } },
      { name: 'api', kind: 'web', demand: { baseRps: 100, noise: 0 } },
    ],
    fleet: [
      { name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop', workload: 'web' },
      { name: 'api', type: 'm6i.large', zone: 'use1-az2', workload: 'api' },
    ],
    injects: [
      { at: '01:00', command: 'set-spot-capacity m6i.large use1-az1 1' },
      { at: '10:00', command: 'set-spot-capacity m6i.large use1-az1 20' },
    ],
  });
  session.run(9 * 60);
  // api's only instance stopped: api burns from here to the end, a harm of its own.
  session.enqueue('stop api', 'player');
  session.run(6 * 60);
  t.true(session.incidents.some((i) => i.kind === 'slo-burn' && i.subject === 'api' && i.mitigatedAt === null));
  const [incident] = session.incidents.filter((i) => i.kind === 'spot-interruption');
  t.true(incident!.mitigatedAt !== null && incident!.mitigatedAt > 10 * 60);
});

test("a host failure's incident is over once its instances serve on other hosts, whatever befalls them there", (t) => {
  const session = testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 100, noise: 0 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'web' }],
    // Each host automatic recovery moved it to fails in turn, the fourth past the day's allowance.
    injects: ['01:00', '05:00', '09:00', '13:00'].map((at) => ({ at, command: 'fail-host web' })),
  });
  session.run(40 * 60);
  const failures = session.incidents.filter((i) => i.kind === 'host-failure');
  t.is(new Set(failures.map((i) => i.subject)).size, 4);
  t.deepEqual(
    failures.map((i) => i.resolvedAt !== null),
    [true, true, true, false],
    'the fourth host, which keeps it down, is its own incident',
  );
  t.true(failures.slice(0, 3).every((i, n) => i.mitigatedAt! < (5 + 4 * n) * 60));
});

test("a Spot reclaim opened while a failed host's instances were down is not mitigated by their recovery: its own instances are gone", (t) => {
  const session = testSession({
    spotPools: [{ type: 'm6i.large', zone: 'use1-az2', capacity: 4, volatility: 0 }],
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 700, noise: 0 } }],
    fleet: [
      { name: 'od', type: 'm6i.large', zone: 'use1-az1', workload: 'web', count: 3 },
      { name: 'sp', type: 'm6i.large', zone: 'use1-az2', workload: 'web', count: 2, spot: true },
    ],
    injects: [
      { at: '01:00', command: 'fail-host od-1' },
      { at: '01:30', command: 'set-spot-capacity m6i.large use1-az2 0' },
    ],
  });
  session.run(15 * 60);
  t.true(session.world.workloads.web!.last.errorRps > 0, 'web cannot serve without the Spot pair');
  const [reclaim] = session.incidents.filter((i) => i.kind === 'spot-interruption');
  t.is(reclaim!.mitigatedAt, null);
});

test("a failed host's incident is not held by its instance's own reboot after recovery, nor by its zone's outage once the host is restored", (t) => {
  const play = (injects: { at: string; command: string }[], player: [number, string][], autoRecovery = true) => {
    const session = testSession({
      workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 100, noise: 0 } }],
      fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'web', autoRecovery }],
      injects,
    });
    for (const [at, command] of player) {
      session.run(at - session.tick);
      session.enqueue(command, 'player');
    }
    session.run(20 * 60 - session.tick);
    return session.incidents.find((i) => i.kind === 'host-failure')!;
  };
  const fail = { at: '01:00', command: 'fail-host web' };
  const recovered = play([fail], [[1, 'ack INC-1']]);
  const rebooted = play(
    [fail],
    [
      [1, 'ack INC-1'],
      [300, 'reboot web'],
    ],
  );
  t.not(recovered.mitigatedAt, null);
  t.is(rebooted.mitigatedAt, recovered.mitigatedAt);
  t.is(rebooted.resolvedAt, recovered.resolvedAt);
  // Nor by the recovery off the next host that fails under it, whether it got there by a recovery
  // or by a stop and start.
  const chained = play([fail, { at: '06:00', command: 'fail-host web' }], [[1, 'ack INC-1']]);
  t.is(chained.resolvedAt, recovered.resolvedAt);
  const moves: [number, string][] = [
    [1, 'ack INC-1'],
    [70, 'stop web --force'],
    [110, 'start web'],
  ];
  const movedAlone = play([fail], moves, false);
  const movedThenFailed = play([fail, { at: '04:00', command: 'fail-host web' }], moves);
  t.not(movedAlone.resolvedAt, null);
  t.is(movedThenFailed.resolvedAt, movedAlone.resolvedAt);
  // Recovery off: the host restored under an impaired zone.
  const restored = play(
    [
      fail,
      { at: '02:00', command: 'impair-zone use1-az1' },
      { at: '04:00', command: 'restore-host web' },
      { at: '12:00', command: 'restore-zone use1-az1' },
    ],
    [],
    false,
  );
  t.true(restored.mitigatedAt !== null && restored.mitigatedAt < 12 * 60, String(restored.mitigatedAt));
});

test('a Spot reclaim is mitigated when the capacity it took is back, not when EC2 has taken it; a retirement likewise', (t) => {
  const play = (levelId: string, seed: string, script: string) =>
    runExercise(loadLevel(levelId), seed, parseScript(script, 'plan.txt'), 'trainee').incidents;
  // Left alone, the interrupted instances are gone and web serves with fewer: nothing is mitigated.
  const idle = play('03-spot-reclaim', '1', '').filter((i) => i.kind === 'spot-interruption');
  t.true(idle.length > 0);
  t.deepEqual(
    idle.map((i) => i.mitigatedAt),
    idle.map(() => null),
  );
  // Replaced from another pool, each is mitigated, though the replacement for the first reclaim
  // served beside the instance still to go when the second opened.
  const replaced = play('03-spot-reclaim', '1', readFileSync('test/fixtures/levels/03-spot-reclaim.win.txt', 'utf8'));
  t.true(replaced.filter((i) => i.kind === 'spot-interruption').every((i) => i.resolvedAt !== null));
  // Two instances a degraded host retires together are one incident, owed both: moving one does
  // not mitigate it.
  const moved = play(
    '05-retirement',
    '5',
    'at 07:00 stop web-1\nat 08:00 start web-1\nat 10:00 stop web-2\nat 11:00 start web-2\n',
  ).filter((i) => i.kind === 'scheduled-event' && i.capacityAtOpen?.web !== undefined);
  t.is(moved.length, 1);
  t.deepEqual(moved[0]!.instanceNames, ['web-1', 'web-2']);
  t.true(moved[0]!.mitigatedAt! > 11 * 60, JSON.stringify(moved.map((i) => i.mitigatedAt)));
  // A retirement EC2 carries out stops the instance: the workload has lost it until it is started.
  const retired = play('05-retirement', '5', '').filter((i) => i.kind === 'scheduled-event');
  t.true(retired.length > 0);
  t.true(retired.every((i) => i.mitigatedAt === null));
});

test('a host failure is not mitigated by a stop that ends with its workload still burning; with spare capacity it is', (t) => {
  // Seed 3: web-2's host fails (web has spare), then the cache's; a plain stop on each, never a start.
  const session = runExercise(
    loadLevel('02-dead-host'),
    '3',
    parseScript('on incident-opened ack {subject}\non status-check-failed stop {subject}\n', 'plain-stop.txt'),
  );
  const [web, cache] = session.incidents.filter((i) => i.kind === 'host-failure');
  t.regex(web!.title, /web-2/);
  t.not(web!.mitigatedAt, null, 'web serves on its other members: the stopped one keeps nothing short');
  t.regex(cache!.title, /cache-1/);
  t.is(cache!.mitigatedAt, null, 'the cache stopped and sessions burning: the harm goes on');
});

test("a zone's outage is mitigated once the zone is back and its instances serve, though another cause's burn goes on", (t) => {
  // This shift's zone outage (use1-az2, 11:45 to 12:05) comes while web burns behind a rule revoked at 08:42.
  const session = runExercise(loadLevel('shift-3-d4-8h'), '3', parseScript('', 'nothing.txt'));
  const zone = session.incidents.find((i) => i.kind === 'zone-impaired')!;
  const restored = session.events.find((e) => e.kind === 'zone-restored' && e.subject === zone.subject)!;
  t.truthy(restored);
  t.not(zone.mitigatedAt, null);
  t.true(zone.mitigatedAt! >= restored.tick && zone.mitigatedAt! <= restored.tick + 120, `${zone.mitigatedAt}`);
});

// A zone's outage can send hundreds of a database's volumes past their limits in one second: one
// cause, so one incident, which lists them all and lasts while any of them is saturated.
test("a workload's volumes past the same limit are one EBS saturation, lasting while any is saturated; another workload's are its own", (t) => {
  const db = (workload: string, n: number) => ({
    name: `${workload}-${n}`,
    type: 'r6i.large',
    zone: 'use1-az1',
    workload,
    securityGroups: ['db'],
    volume: { type: 'gp3', size: 100, name: `${workload}-data-${n}` },
  });
  const session = testSession({
    securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] }],
    workloads: ['orders', 'billing'].map((name) => ({
      name,
      kind: 'database',
      iopsPerRequest: 8,
      demand: { baseRps: name === 'orders' ? 800 : 400, noise: 0 },
    })),
    fleet: [db('orders', 1), db('orders', 2), db('billing', 1)],
  });
  session.run(180);
  const saturations = session.incidents.filter((i) => i.kind === 'ebs-saturation');
  const volumesNamed = (prefix: string) =>
    Object.values(session.world.volumes)
      .filter((v) => v.name?.startsWith(prefix))
      .map((v) => v.id)
      .sort();
  t.is(saturations.length, 2);
  t.deepEqual(
    Object.fromEntries(saturations.map((i) => [i.subject, [i.limitedBy, [...i.volumes!].sort(), i.instances.length]])),
    { orders: ['volume', volumesNamed('orders-data'), 2], billing: ['volume', volumesNamed('billing-data'), 1] },
  );
  const orders = saturations.find((i) => i.subject === 'orders')!;
  t.regex(
    orders.title,
    /^EBS saturation on orders: vol-[0-9a-f]{17} \(orders-\d\), limited by the volume's own limits \(gp3\)$/,
  );
  // Raising one volume's IOPS leaves the other saturated: the incident stays harmful.
  session.enqueue(`modify-volume ${orders.volumes![0]} --iops 6000`, 'player');
  session.run(15 * 60);
  t.is(orders.mitigatedAt, null);
  session.enqueue(`modify-volume ${orders.volumes![1]} --iops 6000`, 'player');
  session.run(15 * 60);
  t.not(orders.mitigatedAt, null);
});

const ordersDb = (name: string, burstBalance: number, patch: Record<string, unknown> = {}) => ({
  name,
  type: 'm6i.large',
  zone: 'use1-az1',
  workload: 'orders-db',
  securityGroups: ['db'],
  publicIp: false,
  volume: { type: 'gp2', size: 200, name: `${name}-data`, burstBalance },
  ...patch,
});

const dbLevel = (fleet: Record<string, unknown>[], iopsPerRequest: number, baseRps: number) => ({
  securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] }],
  workloads: [{ name: 'orders-db', kind: 'database', iopsPerRequest, demand: { baseRps, noise: 0 } }],
  fleet,
});

test('a volume saturating once its workload’s saturation is mitigated opens a new incident: the harm is back', (t) => {
  // db-c's burst bucket lasts minutes longer than the others'; theirs are relieved before it drains.
  const session = testSession(dbLevel([ordersDb('db-a', 3), ordersDb('db-b', 6), ordersDb('db-c', 20)], 5, 1500));
  session.enqueueAt(150, 'modify-volume db-a-data --type gp3 --iops 6000', 'player');
  session.enqueueAt(210, 'modify-volume db-b-data --type gp3 --iops 6000', 'player');
  session.run(40 * 60);
  const saturations = session.incidents.filter((i) => i.kind === 'ebs-saturation');
  const names = (inc: Incident) => inc.volumes!.map((id) => session.world.volumes[id]!.name);
  t.deepEqual(saturations.map(names), [['db-a-data', 'db-b-data'], ['db-c-data']]);
  t.not(saturations[0]!.mitigatedAt, null);
  t.true(saturations[1]!.detectedAt > saturations[0]!.mitigatedAt!);
  t.is(
    saturations[1]!.mitigatedAt,
    null,
    'db-c-data stays saturated: its harm is told, not folded into a mitigated incident',
  );
});

test('a volume held back by its own limits, then by its instance’s bandwidth, ends the first incident and is the second’s', (t) => {
  // The instance's EBS burst bucket is empty: raising the volume's IOPS moves the limit to the instance.
  const session = testSession(dbLevel([ordersDb('db-a', 3, { ebsBurstBalance: 0 })], 12, 500));
  session.enqueueAt(120, 'modify-volume db-a-data --type gp3 --iops 16000', 'player');
  session.run(30 * 60);
  const saturations = session.incidents.filter((i) => i.kind === 'ebs-saturation');
  t.deepEqual(
    saturations.map((i) => i.limitedBy),
    ['volume', 'instance'],
  );
  t.is(saturations[0]!.state, 'resolved', 'its cause, the volume’s own limits, is gone');
  t.is(saturations[1]!.resolvedAt, null);
});

test('an EBS saturation saved while each volume was an incident of its own is its workload’s when the play goes on', (t) => {
  const saved: Incident = {
    id: 'INC-1',
    kind: 'ebs-saturation',
    title: "EBS saturation on vol-0123456789abcdef0 (db-a), limited by the volume's own limits (gp2)",
    severity: 'SEV2',
    state: 'detected',
    subject: 'vol-0123456789abcdef0',
    instances: ['i-0123456789abcdef0'],
    instanceNames: ['db-a'],
    workloads: ['orders-db'],
    limitedBy: 'volume',
    detectedAt: 100,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
  };
  const [inc] = restoredTracker({ incidents: [saved], streaks: {}, calm: {} }).incidents;
  t.like(inc, {
    subject: 'orders-db',
    volumes: ['vol-0123456789abcdef0'],
    title: "EBS saturation on orders-db: vol-0123456789abcdef0 (db-a), limited by the volume's own limits (gp2)",
  });
});

test('a volume still saturated when its limit moves back opens a new incident, its first long resolved', (t) => {
  // 4x demand asks about 8,000 IOPS: past the instance's EBS baseline (its burst bucket empty) at
  // 16,000 IOPS, past the volume's own 3,000 once they are put back.
  const db = {
    ...ordersDb('db-1', 100, { ebsBurstBalance: 0 }),
    type: 'r6i.large',
    volume: { type: 'gp3', size: 200, name: 'orders-data' },
  };
  const session = testSession({
    ...dbLevel([db], 8, 250),
    injects: [{ at: '1m', command: 'surge-demand orders-db 4 --for 55m' }],
  });
  session.enqueueAt(60, 'modify-volume orders-data --iops 16000', 'player');
  session.enqueueAt(30 * 60, 'modify-volume orders-data --iops 3000', 'player');
  session.run(3600);
  const saturations = session.incidents.filter((i) => i.kind === 'ebs-saturation');
  // The volume's own 3,000 IOPS first, while its modification is under way; then the instance's.
  t.deepEqual(
    saturations.map((i) => i.limitedBy),
    ['volume', 'instance', 'volume'],
  );
  const back = saturations[2]!.detectedAt;
  // Once the modification has taken the IOPS back down, and the hold has passed.
  t.true(back > 30 * 60 && back <= 40 * 60, `${back}`);
  t.true(saturations[0]!.resolvedAt! < back, 'the first ended long before');
});

test('a burn that ended is resolved when the workload burns again for another cause: the new incident carries that harm', (t) => {
  const session = testSession({
    ...dbLevel([{ ...ordersDb('db-1', 100), type: 'r6i.large' }], 8, 250),
    injects: [
      { at: '5m', command: 'surge-demand orders-db 1.6 --for 10m' },
      { at: '17m', command: 'revoke-ingress db --protocol tcp --port 5432 --cidr 10.0.0.0/16' },
    ],
  });
  session.run(3600);
  const burns = session.incidents.filter((i) => i.kind === 'slo-burn');
  t.is(burns.length, 2);
  t.true(burns[0]!.resolvedAt !== null && burns[0]!.resolvedAt < 30 * 60, `${burns[0]!.resolvedAt}`);
  t.is(burns[1]!.resolvedAt, null, 'the rule is still revoked');
});

/** A web tier of two m6i.large (200 rps each) under `slo`, with demand of `baseRps` and no noise. */
const webTier = (baseRps: number, slo: { latencyMs: number; availability: number }) =>
  testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps, noise: 0 }, slo }],
    fleet: [{ name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1', workload: 'web' }],
  });

/** The player stops both of the tier's instances (see webTier): nothing serves it. */
function stopTier(session: ReturnType<typeof webTier>): void {
  session.enqueue('stop web-1', 'player');
  session.enqueue('stop web-2', 'player');
}

test("answers slower than the SLO's latency objective for a minute on end open a burn, told apart from one on failed requests", (t) => {
  const burnsAt = (baseRps: number, latencyMs: number) => {
    const session = webTier(baseRps, { latencyMs, availability: 0.999 });
    session.run(120);
    const last = session.world.workloads.web!.last;
    return { last, burns: session.incidents.map((i) => [i.kind, i.burnedBy ?? 'errors', i.detectedAt]) };
  };
  // Served in full, every answer slower than 60 ms: the SLO's seconds are spent, and a burn opens
  // with the streak's sixtieth second (tick 59, the first being tick 0).
  const slow = burnsAt(300, 60);
  t.is(slow.last.errorRps, 0);
  t.true(slow.last.latencyMs > 60);
  t.deepEqual(slow.burns, [['slo-burn', 'latency', 59]]);
  // The same load under a looser objective is no burn.
  const within = burnsAt(300, 250);
  t.true(within.last.latencyMs <= 250);
  t.deepEqual(within.burns, []);
  // More than two instances serve: requests fail, and that burn is on errors.
  const failing = burnsAt(600, 10_000);
  t.true(failing.last.errorRps > 0);
  t.deepEqual(failing.burns, [['slo-burn', 'errors', 59]]);
});

test('a burn whose minute had requests failing at its rate is one on errors, though its last seconds were only slow', (t) => {
  const session = webTier(100, { latencyMs: 30, availability: 0.999 });
  session.run(60);
  // Both stopped: every request fails until one is back, and one alone answers slower than 30 ms.
  stopTier(session);
  session.run(35);
  session.enqueue('start web-2', 'player');
  session.run(120);
  const [burn] = session.incidents;
  t.is(burn?.kind, 'slo-burn');
  t.is(session.world.workloads.web!.last.errorRps, 0);
  t.true(session.world.workloads.web!.last.latencyMs > 30);
  t.is(burn!.burnedBy, undefined);
});

test('an outage opens a burn under an SLO so loose that ten times its budget is every request', (t) => {
  const session = webTier(100, { latencyMs: 250, availability: 0.85 });
  session.run(30);
  stopTier(session);
  session.run(120);
  t.deepEqual(
    session.incidents.map((i) => [i.kind, i.burnedBy ?? 'errors']),
    [['slo-burn', 'errors']],
  );
});
