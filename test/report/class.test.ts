// fleetops class: many responders' reports of one level in one comparison.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { runExercise } from '../../src/cli/batch.js';
import { parseLevel } from '../../src/game/level.js';
import { parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { buildClass, classBlocks } from '../../src/report/class.js';
import { renderReport } from '../../src/report/index.js';
import { fleetops } from '../helpers/fleetops.js';
import { fileTempDir } from '../helpers/temp.js';

const script = (name: string) => parseScript(readFileSync(`test/fixtures/levels/${name}.txt`, 'utf8'), name);
const json = (level: string, seed: string, plan: string | null, player: string) =>
  renderReport(runExercise(loadLevel(level), seed, plan ? script(plan) : null, player), 'json');

const dir = fileTempDir('class');
const files: Record<string, string> = {
  'ann.json': json('02-dead-host', '1', '02-dead-host.win', 'ann'),
  'bo.json': json('02-dead-host', '2', '02-dead-host.loss', 'bo'),
  'cy.json': json('02-dead-host', '3', '02-dead-host.loss', 'cy'),
  'other-level.json': json('03-spot-reclaim', '1', null, 'dee'),
  'old.json': JSON.stringify({ schema: 'fleetops/report@1', level: { id: '02-dead-host' } }),
  'notes.json': 'plain text',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
const inputs = Object.entries(files).map(([file, text]) => ({ file, text }));

test('one row per report of the level, best first, with the spread and what recurs', (t) => {
  const { view } = buildClass(inputs);
  t.deepEqual(view!.rows.map((r) => r.player).sort(), ['ann', 'bo', 'cy']);
  t.deepEqual(
    view!.rows.map((r) => r.points),
    view!.rows.map((r) => r.points).sort((a, b) => b - a),
  );
  t.is(view!.rows[0]!.player, 'ann');
  const points = view!.rows.map((r) => r.points);
  t.deepEqual(view!.spread.points, {
    min: Math.min(...points),
    median: [...points].sort((a, b) => a - b)[1]!,
    max: Math.max(...points),
  });
  for (const row of view!.rows) {
    const { impact } = JSON.parse(files[row.file]!) as {
      impact: { dataLostGB: number; dataLostByRespondersGB: number };
    };
    t.deepEqual([row.dataLostGB, row.dataLostByRespondersGB], [impact.dataLostGB, impact.dataLostByRespondersGB]);
  }
  t.deepEqual(view!.recurringFindings, [{ finding: 'plain-stop-on-failed-host', reports: 2 }]);
  const runbook = view!.recurringActionItems.find((a) => a.id === 'force-stop-runbook')!;
  t.is(runbook.reports, 2);
});

test('never is slower than any time: a responder who left incidents unacknowledged sorts last in the spread', (t) => {
  // ann acknowledges her incidents; the two who do nothing acknowledge none of theirs.
  const reports = [
    { file: 'ann.json', text: files['ann.json']! },
    { file: 'idle-2.json', text: json('02-dead-host', '2', null, 'idle-2') },
    { file: 'idle-3.json', text: json('02-dead-host', '3', null, 'idle-3') },
  ];
  const { view } = buildClass(reports);
  const ann = view!.rows.find((r) => r.player === 'ann')!;
  t.is(ann.neverAcknowledged, 0);
  t.true(view!.rows.filter((r) => r.player !== 'ann').every((r) => r.neverAcknowledged > 0));
  t.deepEqual(view!.spread.slowestAckSeconds, { min: ann.slowestAckSeconds, median: null, max: null });
  const spread = classBlocks(view!).find((b) => b.kind === 'table' && b.head[0] === 'measure');
  const row = spread?.kind === 'table' ? spread.rows.find((r) => r[0] === 'slowest acknowledgement') : undefined;
  t.deepEqual(row?.slice(2), ['never', 'never']);
  for (const [measure, s] of Object.entries(view!.spread))
    if (s && s.min !== null && s.median !== null)
      t.true(s.min <= s.median && (s.max === null || s.median <= s.max), `${measure}: ${JSON.stringify(s)}`);
});

test('the median is rounded as the min and max are, so it never reads outside them', (t) => {
  const costing = (player: string, total: number) => {
    const r = JSON.parse(files['ann.json']!) as {
      responder: { player: string };
      impact: { costUsd: { total: number } };
    };
    r.responder.player = player;
    r.impact.costUsd.total = total;
    return { file: `${player}.json`, text: JSON.stringify(r) };
  };
  const { view } = buildClass([costing('a', 0.2818), costing('b', 0.2835), costing('c', 0.2835)]);
  t.deepEqual(view!.spread.costUsd, { min: 0.2818, median: 0.2835, max: 0.2835 });
});

test('a report given twice, as the same file or a copy, counts once', (t) => {
  const [one] = inputs.filter((i) => i.file !== 'notes.json');
  const { view, skipped } = buildClass([one!, { ...one! }, { file: 'copy.json', text: one!.text }]);
  t.is(view!.rows.length, 1);
  t.deepEqual(
    skipped.map((s) => [s.file, s.reason]),
    [
      [one!.file, `the same report as ${one!.file}; each play counts once`],
      ['copy.json', `the same report as ${one!.file}; each play counts once`],
    ],
  );
});

test('a report of another level or schema, or not a report at all, is skipped with its reason', (t) => {
  const { skipped } = buildClass(inputs);
  t.deepEqual(skipped.map((s) => s.file).sort(), ['notes.json', 'old.json', 'other-level.json']);
  t.regex(skipped.find((s) => s.file === 'old.json')!.reason, /^fleetops\/report@1, not fleetops\/report@2/);
  t.regex(skipped.find((s) => s.file === 'other-level.json')!.reason, /^a report of 03-spot-reclaim, not 02-dead-host/);
  const broken = JSON.parse(files['ann.json']!) as { score: { grade: string } };
  broken.score.grade = 'Z';
  t.regex(
    buildClass([{ file: 'z.json', text: JSON.stringify(broken) }]).skipped[0]!.reason,
    /does not match fleetops\/report@2: \/score\/grade/,
  );
  const painted = JSON.parse(files['ann.json']!) as { responder: { player: string } };
  painted.responder.player = '\u001b[2J\u001b[31mEVIL';
  t.is(
    buildClass([{ file: 'p.json', text: JSON.stringify(painted) }]).skipped[0]!.reason,
    '/responder/player holds a control character, which no report fleetops writes has',
  );
  const titled = JSON.parse(files['ann.json']!) as { level: { title: string } };
  titled.level.title = 'Dead\n# HACKED';
  t.is(
    buildClass([{ file: 't.json', text: JSON.stringify(titled) }]).skipped[0]!.reason,
    '/level/title holds a line break or a tab, which no report fleetops writes has',
  );
  // Numbers as a report can hold them: a score out of 5100 at most (five weights of 100 and a
  // graded handler), and no more points than its maximum.
  const scored = (points: number, max: number) => {
    const r = JSON.parse(files['ann.json']!) as { score: { points: number; max: number } };
    Object.assign(r.score, { points, max });
    return buildClass([{ file: 's.json', text: JSON.stringify(r) }]).skipped[0]?.reason;
  };
  t.regex(scored(1e308, 1000)!, /does not match fleetops\/report@2: \/score\/points must be <= 5100/);
  t.is(scored(5, 0), '/score/points is more than /score/max, which no report fleetops writes has');
  // Refused from its text: walking what JSON.parse makes of it would overflow the stack.
  const deep = `{"schema": "fleetops/report@2", "a": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
  t.is(
    buildClass([{ file: 'd.json', text: deep }]).skipped[0]!.reason,
    'nested more than 64 levels deep, which no report fleetops writes is',
  );
});

test('fleetops class writes the comparison, says what it skipped, and refuses bad input with exit 2', async (t) => {
  const out = join(dir, 'class.html');
  const ran = await fleetops(['class', ...Object.keys(files).map((f) => join(dir, f)), '--out', out]);
  t.is(ran.code, 0, ran.stderr);
  t.is(ran.stderr.trim().split('\n').length, 3);
  t.regex(ran.stderr, /skipped .*other-level\.json: a report of 03-spot-reclaim/);
  const html = readFileSync(out, 'utf8');
  t.true(html.includes('<h1>Class report: Dead host</h1>') && !html.includes('`'));
  const none = await fleetops(['class', join(dir, 'notes.json')]);
  t.is(none.code, 2);
  t.regex(none.stderr, /none of the files is a fleetops\/report@2 JSON report/);
  t.is((await fleetops(['class'])).code, 2);
});

test('an action item a report suggests for each of its incidents counts once for the report', (t) => {
  // Two Spot pools reclaimed, and each time a replacement launched into the pool being reclaimed:
  // the same runbook item for each pool's incident.
  const reports = ['1', '2'].map((seed) => ({
    file: `same-pool-${seed}.json`,
    text: json('03-spot-reclaim', seed, '03-spot-reclaim.loss', `same-pool-${seed}`),
  }));
  const perReport = reports.map(({ text }) =>
    (JSON.parse(text) as { actionItems: { id: string }[] }).actionItems.map((a) => a.id),
  );
  const repeated = perReport[0]!.find((id, i, ids) => ids.indexOf(id) !== i);
  t.truthy(repeated, 'a report suggests one kind of item twice');
  const { view } = buildClass(reports);
  for (const item of view!.recurringActionItems)
    t.is(item.reports, perReport.filter((ids) => ids.includes(item.id)).length, item.id);
});

test('a file that is not UTF-8 is skipped with the line it fails on, as any other file that is no report', async (t) => {
  const bad = join(dir, 'latin1.json');
  writeFileSync(bad, Buffer.from(files['ann.json']!.replace('"schema"', '"schéma"'), 'latin1'));
  const ran = await fleetops(['class', join(dir, 'ann.json'), bad]);
  t.is(ran.code, 0, ran.stderr);
  t.regex(
    ran.stderr,
    /^fleetops: class: skipped .*latin1\.json: not UTF-8 text \(line \d+\), which no report fleetops writes is\n$/,
  );
  t.regex(ran.stdout, /^# Class report: Dead host/);
});

test('a report scored out of more than 1,000 is one of the class: a graded handler, a level of heavier weights', (t) => {
  const handled = new Session(loadLevel('03-spot-reclaim'), '1');
  handled.player = 'eve';
  handled.gradeHandler();
  handled.run(600);
  const source = JSON.parse(readFileSync('levels/01-first-shift.json', 'utf8')) as Record<string, unknown>;
  const heavy = parseLevel(
    JSON.stringify({
      ...source,
      scoring: { availability: 100, dataLoss: 100, cost: 100, response: 100, objectives: 100 },
    }),
    'heavy.json',
  );
  for (const [session, max] of [
    [handled, 1100],
    [runExercise(heavy, '1', null, 'fay'), 5000],
  ] as const) {
    const text = renderReport(session, 'json');
    const { view } = buildClass([{ file: 'r.json', text }]);
    t.deepEqual(view!.skipped, []);
    t.is(view!.rows[0]!.max, max);
  }
});
