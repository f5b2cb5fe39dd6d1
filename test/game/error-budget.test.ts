// The availability score's error budget and the SLO objectives tell one story: a workload that
// met its SLO target has budget left, and one that missed it has overspent.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { levelFiles, loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import type { Level } from '../../src/game/level.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { sample, SAMPLE_EVERY } from '../../src/game/metrics.js';
import { burnPercent } from '../../src/game/score.js';
import { percentText } from '../../src/sim/index.js';
import { Session } from '../../src/game/session.js';

function play(level: Level, script: 'win' | 'loss' | null, seed = level.defaultSeed): Session {
  const session = new Session(level, seed);
  if (script) {
    const path = join(PROJECT_ROOT, 'test', 'fixtures', 'levels', `${level.id}.${script}.txt`);
    attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
  }
  session.run(level.duration);
  return session;
}

/** Each workload's burn as the availability detail states it, in percent. */
function statedBurn(session: Session): Map<string, number> {
  const detail = session.score().components.find((c) => c.name === 'availability')!.detail;
  return new Map(
    [...detail.matchAll(/(\S+) burned (under 1|\d+)% of its error budget/g)].map((m) => [
      m[1]!,
      m[2] === 'under 1' ? 0.5 : Number(m[2]),
    ]),
  );
}

for (const file of levelFiles()) {
  const level = loadLevel(file);
  for (const script of ['win', 'loss', null] as const) {
    test(`${level.id} ${script ?? 'idle'}: every SLO objective met has budget left, every one missed has overspent`, (t) => {
      const session = play(level, script);
      const burns = statedBurn(session);
      level.objectives.forEach((o, i) => {
        if (o.kind !== 'slo') return;
        const met = session.score().objectives[i]!.met;
        const burn = burns.get(o.workload);
        t.not(burn, undefined, `${o.workload} has a stated budget`);
        t.is(burn! <= 100, met, `${o.workload}: ${burn}% burned, objective ${met ? 'met' : 'missed'}`);
      });
    });
  }
}

test('a workload slow but not failing burns its budget: seconds out of SLO count, not only failed requests', (t) => {
  const session = play(loadLevel('01-first-shift'), null, '7');
  t.false(session.score().objectives[0]!.met);
  t.regex(
    session.score().components[0]!.detail,
    /web burned 165% of its error budget \(178 s out of SLO, 108 s allowed\)/,
  );
});

test('a workload no objective holds to its SLO is not given a budget, and is not said to have no SLO', (t) => {
  const detail = play(loadLevel('01-first-shift'), null, '7').score().components[0]!.detail;
  t.regex(
    detail,
    /orders-db within its SLO 100\.0% of the time \(no objective for it, so scored on that share alone\)/,
  );
  t.notRegex(detail, /no SLO/);
  t.notRegex(detail, /orders-db burned/);
});

test('requests that fail for a few seconds between two samples show in the later one, as the mean since the one before', (t) => {
  const session = new Session(loadLevel('01-first-shift'), '1');
  const world = session.world;
  const name = Object.keys(world.workloads)[0]!;
  const before = sample(world, undefined);
  const workload = world.workloads[name]!;
  // Ten seconds on, 50 requests have failed in between and none in the last second.
  world.tick += SAMPLE_EVERY;
  workload.stats.failed += 50;
  workload.last.errorRps = 0;
  t.is(sample(world, before).workloads[name]!.errorRps, 50 / SAMPLE_EVERY);
  // A sample with no count before it (the first, or one after a save from before it was kept) has the last second.
  t.is(sample(world, undefined).workloads[name]!.errorRps, 0);
});

test('a burn under 1% of the budget reads as under 1%, not 1%; over 100% by a fraction never reads as 100%', (t) => {
  t.is(burnPercent(1 / 1440), 'under 1');
  t.is(burnPercent(0), '0');
  t.is(burnPercent(0.01), '1');
  t.is(burnPercent(1.001), '101');
  t.is(burnPercent(0.996), '99');
  t.is(burnPercent(1), '100');
  t.is(burnPercent(928 / 1440), '64');
  t.is(burnPercent(16700 / 1728), '966');
});

test('a share reads 100% only when it is whole: a request failed in millions, or a second in hours, shows', (t) => {
  t.is(percentText(100 * (1 - 1071 / 27e6), 2), '99.99%');
  t.is(percentText(100 * (1 - 1 / 7200), 1), '99.9%');
  t.is(percentText(100, 2), '100.00%');
  t.is(percentText(100, 1), '100.0%');
  t.is(percentText(0, 1), '0.0%');
});
