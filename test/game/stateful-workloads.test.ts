// A database is its data: a member serves only with the workload's data attached, and the data
// travels by snapshot into volumes restored from it, in any zone. Level 06 rests on this.
import test from 'ava';
import { apply, named, run, testSession } from '../helpers/world.js';

const db = { name: 'orders-db', kind: 'database', demand: { baseRps: 200 } };
const dbSg = { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] };

function session() {
  return testSession({
    racks: [
      { zone: 'use1-az1', family: 'r6i', racks: 1, hostsPerRack: 2 },
      { zone: 'use1-az2', family: 'r6i', racks: 1, hostsPerRack: 2 },
    ],
    securityGroups: [dbSg],
    workloads: [db],
    fleet: [
      {
        name: 'db-1',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'orders-db',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'gp3', size: 20, name: 'orders-data' },
      },
    ],
  });
}

const serving = (s: ReturnType<typeof session>) => s.world.workloads['orders-db']!.last.healthyMembers;

test("a level's data volume holds its stateful workload's data, and the member serves", (t) => {
  const s = session();
  s.run(5);
  t.is(Object.values(s.world.volumes).find((v) => v.name === 'orders-data')?.dataset, 'orders-db');
  t.is(serving(s), 1);
});

test('a new member on an empty volume does not serve the database', (t) => {
  const s = session();
  apply(
    s.world,
    'launch r6i.large --az use1-az2 --name db-2 --workload orders-db --sg db --no-public-ip --volume gp3:20',
    'stop db-1',
  );
  run(s.world, 120);
  t.is(named(s.world, 'db-2').state, 'running');
  t.is(serving(s), 0);
  t.is(s.world.workloads['orders-db']!.last.servedRps, 0);
});

test("a volume restored from the data's snapshot, by name and in another zone, serves it", (t) => {
  const s = session();
  apply(s.world, 'create-snapshot orders-data --name orders-snap');
  run(s.world, 30);
  apply(
    s.world,
    'create-volume --az us-east-1b --snapshot orders-snap --name orders-b',
    'launch r6i.large --az use1-az2 --name db-2 --workload orders-db --sg db --no-public-ip',
    'stop db-1',
  );
  run(s.world, 30);
  apply(s.world, 'attach-volume orders-b db-2');
  run(s.world, 5);
  t.is(named(s.world, 'db-1').state, 'stopped');
  t.is(serving(s), 1);
  t.true(s.world.workloads['orders-db']!.last.servedRps > 0);
});

test('a workload marked not stateful serves from any disk', (t) => {
  const s = testSession({
    racks: [{ zone: 'use1-az1', family: 'm6id', racks: 1, hostsPerRack: 1 }],
    workloads: [{ name: 'sessions', kind: 'database', stateful: false, port: 6379, demand: { baseRps: 100 } }],
    securityGroups: [{ name: 'cache', ingress: [{ protocol: 'tcp', port: 6379, cidr: '10.0.0.0/16' }] }],
    fleet: [
      {
        name: 'cache-1',
        type: 'm6id.large',
        zone: 'use1-az1',
        workload: 'sessions',
        securityGroups: ['cache'],
        publicIp: false,
      },
    ],
  });
  s.run(5);
  t.is(s.world.workloads.sessions!.last.healthyMembers, 1);
});
