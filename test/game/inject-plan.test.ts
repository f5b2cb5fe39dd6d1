// What the seed decides: windows, chances, counts, targets, magnitudes and fault processes are
// drawn from the world's own named streams, within the level's bounds, the same way every time.
import test from 'ava';
import { Session } from '../../src/game/session.js';
import { testLevel, type LevelPatch } from '../helpers/world.js';

const WEB = { name: 'web', kind: 'web', demand: { baseRps: 100 } };
const fleet = [
  { name: 'web', count: 6, type: 'm6i.large', zone: 'use1-az1', workload: 'web' },
  { name: 'spot', count: 3, type: 'm6i.large', zone: 'use1-az1', workload: 'web', spot: true },
];

function plan(patch: LevelPatch, seed: string): { tick: number; text: string }[] {
  return new Session(testLevel({ workloads: [WEB], fleet, ...patch }), seed)
    .toSnapshot()
    .queued.map((q) => ({ tick: q.tick, text: q.text }));
}

const SEEDS = ['1', '2', '3', '4', '5', '6'];

test('a window, a count and a target set: each command draws its own time and a distinct target, the same for one seed', (t) => {
  const injects = [
    {
      at: '5m..25m',
      count: '1..3',
      target: { kind: 'instance', workload: 'web', market: 'on-demand' },
      command: 'hang-guest {name}',
    },
  ];
  const plans = SEEDS.map((seed) => plan({ injects }, seed));
  t.deepEqual(plan({ injects }, '3'), plans[2]);
  for (const p of plans) {
    t.true(p.length >= 1 && p.length <= 3);
    t.true(p.every((c) => c.tick >= 300 && c.tick <= 1500));
    t.true(
      p.every((c) => /^hang-guest web-[1-6]$/.test(c.text)),
      p.map((c) => c.text).join(),
    );
    t.is(new Set(p.map((c) => c.text)).size, p.length, 'targets are distinct');
  }
  t.true(new Set(plans.map((p) => JSON.stringify(p))).size >= 5, 'seeds give different plans');
});

test('a probability of 0 never happens, of 1 always, and in between on some seeds only', (t) => {
  const inject = (probability: number) => [{ at: '10m', probability, command: 'impair-zone use1-az2' }];
  t.true(SEEDS.every((s) => plan({ injects: inject(0) }, s).length === 0));
  t.true(SEEDS.every((s) => plan({ injects: inject(1) }, s).length === 1));
  const some = SEEDS.map((s) => plan({ injects: inject(0.5) }, s).length);
  t.true(some.includes(0) && some.includes(1), some.join());
});

test("a Spot pool's capacity is drawn as a share of its capacity; a host target carries at least N instances", (t) => {
  const injects = [
    {
      at: '10m',
      target: { kind: 'spot-pool', inUse: true },
      magnitude: '0..0.3',
      command: 'set-spot-capacity {pool} {capacity}',
    },
    { at: '20m', target: { kind: 'host', minInstances: 2 }, command: 'fail-host {host}' },
  ];
  for (const seed of SEEDS) {
    const [spot, host] = plan({ injects }, seed);
    t.regex(spot!.text, /^set-spot-capacity m6i\.large use1-az1 [0-6]$/);
    const session = new Session(testLevel({ workloads: [WEB], fleet, injects }), seed);
    const chosen = session.world.hosts[host!.text.split(' ')[1]!]!;
    t.true(chosen.instanceIds.length >= 2);
  }
});

test('host failures at a rate: within the window, at most max, each host once; no rate, no failures', (t) => {
  const processes = (rate: number) => [
    { kind: 'host-failures', hosts: { workload: 'web' }, ratePerHostHour: rate, during: '5m..50m', max: 2 },
  ];
  const counts = SEEDS.map((seed) => {
    const p = plan({ processes: processes(1) }, seed);
    t.true(p.every((c) => c.tick >= 300 && c.tick <= 3000 && c.text.startsWith('fail-host ')));
    t.is(new Set(p.map((c) => c.text)).size, p.length);
    return p.length;
  });
  t.true(counts.every((n) => n <= 2) && counts.some((n) => n > 0), counts.join());
  t.deepEqual(plan({ processes: processes(0) }, '1'), []);
  // An annual failure rate sped up: 0.5 a year at 17,532 times is one failure per host per hour.
  t.deepEqual(
    plan(
      {
        processes: [
          { kind: 'host-failures', hosts: { workload: 'web' }, afr: 0.5, speedup: 17532, during: '5m..50m', max: 2 },
        ],
      },
      '4',
    ),
    plan({ processes: processes(1) }, '4'),
  );
});

test('a Spot pool walks between its floor and ceiling; demand surges do not overlap and stay within their factor', (t) => {
  for (const seed of SEEDS) {
    const walk = plan({ processes: [{ kind: 'spot-walk', every: '2m', step: 0.5, floor: 0.25, ceiling: 1 }] }, seed);
    t.true(walk.length > 0);
    for (const c of walk) t.true(Number(c.text.split(' ')[3]) >= 5 && Number(c.text.split(' ')[3]) <= 20, c.text);
    const surges = plan(
      {
        processes: [
          { kind: 'demand-surges', workload: 'web', ratePerHour: 6, factor: '1.5..3', length: '2m..4m', max: 5 },
        ],
      },
      seed,
    );
    let free = 0;
    for (const c of surges) {
      const [, , workload, factor, , length] = /^(surge-demand) (\S+) (\S+) (--for) (\d+)$/.exec(c.text)!;
      t.is(workload, 'web');
      t.true(Number(factor) >= 1.5 && Number(factor) <= 3);
      t.true(c.tick >= free);
      free = c.tick + Number(length);
    }
  }
});

test("a surge multiplies the workload's demand while it lasts", (t) => {
  const session = new Session(
    testLevel({
      workloads: [WEB],
      fleet: [fleet[0]],
      injects: [{ at: '60', command: 'surge-demand web 2.5 --for 2m' }],
    }),
    '1',
  );
  session.run(61);
  t.is(Math.round(session.world.workloads.web!.last.demandRps), 250);
  t.true(session.events.some((e) => e.kind === 'demand-surge' && e.subject === 'web'));
  session.run(120);
  t.is(Math.round(session.world.workloads.web!.last.demandRps), 100);
});

test("planning draws only from its own streams: the model's draws are not shifted, and a level without seeded injects draws nothing", (t) => {
  const injects = [{ at: '5m..25m', target: { kind: 'instance' }, command: 'hang-guest {instance}' }];
  const plain = new Session(testLevel({ workloads: [WEB], fleet }), '9');
  const seeded = new Session(testLevel({ workloads: [WEB], fleet, injects, processes: [{ kind: 'spot-walk' }] }), '9');
  const before = Object.keys(plain.world.rng);
  t.deepEqual(
    before.filter((k) => /^(inject|process):/.test(k)),
    [],
  );
  t.deepEqual(
    Object.keys(seeded.world.rng)
      .filter((k) => !before.includes(k))
      .sort(),
    ['inject:0', 'process:0'],
  );
  t.deepEqual(Object.fromEntries(before.map((k) => [k, seeded.world.rng[k]])), plain.world.rng);
  plain.run(200);
  seeded.run(200);
  const model = (s: Session) =>
    Object.fromEntries(Object.entries(s.world.rng).filter(([k]) => !/^(inject|process):/.test(k)));
  t.deepEqual(model(seeded), model(plain));
});

test('a snapshot taken before a planned inject carries on to the same end as the uninterrupted play', (t) => {
  const level = testLevel({
    workloads: [WEB],
    fleet,
    injects: [{ at: '10m..20m', count: 2, target: { kind: 'host', workload: 'web' }, command: 'fail-host {host}' }],
    processes: [{ kind: 'demand-surges', workload: 'web', ratePerHour: 4 }],
  });
  const whole = new Session(level, '5');
  whole.run(level.duration);
  const first = new Session(level, '5');
  first.run(400);
  const resumed = Session.fromSnapshot(level, JSON.parse(JSON.stringify(first.toSnapshot())));
  resumed.run(level.duration - 400);
  t.is(resumed.hash(), whole.hash());
  t.deepEqual(resumed.incidents, whole.incidents);
});
