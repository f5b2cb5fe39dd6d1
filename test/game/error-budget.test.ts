// The availability score's error budget and the SLO objectives tell one story: a workload that
// met its SLO target has budget left, and one that missed it has overspent.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { levelFiles, loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import type { Level } from '../../src/game/level.js';
import { attachScript, parseScript } from '../../src/game/script.js';
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
  return new Map([...detail.matchAll(/(\S+) burned (\d+)% of its error budget/g)].map((m) => [m[1]!, Number(m[2])]));
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
