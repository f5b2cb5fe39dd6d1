// The campaign, played: every level in levels/ is won by its win script and lost by its loss
// script, and the loss is for the reason the level teaches (the objectives listed here fail, and
// only those).
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { levelFiles, loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import type { Level } from '../../src/game/level.js';
import type { Objective } from '../../src/game/objectives.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';

const SCRIPTS = join(PROJECT_ROOT, 'test', 'fixtures', 'levels');

/** What each loss script gets wrong, as the objectives it must fail. */
const LOSSES: Record<string, string[]> = {
  '01-first-shift': ['no-data-loss'],
  '02-dead-host': ['slo:sessions'],
  '03-spot-reclaim': ['slo:web', 'running:web', 'incidents-resolved'],
  '04-saturated': ['slo:analytics', 'incidents-resolved'],
  '05-retirement': ['slo:web', 'running:web', 'running:orders-db', 'incidents-resolved'],
  '06-zone-down': ['slo:orders-db'],
  '07-spread-thin': ['slo:events', 'running:events'],
  '08-no-route': ['slo:shop', 'incidents-resolved'],
  '09-long-night': ['slo:orders-db', 'running:orders-db', 'incidents-resolved'],
};

const key = (o: Objective) => ('workload' in o ? `${o.kind}:${o.workload}` : o.kind);

function play(level: Level, outcome: 'win' | 'loss') {
  const path = join(SCRIPTS, `${level.id}.${outcome}.txt`);
  const session = new Session(level, level.defaultSeed);
  attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
  session.run(level.duration);
  const score = session.score();
  return {
    score,
    failed: level.objectives.filter((_, i) => !score.objectives[i]!.met).map(key),
    refused: session.events.filter((e) => e.kind === 'command-refused').map((e) => e.message),
  };
}

const levels = levelFiles().map((file) => ({ file, level: loadLevel(file) }));

test('every level has a win and a loss script and a listed reason to lose', (t) => {
  t.deepEqual(
    levels.map(({ level }) => level.id),
    Object.keys(LOSSES),
  );
  for (const { level } of levels) {
    for (const outcome of ['win', 'loss']) t.true(existsSync(join(SCRIPTS, `${level.id}.${outcome}.txt`)), `${level.id}.${outcome}.txt`);
  }
});

for (const { file, level } of levels) {
  test(`${basename(file)} is won by its win script, with every command accepted`, (t) => {
    const { score, failed, refused } = play(level, 'win');
    t.deepEqual(failed, []);
    t.deepEqual(refused, []);
    t.true(score.won);
    t.true(score.points > 0.7 * score.max, `${score.points}/${score.max}`);
  });

  test(`${basename(file)} is lost by its loss script, for the reason the level teaches`, (t) => {
    const { score, failed } = play(level, 'loss');
    t.false(score.won);
    t.deepEqual(failed, LOSSES[level.id] ?? ['(no expected loss listed)']);
  });
}
