// Spot: a shrinking pool sends a rebalance recommendation, then an interruption notice two minutes
// ahead, then interrupts; what the interruption does depends on the instance's behaviour.
import test from 'ava';
import type { Session } from '../../src/game/session.js';
import { concerns, parseCommand, type Instance, type SimEvent } from '../../src/sim/index.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, eventsOf, named, refusals, testSession } from '../helpers/world.js';

/**
 * Two Spot instances in a pool of 20 that shrinks in steps: to 3 at tick 100 (spare capacity at
 * risk), to 1 at tick 300 (one instance too many), and back to 20 at tick 900.
 */
function shrinkingPool(interruption: string): Session {
  return testSession({
    fleet: [
      { name: 'old', type: 'm6i.large', zone: 'use1-az1', spot: true, interruption },
      { name: 'new', type: 'm6i.large', zone: 'use1-az1', spot: true, interruption },
    ],
    injects: [
      { at: 100, command: 'set-spot-capacity m6i.large use1-az1 3' },
      { at: 300, command: 'set-spot-capacity m6i.large use1-az1 1' },
      { at: 900, command: 'set-spot-capacity m6i.large use1-az1 20' },
    ],
  });
}

const SPOT_KINDS = ['spot-rebalance-recommendation', 'spot-interruption-notice', 'spot-interrupted'];

/** An instance's Spot events: the recommendations to its pool, and the notices and interruptions it is among. */
function spotStory(events: SimEvent[], inst: Instance): [string, number][] {
  const about = (e: SimEvent) =>
    e.kind === 'spot-rebalance-recommendation' ? e.subject === inst.spot!.poolKey : concerns(e, inst.id);
  return events.filter((e) => SPOT_KINDS.includes(e.kind) && about(e)).map((e) => [e.kind, e.tick]);
}

test("a shrinking pool recommends rebalancing, then gives two minutes' notice, then interrupts", (t) => {
  const session = shrinkingPool('terminate');
  const victim = named(session.world, 'new');
  session.run(600);
  t.deepEqual(spotStory(session.events, victim), [
    ['spot-rebalance-recommendation', 100],
    ['spot-interruption-notice', 300],
    ['spot-interrupted', 300 + TICKS.spotNotice],
  ]);
  const notice = eventsOf(session.events, 'spot-interruption-notice')[0]!;
  t.is(notice.data?.action, 'terminate');
  t.is(notice.data?.at, 420);
  t.is(victim.spot!.interruptAt, 420);
});

test('a pool at risk sends every instance in it a rebalance recommendation, told in one event for the pool', (t) => {
  const session = shrinkingPool('terminate');
  session.run(101);
  const told = eventsOf(session.events, 'spot-rebalance-recommendation');
  t.deepEqual(
    told.map((e) => [e.tick, e.subject, e.data?.instances]),
    [[100, 'm6i.large|use1-az1', 2]],
  );
  t.is(
    told[0]!.message,
    'Spot pool m6i.large in use1-az1 is at elevated risk of interruption: rebalance recommendation to 2 instances',
  );
  // Each instance's own signal, which its IMDS serves, is on the instance.
  t.deepEqual(
    ['old', 'new'].map((name) => named(session.world, name).spot!.rebalanceAt),
    [100, 100],
  );
});

test('the reclaim falls on the newest instance; the older one only hears the recommendation', (t) => {
  const session = shrinkingPool('terminate');
  const survivor = named(session.world, 'old');
  session.run(600);
  t.deepEqual(spotStory(session.events, survivor), [['spot-rebalance-recommendation', 100]]);
  t.is(survivor.state, 'running');
});

test('a terminate interruption ends the instance', (t) => {
  const session = shrinkingPool('terminate');
  const victim = named(session.world, 'new');
  session.run(420 + TICKS.shuttingDown + 1);
  t.is(victim.state, 'terminated');
  t.is(victim.stopReason, 'spot');
});

test('a stop interruption stops the instance, and it starts again when capacity returns', (t) => {
  const session = shrinkingPool('stop');
  const victim = named(session.world, 'new');
  session.run(420 + TICKS.stopping + 1);
  t.is(victim.state, 'stopped');
  t.is(victim.stopReason, 'spot');
  t.is(victim.hostId, null);
  session.run(900 - session.tick);
  t.is(victim.state, 'stopped', 'the pool still has no room');
  session.run(1);
  t.is(victim.state, 'pending');
  session.run(TICKS.pendingToRunning + 1);
  t.is(victim.state, 'running');
  t.deepEqual(victim.spot, { ...victim.spot!, rebalanceAt: null, noticeAt: null, interruptAt: null, action: null });
});

// EC2 User Guide, "Spot Instance interruption notices": a hibernate gets the notice but no
// two-minute warning, because hibernation starts at once; stop and terminate keep the two minutes.
test('a hibernate interruption starts hibernating at its notice, with no two-minute warning', (t) => {
  const session = shrinkingPool('hibernate');
  const victim = named(session.world, 'new');
  session.run(301);
  t.deepEqual(spotStory(session.events, victim).slice(1), [
    ['spot-interruption-notice', 300],
    ['spot-interrupted', 300],
  ]);
  t.regex(
    eventsOf(session.events, 'spot-interruption-notice')[0]!.message,
    /hibernate now \(a hibernate gets no two-minute warning\)/,
  );
  t.is(victim.state, 'stopping');
  t.is(victim.transitionAt, 300 + TICKS.hibernating);
  session.run(TICKS.hibernating);
  t.is(victim.state, 'stopped');
});

test('only EC2 restarts an instance it stopped for Spot: a user start is refused', (t) => {
  const session = shrinkingPool('stop');
  const victim = named(session.world, 'new');
  session.run(300 + TICKS.spotNotice + TICKS.stopping + 2);
  t.is(victim.state, 'stopped');
  const refused = eventsOf(apply(session.world, 'start new'), 'command-refused')[0];
  t.is(refused?.data?.code, 'IncorrectSpotRequestState');
  t.is(victim.state, 'stopped');
});

// EC2 User Guide, "Start a Spot Instance": only while its pool has capacity and its price is
// within the maximum; EC2's own restart of an interrupted one waits for both alike.
test('a stopped Spot instance starts only with capacity free and the price within its maximum', (t) => {
  const session = testSession({
    fleet: [
      { name: 'a', type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' },
      { name: 'b', type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' },
    ],
  });
  const { world } = session;
  const b = named(world, 'b');
  apply(world, 'stop b');
  session.run(TICKS.stopping + 1);
  t.is(b.state, 'stopped');
  const pool = world.spotPools[b.spot!.poolKey]!;
  pool.capacity = 1;
  const full = eventsOf(apply(world, 'start b'), 'command-refused')[0];
  t.is(full?.data?.code, 'InsufficientInstanceCapacity');
  t.regex(full!.message, /\(b\) cannot start: Spot pool m6i\.large in use1-az1 has no capacity free/);
  pool.capacity = 20;
  pool.priceMicros = pool.onDemandMicros + 1;
  const dear = eventsOf(apply(world, 'start b'), 'command-refused')[0];
  t.is(dear?.data?.code, 'SpotMaxPriceTooLow');
  t.is(b.state, 'stopped');
  pool.priceMicros = Math.round(pool.onDemandMicros / 4);
  t.deepEqual(refusals(apply(world, 'start b')), []);
  t.is(b.state, 'pending');
});

test('EC2 restarts an interrupted Spot instance only once the price is within its maximum', (t) => {
  const session = shrinkingPool('stop');
  const victim = named(session.world, 'new');
  session.run(899);
  t.is(victim.state, 'stopped');
  const spot = victim.spot!;
  spot.maxPriceMicros = 1;
  session.run(120);
  t.is(victim.state, 'stopped', 'room, but the price is above its maximum');
  spot.maxPriceMicros = null;
  session.run(120);
  t.is(victim.state, 'running');
});

test('a one-time Spot instance can be terminated but not stopped', (t) => {
  const { world } = shrinkingPool('terminate');
  t.regex(refusals(apply(world, 'stop new'))[0]!, /one-time Spot instance: it can be terminated, not stopped/);
});

test('a Spot launch needs room in the pool and a high enough maximum price', (t) => {
  const { world } = testSession({ spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 2, volatility: 0 }] });
  const code = (line: string) => eventsOf(apply(world, line), 'command-refused')[0]?.data?.code;
  t.is(code('launch m6i.large --az use1-az1 --spot --count 3'), 'InsufficientInstanceCapacity');
  t.is(code('launch m6i.large --az use1-az2 --spot'), 'InsufficientInstanceCapacity', 'no pool in that zone');
  t.is(code('launch m6i.large --az use1-az1 --spot --max-price 0.002'), 'SpotMaxPriceTooLow');
  // SpotMarketOptions: a maximum price "must be more than USD $0.001", an InvalidParameterValue below.
  t.is(code('launch m6i.large --az use1-az1 --spot --max-price 0.001'), 'InvalidParameterValue');
  t.is(code('launch m6i.large --az use1-az1 --spot --max-price 0.0010001'), 'InvalidParameterValue', 'held as $0.001');
  t.throws(() => parseCommand('launch m6i.large --az use1-az1 --spot --max-price 0.0005'), {
    message: "launch: --max-price must be 0.001-1,000, not '0.0005'",
  });
  t.is(
    code('launch m6i.large --az use1-az1 --max-price 1'),
    'InvalidParameterCombination',
    '--max-price without --spot',
  );
  t.is(code('launch m6i.large --az use1-az1 --spot --count 2'), undefined);
});

test('an instance whose maximum price the market passes gets its notice', (t) => {
  const session = testSession({
    spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 4, volatility: 0 }],
    fleet: [{ name: 'cheap', type: 'm6i.large', zone: 'use1-az1', spot: true }],
  });
  const cheap = named(session.world, 'cheap');
  // Price rises with the pool's use; a maximum just above today's price is soon passed.
  cheap.spot!.maxPriceMicros = session.world.spotPools['m6i.large|use1-az1']!.priceMicros + 1;
  apply(session.world, 'launch m6i.large --az use1-az1 --spot --count 3');
  session.run(2);
  t.deepEqual(
    spotStory(session.events, cheap).map(([kind]) => kind),
    ['spot-rebalance-recommendation', 'spot-interruption-notice'],
  );
});

test("a level's starting fleet is held to its Spot pools' capacity entry by entry, counting the entries before", (t) => {
  const spot = (zone: string, count: number, name: string) => ({
    name,
    type: 'm6i.large',
    zone,
    count,
    spot: true,
    interruption: 'stop',
  });
  const pools = [
    { type: 'm6i.large', zone: 'use1-az1', capacity: 5 },
    { type: 'm6i.large', zone: 'use1-az2', capacity: 10 },
  ];
  const fits = testSession({
    spotPools: pools,
    fleet: [spot('use1-az1', 3, 'a'), spot('use1-az2', 4, 'c'), spot('use1-az1', 2, 'b')],
  });
  t.is(Object.keys(fits.world.instances).length, 9);
  t.throws(
    () =>
      testSession({
        spotPools: pools,
        fleet: [spot('use1-az1', 5, 'a'), spot('use1-az2', 9, 'c'), spot('use1-az1', 1, 'b')],
      }),
    {
      message:
        'test-level.json: fleet[2]: Spot pool m6i.large in use1-az1 has 0 free, 1 needed. You can currently get m6i.large Spot capacity by choosing us-east-1b',
    },
  );
});

test('stopped instances come back as their pool makes room, the oldest first, and the rest wait their turn', (t) => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const session = testSession({
    spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 20, volatility: 0 }],
    fleet: names.map((name) => ({ name, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' })),
    injects: [
      { at: 100, command: 'set-spot-capacity m6i.large use1-az1 2' },
      // Room for three: a pool of 6 keeps a margin of one (riskMargin), so it takes holders up to 5.
      { at: 600, command: 'set-spot-capacity m6i.large use1-az1 6' },
      { at: 1200, command: 'set-spot-capacity m6i.large use1-az1 20' },
    ],
  });
  const states = () => names.map((n) => named(session.world, n).state).join(' ');
  session.run(600);
  t.is(states(), 'running running stopped stopped stopped stopped');
  session.run(2);
  t.is(states(), 'running running pending pending pending stopped', 'three in the second the room came');
  session.run(1200 - session.tick);
  t.is(named(session.world, 'f').state, 'stopped', 'the last waits while the pool has no room');
  session.run(2);
  t.is(named(session.world, 'f').state, 'pending');
});

// One cause, one event: a pool's notices, interruptions, stops and their ends of one second are
// told together, each listing the instances it reached; each instance's own signal stays on it.
test("a pool cut reaching several instances tells each step once for the pool, listing them, up to EC2's restarts", (t) => {
  const session = testSession({
    fleet: [{ name: 'web', count: 6, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' }],
    injects: [
      { at: 300, command: 'set-spot-capacity m6i.large use1-az1 1' },
      { at: 900, command: 'set-spot-capacity m6i.large use1-az1 20' },
    ],
  });
  const reached = ['web-2', 'web-3', 'web-4', 'web-5', 'web-6'].map((name) => named(session.world, name).id);
  session.run(301);
  t.deepEqual(
    reached.map((id) => session.world.instances[id]!.spot!.noticeAt),
    [300, 300, 300, 300, 300],
    "each instance's own notice is on it, where its IMDS serves it",
  );
  session.run(900 + TICKS.pendingToRunning + 2 - session.tick);
  const kinds = [
    'spot-interruption-notice',
    'spot-interrupted',
    'instance-stopping',
    'instance-stopped',
    'instance-starting',
    'instance-running',
  ];
  const told = kinds.map((kind) => eventsOf(session.events, kind));
  t.deepEqual(
    told.map((events) => events.map((e) => [e.tick, e.subject, e.data?.instances, e.instanceIds])),
    [300, 420, 420, 420 + TICKS.stopping, 900, 900 + TICKS.pendingToRunning].map((tick) => [
      [tick, 'm6i.large|use1-az1', 5, reached],
    ]),
  );
  const [notice] = told[0]!;
  t.is(
    notice!.message,
    `Spot pool m6i.large in use1-az1: interruption notice to 5 instances, stop in 2 minutes: ${reached
      .slice(0, 3)
      .map((id, i) => `${id} (web-${i + 2})`)
      .join(', ')} and 2 more`,
  );
  t.deepEqual(notice!.data, { action: 'stop', at: 420, instances: 5 });
});

test('the same kind of news in one second with other data is another event: a stop and a hibernate are told apart', (t) => {
  const session = testSession({
    fleet: [
      { name: 'keep', type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' },
      { name: 'stop', count: 2, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' },
      { name: 'sleep', count: 2, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'hibernate' },
    ],
    injects: [{ at: 300, command: 'set-spot-capacity m6i.large use1-az1 1' }],
  });
  session.run(301);
  t.deepEqual(
    eventsOf(session.events, 'spot-interruption-notice').map((e) => [e.data?.action, e.instanceIds!.length]),
    [
      ['stop', 2],
      ['hibernate', 2],
    ],
  );
});

// SpotMarketOptions, InstanceInterruptionBehavior: "If Configured (for HibernationOptions) is set
// to true, the InstanceInterruptionBehavior parameter is automatically set to hibernate."
test('hibernation enabled makes a Spot instance hibernate when interrupted, unless another behaviour is named, which is refused', (t) => {
  const session = testSession({
    fleet: [
      { name: 'level', type: 'm6i.large', zone: 'use1-az1', spot: true, hibernation: true, root: { encrypted: true } },
    ],
  });
  const { world } = session;
  t.is(named(world, 'level').spot!.behavior, 'hibernate');
  apply(world, 'launch m6i.large --az use1-az1 --spot --hibernation --encrypt-root --name hib');
  session.run(1);
  t.is(named(world, 'hib').spot!.behavior, 'hibernate');
  for (const behavior of ['stop', 'terminate']) {
    const refused = refusals(
      apply(world, `launch m6i.large --az use1-az1 --spot --hibernation --encrypt-root --interruption ${behavior}`),
    );
    t.is(refused.length, 1, behavior);
    t.regex(
      refused[0]!,
      new RegExp(
        `InvalidParameterCombination.*hibernates when interrupted: drop --interruption ${behavior}, or give hibernate`,
      ),
    );
  }
});

// EC2 User Guide, "Billing for interrupted Spot Instances": on Linux, a Spot instance EC2
// interrupts in its first hour costs nothing; after it, the seconds used; one its user stops or
// terminates is charged for the seconds used (a minute at least) whenever that is.
test('a Spot instance EC2 interrupts in its first hour is not charged; later, or by its user, it is', (t) => {
  const perSecond = (96_000 * 0.25) / 3600;
  const play = (
    interruption: string,
    at: number,
    hibernation = false,
    command = 'set-spot-capacity m6i.large use1-az1 0',
  ) => {
    const session = testSession({
      fleet: [
        {
          name: 'spot',
          type: 'm6i.large',
          zone: 'use1-az1',
          spot: true,
          interruption,
          ...(hibernation ? { hibernation: true, root: { encrypted: true } } : {}),
        },
      ],
      injects: [{ at, command }],
    });
    // Its record, held: a terminated instance leaves the world's table a while later.
    const spot = named(session.world, 'spot');
    session.run(at + 2 * 60 + TICKS.hibernating + 60);
    t.true(spot.state === 'terminated' || spot.state === 'stopped', `${interruption} at ${at}: ${spot.state}`);
    const ended = eventsOf(session.events, 'spot-interrupted')[0]?.tick ?? at;
    return { cost: spot.costMicros, ledger: session.world.ledger.spotMicros, ended };
  };
  for (const [interruption, hibernation] of [
    ['terminate', false],
    ['stop', false],
    ['hibernate', true],
  ] as const) {
    const early = play(interruption, 600, hibernation);
    t.is(early.cost, 0, `${interruption} in the first hour`);
    t.true(
      early.ledger >= 0 && early.ledger < 1e-6,
      `${interruption}: the ledger gives the period back (${early.ledger})`,
    );
  }
  // Interrupted 2 minutes after a notice at 3,500 s or later: past the hour, every second used is charged.
  const late = play('terminate', 3500);
  t.true(late.ended > 3600);
  // At the pool's price, which rises a little as the pool runs short.
  t.true(Math.abs(late.cost / (late.ended * perSecond) - 1) < 0.02, `${late.cost}`);
  t.is(Math.round(late.ledger), Math.round(late.cost));
  const mine = play('terminate', 600, false, 'terminate spot');
  t.true(Math.abs(mine.cost / (600 * perSecond) - 1) < 0.02, `the user's own termination is charged: ${mine.cost}`);
});

test('the Spot ledger gives back the first hours of instances EC2 interrupted together, and never reads below nothing', (t) => {
  // Two pools' holders interrupted in the same minutes: their seconds' fractions, added up and
  // taken away again, left -2.7e-11, which a save's snapshot refuses.
  const session = testSession({
    racks: [
      { zone: 'use1-az1', family: 'm6id', racks: 3, hostsPerRack: 2 },
      { zone: 'use1-az2', family: 'm6id', racks: 2, hostsPerRack: 2 },
    ],
    spotPools: [
      { type: 'm6id.large', zone: 'use1-az1', capacity: 20, volatility: 0 },
      { type: 'm6id.large', zone: 'use1-az2', capacity: 20, volatility: 0 },
    ],
    fleet: [
      { name: 'st', count: 3, type: 'm6id.large', zone: 'use1-az1', spot: true, interruption: 'terminate' },
      { name: 'od', count: 2, type: 'm6id.large', zone: 'use1-az2' },
      { name: 'sq', count: 2, type: 'm6id.large', zone: 'use1-az2', spot: true, interruption: 'terminate' },
    ],
    injects: [
      { at: 60, command: 'set-spot-capacity m6id.large use1-az1 0' },
      { at: 60, command: 'set-spot-capacity m6id.large use1-az2 0' },
    ],
  });
  session.run(700);
  t.is(
    eventsOf(session.events, 'spot-interrupted').reduce((n, e) => n + (e.instanceIds?.length ?? 1), 0),
    5,
  );
  const left = session.world.ledger.spotMicros;
  t.true(left >= 0 && left < 1e-6, String(left));
});
