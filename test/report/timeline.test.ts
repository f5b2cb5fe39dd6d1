// The report's timeline and its incident table tell one story: an incident's steps sit at the same
// times in both, and a refused command is marked as refused.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadLevel } from '../../src/cli/files.js';
import { runExercise } from '../../src/cli/batch.js';
import { parseScript } from '../../src/game/script.js';
import { buildReport, renderReport, type Report } from '../../src/report/index.js';
import { Session } from '../../src/game/session.js';
import type { Source } from '../../src/game/command-log.js';
import { testLevel } from '../helpers/world.js';

const STEPS = {
  'incident-opened': 'detected',
  'incident-acknowledged': 'acknowledged',
  'incident-mitigated': 'mitigated',
  'incident-resolved': 'resolved',
} as const;

function exercise(levelId: string, seed: string, script: string, name = 'plan.txt') {
  const level = loadLevel(levelId);
  return runExercise(level, seed, parseScript(script, name));
}

function assertStepsAgree(t: import('ava').ExecutionContext, r: Report) {
  let checked = 0;
  for (const entry of r.timeline) {
    const step = STEPS[entry.kind as keyof typeof STEPS];
    if (!step) continue;
    const inc = r.incidents.find((i) => entry.text.startsWith(`${i.id} `))!;
    t.is(entry.at, inc[step]?.at ?? 'never', `${inc.id} ${step}`);
    checked++;
  }
  t.true(checked > 0);
}

test('02-dead-host won: each incident step is at the same time in the timeline as in the incident table', (t) => {
  const path = 'test/fixtures/levels/02-dead-host.win.txt';
  const session = exercise('02-dead-host', '2', readFileSync(path, 'utf8'), path);
  const r = buildReport(session);
  assertStepsAgree(t, r);
  const mitigated = r.incidents[0]!.mitigated!;
  t.true(mitigated.tick > r.incidents[0]!.detected.tick);
  t.regex(
    renderReport(session, 'md'),
    new RegExp(`\\| (\\d{4}-\\d{2}-\\d{2} )?${mitigated.at.slice(11, 19)} \\| INC-1 mitigated: `),
  );
});

test('the timeline stays in time order once incident steps are placed at their recorded ticks', (t) => {
  const r = buildReport(
    exercise(
      '01-first-shift',
      '5',
      'on incident-opened after 9s ack {subject}\non status-check-failed after 19s reboot {name}\n',
    ),
  );
  assertStepsAgree(t, r);
  t.deepEqual(
    r.timeline.map((e) => e.tick),
    [...r.timeline.map((e) => e.tick)].sort((a, b) => a - b),
  );
});

test('a refused command is marked refused in the timeline and the actions, with its EC2 code and reason', (t) => {
  const r = buildReport(exercise('01-first-shift', '5', 'at 30:00 stop no-such-instance\n'));
  const entry = r.timeline.find((e) => e.kind === 'command-refused')!;
  t.is(
    entry.text,
    "script: refused: stop no-such-instance: InvalidInstanceID.NotFound: no instance matches 'no-such-instance'",
  );
  t.like(
    r.actions.find((a) => a.outcome === 'refused'),
    {
      command: 'stop no-such-instance',
      code: 'InvalidInstanceID.NotFound',
      detail: "InvalidInstanceID.NotFound: no instance matches 'no-such-instance'",
    },
  );
});

test('a command reads ahead of what it did in the same second, and says who gave it: the scenario or the responder', (t) => {
  const path = 'test/fixtures/levels/02-dead-host.loss.txt';
  const r = buildReport(exercise('02-dead-host', '1', readFileSync(path, 'utf8'), path));
  const texts = r.timeline.map((e) => e.text);
  const fault = texts.indexOf('scenario: fail-host use1-az1-r03-h01');
  t.true(fault >= 0, texts.join('\n'));
  t.is(
    texts[fault + 1],
    'host use1-az1-r03-h01 failed (1 instance on it)',
    'the failure follows the fault that caused it',
  );
  const ack = texts.indexOf('script: ack INC-2');
  t.true(ack >= 0);
  t.is(texts[ack + 1], 'INC-2 acknowledged', 'the incident is acknowledged after the line that acknowledged it');
  // What the commands came to: the stop that waited on the dead host, then the start's instance running.
  const start = texts.findIndex((x) => /^script: start i-/.test(x));
  t.regex(texts[start - 1]!, /\(cache-1\) stopped/);
  t.regex(texts[start + 1]!, /\(cache-1\) running$/);
});

/** The first level played to one minute, `lines` sent then in order, and five seconds more. */
function sentAtOneMinute(lines: [Source, string][]): Session {
  const session = new Session(loadLevel('01-first-shift'), '5');
  session.run(60);
  for (const [source, line] of lines) session.enqueue(line, source);
  session.run(5);
  return session;
}

test('lines refused as they came in (one that does not parse, a scenario command from a handler) are among the actions and counted', (t) => {
  const r = buildReport(
    sentAtOneMinute([
      ['handler', 'blorp web-1'],
      ['handler', 'fail-host web-1'],
      ['handler', 'modify-instance-type web-1 m6i.4xlarge'],
    ]),
  );
  t.deepEqual(
    r.actions.map((a) => [a.command, a.outcome, a.code]),
    [
      ['blorp web-1', 'refused', null],
      ['fail-host web-1', 'refused', null],
      ['modify-instance-type web-1 m6i.4xlarge', 'refused', 'IncorrectInstanceState'],
    ],
  );
  t.regex(r.actions[1]!.detail, /^fail-host is a scenario command/);
  t.true(r.wentBadly.some((line) => line.startsWith('3 commands were refused (first: blorp web-1: unknown command')));
});

test('hints answered at once and lines refused as they came in are among the actions in the order they came, before the second they preceded', (t) => {
  const session = sentAtOneMinute([
    ['player', 'reboot web-1'],
    ['player', 'hint'],
    ['player', 'blorp web-1'],
    ['handler', 'hint'],
    ['handler', 'fail-host web-1'],
  ]);
  t.deepEqual(
    buildReport(session).actions.map((a) => `${a.source} ${a.command} ${a.outcome}`),
    [
      'player hint applied',
      'player blorp web-1 refused',
      'handler hint applied',
      'handler fail-host web-1 refused',
      'player reboot web-1 applied',
    ],
  );
});

test('instances that reach a state in the same second are one timeline line, naming the first few with their Name tags', (t) => {
  const r = buildReport(
    exercise('01-first-shift', '5', 'at 05:00 launch m6i.large --az use1-az1 --count 5 --name extra\n'),
  );
  const running = r.timeline.filter((e) => e.kind === 'instance-running');
  t.is(running.length, 1);
  t.regex(
    running[0]!.text,
    /^5 instances running: i-\w+ \(extra-1\), i-\w+ \(extra-2\), i-\w+ \(extra-3\) and 2 more$/,
  );
  t.is(running[0]!.instances?.length, 5);
});

test("a Spot pool's stops told together and another instance's stop in the same second are one line of all four", (t) => {
  const level = testLevel({
    fleet: [
      { name: 'sa', count: 3, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' },
      { name: 'od', type: 'm6i.large', zone: 'use1-az2' },
    ],
    injects: [{ at: 60, command: 'set-spot-capacity m6i.large use1-az1 0' }],
  });
  const session = new Session(level, '1');
  // The pool's instances are interrupted at 03:00 and stop 30 s later, as a forced stop of od does.
  session.run(180);
  session.enqueue('stop od --force', 'player');
  session.run(120);
  t.true(session.events.some((e) => e.kind === 'spot-interrupted' && e.tick === 180));
  const stopped = buildReport(session).timeline.filter((e) => e.kind === 'instance-stopped');
  t.is(stopped.length, 1);
  t.regex(stopped[0]!.text, /^4 instances stopped: i-\w+ \(sa-1\), i-\w+ \(sa-2\), i-\w+ \(sa-3\) and 1 more$/);
  t.true(
    stopped[0]!.instances!.every((id) => id.startsWith('i-')),
    'the pool is not one of them',
  );
  t.is(stopped[0]!.instances!.length, 4);
});
