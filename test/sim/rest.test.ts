// Units at rest and the work a second does: members under their threshold are counted in bulk and
// must come out as if worked one by one; a world rebuilt from its JSON (a save's snapshot) carries
// on exactly as the original; meters bill what a second-by-second charge would.
import test from 'ava';
import { instanceCostMicros, volumeCostMicros } from '../../src/sim/billing.js';
import { copyWorld, ioOf, step, worldFingerprint, type World } from '../../src/sim/index.js';
import { rosterOf } from '../../src/sim/roster.js';
import { instanceType } from '../../src/sim/catalogue.js';
import { apply, named, run, testSession } from '../helpers/world.js';

/** Four database members whose gp3 data volumes run out before their CPUs do, and a web tier on small gp2 volumes that burst. */
function fleet(dbRps: number, noise = 0): World {
  const { world } = testSession({
    workloads: [
      { name: 'db', kind: 'database', demand: { baseRps: dbRps, noise }, iopsPerRequest: 6 },
      { name: 'web', kind: 'web', demand: { baseRps: 600, noise: 0.3 }, iopsPerRequest: 4 },
    ],
    securityGroups: [
      { name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/8' }] },
    ],
    fleet: [
      {
        name: 'db',
        type: 'm6i.large',
        zone: 'use1-az1',
        count: 4,
        workload: 'db',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'gp3', size: 100 },
      },
      {
        name: 'web',
        type: 'm6i.large',
        zone: 'use1-az2',
        count: 2,
        workload: 'web',
        securityGroups: ['web'],
        volume: { type: 'gp2', size: 20 },
      },
    ],
  });
  return world;
}

const db = (world: World) => rosterOf(world).teams.find((t) => t.workload.name === 'db')!;

test('a workload’s figures read 0 before its first second, not the -0 they are made with (see zeroFigures)', (t) => {
  const wl = fleet(100).workloads.db!;
  for (const [name, value] of [...Object.entries(wl.stats), ...Object.entries(wl.last)])
    t.true(Object.is(value, 0), `${name} is ${Object.is(value, -0) ? '-0' : value}`);
});

test('members at rest serve their share at their resting latency, counted without working a unit', (t) => {
  const probe = fleet(100);
  const threshold = db(probe).byThreshold[0]!.threshold;
  const totalVcpu = db(probe).totalVcpu;
  const world = fleet(threshold * totalVcpu * 0.5);
  run(world, 5);
  const wl = world.workloads.db!;
  const roster = rosterOf(world);
  t.is(roster.lastWorked.filter((u) => u.member?.team.workload === wl).length, 0, 'no database unit was worked');
  t.true(Math.abs(wl.last.servedRps - wl.last.demandRps) < 1e-9);
  // database: 2 ms base, M/M/1 queueing at the CPU, and gp3's 1 ms for each I/O, counted up to 4.
  const u = Math.min(0.95, wl.last.demandRps / totalVcpu / wl.rpsPerVcpu);
  t.true(Math.abs(wl.last.latencyMs - (2 / (1 - u) + 1 * 4)) < 1e-9, `latency ${wl.last.latencyMs}`);
  t.is(wl.stats.goodSeconds, 5);
});

test('demand past a member’s threshold works its unit second by second until it is at rest again', (t) => {
  const probe = fleet(100);
  const { byThreshold: members, totalVcpu } = db(probe);
  const world = fleet(members[0]!.threshold * totalVcpu * 1.5);
  run(world, 3);
  const team = db(world);
  t.is(rosterOf(world).lastWorked.filter((u) => u.member?.team === team).length, 4);
  const data = team.byThreshold[0]!.data!;
  t.true(ioOf(world, data).queueLength > 0, 'the volume queues what it cannot deliver');
  t.true(world.workloads.db!.last.latencyMs > 4);
  // Demand falls back under the threshold: the queue drains and the units come to rest.
  world.workloads.db!.demand.baseRps = members[0]!.threshold * totalVcpu * 0.5;
  run(world, 60);
  t.is(ioOf(world, data).queueLength, 0);
  t.true(team.byThreshold.every((m) => m.unit.atRest));
  t.is(rosterOf(world).lastWorked.filter((u) => u.member?.team === team).length, 0);
});

test('a quiet second reuses what was derived and works nothing', (t) => {
  const world = fleet(100);
  run(world, 120);
  const roster = rosterOf(world);
  const events = step(world);
  t.deepEqual(events, []);
  t.is(rosterOf(world), roster, 'the roster was not drawn up again');
  t.deepEqual(
    rosterOf(world).lastWorked.filter((u) => u.member?.team.workload.name === 'db'),
    [],
  );
});

test('a world rebuilt from its JSON carries on exactly as the original, at rest, bursting and queueing', (t) => {
  const probe = fleet(100);
  const { byThreshold: members, totalVcpu } = db(probe);
  // Noise around the threshold: members cross it back and forth, queues fill and drain, gp2 roots burst.
  const original = fleet(members[0]!.threshold * totalVcpu, 0.2);
  for (const at of [1, 37, 240, 900]) {
    run(original, at - original.tick);
    const copy = copyWorld(original);
    for (let s = 0; s < 120; s++) {
      if (s === 30) for (const w of [original, copy]) apply(w, `stop ${named(w, 'db-2').id}`);
      step(original);
      step(copy);
      t.is(worldFingerprint(copy), worldFingerprint(original), `copied at ${at} s, ${s + 1} s later`);
      if (worldFingerprint(copy) !== worldFingerprint(original)) return;
    }
  }
});

test('meters charge what second-by-second billing would, and the ledger agrees with them', (t) => {
  const world = fleet(100);
  const inst = named(world, 'db-1');
  const perSecond = instanceType('m6i.large')!.onDemandMicrosPerHour / 3600;
  run(world, 100);
  t.true(Math.abs(instanceCostMicros(world, inst) - 100 * perSecond) < 1e-6);
  apply(world, `stop ${inst.id}`);
  run(world, 200);
  t.true(Math.abs(instanceCostMicros(world, inst) - 100 * perSecond) < 1e-6, 'a stopped instance is not billed');
  const instances = Object.values(world.instances).reduce((sum, i) => sum + instanceCostMicros(world, i), 0);
  const volumes = Object.values(world.volumes).reduce((sum, v) => sum + volumeCostMicros(world, v), 0);
  t.true(Math.abs(world.ledger.onDemandMicros - instances) < 1e-3, `${world.ledger.onDemandMicros} vs ${instances}`);
  t.true(Math.abs(world.ledger.ebsMicros - volumes) < 1e-3, `${world.ledger.ebsMicros} vs ${volumes}`);
});

test('a busy unit’s idle root volume reads as a worked one would, whether the instance limits it or not', (t) => {
  // 6 I/Os a request around 7,000 requests a second: around the 40,000 IOPS an m6i.large moves at most.
  const { world: original } = testSession({
    workloads: [
      { name: 'db', kind: 'database', rpsPerVcpu: 10_000, demand: { baseRps: 7000, noise: 0.3 }, iopsPerRequest: 6 },
    ],
    securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/8' }] }],
    fleet: [
      {
        name: 'db',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'db',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'io2', size: 128, iops: 64_000 },
      },
    ],
  });
  const root = original.volumes[named(original, 'db').rootVolumeId]!;
  const seen = new Set<string>();
  run(original, 5);
  const copy = copyWorld(original);
  for (let s = 0; s < 120; s++) {
    step(original);
    step(copy);
    seen.add(ioOf(original, root).limitedBy);
    t.is(worldFingerprint(copy), worldFingerprint(original), `${s + 1} s after the copy`);
    if (worldFingerprint(copy) !== worldFingerprint(original)) return;
  }
  t.deepEqual([...seen].sort(), ['instance', 'none']);
});
