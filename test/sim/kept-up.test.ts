// Derived data is kept up to date with what each second touches (see src/sim/changes.ts). Whatever
// happens, it must be what drawing it up afresh from the world gives, or a world restored from a
// save would walk its fleet differently from the one that was saved. Every level is played with its
// win and loss scripts, and after each second in which anything happened the derived data is
// compared with a copy's, drawn up from scratch; and a change touches only what it concerns.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { levelFiles, loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { worldFingerprint, copyWorld, beyondReach, cursor, step, touchedSince } from '../../src/sim/index.js';
import { rosterOf } from '../../src/sim/roster.js';
import { derivedData } from '../helpers/derived.js';
import { apply, named, run, testSession } from '../helpers/world.js';

const levels = levelFiles().map((file) => loadLevel(file));

for (const level of levels) {
  for (const outcome of ['win', 'loss']) {
    test(`${level.id}, ${outcome} script: what is kept up to date is what a fresh look gives`, (t) => {
      const path = join(PROJECT_ROOT, 'test', 'fixtures', 'levels', `${level.id}.${outcome}.txt`);
      const session = new Session(level, level.defaultSeed);
      attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
      let compared = 0;
      for (let s = 0; s < level.duration; s++) {
        const events = session.advance();
        if (events.length === 0 && s % 60 !== 0) continue;
        const kept = derivedData(session.world);
        const fresh = derivedData(copyWorld(session.world));
        compared++;
        // Health keeps watching an instance for the second after its checks settle, and a look at
        // settled checks changes nothing: the list kept may be longer than a fresh one, never shorter.
        const missed = fresh.watch.checks!.filter((id) => !kept.watch.checks!.includes(id));
        t.deepEqual(missed, [], `${level.id} at ${session.world.tick} s: checks not watched`);
        kept.watch.checks = fresh.watch.checks!;
        t.deepEqual(kept, fresh, `${level.id} at ${session.world.tick} s`);
        if (missed.length || JSON.stringify(kept) !== JSON.stringify(fresh)) return;
      }
      t.true(compared > 10);
    });
  }
}

/** `count` web instances on gp3 in one zone (with `extra` fields, in the given Spot pools), serving one web tier. */
function webFleet(count: number, extra: Record<string, unknown> = {}, spotPools: unknown[] = []) {
  return testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 400, noise: 0.1 }, iopsPerRequest: 1 }],
    spotPools,
    fleet: [
      {
        name: 'web',
        type: 'm6i.large',
        zone: 'use1-az1',
        count,
        workload: 'web',
        volume: { type: 'gp3', size: 50 },
        ...extra,
      },
    ],
  });
}

test('a stop touches one instance: every other unit and member is kept as it was', (t) => {
  const { world } = webFleet(6);
  run(world, 90);
  const before = new Map([...rosterOf(world).unitOf.values()].map((unit) => [unit.instance!, unit]));
  const stopped = named(world, 'web-3');
  apply(world, `stop ${stopped.id}`);
  step(world);
  const after = rosterOf(world).unitOf;
  for (const [inst, unit] of before) {
    if (inst === stopped) t.not(after.get(inst), unit, 'the stopped instance was looked at again');
    else t.is(after.get(inst), unit, `${inst.id} was left alone`);
  }
  t.is(rosterOf(world).teams[0]!.byThreshold.length, 5);
});

test('a rule change across the fleet looks again at every member and keeps their units, and a copy carries on alike', (t) => {
  const { world } = webFleet(4);
  run(world, 90);
  const unit = rosterOf(world).unitOf.get(named(world, 'web-1'))!;
  apply(world, 'revoke-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0');
  let copy = copyWorld(world);
  step(world);
  step(copy);
  t.is(rosterOf(world).unitOf.get(named(world, 'web-1')), unit, 'its volumes and state are as they were');
  t.is(unit.member, null);
  t.is(rosterOf(world).teams[0]!.byThreshold.length, 0, 'no member is reachable');
  t.deepEqual(derivedData(world), derivedData(copy));
  t.is(worldFingerprint(world), worldFingerprint(copy));
  apply(world, 'authorize-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0');
  copy = copyWorld(world);
  for (let s = 0; s < 30; s++) {
    step(world);
    step(copy);
  }
  t.is(rosterOf(world).teams[0]!.byThreshold.length, 4, 'all serve again');
  t.deepEqual(derivedData(world), derivedData(copy));
  t.is(worldFingerprint(world), worldFingerprint(copy));
});

test('a rule change touches its instances only in what reaches them, and a touch of more makes an instance looked at whole', (t) => {
  const { world } = webFleet(4, { spot: true, interruption: 'stop' }, [
    { type: 'm6i.large', zone: 'use1-az1', capacity: 8, volatility: 0 },
  ]);
  run(world, 90);
  const reader = cursor('test reader');
  touchedSince(world, reader);
  apply(world, 'revoke-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0');
  let touched = touchedSince(world, reader)!;
  t.is(touched.reachOnly.size, 4);
  t.is(beyondReach(touched).size, 0, 'the watch lists, Spot pool usage and status checks pass them by');
  // In the same span as a rule change, one is stopped and the pool's cut sends all four a
  // recommendation (web-4 a notice too): touched in more than what reaches them, all are looked at whole.
  apply(
    world,
    'authorize-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0',
    `stop ${named(world, 'web-1').id}`,
  );
  apply(world, 'set-spot-capacity m6i.large use1-az1 3');
  step(world);
  touched = touchedSince(world, reader)!;
  t.is(touched.instances.size, 4);
  t.deepEqual([touched.reachOnly.size, touched.spotSignalsOnly.size], [0, 0]);
  t.is(named(world, 'web-4').spot!.noticeAt, world.tick - 1);
  t.deepEqual(derivedData(world), derivedData(copyWorld(world)));
  t.is(rosterOf(world).teams[0]!.byThreshold.length, 3, 'all but the stopped one serve again');
});

test("a Spot pool's rebalance recommendations and notices leave every unit as it was, as a copy sees it", (t) => {
  const { world } = webFleet(6, { spot: true, interruption: 'stop' }, [
    { type: 'm6i.large', zone: 'use1-az1', capacity: 8, volatility: 0 },
  ]);
  run(world, 90);
  const before = new Map([...rosterOf(world).unitOf.values()].map((unit) => [unit.instance!, unit]));
  // Four of six too many: every instance hears a recommendation, the two newest get their notice.
  apply(world, 'set-spot-capacity m6i.large use1-az1 4');
  step(world);
  t.deepEqual(
    [...before.keys()].map((inst) => [inst.spot!.rebalanceAt !== null, inst.spot!.noticeAt !== null]),
    [...Array(6)].map((_, i) => [true, i >= 4]),
  );
  for (const [inst, unit] of before) t.is(rosterOf(world).unitOf.get(inst), unit, `${inst.id} was left alone`);
  t.deepEqual(derivedData(world), derivedData(copyWorld(world)));
});

test("a zone's outage keeps every unit; its instances serve again with their members as they were, as a copy sees it", (t) => {
  const { world } = webFleet(4);
  run(world, 90);
  const units = [...rosterOf(world).unitOf.values()];
  const members = units.map((unit) => unit.member);
  apply(world, 'impair-zone use1-az1');
  step(world);
  t.is(rosterOf(world).teams[0]!.byThreshold.length, 0, 'no member serves');
  apply(world, 'restore-zone use1-az1');
  const copy = copyWorld(world);
  for (let s = 0; s < 30; s++) {
    step(world);
    step(copy);
  }
  const now = [...rosterOf(world).unitOf.values()];
  t.true(now.length === units.length && now.every((unit, i) => unit === units[i]), 'the units stand as they were');
  t.true(
    units.every((unit, i) => unit.member !== null && unit.member === members[i]),
    'each serves with its member',
  );
  t.deepEqual(derivedData(world), derivedData(copy));
  t.is(worldFingerprint(world), worldFingerprint(copy));
});
