// Level files are written by people. A broken one is refused with one line that names the file,
// the field's path and what was expected there; every shipped level is valid and explains itself.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { levelFiles, loadLevel } from '../../src/cli/files.js';
import { InputError } from '../../src/input/input-error.js';
import { Session } from '../../src/game/session.js';
import { VERBS } from '../../src/sim/index.js';
import { fileTempDir } from '../helpers/temp.js';

type Json = Record<string, unknown>;

const BASE = levelFiles().find((f) => basename(f) === '02-dead-host.json')!;
const dir = fileTempDir('levels');

let written = 0;

/** Writes the shipped level, changed by `edit`, to a file and loads it; returns the one-line refusal after the file's name. */
function refusal(edit: (level: Json) => void, raw?: string): string {
  // An id of its own: a file holding another level under the campaign level's id is refused for that.
  const level = { ...(JSON.parse(readFileSync(BASE, 'utf8')) as Json), id: 'broken' };
  edit(level);
  const path = join(dir, `broken-${++written}.json`);
  writeFileSync(path, raw ?? JSON.stringify(level, null, 2));
  try {
    new Session(loadLevel(path), '1');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (err.message.includes('\n')) throw new Error(`not one line: ${err.message}`, { cause: err });
    if (!err.message.startsWith(path)) throw new Error(`does not name the file: ${err.message}`, { cause: err });
    return err.message.slice(path.length).replace(/^: /, '');
  }
  throw new Error('the broken level was accepted');
}

const fleet = (level: Json) => level.fleet as Json[];
const first = <T>(list: unknown) => (list as T[])[0]!;

test('a missing field is named', (t) => {
  t.is(
    refusal((l) => delete l.briefing),
    'briefing: expected a string of text, not white space alone, got nothing',
  );
  t.is(
    refusal((l) => delete first<Json>(l.fleet).type),
    'fleet[0].type: expected an instance type such as m6i.large, got nothing',
  );
  t.is(
    refusal((l) => delete l.zones),
    'zones: expected a list, got nothing',
  );
});

test('a field of the wrong type is named with what was expected', (t) => {
  t.is(
    refusal((l) => (l.duration = true)),
    'duration: expected a duration such as 3600, 45m or 1h30m, got true',
  );
  t.is(
    refusal((l) => (fleet(l)[1]!.count = 'two')),
    'fleet[1].count: expected a whole number from 1 to 100, got "two"',
  );
  t.is(
    refusal((l) => (l.hints = 'read the briefing')),
    'hints: expected a list, got "read the briefing"',
  );
  // Each bound alone may hold while their product does not: a day of the largest demand, all at the
  // top of its hourly curve, counts past what a double holds exactly.
  t.regex(
    refusal((l) => {
      l.duration = '24h';
      first<Json>(l.workloads).demand = { baseRps: 1e10, hourly: Array(24).fill(100), noise: 1 };
    }),
    /^workloads: expected demand whose requests over the level stay exact \(at most [\d,]+ requests a second in all at the peak, before a surge of up to 10x, over 86,400 s\), got 2,000,000,000,\d{3} at the peak$/,
  );
  // A hint shown costs points: one of white space alone would cost them for nothing.
  for (const [field, set] of [
    ['briefing', (l: Record<string, unknown>) => (l.briefing = '\n\t')],
    ['hints[0]', (l: Record<string, unknown>) => (l.hints = [' '])],
    ['lesson', (l: Record<string, unknown>) => (l.lesson = ' ')],
  ] as const)
    t.regex(
      refusal(set),
      new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: expected a string of text, not white space alone, got `),
      field,
    );
  // An empty string is a string: what it lacks is its text.
  t.regex(
    refusal((l) => (l.hints = [''])),
    /^hints\[0\]: expected .*, not an empty one, got ""$/,
  );
  t.is(
    refusal((l) => (first<Json>(l.workloads).demand = { baseRps: -5 })),
    'workloads[0].demand.baseRps: expected a number from 0 to 10000000000, got -5',
  );
});

test('an unknown or misspelt field is refused, with the fields that exist', (t) => {
  t.regex(
    refusal((l) => (l.budget = 1)),
    /^budget: unknown field \(expected one of schema, id, title, .*budgetUsd/,
  );
  t.regex(
    refusal((l) => (fleet(l)[3]!.instanceStoreGB = 10)),
    /^fleet\[3\]\.instanceStoreGB: unknown field \(expected one of .*instanceStoreDataGB/,
  );
  t.regex(
    refusal((l) => (first<Json>(l.injects).when = '5m')),
    /^injects\[0\]\.when: unknown field \(expected one of at, probability, count, target, magnitude, command\)$/,
  );
});

test('a reference to a zone the level does not have names the field and the zones there are', (t) => {
  t.is(
    refusal((l) => (fleet(l)[2]!.zone = 'use1-az9')),
    'fleet[2].zone: expected a zone of this level (use1-az1, use1-az2, use1-az4), got "use1-az9"',
  );
  t.is(
    refusal((l) => (first<Json>(l.racks).zone = 'us-east-1d')),
    'racks[0].zone: expected a zone of this level (use1-az1, use1-az2, use1-az4), got "us-east-1d"',
  );
  t.is(
    refusal((l) => (first<Json>(l.zones).id = 'az1')),
    'zones[0].id: expected a zone id such as use1-az1, got "az1"',
  );
});

test('other references are checked too: workloads, security groups, placement groups', (t) => {
  t.is(
    refusal((l) => (fleet(l)[0]!.workload = 'webb')),
    'fleet[0].workload: expected a workload of this level (web, sessions), got "webb"',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.securityGroups = ['www'])),
    'fleet[0].securityGroups: expected security group names of this level (default, web, cache), got ["www"]',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.placementGroup = 'brokers')),
    'fleet[0].placementGroup: expected a placement group of this level, got "brokers"',
  );
});

test('an inject that is not a command of the language names the inject and what is wrong', (t) => {
  t.is(
    refusal((l) => (first<Json>(l.injects).command = 'fail-hots web-1')),
    "injects[0].command: unknown command 'fail-hots' (did you mean fail-host?); fleetops commands lists them",
  );
  t.regex(
    refusal((l) => (first<Json>(l.injects).command = 'fail-host')),
    /^injects\[0\]\.command: fail-host: missing <host>/,
  );
  t.is(
    refusal((l) => (first<Json>(l.injects).at = 'soon')),
    'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, got "soon"',
  );
});

test('a malformed window, chance, count or magnitude names the inject field and the bound', (t) => {
  const inject = (l: Json) => first<Json>(l.injects);
  t.is(
    refusal((l) => (inject(l).at = '25m..5m')),
    'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, earliest first, got "25m..5m"',
  );
  t.is(
    refusal((l) => (inject(l).at = '5m..2h')),
    'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, before the level ends at 2400 s, got "5m..2h"',
  );
  t.is(
    refusal((l) => (inject(l).probability = 1.5)),
    'injects[0].probability: expected a number from 0 to 1, got 1.5',
  );
  t.is(
    refusal((l) => (inject(l).count = '0..3')),
    'injects[0].count: expected a whole number from 1 to 20, or a range such as 1..3, got "0..3"',
  );
  t.is(
    refusal((l) => (inject(l).count = '3..1')),
    'injects[0].count: expected a whole number from 1 to 20, or a range such as 1..3, smallest first, got "3..1"',
  );
  t.is(
    refusal((l) => (inject(l).magnitude = 'lots')),
    'injects[0].magnitude: expected a number from 0 to 100000, or a range such as 1.5..3, got "lots"',
  );
  // Numbers as a command writes them: no leading zeros.
  t.is(
    refusal((l) => (inject(l).count = '01..2')),
    'injects[0].count: expected a whole number from 1 to 20, or a range such as 1..3, got "01..2"',
  );
  t.is(
    refusal((l) => (inject(l).magnitude = '0.5..07')),
    'injects[0].magnitude: expected a number from 0 to 100000, or a range such as 1.5..3, got "0.5..07"',
  );
});

test('a malformed target is refused with the selector field and what it may be', (t) => {
  const inject = (l: Json) => first<Json>(l.injects);
  t.is(
    refusal((l) => (inject(l).target = { kind: 'rack' })),
    'injects[0].target.kind: expected one of instance, host, volume, zone, spot-pool, got "rack"',
  );
  t.is(
    refusal((l) => (inject(l).target = { kind: 'host', workload: 'shop' })),
    'injects[0].target.workload: expected a workload of this level (web, sessions), got "shop"',
  );
  t.is(
    refusal((l) => (inject(l).target = { kind: 'host', minInstances: 0 })),
    'injects[0].target.minInstances: expected a whole number from 1 to 1000, got 0',
  );
  t.regex(
    refusal((l) => (inject(l).target = { kind: 'zone', type: 'm6i.large' })),
    /^injects\[0\]\.target\.type: unknown field \(expected one of kind, workload\)$/,
  );
  t.is(
    refusal((l) => Object.assign(inject(l), { target: { kind: 'host' }, command: 'hang-guest {instance}' })),
    'injects[0].command: expected placeholders this inject fills ({host}, {zone}), not {instance}, got "hang-guest {instance}"',
  );
  t.is(
    refusal((l) =>
      Object.assign(inject(l), { target: { kind: 'instance', zone: 'use1-az9' }, command: 'hang-guest {instance}' }),
    ),
    'injects[0].target.zone: expected a zone of this level, got "use1-az9"',
  );
  // A stray brace would reach the command as written; a responder's own verb is not the scenario's.
  t.is(
    refusal((l) => Object.assign(inject(l), { target: { kind: 'host' }, command: 'hang-guest {host' })),
    'injects[0].command: expected a command whose braces are placeholders only, such as {host}, got "hang-guest {host"',
  );
  // One line without tabs, as at the prompt: nothing at its ends is taken off unseen.
  for (const command of ['fail-host {host}\n', '\tfail-host {host}', 'fail-host\t{host}'])
    t.is(
      refusal((l) => Object.assign(inject(l), { target: { kind: 'host' }, command })),
      `injects[0].command: expected a command on one line, without tabs or other control characters, got ${JSON.stringify(command)}`,
    );
  for (const command of ['hint', 'ack INC-1', 'note paged'])
    t.is(
      refusal((l) => Object.assign(inject(l), { target: null, command })),
      `injects[0].command: expected a command that acts on the world, not ${command.split(' ')[0]}, which is the responder's own, got "${command}"`,
    );
  // Every magnitude a range can draw must make a command: its ends, and a fraction where it draws fractions.
  const drawn = (magnitude: string, command: string) => (l: Record<string, unknown>) =>
    Object.assign(inject(l), { target: null, magnitude, command });
  t.is(
    refusal(drawn('5..15', 'surge-demand web {magnitude} --for 10m')),
    `injects[0].magnitude: expected a range whose every draw the command takes (15 gives: surge-demand: <factor> must be 1-10, not '15'), got "5..15"`,
  );
  t.regex(
    refusal(drawn('0..2.5', 'set-spot-capacity m6i.large use1-az1 {magnitude}'))!,
    /^injects\[0\]\.magnitude: expected a range whose every draw the command takes \(2\.5 gives: .*whole number/,
  );
});

test("a target set that is empty in the starting world is refused when play starts, as the world's own refusals are", (t) => {
  const level = loadLevel(BASE);
  level.injects = [
    {
      ...level.injects[0]!,
      target: {
        kind: 'instance',
        workload: 'web',
        market: 'spot',
        zone: null,
        type: null,
        minInstances: 0,
        inUse: false,
      },
      command: 'hang-guest {instance}',
    },
  ];
  t.throws(() => new Session(level, '1'), {
    instanceOf: InputError,
    // Named by the file it was read from, which need not bear the level's id.
    message: `${BASE}: injects[0].target: no instance (workload web, market spot) in the starting world to choose from`,
  });
});

test('a malformed fault process names the field and the bound', (t) => {
  t.is(
    refusal((l) => (l.processes = [{ kind: 'meteor' }])),
    'processes[0].kind: expected one of host-failures, spot-walk, demand-surges, got "meteor"',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'host-failures', ratePerHostHour: 11 }])),
    'processes[0].ratePerHostHour: expected a number from 0 to 10, got 11',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'host-failures', afr: 0.05, ratePerHostHour: 1 }])),
    'processes[0].afr: expected either afr (with speedup) or ratePerHostHour, not both, got 0.05',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'host-failures', afr: 1, speedup: 1e6 }])),
    'processes[0].speedup: expected a speedup that keeps the rate within 10 per host per hour, got 1000000',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'host-failures' }])),
    'processes[0].afr: expected an annual failure rate from 0 to 1 (with speedup), or ratePerHostHour, got nothing',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'spot-walk', every: '10s' }])),
    'processes[0].every: expected a period of at least 60 s, such as 5m, got "10s"',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 2, length: '10s..5m' }])),
    'processes[0].length: expected a length of at least 60 s, such as 5m..10m, got "10s..5m"',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 2, factor: '0.5..3' }])),
    'processes[0].factor: expected a number from 1 to 10, or a range such as 1.5..3, got "0.5..3"',
  );
  t.is(
    refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 2, during: '1h..2h' }])),
    'processes[0].during: expected a window such as 5m..35m, before the level ends at 2400 s, got "1h..2h"',
  );
});

test('a bad objective names the objective and what it may be', (t) => {
  t.is(
    refusal((l) => (first<Json>(l.objectives).kind = 'win')),
    'objectives[0].kind: expected one of slo, no-data-loss, max-cost, incidents-resolved, running, got "win"',
  );
  t.is(
    refusal((l) => (first<Json>(l.objectives).workload = 'shop')),
    'objectives[0].workload: expected a workload of this level (web, sessions), got "shop"',
  );
  t.is(
    refusal((l) => (first<Json>(l.objectives).min = 97)),
    'objectives[0].min: expected a number from 0 to 1, got 97',
  );
  t.regex(
    refusal((l) => ((l.objectives as Json[])[2]!.usd = 1)),
    /^objectives\[2\]\.usd: unknown field \(expected one of kind\)$/,
  );
});

test('a start whose play would end after year 9999 is refused: reports and the IMDS write four-digit years', (t) => {
  t.is(
    refusal((l) => (l.start = '9999-12-31T23:59:59Z')),
    'start: expected a start whose play ends by 9999-12-31T23:59:59Z, got "9999-12-31T23:59:59Z"',
  );
});

test('text that would move the cursor or change the colours of a terminal showing it is refused', (t) => {
  t.is(
    refusal((l) => (l.title = '\u001b[2J\u001b[31mPWN')),
    'title: expected a title on one line (not only spaces) without control characters, got "\\u001b[2J\\u001b[31mPWN"',
  );
  t.is(
    refusal((l) => (l.seed = 'a\rb')),
    'seed: expected a seed of at most 100 characters on one line (no space at either end) without control characters, got "a\\rb"',
  );
  t.is(
    refusal((l) => (l.title = 'Shift\nfleetops: forged')),
    'title: expected a title on one line (not only spaces), got "Shift\\nfleetops: forged"',
  );
  // A seed is shown on a line of its own (a summary, the saves' list): a newline would forge another.
  t.is(
    refusal((l) => (l.seed = '1\nfleetops: forged')),
    'seed: expected a seed of at most 100 characters on one line (no space at either end), got "1\\nfleetops: forged"',
  );
  // A title or seed of only spaces would show as none.
  t.is(
    refusal((l) => (l.title = '   ')),
    'title: expected a title on one line (not only spaces), got "   "',
  );
  t.is(
    refusal((l) => (l.seed = '7 ')),
    'seed: expected a seed of at most 100 characters on one line (no space at either end), got "7 "',
  );
  t.is(
    refusal((l) => (l.seed = '  ')),
    'seed: expected a seed of at most 100 characters on one line (no space at either end), got "  "',
  );
  // Told escaped: the refusal itself must not reorder the terminal it is printed to.
  t.is(
    refusal((l) => (l.title = 'x\u202ey')),
    'title: expected a title on one line (not only spaces) without control characters, got "x\\u202ey"',
  );
});

test('a number too large for a double (1e999) is named so, not as the null JSON would write', (t) => {
  t.is(
    refusal(() => {}, readFileSync(BASE, 'utf8').replace(/"budgetUsd": [\d.]+/, '"budgetUsd": 1e999')),
    'budgetUsd: expected a number from 0.01 to 1000000000, got a number too large for a double',
  );
});

test('a start that is not a real date is refused, including a day past the end of its month', (t) => {
  for (const start of [
    '2026-02-30T09:00:00Z',
    '2026-04-31T09:00:00Z',
    '2026-13-01T09:00:00Z',
    '2026-03-02T24:00:00Z',
  ]) {
    t.is(
      refusal((l) => (l.start = start)),
      `start: expected a real date, got "${start}"`,
    );
  }
});

test('starting balances, volume names and the stateful switch are checked', (t) => {
  t.is(
    refusal((l) => (fleet(l)[0]!.ebsBurstBalance = 120)),
    'fleet[0].ebsBurstBalance: expected a number from 0 to 100, got 120',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.volume = { type: 'gp2', size: 100, burstBalance: -1 })),
    'fleet[0].volume.burstBalance: expected a number from 0 to 100, got -1',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.volume = { type: 'gp2', size: 100, name: 'db' })),
    'fleet[0].volume.name: expected a lower-case name of 6 to 64 characters, got "db"',
  );
  t.is(
    refusal((l) => {
      fleet(l)[0]!.count = 2;
      fleet(l)[0]!.volume = { type: 'gp3', size: 100, name: 'web-data' };
    }),
    'fleet[0].volume.name: expected no name when count is above 1, got "web-data"',
  );
  t.is(
    refusal((l) => (first<Json>(l.workloads).stateful = 'yes')),
    'workloads[0].stateful: expected true or false, got "yes"',
  );
});

test('a file that is not JSON gives its line and column', (t) => {
  const text = readFileSync(BASE, 'utf8').replace('"title": "Dead host",', '"title": "Dead host"');
  t.regex(
    refusal(() => undefined, text),
    /^:\d+:\d+: not valid JSON \(/,
  );
  const line = text.split('\n').findIndex((l) => l.includes('"title"')) + 2;
  t.true(refusal(() => undefined, text).startsWith(`:${line}:`), 'the line after the missing comma');
});

test('a key given twice in one object is refused where it repeats, not read as its last value', (t) => {
  const text = readFileSync(BASE, 'utf8');
  const twice = text.replace('"title": "Dead host",', '"title": "Dead host",\n  "duration": 60,');
  const line = twice.split('\n').findIndex((l) => l.includes('"duration": 60')) + 1;
  const later = twice.split('\n').findIndex((l, i) => i >= line && l.includes('"duration"')) + 1;
  t.true(later > line, 'the level sets its own duration further down');
  t.is(
    refusal(() => undefined, twice),
    `:${later}:3: "duration" is given twice in one object; JSON keeps only the last, so give it once`,
  );
  const nested = text.replace(/("fleet": \[\s*\{)/, '$1 "zone": "use1-az1",');
  t.regex(
    refusal(() => undefined, nested),
    /^:\d+:\d+: fleet\[0\]: "zone" is given twice in one object; /,
  );
});

test('a level of another schema is refused', (t) => {
  t.is(
    refusal((l) => (l.schema = 'fleetops/level@2')),
    'schema: expected "fleetops/level@1", got "fleetops/level@2"',
  );
});

for (const file of levelFiles()) {
  test(`${basename(file)} parses, is named after its file, explains itself and builds its world`, (t) => {
    const level = loadLevel(file);
    t.is(level.id, basename(file, '.json'));
    t.true(level.title.trim().length > 0);
    t.true(level.briefing.trim().length >= 200, 'a briefing that teaches');
    t.true(level.lesson.trim().length >= 100, 'a lesson that states what the level teaches and the remedy');
    t.true(level.hints.length >= 2);
    for (const hint of level.hints) t.true(hint.trim().length > 0);
    // Hints teach where to look; only the last gives the command to type.
    const command = new RegExp(`'(${VERBS.map((v) => v.verb).join('|')})\\b`);
    level.hints.slice(0, -1).forEach((hint, i) => t.notRegex(hint, command, `hint ${i + 1}`));
    t.regex(level.hints.at(-1)!, command, 'the last hint');
    t.true(level.objectives.length > 0);
    t.true(level.duration >= 30 * 60 && level.duration <= 60 * 60, 'a modest length of play');
    t.notThrows(() => new Session(level, level.defaultSeed));
  });
}

test('every number has a range the model can honour: a level past one is refused before play', (t) => {
  t.is(
    refusal((l) => (l.duration = '99999999999999999999d')),
    'duration: expected a duration from 1 second to 24 hours, got "99999999999999999999d"',
  );
  t.is(
    refusal((l) => (l.racks = [{ zone: 'use1-az1', family: 'm6i', racks: 10000, hostsPerRack: 64 }])),
    'racks[0]: expected racks that keep the level to at most 100,000 hosts, got 640,000 hosts by this entry',
  );
  t.is(
    refusal((l) => (first<Json>(l.workloads).demand = { baseRps: 1e300 })),
    'workloads[0].demand.baseRps: expected a number from 0 to 10000000000, got 1e+300',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.instanceStoreDataGB = 1e12)),
    'fleet[0].instanceStoreDataGB: expected a number from 0 to 1000000, got 1000000000000',
  );
  t.is(
    refusal((l) => (l.budgetUsd = 1e20)),
    'budgetUsd: expected a number from 0.01 to 1000000000, got 100000000000000000000',
  );
  t.is(
    refusal((l) => (l.hints = Array.from({ length: 51 }, () => 'hint'))),
    'hints: expected at most 50 entries, got 51',
  );
  t.regex(
    refusal((l) => (fleet(l)[0]!.name = 'w'.repeat(300))),
    /^fleet\[0\]\.name: expected at most 256 characters, got "w+$/,
  );
});

test('nesting far too deep is refused in one line, not followed into a stack overflow', (t) => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  t.is(
    refusal(() => undefined, deep),
    'nested more than 64 levels deep; no fleetops file nests that deep',
  );
});

test('fields that contradict each other are refused: an interruption without Spot, partitions of a spread group, a zone of another region', (t) => {
  t.is(
    refusal((l) => (first<Json>(l.fleet).interruption = 'stop')),
    'fleet[0].interruption: expected nothing without "spot": true: only a Spot instance is interrupted, got "stop"',
  );
  t.is(
    refusal((l) => (l.placementGroups = [{ name: 'apart', strategy: 'spread', partitions: 3 }])),
    'placementGroups[0].partitions: expected nothing: a spread placement group has no partitions, got 3',
  );
  t.is(
    refusal((l) => ((l.zones as Json[])[0]!.name = 'us-west-2a')),
    'zones[0].name: expected a zone name of us-east-1, such as us-east-1a, got "us-west-2a"',
  );
});

test('contradictions are refused with the field path: duplicate names of every kind, injects after the end', (t) => {
  const zones = (l: Json) => l.zones as Json[];
  t.is(
    refusal((l) => zones(l).push({ ...zones(l)[0] })),
    'zones[3].name: expected a zone name of its own (zones[0].name already gives \'us-east-1a\'), got "us-east-1a"',
  );
  t.is(
    refusal((l) => zones(l).push({ name: 'us-east-1d', id: 'use1-az1' })),
    'zones[3].id: expected a zone id of its own (zones[0].id already gives \'use1-az1\'), got "use1-az1"',
  );
  t.is(
    refusal((l) => (l.securityGroups = [{ name: 'default' }, { name: 'default' }, { name: 'web' }, { name: 'cache' }])),
    'securityGroups[1].name: expected a security group name of its own (securityGroups[0].name already gives \'default\'), got "default"',
  );
  t.is(
    refusal((l) => (l.workloads as Json[]).push({ ...first<Json>(l.workloads) })),
    'workloads[2].name: expected a workload name of its own (workloads[0].name already gives \'web\'), got "web"',
  );
  t.is(
    refusal(
      (l) =>
        (l.placementGroups = [
          { name: 'g', strategy: 'spread' },
          { name: 'g', strategy: 'cluster' },
        ]),
    ),
    'placementGroups[1].name: expected a placement group name of its own (placementGroups[0].name already gives \'g\'), got "g"',
  );
  t.is(
    refusal((l) => (fleet(l)[1]!.name = 'web-1')),
    'fleet[1].name: expected an instance name of its own (fleet[0].name already gives \'web-1\'), got "web-1"',
  );
  // A counted entry's names (web-1, web-2) meet another entry's name too.
  t.is(
    refusal((l) => fleet(l).splice(0, 1, { ...fleet(l)[0], name: 'web', count: 2 })),
    'fleet[1].name: expected an instance name of its own (fleet[0].name already gives \'web-2\'), got "web-2"',
  );
  // …and another's before it, the first of its names that meets one named.
  t.is(
    refusal((l) => {
      fleet(l)[0]!.name = 'web-9';
      fleet(l).splice(3, 1, { ...fleet(l)[3], name: 'web', count: 3 });
    }),
    'fleet[3].name: expected an instance name of its own (fleet[1].name already gives \'web-2\'), got "web"',
  );
  t.is(
    refusal((l) => {
      fleet(l).splice(2, 1, { ...fleet(l)[2], name: 'x', count: 2 });
      fleet(l).splice(3, 1, { ...fleet(l)[3], name: 'x', count: 3 });
    }),
    'fleet[3].name: expected an instance name of its own (fleet[2].name already gives \'x-1\'), got "x"',
  );
  t.is(
    refusal((l) => (l.injects = [{ at: '40:00', command: 'fail-host web-1' }])),
    'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, before the level ends at 2400 s, got "40:00"',
  );
});

test('a security-group rule needs a real IPv4 range, and an instance names each of its groups once', (t) => {
  const rule = (l: Json) => first<Json>(first<Json>(l.securityGroups).ingress);
  t.is(
    refusal((l) => (rule(l).cidr = '300.0.0.0/99')),
    'securityGroups[0].ingress[0].cidr: expected an IPv4 CIDR such as 0.0.0.0/0 (octets 0 to 255, prefix 0 to 32), got "300.0.0.0/99"',
  );
  t.is(
    refusal((l) => (rule(l).cidr = '10.0.0.0/33')),
    'securityGroups[0].ingress[0].cidr: expected an IPv4 CIDR such as 0.0.0.0/0 (octets 0 to 255, prefix 0 to 32), got "10.0.0.0/33"',
  );
  t.is(
    refusal((l) => (fleet(l)[0]!.securityGroups = ['web', 'web'])),
    'fleet[0].securityGroups: expected security group names, each named once, got ["web","web"]',
  );
});

test('a level is read from a regular file: a device or a pipe is refused before it is read, and a byte-order mark is dropped', (t) => {
  const device = (() => {
    try {
      loadLevel('/dev/zero');
    } catch (err) {
      return err instanceof InputError ? err.message : String(err);
    }
    return 'accepted';
  })();
  t.is(device, '/dev/zero: not a regular file (a device, pipe or socket); a level is read from a file');
  const path = join(dir, 'bom.json');
  writeFileSync(path, `\uFEFF${readFileSync(BASE, 'utf8')}`);
  t.is(loadLevel(path).id, '02-dead-host');
});

test('instance store data on a type without instance store is refused', (t) => {
  t.is(
    refusal((l) => (fleet(l)[0]!.instanceStoreDataGB = 100)),
    'fleet[0].instanceStoreDataGB: expected 0 for m6i.large, a type without instance store (m6id, r6id and i4i types have it), got 100',
  );
  // A partition means nothing without its placement group.
  t.regex(
    refusal((l) => (fleet(l)[0]!.partition = 3)),
    /^fleet\[0\]\.partition: expected no partition without a placementGroup of strategy partition, got 3$/,
  );
  // Nor with a group of another strategy, whose placement would leave it unused.
  t.is(
    refusal((l) => {
      (l as { placementGroups?: unknown[] }).placementGroups = [{ name: 'apart', strategy: 'spread' }];
      Object.assign(fleet(l)[0]!, { placementGroup: 'apart', partition: 2 });
    }),
    'fleet[0].partition: expected no partition: apart is a spread placement group, got 2',
  );
  // Nor more than the type's disks hold, which the model would cut it to.
  t.regex(
    refusal((l) => {
      fleet(l)[0]!.type = 'm6id.large';
      fleet(l)[0]!.instanceStoreDataGB = 1_000_000;
    }),
    /^fleet\[0\]\.instanceStoreDataGB: expected at most \d+ for m6id\.large, whose instance store is 1 x \d+ GB, got 1000000$/,
  );
});

test('an instance type fleetops does not model is refused as the level is read, naming its field', (t) => {
  t.is(
    refusal((l) => (fleet(l)[0]!.type = 'm6i.huge')),
    'fleet[0].type: expected an instance type fleetops models, such as m6i.large (src/sim/data/instance-types.json), got "m6i.huge"',
  );
  t.is(
    refusal((l) => (l.spotPools = [{ type: 'zz9.large', zone: 'use1-az1', capacity: 3 }])),
    'spotPools[0].type: expected an instance type fleetops models, such as m6i.large (src/sim/data/instance-types.json), got "zz9.large"',
  );
});

test('a level file whose world cannot be built, or whose injects find nothing in it, is named by its file', (t) => {
  // refusal() holds that each message starts with the level file's path.
  t.regex(
    refusal((l) => (fleet(l)[0]!.type = 'c6i.large')),
    /^fleet\[0\]: no c6i host in use1-az1 has room for a c6i\.large/,
  );
  t.regex(
    refusal(
      (l) =>
        (l.injects = [
          { at: '1m', target: { kind: 'instance', workload: 'web', market: 'spot' }, command: 'hang-guest {instance}' },
        ]),
    ),
    /^injects\[0\]\.target: no instance \(workload web, market spot\) in the starting world to choose from$/,
  );
});

test("a surge's length past a day is refused with its own bound, not the level's end", (t) => {
  t.regex(
    refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 1, length: '25h' }])),
    /^processes\[0\]\.length: expected a length such as 5m\.\.10m, at most 86400 s \(24h\), got "25h"$/,
  );
});

test('an instance name a command could not reach is refused: an option, a comment, an instance id', (t) => {
  for (const name of ['--force', '#web', 'i-0', ' web'])
    t.regex(
      refusal((l) => (fleet(l)[0]!.name = name)),
      /^fleet\[0\]\.name: expected /,
      name,
    );
  // A name with a space is reached quoted, as a launch's --name 'web tier' is.
  t.throws(() => refusal((l) => (fleet(l)[0]!.name = 'web tier 1')), { message: 'the broken level was accepted' });
});

test('a level states one budget: a max-cost objective of another figure than budgetUsd is refused', (t) => {
  const objectives = (l: Json) => l.objectives as Json[];
  t.is(
    refusal((l) => objectives(l).push({ kind: 'max-cost', usd: 2 })),
    `objectives[${objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json).length}].usd: expected 0.5, the level's budgetUsd: a level states one budget, which its score measures against, got 2`,
  );
  t.is(
    refusal((l) => {
      delete l.budgetUsd;
      objectives(l).push({ kind: 'max-cost', usd: 2 }, { kind: 'max-cost', usd: 3 });
    }),
    `objectives[${objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json).length + 1}]: expected an objective not given before (objectives[${objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json).length}] is the max-cost objective), got {"kind":"max-cost","usd":3}`,
  );
  // A budget of nothing would divide the cost score by zero.
  t.is(
    refusal((l) => {
      delete l.budgetUsd;
      objectives(l).push({ kind: 'max-cost', usd: 0 });
    }),
    `objectives[${objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json).length}].usd: expected a number from 0.01 to 1000000000, got 0`,
  );
  // Without budgetUsd, the objective's figure is the budget the score measures against.
  const level: Json = { ...(JSON.parse(readFileSync(BASE, 'utf8')) as Json), id: 'one-budget' };
  delete level.budgetUsd;
  objectives(level).push({ kind: 'max-cost', usd: 2 });
  const path = join(dir, 'one-budget.json');
  writeFileSync(path, JSON.stringify(level));
  t.is(loadLevel(path).budgetUsd, 2);
});

test('an objective given twice is refused, with the same figure or another: it would count twice in the score', (t) => {
  const objectives = (l: Json) => l.objectives as Json[];
  const n = objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json).length;
  const first = objectives(JSON.parse(readFileSync(BASE, 'utf8')) as Json)[0]!;
  t.is(first.kind, 'slo');
  t.is(
    refusal((l) => objectives(l).push({ ...objectives(l)[0]! })),
    `objectives[${n}]: expected an objective not given before (objectives[0] is the slo objective of ${String(first.workload)}), got ${JSON.stringify(first)}`,
  );
  t.is(
    refusal((l) => objectives(l).push({ ...objectives(l)[0]!, min: 0.5 })),
    `objectives[${n}]: expected an objective not given before (objectives[0] is the slo objective of ${String(first.workload)}), got ${JSON.stringify({ ...first, min: 0.5 })}`,
  );
});
