// Harm no incident covered: a workload out of its SLO while no incident about it was open is told
// in the report's impact, what went badly and its action items, with what the record shows behind
// it, and never where an incident's span meets it.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadLevel } from '../../src/cli/files.js';
import { runExercise } from '../../src/cli/batch.js';
import { parseScript } from '../../src/game/script.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { reportValidator } from './validator.js';
import { outsideTexts, type HarmOutside } from '../../src/report/harm-outside.js';
import { momentAt, type Moment } from '../../src/report/time.js';

const { ajv, validate } = reportValidator();
const SURGE_LEVEL = 'test/fixtures/exercises/surge-outside.json';
// Four more web servers the second demand surges: they serve twenty seconds later.
const LAUNCH_ON_SURGE = 'on demand-surge launch m6i.large --az us-east-1b --count 4 --workload web --sg web\n';
const launchOnSurge = parseScript(LAUNCH_ON_SURGE, 'surge.txt');
const fixtureScript = (path: string) => parseScript(readFileSync(path, 'utf8'), path);

test('a surge met by capacity that serves twenty seconds late is harm no incident covered, with headroom as a P1 item', (t) => {
  const report = buildReport(runExercise(loadLevel(SURGE_LEVEL), '1', launchOnSurge));
  t.deepEqual(report.incidents, []);
  const [harm, ...more] = report.impact.outsideIncidents!;
  t.deepEqual(more, []);
  t.like(harm, {
    workload: 'web',
    from: { tick: 180, at: '2026-03-03T09:03:00Z' },
    why: 'short',
    surge: { at: { tick: 180 }, command: 'surge-demand web 2.5 --for 5m', factor: 2.5 },
    commands: [
      {
        at: { tick: 181 },
        source: 'script',
        command: 'launch m6i.large --az us-east-1b --count 4 --workload web --sg web',
        effect: null,
      },
    ],
  });
  // All the run's harm is this stretch's.
  t.is(harm!.sloSecondsMissed, report.impact.sloSecondsMissed);
  t.is(harm!.requestsFailed, report.impact.requestsFailed);
  t.true(harm!.sloSecondsMissed > 0 && harm!.sloSecondsMissed < 60);
  t.true(
    report.wentBadly.some((line) =>
      line.startsWith(
        `web was out of its SLO for ${harm!.sloSecondsMissed} s and failed ${harm!.requestsFailed.toLocaleString('en-US')} requests between 09:03:00 and ${harm!.to.at.slice(11, 19)} with no incident open: demand rose to 2.5 times its usual at 09:03:00 (\`surge-demand web 2.5 --for 5m\`)`,
      ),
    ),
    report.wentBadly.join('\n'),
  );
  t.like(
    report.actionItems.find((a) => a.id === 'surge-headroom'),
    { priority: 'P1', kind: 'prevent', incidents: [], outside: ['web at 09:03:00'] },
  );
  t.regex(report.actionItems[0]!.text, /^Keep web able to take a surge of 2\.5 times its demand/);
  const json = JSON.parse(renderReport(runExercise(loadLevel(SURGE_LEVEL), '1', launchOnSurge), 'json')) as unknown;
  t.true(validate(json), ajv.errorsText(validate.errors));
  const md = renderMarkdown(report);
  t.regex(md, /Out of SLO with no incident open:/);
  t.regex(md, /\| web \| 09:03:00 \| 09:03:\d0 \| \d+ s \| [\d,]+ \| demand surge \(2\.5x\), over within a minute \|/);
  t.regex(md, /\| web at 09:03:00 \(no incident\) \|/);
});

test('the same surge left alone opens a burn, whose incident covers all of its harm', (t) => {
  const report = buildReport(runExercise(loadLevel(SURGE_LEVEL), '1', null));
  t.is(report.incidents[0]?.kind, 'slo-burn');
  t.deepEqual(report.impact.outsideIncidents, []);
  t.false(renderMarkdown(report).includes('no incident open'));
});

test('out of its SLO for over a minute but never burning a minute on end is harm no incident covered, with a burn-rate alarm', (t) => {
  // Seven brokers slow past their latency objective in spells as the morning peak builds.
  const report = buildReport(runExercise(loadLevel('07-spread-thin'), '7', null));
  const harm = report.impact.outsideIncidents!;
  const spells = harm.find((h) => h.why === 'below-burn')!;
  t.like(spells, { workload: 'events', surge: null, commands: [] });
  t.true(spells.sloSecondsMissed >= 60);
  // In the order they began.
  t.deepEqual(
    harm.map((h) => h.from.tick),
    [...harm.map((h) => h.from.tick)].sort((a, b) => a - b),
  );
  t.like(
    report.actionItems.find((a) => a.id === 'burn-rate-alarm'),
    { priority: 'P1', kind: 'detect', outside: [`events at ${spells.from.at.slice(11, 19)}`] },
  );
  t.true(report.wentBadly.some((line) => line.includes('it was never a burn (a minute on end of errors')));
});

test("a responder's stop that left no instance serving a workload is named, and not a command on another's volume in the same second", (t) => {
  const path = 'test/fixtures/levels/04-saturated.win.txt';
  const report = buildReport(runExercise(loadLevel('04-saturated'), '1', fixtureScript(path)));
  const harm = report.impact.outsideIncidents!.find((h) => h.workload === 'analytics')!;
  t.is(harm.why, 'short');
  t.deepEqual(
    harm.commands.map((c) => [c.command.split(' ')[0], c.effect]),
    [
      ['stop', 'left-unserved'],
      ['modify-instance-type', null],
      ['start', null],
    ],
  );
  t.like(
    report.actionItems.find((a) => a.id === 'spare-member'),
    { priority: 'P1', incidents: [], outside: [`analytics at ${harm.from.at.slice(11, 19)}`] },
  );
  // Its demand had surged too, but with nothing left serving, headroom would not have helped.
  t.is(harm.surge?.command.split(' ')[1], 'analytics');
  t.false(report.actionItems.some((a) => a.id === 'surge-headroom'));
  t.true(
    report.wentBadly.some((line) =>
      /the script ran `stop i-[0-9a-f]+` at [\d:]+, which left no instance serving it;/.test(line),
    ),
  );
});

test("harm in a sample's span that meets an incident's is the incident's, as the samples cannot tell it apart", (t) => {
  // INC-3 (sessions' burn) is mitigated at 08:32:56, inside the sample span 08:32:50..08:33:00 in
  // which sessions was last out of its SLO.
  const path = 'test/fixtures/levels/02-dead-host.loss.txt';
  const report = buildReport(runExercise(loadLevel('02-dead-host'), '2', fixtureScript(path)));
  const burn = report.incidents.find((i) => i.kind === 'slo-burn')!;
  t.is(burn.mitigated?.at, '2026-03-03T08:32:56Z');
  t.deepEqual(report.impact.outsideIncidents, []);
});

test('a report from before harm outside incidents was kept still validates and renders', (t) => {
  const json = JSON.parse(renderReport(runExercise(loadLevel(SURGE_LEVEL), '1', launchOnSurge), 'json')) as {
    impact: Record<string, unknown>;
    actionItems: Record<string, unknown>[];
  };
  delete json.impact.outsideIncidents;
  json.actionItems = json.actionItems.filter((a) => !('outside' in a));
  t.true(validate(json), ajv.errorsText(validate.errors));
  t.false(renderMarkdown(json as never).includes('Out of SLO with no incident open:'));
});

test('short stretches nothing explains are told as one line when there are several; the rest each as their own', (t) => {
  const at = (tick: number) => momentAt(Date.parse('2026-03-03T09:00:00Z'), tick);
  const stretch = (workload: string, from: number, missed: number, failed: number, surge = false): HarmOutside => ({
    workload,
    from: at(from),
    to: at(from + 10),
    sloSecondsMissed: missed,
    requestsFailed: failed,
    why: 'short',
    ongoing: false,
    surge: surge ? { at: at(from + 2), command: `surge-demand ${workload} 2 --for 5m`, factor: 2 } : null,
    commands: [],
  });
  const clock = (m: Moment) => m.at.slice(11, 19);
  t.deepEqual(outsideTexts([stretch('web', 600, 3, 0)], clock), [
    "web was out of its SLO for 3 s, though no request failed, between 09:10:00 and 09:10:10 with no incident open: it was over before a burn (a minute on end of errors at ten times the SLO's budget, or of answers slower than its latency objective) opens one.",
  ]);
  t.deepEqual(
    outsideTexts([stretch('web', 600, 3, 0), stretch('web', 900, 20, 500, true), stretch('db', 1200, 1, 1)], clock),
    [
      "web was out of its SLO for 20 s and failed 500 requests between 09:15:00 and 09:15:10 with no incident open: demand rose to 2 times its usual at 09:15:02 (`surge-demand web 2 --for 5m`); it was over before a burn (a minute on end of errors at ten times the SLO's budget, or of answers slower than its latency objective) opens one.",
      "2 other short stretches out of SLO with no incident open (web, db, from 09:10:00; 4 s in all, 1 request failed), each over before a burn (a minute on end of errors at ten times the SLO's budget, or of answers slower than its latency objective) opens one; Impact lists them.",
    ],
  );
});

test('capacity launched for a surge and still running at the end is where an over-budget fleet’s money went, with a P3 item to scale in', (t) => {
  const level = loadLevel(SURGE_LEVEL);
  const report = buildReport(runExercise(level, '1', launchOnSurge));
  t.true(report.impact.costUsd.total > report.impact.costUsd.budget);
  t.true(
    report.wentBadly.includes(
      `The fleet cost $${report.impact.costUsd.total.toFixed(2)}, ${Math.ceil(((report.impact.costUsd.total - report.impact.costUsd.budget) / report.impact.costUsd.budget) * 100)}% over its $${report.impact.costUsd.budget.toFixed(2)} budget: web ended with 4 more instances than before its surge (2.5 times its demand, 09:03:00 to 09:08:00), launched during it and kept 4 min after it.`,
    ),
    report.wentBadly.join('\n'),
  );
  t.like(
    report.actionItems.find((a) => a.id === 'scale-in'),
    { priority: 'P3', kind: 'prevent', incidents: [], overBudget: true },
  );
  t.regex(renderMarkdown(report), /\| capacity planning \| cost over budget \|/);
  const json = JSON.parse(renderReport(runExercise(level, '1', launchOnSurge), 'json')) as unknown;
  t.true(validate(json), ajv.errorsText(validate.errors));

  // Taken back once the surge was over: nothing kept, no item.
  const scaledIn = parseScript(
    `${LAUNCH_ON_SURGE.replace('--sg web', '--sg web --name web-x')}${[1, 2, 3, 4].map((i) => `at 09:00 terminate web-x-${i}\n`).join('')}`,
    'scale-in.txt',
  );
  const back = buildReport(runExercise(level, '1', scaledIn));
  t.deepEqual(
    back.actions.map((a) => [a.command.split(' ')[0], a.outcome]),
    [['launch', 'applied'], ...Array.from({ length: 4 }, () => ['terminate', 'applied'])],
  );
  t.false(back.actionItems.some((a) => a.id === 'scale-in'));
  t.false(back.wentBadly.some((line) => line.includes('during its surge')));
  // Within its budget, capacity kept is no failing.
  const rich = buildReport(runExercise({ ...level, budgetUsd: 100 }, '1', launchOnSurge));
  t.false(rich.actionItems.some((a) => a.id === 'scale-in'));
  t.false(rich.wentBadly.some((line) => line.includes('during its surge')));
});
