// What the record shows behind harm no incident covered, on a level of two web tiers (web and api,
// two instances each, either one enough for its demand): who cut a tier off or took its last
// instance, the surges as they ran (a later one replaces an earlier), and the run's two ends.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { runExercise } from '../../src/cli/batch.js';
import { parseLevel } from '../../src/game/level.js';
import { parseScript } from '../../src/game/script.js';
import { buildReport } from '../../src/report/index.js';

const PATH = 'test/fixtures/exercises/two-tiers.json';
const LEVEL = JSON.parse(readFileSync(PATH, 'utf8')) as Record<string, unknown>;
const REVOKE = 'revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0';
const AUTHORIZE = 'authorize-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0';

/** The level with some of its fields replaced, played with `script`. */
function reportOf(script: string, level: Record<string, unknown> = {}) {
  const played = parseLevel(JSON.stringify({ ...LEVEL, ...level }), PATH);
  return buildReport(runExercise(played, '1', parseScript(script, 'plan.txt')));
}
const injects = (...list: [string, string][]) => ({ injects: list.map(([at, command]) => ({ at, command })) });
const webHarm = (r: ReturnType<typeof reportOf>) => r.impact.outsideIncidents!.filter((h) => h.workload === 'web');
const effects = (r: ReturnType<typeof reportOf>) =>
  webHarm(r).flatMap((h) => h.commands.map((c) => [c.source, c.command.split(' ')[0], c.effect]));
const itemIds = (r: ReturnType<typeof reportOf>) => r.actionItems.map((a) => a.id);

test("the scenario's network change that cut a tier off is named, not a responder's command of the same second", (t) => {
  const r = reportOf('at 05:00 allocate-address\n', injects(['5m', REVOKE], ['5m20s', AUTHORIZE]));
  t.deepEqual(effects(r), [['scenario', 'revoke-ingress', 'cut-off']]);
  t.regex(
    r.wentBadly.join('\n'),
    /the scenario ran `revoke-ingress web [^`]+` at 09:05:00, which cut instances of it off;/,
  );
  // The scenario's doing: no responder's follow-up.
  t.false(itemIds(r).includes('spare-member'));
  t.false(itemIds(r).includes('network-change-runbook'));
});

test("a responder's network change is blamed, and a start in the same second is listed without blame", (t) => {
  const r = reportOf(`at 01:00 stop web-2\nat 05:00 ${REVOKE}\nat 05:00 start web-2\nat 05:20 ${AUTHORIZE}\n`);
  t.deepEqual(effects(r), [
    ['script', 'revoke-ingress', 'cut-off'],
    ['script', 'start', null],
  ]);
  t.like(
    r.actionItems.find((a) => a.id === 'network-change-runbook'),
    { priority: 'P1', incidents: [], outside: ['web at 09:05:00'] },
  );
  t.false(itemIds(r).includes('spare-member'));
});

test('of a stop and a start in the same second, the stop left no instance serving', (t) => {
  const r = reportOf('at 01:00 stop web-2\nat 05:00 stop web-1\nat 05:00 start web-2\n');
  t.deepEqual(effects(r), [
    ['script', 'stop', 'left-unserved'],
    ['script', 'start', null],
  ]);
  t.like(
    r.actionItems.find((a) => a.id === 'spare-member'),
    { priority: 'P1', outside: ['web at 09:05:00'] },
  );
});

test('harm in the first ten seconds and after the last sample is counted, and harm at the end is said to be cut short', (t) => {
  const early = reportOf('', injects(['5s', REVOKE], ['25s', AUTHORIZE]));
  const [first] = webHarm(early);
  t.like(first, { from: { tick: 0 }, ongoing: false, sloSecondsMissed: early.impact.sloSecondsMissed });
  t.is(first!.requestsFailed, early.impact.requestsFailed);
  // A level of 309 seconds ends nine seconds into a stop that left nothing serving.
  const late = reportOf('at 01:00 stop web-2\nat 05:00 stop web-1\n', { duration: '309s' });
  const [last] = webHarm(late);
  t.like(last, { to: { tick: 309 }, ongoing: true, sloSecondsMissed: 9, why: 'short' });
  t.regex(
    late.wentBadly.join('\n'),
    /from 09:05:00 to the run's end at 09:05:09 with no incident open: .*the run ended before a burn/,
  );
});

test('a surge replaced by a later one ran only until it; one of factor 1 ends it', (t) => {
  // Capacity launched during the second surge, the first having been replaced by it at 09:04.
  const overlap = reportOf('at 04:30 launch m6i.large --az us-east-1b --count 2 --workload web --sg web\n', {
    budgetUsd: 0.01,
    ...injects(['3m', 'surge-demand web 2.5 --for 5m'], ['4m', 'surge-demand web 1.5 --for 2m']),
  });
  const cost = overlap.wentBadly.find((line) => line.startsWith('The fleet cost'))!;
  t.regex(
    cost,
    /: web ended with 2 more instances than before its surge \(1\.5 times its demand, 09:04:00 to 09:06:00\), launched during it and kept 6 min after it\.$/,
  );
  // A surge ended at 09:01:30 by one of factor 1 is not behind harm at 09:06.
  const ended = reportOf(
    '',
    injects(
      ['1m', 'surge-demand web 1.5 --for 10m'],
      ['1m30s', 'surge-demand web 1 --for 1s'],
      ['6m', REVOKE],
      ['6m20s', AUTHORIZE],
    ),
  );
  t.like(webHarm(ended)[0], { surge: null, from: { tick: 360 } });
  t.false(itemIds(ended).includes('surge-headroom'));
});

test('no capacity is kept past a surge while another runs at the end, or where it replaced a member or was scaled back in', (t) => {
  const onSurge = 'on demand-surge launch m6i.large --az us-east-1b --count 2 --workload web --sg web\n';
  const cases: [string, string, [string, string][]][] = [
    // Still serving a later surge in the last second, or one that ends with the run.
    [
      'at 01:05 launch m6i.large --az us-east-1b --count 2 --workload web --sg web\n',
      '',
      [
        ['1m', 'surge-demand web 2.5 --for 2m'],
        ['8m', 'surge-demand web 2.5 --for 10m'],
      ],
    ],
    [
      onSurge,
      '',
      [
        ['2m', 'surge-demand web 2.5 --for 2m'],
        ['7m', 'surge-demand web 2.5 --for 5m'],
      ],
    ],
    // One launched as web-1 was terminated: the fleet ends as it began.
    [
      'at 03:30 launch m6i.large --az us-east-1b --workload web --sg web\n',
      'at 03:55 terminate web-1\n',
      [['3m', 'surge-demand web 1.2 --for 3m']],
    ],
    // Scaled back in once the surge was over.
    [onSurge, 'at 08:30 terminate web-1\nat 08:30 terminate web-2\n', [['3m', 'surge-demand web 2.5 --for 5m']]],
  ];
  for (const [launch, after, surges] of cases) {
    const r = reportOf(`${launch}${after}`, { budgetUsd: 0.01, ...injects(...surges) });
    t.true(r.wentBadly.some((line) => line.startsWith('The fleet cost')));
    t.false(
      r.wentBadly.some((line) => line.includes('before its surge')),
      `${launch}${after}`,
    );
    t.false(itemIds(r).includes('scale-in'));
  }
});

test('out of SLO in spells for two minutes, never a minute on end, is below a burn, not over within a minute', (t) => {
  const spells = Array.from({ length: 11 }, (_, i): [string, string][] => [
    [`${300 + 10 * i}s`, REVOKE],
    [`${305 + 10 * i}s`, AUTHORIZE],
  ]).flat();
  const r = reportOf('', injects(...spells));
  const [harm] = webHarm(r);
  t.like(harm, { why: 'below-burn', from: { tick: 300 } });
  t.true(harm!.to.tick - harm!.from.tick > 100);
  t.deepEqual(r.incidents, []);
  t.true(itemIds(r).includes('burn-rate-alarm'));
});

test('an hour after they terminated, the instances a command took are still its workload’s, as far as the report can tell', (t) => {
  // web-1 and web-2 are purged from the world at 10:05; the run goes on to 10:30.
  const r = reportOf(
    'at 05:00 terminate web-1\nat 05:00 terminate web-2\nat 05:00 launch m6i.large --az us-east-1a --count 2 --workload web --sg web\n',
    { duration: '90m' },
  );
  t.deepEqual(effects(r)[0], ['script', 'terminate', 'left-unserved']);
  t.like(
    r.actionItems.find((a) => a.id === 'spare-member'),
    { priority: 'P1', outside: ['web at 09:05:00'] },
  );
});

test('of a second’s commands, the one that took the last serving instance left none serving, not one on an instance already stopped', (t) => {
  const r = reportOf('at 05:00 stop web-1\nat 05:40 terminate web-1\nat 05:40 reboot web-2\n');
  t.deepEqual(
    effects(r).filter(([, verb]) => verb !== 'stop'),
    [
      ['script', 'terminate', null],
      ['script', 'reboot', 'left-unserved'],
    ],
  );
});

test('harm in the last sample span is said to run to the end only when the last second was out of the SLO', (t) => {
  const over = reportOf('at 11:25 reboot web-1\nat 11:25 reboot web-2\n');
  t.like(webHarm(over).at(-1), { to: { tick: 720 }, ongoing: false });
  const going = reportOf('at 11:45 stop web-1\nat 11:45 stop web-2\n');
  t.like(webHarm(going).at(-1), { to: { tick: 720 }, ongoing: true });
  t.regex(
    going.wentBadly.join('\n'),
    /to the run's end at 09:12:00 with no incident open: .*the run ended before a burn/,
  );
});

test('harm back after an incident was mitigated, while it is still open, is that incident’s', (t) => {
  // Slow with one instance (objective 30 ms): a burn opens, is mitigated once web-1 is back, and a
  // reboot of web-1 brings the slowness back before it is resolved.
  const workloads = [
    { ...(LEVEL.workloads as object[])[0], slo: { latencyMs: 30, availability: 0.999 } },
    (LEVEL.workloads as object[])[1],
  ];
  const r = reportOf('at 01:00 stop web-1\nat 03:00 start web-1\nat 06:30 reboot web-1\n', { workloads });
  const burn = r.incidents.find((i) => i.kind === 'slo-burn')!;
  t.true(burn.mitigated !== null && burn.mitigated.tick < 390);
  t.true(burn.resolved === null || burn.resolved.tick > 390);
  t.deepEqual(
    webHarm(r).filter((h) => h.from.tick >= 380),
    [],
  );
});
