// A script is checked when read and when put to a level: a reaction waits only for an event the
// model emits, and a timed command runs before the level ends; otherwise file:line says why.
import test, { type ExecutionContext } from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/input/input-error.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { EVENT_KINDS } from '../../src/game/reaction-events.js';
import { Session } from '../../src/game/session.js';
import { resume } from '../../src/game/replay.js';
import { DEFAULT_SETTINGS, saveRecord } from '../../src/store/index.js';
import { ROOT } from '../helpers/fleetops.js';
import { saturatingDatabase, testLevel } from '../helpers/world.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

test('the event kinds a reaction can wait for are the kinds the model and the session emit', (t) => {
  const emitted = new Set<string>();
  // An alarm's event is told by its kind, named where the alarm is (`alarm: 'burst-balance-low'`).
  const emits =
    /\.emit(?:For|Listing)?\(\s*(?:\w+ \? )?'([a-z-]+)'(?: : '([a-z-]+)')?|\{ tick: [^{}]*?, kind: '([a-z-]+)'|alarm: '([a-z-]+)'/g;
  for (const text of [...sources(join(ROOT, 'src/sim')), ...sources(join(ROOT, 'src/game'))]) {
    for (const m of text.matchAll(emits)) for (const kind of m.slice(1)) if (kind) emitted.add(kind);
  }
  t.deepEqual([...EVENT_KINDS].sort(), [...emitted].sort());
});

/** The one-line refusal of a script `plan.txt`, as the test sees it. */
const refusalOf = (t: ExecutionContext) => (text: string) =>
  t.throws(() => parseScript(text, 'plan.txt'), { instanceOf: InputError })?.message;

test('a reaction to an event that never happens is refused in one short line: file:line, the closest kind, where they are listed', (t) => {
  const refused = refusalOf(t);
  t.is(
    refused('at 10 stop web-1\non bogus-event ack {subject}\n'),
    "plan.txt:2: no event 'bogus-event'; fleetops commands lists the events a reaction can wait for",
    'not every kind there is',
  );
  t.is(
    refused('on host-fail ack {subject}\n'),
    "plan.txt:1: no event 'host-fail' (did you mean host-failed?); fleetops commands lists the events a reaction can wait for",
  );
  t.notThrows(() => parseScript('on spot-interruption-notice after 30s ack {subject}\n', 'plan.txt'));
  // A kind in other case or with underscores, a word of one, a long name, a missing command.
  t.regex(
    refused('on Instance_Stopped start {subject}\n')!,
    /no event 'Instance_Stopped' \(did you mean instance-stopped\?\)/,
  );
  t.regex(refused('on stop note x\n')!, /no event 'stop' \(events about it: instance-stopped, instance-stopping\)/);
  const long = refused(`on ${'z'.repeat(900)} note x\n`)!;
  t.true(long.length < 200, `one short line: ${long.length} characters`);
  t.is(
    refused('on instance-stopped\n'),
    "plan.txt:1: 'on instance-stopped' needs the command to run, e.g. 'on instance-stopped note {subject}'",
  );
  t.is(
    refused('on incident-opened after 5m\n'),
    "plan.txt:1: 'on incident-opened after 5m' needs the command to run, e.g. 'on incident-opened after 5m note {subject}'",
  );
});

test("an 'at' time is written as a command's numbers are: 0443, 05m and 1m60s are refused, 02:30 is a clock", (t) => {
  const refused = refusalOf(t);
  for (const at of ['0443', '05m', '1h05m', '1m60s', '1h60m'])
    t.is(refused(`at ${at} reboot web-1\n`), `plan.txt:1: '${at}' is not a time; use seconds, 5m, 1h30m or 02:30`, at);
  t.is(parseScript('at 02:30 reboot web-1\n', 'plan.txt').timed[0]?.tick, 150);
});

test("a placeholder in an 'at' line is refused as the script is read: no event fills it", (t) => {
  const refused = refusalOf(t);
  t.is(
    refused('at 5m ack {subject}\n'),
    "plan.txt:1: {subject} is filled in from the event a reaction answers, and an 'at' line answers none: name the thing itself, or write 'on <event> ack {subject}'",
  );
  t.regex(refused('at 00:30 reboot {name}\n')!, /^plan\.txt:1: \{name\} is filled in from the event/);
  t.notThrows(
    () => parseScript('at 5m note deploy {v2} is out\n', 'plan.txt'),
    'braces that name no placeholder are text',
  );
});

test('a reaction with a brace outside a placeholder, or a line with a control character, is refused as the script is read', (t) => {
  const refused = refusalOf(t);
  const brace =
    'plan.txt:1: a brace that is not part of a placeholder; use {subject}, {name}, {zone}, {otherZone}, {type}, {host}, {workload}, {rule}';
  for (const template of ['ack {}', 'ack {{subject}}', 'ack {subject', 'note {subject} done}'])
    t.is(refused(`on incident-opened ${template}\n`), brace, template);
  t.is(
    refused('at 10 stop web\u001b[31m-1\n'),
    'plan.txt:1: a script line is plain text; this one holds U+001B (a control character) at character 15',
  );
  // A line separator is neither a space between the line's words nor the end of its command.
  for (const line of ['at 5 note a\u2028b', 'at 5\u2028note a', 'at 5 note a\u2029', 'at 5m\ufeffstop\ufeffweb-1'])
    t.regex(
      refused(`${line}\n`)!,
      /^plan\.txt:1: a script line is plain text; this one holds U\+(202[89]|FEFF) \(a control character\) at character \d+$/,
      line,
    );
  t.regex(refused('at 10 stop\tweb-1\n')!, /^plan\.txt:1: .*holds U\+0009 \(a control character\) at character 5$/);
  t.regex(refused('on instance-stopped note \u202egnol\n')!, /^plan\.txt:1: .*holds U\+202E/);
});

test("a timed command past the level's end is refused when the script is attached", (t) => {
  const level = testLevel({ duration: '40m' });
  const script = parseScript('# drain\nat 10 stop web-1\nat 2h stop web-1\nat 40:00 start web-1\n', 'plan.txt');
  t.throws(() => attachScript(new Session(level, '1'), script), {
    instanceOf: InputError,
    message: 'plan.txt:3: at 2:00:00 is past the end of test, which lasts 40:00; its last command runs at 39:59',
  });
  t.notThrows(() => attachScript(new Session(level, '1'), parseScript('at 39:59 stop web-1\n', 'plan.txt')));
});

test('reactions that feed themselves stop at a budget, naming the script line, instead of doubling for ever', (t) => {
  const session = new Session(testLevel({ duration: '40m' }), '1');
  attachScript(
    session,
    parseScript('at 5 stop nosuch\non command-refused stop nosuch\non command-refused stop nosuch\n', 'loop.txt'),
  );
  t.throws(() => session.run(60), {
    instanceOf: InputError,
    message:
      "loop.txt:2: 'on command-refused' took the script past 1,000 reactions in the second at 00:14; a reaction that answers its own events never ends (at most 1,000 a second, 10,000 a run)",
  });
  // A reaction that fires once a second for a long play runs into the per-run budget instead.
  const steady = new Session(testLevel({ duration: '5h' }), '1');
  attachScript(steady, parseScript('at 1 stop nosuch\non command-refused stop nosuch\n', 'steady.txt'));
  const err = t.throws(() => steady.run(5 * 3600), { instanceOf: InputError });
  t.regex(
    err.message,
    /^steady\.txt:2: 'on command-refused' took the script past 10,000 reactions in one run at 2:46:4\d; /,
  );
});

test("past the budget, a reaction to a workload's volume alarms says it ran once for each volume listed", (t) => {
  const session = new Session(testLevel(saturatingDatabase(4)), '1');
  // 300 reactions to one event listing four volumes: 1,200 in one second.
  attachScript(session, parseScript('on volume-performance-exceeded note {subject}\n'.repeat(300), 'notes.txt'));
  t.throws(() => session.run(120), {
    instanceOf: InputError,
    message:
      "notes.txt:251: 'on volume-performance-exceeded' took the script past 1,000 reactions in the second at 00:59; the event lists 4 volumes and the reaction runs once for each (at most 1,000 a second, 10,000 a run)",
  });
});

test("a loaded play goes on spending its run's budget of reactions from where its save left it", (t) => {
  const level = testLevel({ duration: '5h' });
  const played = new Session(level, '1');
  attachScript(played, parseScript('at 1 stop nosuch\non command-refused stop nosuch\n', 'steady.txt'));
  played.run(3600);
  t.is(played.reactionsFired, 3599, 'one a second since the first refusal');
  const save = JSON.parse(JSON.stringify(saveRecord('steady', played, { settings: DEFAULT_SETTINGS })));
  t.is(save.reactionsFired, 3599);
  const overrun = (s: Session) => t.throws(() => s.run(5 * 3600 - s.tick), { instanceOf: InputError }).message;
  const unbroken = overrun(played);
  for (const how of ['replay', 'snapshot'] as const)
    t.is(overrun(resume(save, level, 'steady.txt', how).session), unbroken, how);
});

test('a script has bounds: its size, its lines, and times no level reaches', (t) => {
  const refused = refusalOf(t);
  t.is(
    refused('at 10 stpo web-1\n'),
    "plan.txt:1: unknown command 'stpo' (did you mean stop?); fleetops commands lists them",
    'a script has no help command to try',
  );
  t.is(
    refused('at 99999999999999999999d stop web-1\n'),
    "plan.txt:1: '99999999999999999999d' is later than any level lasts (at most 24:00:00, 86400 s)",
  );
  t.is(
    refused(`at 10 stop ${'w'.repeat(1000)}\n`),
    'plan.txt:1: a line of 1,011 characters; a script line holds at most 1,000',
  );
  // Characters as their writer counts them: 400 emoji are 800 UTF-16 units, and 412 characters.
  t.notThrows(() => parseScript(`at 10 note ${'😀'.repeat(400)}\n`, 'plan.txt'));
  t.is(
    refused(`at 10 note ${'😀'.repeat(1000)}\n`),
    'plan.txt:1: a line of 1,011 characters; a script line holds at most 1,000',
  );
  t.is(refused('\n'.repeat(20_001)), 'plan.txt: 20,001 lines is more than a script may hold (at most 20,000)');
  t.notThrows(
    () => parseScript('# a comment\n'.repeat(20_000), 'plan.txt'),
    '20,000 lines, the last ending in a newline as editors write it, are within the bound',
  );
  const level = testLevel({ duration: '40m' });
  t.throws(
    () => attachScript(new Session(level, '1'), parseScript('on host-failed after 1h stop web-1\n', 'plan.txt')),
    {
      instanceOf: InputError,
      message: 'plan.txt:1: after 1:00:00 is longer than test lasts (40:00); the reaction would never run',
    },
  );
});

// A pool's notices of one second are one event; a reaction answers each instance it lists, as an
// EventBridge rule does each instance's own interruption warning.
test('a reaction to an event telling several instances together runs once for each, {subject} the instance', (t) => {
  const session = new Session(
    testLevel({
      fleet: [{ name: 'web', count: 4, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption: 'stop' }],
      injects: [{ at: 60, command: 'set-spot-capacity m6i.large use1-az1 1' }],
    }),
    '1',
  );
  attachScript(session, parseScript('on spot-interruption-notice note replacing {name} ({subject})\n', 'plan.txt'));
  session.run(62);
  const notice = session.events.filter((e) => e.kind === 'spot-interruption-notice');
  t.is(notice.length, 1);
  t.deepEqual(
    session.events.filter((e) => e.kind === 'note-added').map((e) => e.message),
    notice[0]!.instanceIds!.map((id) => `replacing ${session.world.instances[id]!.name} (${id})`),
  );
  t.is(notice[0]!.instanceIds!.length, 3);
});

test("a second's reactions to a Spot pool's notices, once for each instance, have room; past the bound the refusal says why", (t) => {
  const pool = (count: number) =>
    new Session(
      testLevel({
        spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 400, volatility: 0 }],
        fleet: Array.from({ length: Math.ceil(count / 100) }, (_, i) => ({
          name: `sa${i}`,
          count: Math.min(100, count - i * 100),
          type: 'm6i.large',
          zone: 'use1-az1',
          spot: true,
        })),
        injects: [{ at: 60, command: 'set-spot-capacity m6i.large use1-az1 0' }],
      }),
      '1',
    );
  const fine = pool(250);
  attachScript(fine, parseScript('on spot-interruption-notice note replacing {name}\n', 'plan.txt'));
  fine.run(62);
  t.is(fine.events.filter((e) => e.kind === 'note-added').length, 250);
  const over = pool(250);
  attachScript(over, parseScript('on spot-interruption-notice note replacing {name}\n'.repeat(5), 'plan.txt'));
  t.throws(() => over.run(62), {
    instanceOf: InputError,
    message:
      "plan.txt:5: 'on spot-interruption-notice' took the script past 1,000 reactions in the second at 01:00; the event lists 250 instances and the reaction runs once for each (at most 1,000 a second, 10,000 a run)",
  });
});

test("a reaction to a pool's rebalance recommendation runs for each instance it reached, its workload filled in", (t) => {
  const session = new Session(
    testLevel({
      workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 10, noise: 0 } }],
      fleet: [{ name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1', spot: true, workload: 'web' }],
      injects: [{ at: 60, command: 'set-spot-capacity m6i.large use1-az1 3' }],
    }),
    '1',
  );
  attachScript(session, parseScript('on spot-rebalance-recommendation note {name} serves {workload}\n', 'plan.txt'));
  session.run(62);
  t.is(session.events.filter((e) => e.kind === 'spot-rebalance-recommendation').length, 1);
  t.deepEqual(
    session.events.filter((e) => e.kind === 'note-added').map((e) => e.message),
    ['web-1 serves web', 'web-2 serves web', 'web-3 serves web'],
  );
});

test('a script acts for the responders: a scenario command in it, timed or in a reaction, is refused with its line', (t) => {
  t.throws(() => parseScript('at 1m ack INC-1\non host-failed restore-host {subject}\n', 'cheat.txt'), {
    instanceOf: InputError,
    message: 'cheat.txt:2: restore-host is a scenario command; a script acts for the responders and cannot issue it',
  });
  t.throws(() => parseScript('at 10 fail-host web-1\n', 'cheat.txt'), {
    instanceOf: InputError,
    message: 'cheat.txt:1: fail-host is a scenario command; a script acts for the responders and cannot issue it',
  });
});

test('a note in a script takes the rest of its line, # included; on any other line # starts a comment', (t) => {
  const script = parseScript(
    'at 2m note issue #42 fixed\non incident-opened note paged for #{subject}\nat 3m ack INC-1 # the first\n',
    'plan.txt',
  );
  t.deepEqual(
    script.timed.map((c) => c.command.text),
    ['note issue #42 fixed', 'ack INC-1'],
  );
  t.is(script.reactions[0]!.template, 'note paged for #{subject}');
});

test('a reaction to a rule revoked puts back that rule, whichever it was: {rule} is the rule as its flags', (t) => {
  const level = testLevel({
    securityGroups: [
      { name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: '5432-5433', cidr: '10.0.0.0/16' }] },
    ],
    injects: [
      { at: '1m', command: 'revoke-ingress db --protocol tcp --port 5432-5433 --cidr 10.0.0.0/16' },
      { at: '2m', command: 'revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0' },
    ],
  });
  const session = new Session(level, '1');
  attachScript(session, parseScript('on ingress-revoked authorize-ingress {subject} {rule}\n', 'plan.txt'));
  session.run(180);
  const applied = session.events
    .filter((e) => e.kind === 'command-applied' && e.data?.source === 'script')
    .map((e) => e.message.replace(/sg-[0-9a-f]+/, 'sg'));
  t.deepEqual(applied, [
    'authorize-ingress sg --protocol tcp --port 5432-5433 --cidr 10.0.0.0/16',
    'authorize-ingress sg --protocol tcp --port 443 --cidr 0.0.0.0/0',
  ]);
  t.like(Object.fromEntries(Object.values(session.world.securityGroups).map((g) => [g.name, g.ingress.length])), {
    web: 1,
    db: 1,
  });
});

test('a reaction naming a placeholder its event never fills is refused as the script is read, with those it fills', (t) => {
  const refused = refusalOf(t);
  t.is(
    refused('on instance-running authorize-ingress web {rule}\n'),
    'plan.txt:1: instance-running is about an instance, which has no {rule} ({rule} comes only with ingress-authorized and ingress-revoked); it fills {subject}, {name}, {zone}, {otherZone}, {type}, {host}, {workload}',
  );
  // What the event is about as it is told: a stopped instance has left its host, a volume just
  // created or detached serves no instance, a security group is in no zone.
  t.is(
    refused('on instance-stopped note {host}\n'),
    'plan.txt:1: instance-stopped is about an instance that has left its host, which has no {host}; it fills {subject}, {name}, {zone}, {otherZone}, {type}, {workload}',
  );
  t.is(
    refused('on volume-detached note {workload}\n'),
    'plan.txt:1: volume-detached is about a volume attached to no instance, which has no {workload}; it fills {subject}, {name}, {zone}, {otherZone}, {type}',
  );
  t.is(
    refused('on clients-shut-out note {zone}\n'),
    'plan.txt:1: clients-shut-out is about a security group, network ACL, route table or subnet that was changed, which has no {zone}; it fills {subject}, {name}, {otherZone}, {workload}',
  );
  t.is(
    refused('at 5 note start\non demand-surge launch m6i.large --az {zone} --count 3 --workload {workload}\n'),
    'plan.txt:2: demand-surge is about a workload, which has no {zone}; it fills {subject}, {name}, {otherZone}, {workload}',
  );
  t.is(
    refused('on host-failed note {workload} lost a host\n'),
    'plan.txt:1: host-failed is about a host, which has no {workload}; it fills {subject}, {name}, {zone}, {otherZone}, {host}',
  );
  t.is(
    refused('on incident-opened after 1m note {zone}\n'),
    'plan.txt:1: incident-opened is about an incident, which has no {zone}; it fills {subject}, {name}, {otherZone}',
  );
  // What the event does fill passes: a volume's host is its instance's.
  t.notThrows(() => parseScript('on volume-performance-exceeded note {host} {workload} {type}\n', 'plan.txt'));
  t.notThrows(() =>
    parseScript('on demand-surge launch m6i.large --az {otherZone} --workload {workload}\n', 'plan.txt'),
  );
});

test('a reaction to an event told before play begins, which no reaction sees, is refused as the script is read', (t) => {
  // Whatever its command: the event is what is wrong. A misspelling is not pointed at it.
  t.regex(
    refusalOf(t)('on fleet-running frobnicate\n')!,
    /^plan\.txt:1: fleet-running is told as the level builds its world/,
  );
  t.notRegex(refusalOf(t)('on fleet-runing note x\n')!, /fleet-running/);
  t.is(
    refusalOf(t)('on fleet-running note {subject}\n'),
    "plan.txt:1: fleet-running is told as the level builds its world, before any reaction can run; the level's fleet is running from the start: an 'at 0' line runs a command then, naming what it acts on",
  );
});

test('a reaction to a network change that cuts a workload off has that workload in {workload}', (t) => {
  const session = new Session(
    testLevel({
      workloads: [{ name: 'web', kind: 'web', public: true, port: 443, demand: { baseRps: 100, noise: 0 } }],
      fleet: [{ name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1', workload: 'web' }],
      injects: [{ at: '01:00', command: 'revoke-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0' }],
    }),
    '1',
  );
  attachScript(session, parseScript('on clients-shut-out note {workload} shut out\n', 'plan.txt'));
  const notes: string[] = [];
  session.onEvents((events) => notes.push(...events.filter((e) => e.kind === 'note-added').map((e) => e.message)));
  session.run(90);
  t.deepEqual(notes, ['web shut out']);
});
