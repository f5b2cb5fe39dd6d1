// A property of the model: derived data (roster, watch lists, Spot pool usage, billing rates) kept up
// to date from the marks each write leaves is always what a fresh look at a copy of the world gives.
// Random command sequences on a small fleet, Elastic IP moves among them, are checked after every
// command and every second; a copy (a save restored) must then carry on to the same world.
import test from 'ava';
import seedrandom from 'seedrandom';
import { worldFingerprint, copyWorld, step, type World } from '../../src/sim/index.js';
import { cursor, touchedSince } from '../../src/sim/changes.js';
import { rows } from '../../src/sim/tables.js';
import { apply, testSession } from '../helpers/world.js';
import { derivedData } from '../helpers/derived.js';

const FLEET = {
  workloads: [
    { name: 'web', kind: 'web', demand: { baseRps: 400, noise: 0.1 }, iopsPerRequest: 1 },
    { name: 'db', kind: 'database', demand: { baseRps: 200, noise: 0.1 } },
  ],
  spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 6, volatility: 1 }],
  fleet: [
    { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 3, workload: 'web', volume: { type: 'gp3', size: 50 } },
    { name: 'spot', type: 'm6i.large', zone: 'use1-az1', count: 2, workload: 'web', spot: true },
    {
      name: 'db',
      type: 'm6id.large',
      zone: 'use1-az1',
      workload: 'db',
      volume: { type: 'gp2', size: 100, name: 'db-data' },
      instanceStoreDataGB: 10,
    },
    { name: 'api', type: 'm6i.large', zone: 'use1-az2', workload: 'web', publicIp: false },
  ],
};

type Pick = <T>(list: readonly T[]) => T;

/** One random command of the language, about what the world holds now. */
function randomCommand(world: World, pick: Pick): string {
  const instances = rows(world, 'instances').filter((i) => i.state !== 'terminated');
  const inst = () => (instances.length ? pick(instances).id : 'web-1');
  const volumes = rows(world, 'volumes');
  const vol = () => (volumes.length ? pick(volumes).id : 'db-data');
  const allocations = Object.keys(world.elasticIps);
  const alloc = () => (allocations.length ? pick(allocations) : 'eipalloc-0nosuch');
  const host = () => pick(rows(world, 'hosts')).id;
  const commands: (() => string)[] = [
    () => `stop ${inst()}`,
    () => `stop ${inst()} --force`,
    () => `start ${inst()}`,
    () => `reboot ${inst()}`,
    () => `terminate ${inst()}`,
    () => 'allocate-address',
    () => `associate-address ${inst()} --allocation ${alloc()}`,
    () => `associate-address ${inst()} --allocation ${alloc()}`,
    () => `associate-address ${inst()}`,
    () => `disassociate-address ${inst()}`,
    () => `detach-volume ${vol()}`,
    () => `attach-volume ${vol()} ${inst()}`,
    () => `create-volume --az ${pick(['use1-az1', 'use1-az2'])} --size 20`,
    () => `delete-volume ${vol()}`,
    () => `modify-volume ${vol()} --type gp3 --iops 4000`,
    () => `create-snapshot ${vol()}`,
    () => `modify-instance-type ${inst()} ${pick(['m6i.xlarge', 'm6i.large', 'c6i.large'])}`,
    () =>
      `launch m6i.large --az ${pick(['use1-az1', 'use1-az2'])} --workload web${pick(['', ' --spot', ' --no-public-ip'])}`,
    () => `revoke-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0`,
    () => `authorize-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0`,
    () => `revoke-ingress default --protocol tcp --port 5432 --cidr 10.0.0.0/16`,
    () => `authorize-ingress default --protocol tcp --port 5432 --cidr 10.0.0.0/16`,
    () =>
      `authorize-ingress default --protocol tcp --port ${pick([443, 8080])} --cidr ${pick(['10.0.0.0/8', '203.0.113.0/24'])}`,
    () => `fail-host ${host()}`,
    () => `impair-host ${host()} --retire-in 5m`,
    () => `restore-host ${host()}`,
    () => `impair-zone ${pick(['use1-az1', 'use1-az2'])}`,
    () => `restore-zone ${pick(['use1-az1', 'use1-az2'])}`,
    () => `impair-volume ${vol()}`,
    () => `restore-volume ${vol()}`,
    () => `hang-guest ${inst()}`,
    () => `set-spot-capacity m6i.large use1-az1 ${pick([0, 1, 4, 6])}`,
    () => `schedule-event ${inst()} ${pick(['instance-stop', 'instance-retirement', 'system-reboot'])} --in 2m`,
  ];
  return pick(commands)();
}

for (const seed of ['1', '2', '3', '4']) {
  test(`seed ${seed}: after every random command and second, derived data is what a fresh look at a copy gives`, (t) => {
    const random = seedrandom.alea(seed);
    const pick: Pick = (list) => list[Math.floor(random() * list.length)]!;
    const { world } = testSession(FLEET, seed);
    const history: string[] = [];
    const check = (when: string) => {
      const kept = derivedData(world);
      const fresh = derivedData(copyWorld(world));
      // Health may keep watching an instance a second longer than a fresh look would (kept-up.test.ts).
      kept.watch.checks =
        fresh.watch.checks!.filter((id) => kept.watch.checks!.includes(id)).length === fresh.watch.checks!.length
          ? fresh.watch.checks!
          : kept.watch.checks!;
      t.deepEqual(kept, fresh, `${when}, after: ${history.slice(-6).join(' | ')}`);
      return JSON.stringify(kept) === JSON.stringify(fresh);
    };
    for (let s = 0; s < 400; s++) {
      if (random() < 0.4) {
        const line = randomCommand(world, pick);
        history.push(`${world.tick}: ${line}`);
        apply(world, line);
        if (!check(`after '${line}' at ${world.tick} s`)) return;
      }
      step(world);
      if (!check(`at ${world.tick} s`)) return;
    }
    // The kept world and a copy of it (a save restored) carry on alike.
    const copy = copyWorld(world);
    for (let s = 0; s < 60; s++) {
      step(world);
      step(copy);
    }
    t.is(worldFingerprint(copy), worldFingerprint(world));
    t.true(history.some((h) => h.includes('associate-address')));
  });
}

test('an Elastic IP moved from A to B leaves A unreachable from the internet at once, as a copy sees it', (t) => {
  const { world } = testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 400, noise: 0 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 2, workload: 'web', publicIp: false }],
  });
  for (let s = 0; s < 90; s++) step(world);
  const [a, b] = rows(world, 'instances');
  apply(world, `associate-address ${a!.id}`);
  for (let s = 0; s < 5; s++) step(world);
  const allocation = world.enis[a!.eniId]!.allocationId!;
  apply(world, `associate-address ${b!.id} --allocation ${allocation}`);
  t.is(world.enis[a!.eniId]!.publicIp, null);
  t.deepEqual(derivedData(world), derivedData(copyWorld(world)));
  const copy = copyWorld(world);
  for (let s = 0; s < 60; s++) {
    step(world);
    step(copy);
  }
  t.is(world.workloads.web!.last.servedRps, copy.workloads.web!.last.servedRps);
  t.is(worldFingerprint(world), worldFingerprint(copy));
});

test("a security group's rule marks only the members of the group whose workload's traffic it matches", (t) => {
  const { world } = testSession({
    securityGroups: [
      { name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
    ],
    workloads: [
      { name: 'web', kind: 'web', demand: { baseRps: 400, noise: 0 } },
      { name: 'db', kind: 'database', demand: { baseRps: 100, noise: 0 } },
    ],
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 3, workload: 'web' },
      { name: 'db', type: 'r6i.large', zone: 'use1-az1', workload: 'db', securityGroups: ['db'], publicIp: false },
      { name: 'idle', type: 'm6i.large', zone: 'use1-az1' },
    ],
  });
  for (let s = 0; s < 90; s++) step(world);
  const reader = cursor('test');
  touchedSince(world, reader);
  const marked = (line: string) => {
    apply(world, line);
    return [...touchedSince(world, reader)!.instances].map((i) => i.name).sort();
  };
  t.deepEqual(
    marked('authorize-ingress default --protocol tcp --port 8080 --cidr 0.0.0.0/0'),
    [],
    'a port no one serves',
  );
  t.deepEqual(
    marked('authorize-ingress default --protocol tcp --port 443 --cidr 10.0.0.0/8'),
    [],
    "not the clients' addresses",
  );
  t.deepEqual(marked('revoke-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0'), ['web-1', 'web-2', 'web-3']);
  t.deepEqual(marked('authorize-ingress db --protocol all --port 0-65535 --cidr 10.0.0.0/8'), ['db']);
  t.deepEqual(derivedData(world), derivedData(copyWorld(world)));
});
