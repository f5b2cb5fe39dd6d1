// Instance store lives on the host: it survives a reboot and is lost whenever the instance leaves
// its host (stop, hibernate, terminate) or the host itself fails.
import test from 'ava';
import { lostByResponder } from '../../src/sim/index.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, eventsOf, named, run, testSession } from '../helpers/world.js';

/** One m6id.large (1 x 118 GB NVMe) with 50 GB already written to its instance store. */
function scratchWorker() {
  const session = testSession({
    fleet: [{ name: 'scratch', type: 'm6id.large', zone: 'use1-az1', instanceStoreDataGB: 50 }],
  });
  return { world: session.world, worker: named(session.world, 'scratch') };
}

test('a reboot keeps the host and the instance store data', (t) => {
  const { world, worker } = scratchWorker();
  const host = worker.hostId;
  const events = [...apply(world, 'reboot scratch'), ...run(world, TICKS.guestRestart + 1)];
  t.is(worker.state, 'running');
  t.is(worker.hostId, host);
  t.is(worker.instanceStore!.dataGB, 50);
  t.deepEqual(eventsOf(events, 'instance-store-lost'), []);
});

test('a stop loses the instance store data and reports how many GB went', (t) => {
  const { world, worker } = scratchWorker();
  const events = [...apply(world, 'stop scratch'), ...run(world, TICKS.stopping + 1)];
  t.is(worker.state, 'stopped');
  t.is(worker.instanceStore!.dataGB, 0);
  const [lost] = eventsOf(events, 'instance-store-lost');
  t.is(lost?.subject, worker.id);
  t.is(lost?.data?.gb, 50);
  t.is(lost?.data?.why, 'stop');
});

test('the data is still gone after the instance starts again', (t) => {
  const { world, worker } = scratchWorker();
  apply(world, 'stop scratch');
  run(world, TICKS.stopping + 1);
  apply(world, 'start scratch');
  run(world, TICKS.pendingToRunning + 1);
  t.is(worker.state, 'running');
  t.is(worker.instanceStore!.dataGB, 0);
});

test('a hibernate loses the instance store too', (t) => {
  const session = testSession({
    fleet: [
      {
        name: 'scratch',
        type: 'm6id.large',
        zone: 'use1-az1',
        instanceStoreDataGB: 50,
        hibernation: true,
        root: { encrypted: true },
      },
    ],
  });
  const { world } = session;
  const worker = named(world, 'scratch');
  const events = [...apply(world, 'stop scratch --hibernate'), ...run(world, TICKS.hibernating + 1)];
  t.is(worker.state, 'stopped');
  t.is(eventsOf(events, 'instance-store-lost')[0]?.data?.why, 'hibernate');
  t.is(worker.instanceStore!.dataGB, 0);
});

test('terminating loses the instance store', (t) => {
  const { world, worker } = scratchWorker();
  const events = [...apply(world, 'terminate scratch'), ...run(world, TICKS.shuttingDown + 1)];
  t.is(worker.state, 'terminated');
  const [lost] = eventsOf(events, 'instance-store-lost');
  t.is(lost?.data?.gb, 50);
  t.is(lost?.data?.why, 'terminate');
});

test('a host failure loses the instance store at once', (t) => {
  const { world, worker } = scratchWorker();
  const events = apply(world, 'fail-host scratch');
  t.is(worker.instanceStore!.dataGB, 0);
  const [lost] = eventsOf(events, 'instance-store-lost');
  t.is(lost?.data?.gb, 50);
  t.is(lost?.data?.why, 'host failure');
});

test('a guest fills its instance store while it runs, and nothing more is written once its host has failed', (t) => {
  const session = testSession({
    workloads: [{ name: 'reports', kind: 'batch', demand: { baseRps: 1 } }],
    fleet: [{ name: 'batch', type: 'm6id.large', zone: 'use1-az1', workload: 'reports' }],
  });
  const world = session.world;
  const worker = named(world, 'batch');
  run(world, 600);
  t.true(worker.instanceStore!.dataGB > 9, `filled ${worker.instanceStore!.dataGB} GB in ten minutes`);
  const events = apply(world, 'fail-host batch');
  t.true((eventsOf(events, 'instance-store-lost')[0]?.data?.gb as number) > 9);
  run(world, 600);
  t.is(worker.instanceStore!.dataGB, 0);
});

test('instances without instance store report no loss', (t) => {
  const session = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const events = [...apply(session.world, 'stop web'), ...run(session.world, TICKS.stopping + 1)];
  t.is(named(session.world, 'web').instanceStore, null);
  t.deepEqual(eventsOf(events, 'instance-store-lost'), []);
});

/** Three m6id.large with 10.1, 20.2 and 30.3 GB in their instance stores, on one host; Spot with `interruption` if given. */
function scratchHost(interruption?: string) {
  const session = testSession({
    spotPools: [{ type: 'm6id.large', zone: 'use1-az1', capacity: 20, volatility: 0 }],
    fleet: [10.1, 20.2, 30.3].map((gb, i) => ({
      name: `scratch-${i + 1}`,
      type: 'm6id.large',
      zone: 'use1-az1',
      instanceStoreDataGB: gb,
      ...(interruption ? { spot: true, interruption } : {}),
    })),
  });
  const world = session.world;
  const workers = [1, 2, 3].map((i) => named(world, `scratch-${i}`));
  return { world, workers, ids: workers.map((w) => w.id) };
}

test("a failed host's instance stores are one loss for the host, their GB added up", (t) => {
  const { world, workers, ids } = scratchHost();
  const host = workers[0]!.hostId!;
  t.true(
    workers.every((w) => w.hostId === host),
    'the three share a host',
  );
  const lost = eventsOf(apply(world, `fail-host ${host}`), 'instance-store-lost');
  t.is(lost.length, 1);
  t.is(lost[0]!.subject, host);
  t.deepEqual(lost[0]!.instanceIds, ids);
  t.deepEqual(lost[0]!.data, { why: 'host failure', host, gb: 60.6, instances: 3 });
  t.regex(lost[0]!.message, /^host .+: 3 instances lost 60\.6 GB of instance store data \(host failure\): /);
});

for (const interruption of ['stop', 'terminate']) {
  test(`a Spot pool's interruptions (${interruption}) lose its instances' stores in one event for the pool, EC2's doing`, (t) => {
    const { world, workers, ids } = scratchHost(interruption);
    apply(world, 'set-spot-capacity m6id.large use1-az1 0');
    const lost = eventsOf(
      run(world, TICKS.spotNotice + TICKS.shuttingDown + TICKS.stopping + 2),
      'instance-store-lost',
    );
    t.deepEqual(
      lost.map((e) => [e.subject, e.instanceIds, e.data]),
      [[workers[0]!.spot!.poolKey, ids, { why: 'Spot interruption', gb: 60.6, instances: 3 }]],
    );
    t.false(lostByResponder(lost[0]!.data?.why));
  });
}

test("a degraded host's retirement loses its instances' stores as one event for the host; an instance's own scheduled stop is its own", (t) => {
  const { world, workers, ids } = scratchHost();
  const host = workers[0]!.hostId!;
  apply(world, `impair-host ${host} --retire-in 10m`);
  apply(world, 'schedule-event scratch-3 instance-stop --in 5m');
  const lost = eventsOf(run(world, 600 + TICKS.stopping + 1), 'instance-store-lost');
  t.deepEqual(
    lost.map((e) => [e.subject, e.instanceIds ?? null, e.data]),
    [
      [ids[2], null, { gb: 30.3, why: 'scheduled stop', host }],
      [host, ids.slice(0, 2), { why: 'retirement', host, gb: 30.3, instances: 2 }],
    ],
  );
  t.false(lost.some((e) => lostByResponder(e.data?.why)));
});

test("only the responder's own stops, hibernations and terminations are its losses", (t) => {
  t.deepEqual(
    [
      'stop',
      'hibernate',
      'terminate',
      'host failure',
      'host change',
      'Spot interruption',
      'retirement',
      'scheduled stop',
      'toString',
      undefined,
    ].filter(lostByResponder),
    ['stop', 'hibernate', 'terminate'],
  );
});

test("a group's GB are the instances' own added up, then rounded", (t) => {
  const session = testSession({
    fleet: [{ name: 'crumb', count: 10, type: 'm6id.large', zone: 'use1-az1', instanceStoreDataGB: 0.04 }],
  });
  const host = named(session.world, 'crumb-1').hostId!;
  const [lost] = eventsOf(apply(session.world, `fail-host ${host}`), 'instance-store-lost');
  t.is(lost?.data?.gb, 0.4);
  t.is(session.world.hosts[host]!.instanceIds.length, 10);
});

test("a one-time Spot instance's retirement is the host's with the others'; its own scheduled stop is a scheduled stop", (t) => {
  const { world, workers, ids } = scratchHost('terminate');
  const host = workers[0]!.hostId!;
  apply(world, `impair-host ${host} --retire-in 10m`);
  const lost = eventsOf(run(world, 600 + TICKS.shuttingDown + 1), 'instance-store-lost');
  t.deepEqual(
    lost.map((e) => [e.subject, e.instanceIds, e.data]),
    [[host, ids, { why: 'retirement', host, gb: 60.6, instances: 3 }]],
  );
  const own = scratchHost('terminate');
  const ownHost = own.workers[0]!.hostId!;
  apply(own.world, 'schedule-event scratch-1 instance-stop --in 5m');
  const [alone] = eventsOf(run(own.world, 300 + TICKS.shuttingDown + 1), 'instance-store-lost');
  t.deepEqual([alone?.subject, alone?.data], [own.ids[0], { gb: 10.1, why: 'scheduled stop', host: ownHost }]);
});

test('terminating an instance EC2 is stopping already leaves its instance store loss EC2s', (t) => {
  const { world, workers } = scratchHost();
  apply(world, `impair-host ${workers[0]!.hostId!} --retire-in 10m`);
  run(world, 601);
  t.is(workers[0]!.state, 'stopping');
  apply(world, 'terminate scratch-1', 'stop scratch-2 --force');
  const lost = eventsOf(run(world, TICKS.shuttingDown + TICKS.stopping + 1), 'instance-store-lost');
  t.true(lost.length > 0);
  t.deepEqual(
    lost.map((e) => e.data?.why),
    lost.map(() => 'retirement'),
  );
  t.false(lost.some((e) => lostByResponder(e.data?.why)));
});

test("a reaction to a stop's instance store loss names the host the store was on", (t) => {
  const session = testSession({
    fleet: [{ name: 'scratch', type: 'm6id.large', zone: 'use1-az1', instanceStoreDataGB: 50 }],
  });
  const host = named(session.world, 'scratch').hostId!;
  attachScript(session, parseScript('on instance-store-lost note lost on {host}\n', 'react.txt'));
  session.enqueue('stop scratch', 'player');
  session.run(TICKS.stopping + 3);
  t.true(
    session.log.some((c) => c.source === 'script' && c.text === `note lost on ${host}`),
    JSON.stringify(session.log.map((c) => c.text)),
  );
});
