// Instance store lives on the host: it survives a reboot and is lost whenever the instance leaves
// its host (stop, hibernate, terminate) or the host itself fails.
import test from 'ava';
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
