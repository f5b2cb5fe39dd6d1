import test from 'ava';
import { markdownOf } from '../../src/report/markdown.js';
import { readdirSync, readFileSync } from 'node:fs';
import { parseLevel } from '../../src/game/level.js';
import { parseScript } from '../../src/game/script.js';
import { runExercise } from '../../src/cli/batch.js';
import { loadLevel } from '../../src/cli/files.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { reportValidator } from './validator.js';
import { FINDING_KINDS } from '../../src/report/causes.js';
import { testSession } from '../helpers/world.js';
import { formatSummary } from '../../src/cli/output.js';
import { summarize } from '../../src/game/summary.js';
import schema from '../../src/report/schema.json' with { type: 'json' };

const LEVEL = 'levels/01-first-shift.json';
const level = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL);
// Ten seconds after detection an ack, ten more and a reboot of whichever guest the seed hangs, and a typo.
const script = parseScript(
  'on incident-opened after 9s ack {subject}\non status-check-failed after 19s reboot {name}\nat 40:00 stop no-such-instance\n',
  'plan.txt',
);

test('the same level, seed and script give the same report bytes in every format', (t) => {
  for (const format of ['md', 'json', 'html'] as const) {
    t.is(
      renderReport(runExercise(level, '5', script), format),
      renderReport(runExercise(level, '5', script), format),
      format,
    );
  }
});

test('the JSON report validates against its published schema', (t) => {
  const { ajv, validate } = reportValidator();
  const report = JSON.parse(renderReport(runExercise(level, '5', script), 'json')) as unknown;
  t.true(validate(report), ajv.errorsText(validate.errors));
  // A report missing its score must fail, so the check above is not vacuous.
  const { score: _score, ...withoutScore } = report as Record<string, unknown>;
  t.false(validate(withoutScore));
});

test("every campaign level's JSON report, its win and its loss, validates against the schema", (t) => {
  const { ajv, validate } = reportValidator();
  for (const file of readdirSync('levels').sort()) {
    const id = file.replace(/\.json$/, '');
    for (const outcome of ['win', 'loss']) {
      const path = `test/fixtures/levels/${id}.${outcome}.txt`;
      const played = runExercise(loadLevel(id), '1', parseScript(readFileSync(path, 'utf8'), path));
      t.true(
        validate(JSON.parse(renderReport(played, 'json'))),
        `${id} ${outcome}: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }
});

test("the schema's findings are the report's: a finding it does not list makes every report holding it invalid", (t) => {
  const listed = [...JSON.stringify(schema).matchAll(/"finding":\{"enum":(\[[^\]]*\])/g)].map(
    (m) => JSON.parse(m[1]!) as unknown[],
  );
  t.deepEqual(listed, [[...FINDING_KINDS, null]]);
});

test('a report tells the incident story: detection, response, cause and the refused command', (t) => {
  const session = runExercise(level, '5', script);
  const r = buildReport(session);
  const inc = r.incidents[0]!;
  // The seed chose the guest and the second; the incident opens as that command runs.
  const hang = session.log.find((c) => c.source === 'scenario' && c.text.startsWith('hang-guest '))!;
  const guest = hang.text.split(' ')[1]!;
  t.is(inc.kind, 'instance-check');
  t.is(inc.detected.tick, hang.tick);
  t.is(inc.detected.at, new Date(Date.parse(r.period.start.at) + hang.tick * 1000).toISOString().replace('.000Z', 'Z'));
  t.is(inc.secondsToAcknowledge, 10);
  t.is(inc.state, 'resolved');
  t.is(inc.trigger?.command, `hang-guest ${guest}`);
  t.deepEqual(
    r.actions.map((a) => [a.tick, a.command, a.outcome]),
    [
      [hang.tick + 10, 'ack INC-1', 'applied'],
      [hang.tick + 20, `reboot ${guest}`, 'applied'],
      [2400, 'stop no-such-instance', 'refused'],
    ],
  );
  t.regex(r.actions[2]!.detail, /no instance matches 'no-such-instance'/);
  t.true(r.wentBadly.some((x) => x.includes('refused')));
  t.true(r.actionItems.some((x) => x.text.includes('StatusCheckFailed_Instance') && x.kind === 'detect'));
  t.is(r.series.tick.length, r.series.running.length);
});

test('doing nothing scores worse than responding, and the report says why', (t) => {
  const idle = buildReport(runExercise(level, '5', null));
  const responded = buildReport(runExercise(level, '5', script));
  t.true(responded.score.points > idle.score.points);
  t.false(idle.score.won);
  t.true(idle.wentBadly.includes('INC-1 was never acknowledged.'));
});

test('the HTML report is one self-contained page with its charts inline', (t) => {
  const html = renderReport(runExercise(level, '5', script), 'html');
  t.true(html.startsWith('<!doctype html>'));
  t.true((html.match(/<svg /g) ?? []).length >= 2);
  t.false(/<script|https?:\/\//.test(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')));
});

test('a series keeps one colour, dash and width in every chart of the HTML report', (t) => {
  // In 02-dead-host, sessions fails requests in one chart where web alone moves in another.
  const html = renderReport(runExercise(loadLevel('02-dead-host'), '1', null), 'html');
  const looks = new Map<string, Set<string>>();
  for (const [, look, name] of html.matchAll(
    /<polyline fill="none" (stroke="[^"]*" stroke-width="[^"]*" stroke-dasharray="[^"]*")[^>]*><title>([^<]*)<\/title>/g,
  ))
    looks.set(name!, (looks.get(name!) ?? new Set()).add(look!));
  t.true(looks.has('sessions'));
  for (const [name, seen] of looks) t.is(seen.size, 1, `${name}: ${[...seen].join(' | ')}`);
});

test('text from a level or a note is not taken for HTML in the Markdown report; code spans show as written', (t) => {
  t.is(
    markdownOf([
      { kind: 'heading', level: 1, text: 'Incident report: <script>alert(1)</script>' },
      { kind: 'list', items: ['note `<b>` kept, <img src=x> not, [x](javascript:alert(3)) no link'] },
      { kind: 'table', head: ['title'], rows: [['<i>']] },
    ]),
    '# Incident report: &lt;script>alert(1)&lt;/script>\n\n- note `<b>` kept, &lt;img src=x> not, \\[x](javascript:alert(3)) no link\n\n| title |\n| --- |\n| &lt;i> |\n',
  );
});

test("the report's 'driven by' counts one command as one", (t) => {
  const session = runExercise(loadLevel('01-first-shift'), '7', parseScript('at 10 note one\n', 'plan.txt'), 'ann');
  t.regex(renderReport(session, 'md'), /\*\*Driven by:\*\* a script \(1 command\)/);
});

test("a long refused command shows its first 200 characters in the responders' table, the JSON keeps it whole", (t) => {
  const long = `stop ${'x'.repeat(980)}`;
  const session = runExercise(level, '5', parseScript(`at 1:00 ${long}\n`, 'plan.txt'));
  const md = renderReport(session, 'md');
  const row = md.split('\n').find((line) => line.startsWith('| 2026-03-02 09:01:00 | script |'))!;
  t.is(row.split(' | ')[2], `\`${long.slice(0, 200)}…\` (785 more characters)`);
  // Nowhere else in the report either: the timeline, the refusal's reason, what went badly.
  t.false(md.includes(long));
  const json = JSON.parse(renderReport(session, 'json')) as { actions: { command: string }[] };
  t.true(json.actions.some((a) => a.command === long));
});

test('data Trusted Advisor flagged without a snapshot is an action item until a snapshot is taken', (t) => {
  const { ajv, validate } = reportValidator();
  const item = (plan: string | null) => {
    const session = runExercise(level, '5', plan === null ? null : parseScript(plan, 'plan.txt'));
    const r = buildReport(session);
    t.true(validate(JSON.parse(renderReport(session, 'json'))), ajv.errorsText(validate.errors));
    return r.actionItems.find((a) => a.id === 'snapshot-policy');
  };
  const flagged = item(null);
  t.like(flagged, { kind: 'prevent', priority: 'P3', incidents: [], advisorCheck: 'Amazon EBS Snapshots' });
  t.regex(
    flagged!.text,
    /^Snapshot the volumes holding orders-db's data \(vol-[0-9a-f]{17}\), and keep snapshots coming/,
  );
  t.regex(
    renderReport(runExercise(level, '5', null), 'md'),
    /\| service owner \| Trusted Advisor: Amazon EBS Snapshots \|/,
  );
  // The finding's own subject is the volume to snapshot.
  t.is(item('on snapshot-missing create-snapshot {subject}\n'), undefined);
});

test("a level that sets no objectives says so in the report's summary, not that all were met", (t) => {
  const session = testSession({
    workloads: [{ name: 'db', kind: 'database', demand: { baseRps: 10, noise: 0 } }],
    fleet: [{ name: 'db-1', type: 'm6i.large', zone: 'use1-az1', workload: 'db', volume: { type: 'gp3', size: 100 } }],
  });
  session.run(session.level.duration);
  const report = buildReport(session);
  t.regex(report.summary, / The level set no objectives: \d+\/1000 points, grade [A-F]\.$/);
  t.notRegex(report.summary, /objectives were met/);
  // Nor does the summary line call it won, or the HTML colour its grade as a win.
  t.regex(formatSummary(summarize(session)), /, grade [A-F], level ended \(it sets no objectives\)$/m);
  t.regex(renderReport(session, 'html'), /<b class="open">[A-F]<\/b>/);
});
