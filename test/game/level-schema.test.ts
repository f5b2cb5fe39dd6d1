// Level files are written by people. A broken one is refused with one line that names the file,
// the field's path and what was expected there; every shipped level is valid and explains itself.
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { levelFiles, loadLevel } from '../../src/cli/files.js';
import { InputError } from '../../src/game/input-error.js';
import { Session } from '../../src/game/session.js';

type Json = Record<string, unknown>;

const BASE = levelFiles().find((f) => basename(f) === '02-dead-host.json')!;
const dir = mkdtempSync(join(tmpdir(), 'fleetops-levels-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;

/** Writes the shipped level, changed by `edit`, to a file and loads it; returns the one-line refusal after the file's name. */
function refusal(edit: (level: Json) => void, raw?: string): string {
  const level = JSON.parse(readFileSync(BASE, 'utf8')) as Json;
  edit(level);
  const path = join(dir, `broken-${++written}.json`);
  writeFileSync(path, raw ?? JSON.stringify(level, null, 2));
  try {
    new Session(loadLevel(path), '1');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (err.message.includes('\n')) throw new Error(`not one line: ${err.message}`);
    if (!err.message.startsWith(path)) throw new Error(`does not name the file: ${err.message}`);
    return err.message.slice(path.length).replace(/^: /, '');
  }
  throw new Error('the broken level was accepted');
}

const fleet = (level: Json) => level.fleet as Json[];
const first = <T>(list: unknown) => (list as T[])[0]!;

test('a missing field is named', (t) => {
  t.is(refusal((l) => delete l.briefing), 'briefing: expected a string, got nothing');
  t.is(refusal((l) => delete first<Json>(l.fleet).type), 'fleet[0].type: expected an instance type such as m6i.large, got nothing');
  t.is(refusal((l) => delete l.zones), 'zones: expected a list, got nothing');
});

test('a field of the wrong type is named with what was expected', (t) => {
  t.is(refusal((l) => (l.duration = true)), 'duration: expected a duration such as 3600, 45m or 1h30m, got true');
  t.is(refusal((l) => (fleet(l)[1]!.count = 'two')), 'fleet[1].count: expected a whole number from 1 to 100, got "two"');
  t.is(refusal((l) => (l.hints = 'read the briefing')), 'hints: expected a list, got "read the briefing"');
  t.is(refusal((l) => (first<Json>(l.workloads).demand = { baseRps: -5 })), 'workloads[0].demand.baseRps: expected a number >= 0, got -5');
});

test('an unknown or misspelt field is refused, with the fields that exist', (t) => {
  t.regex(refusal((l) => (l.budget = 1)), /^budget: unknown field \(expected one of schema, id, title, .*budgetUsd/);
  t.regex(refusal((l) => (fleet(l)[3]!.instanceStoreGB = 10)), /^fleet\[3\]\.instanceStoreGB: unknown field \(expected one of .*instanceStoreDataGB/);
  t.regex(refusal((l) => (first<Json>(l.injects).when = '5m')), /^injects\[0\]\.when: unknown field \(expected one of at, probability, count, target, magnitude, command\)$/);
});

test('a reference to a zone the level does not have names the field and the zones there are', (t) => {
  t.is(refusal((l) => (fleet(l)[2]!.zone = 'use1-az9')), 'fleet[2].zone: expected a zone of this level (use1-az1, use1-az2, use1-az4), got "use1-az9"');
  t.is(refusal((l) => (first<Json>(l.racks).zone = 'us-east-1d')), 'racks[0].zone: expected a zone of this level (use1-az1, use1-az2, use1-az4), got "us-east-1d"');
  t.is(refusal((l) => (first<Json>(l.zones).id = 'az1')), 'zones[0].id: expected a zone id such as use1-az1, got "az1"');
});

test('other references are checked too: workloads, security groups, placement groups', (t) => {
  t.is(refusal((l) => (fleet(l)[0]!.workload = 'webb')), 'fleet[0].workload: expected a workload of this level (web, sessions), got "webb"');
  t.is(refusal((l) => (fleet(l)[0]!.securityGroups = ['www'])), 'fleet[0].securityGroups: expected security group names of this level (default, web, cache), got ["www"]');
  t.is(refusal((l) => (fleet(l)[0]!.placementGroup = 'brokers')), 'fleet[0].placementGroup: expected a placement group of this level, got "brokers"');
});

test('an inject that is not a command of the language names the inject and what is wrong', (t) => {
  t.is(refusal((l) => (first<Json>(l.injects).command = 'fail-hots web-1')), "injects[0].command: unknown command 'fail-hots' (did you mean fail-host?); try help");
  t.regex(refusal((l) => (first<Json>(l.injects).command = 'fail-host')), /^injects\[0\]\.command: fail-host: missing <host>/);
  t.is(refusal((l) => (first<Json>(l.injects).at = 'soon')), 'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, got "soon"');
});

test('a malformed window, chance, count or magnitude names the inject field and the bound', (t) => {
  const inject = (l: Json) => first<Json>(l.injects);
  t.is(refusal((l) => (inject(l).at = '25m..5m')), 'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, earliest first, got "25m..5m"');
  t.is(refusal((l) => (inject(l).at = '5m..2h')), 'injects[0].at: expected a time such as 20:00 or a window such as 5m..25m, before the level ends at 2400 s, got "5m..2h"');
  t.is(refusal((l) => (inject(l).probability = 1.5)), 'injects[0].probability: expected a number from 0 to 1, got 1.5');
  t.is(refusal((l) => (inject(l).count = '0..3')), 'injects[0].count: expected a whole number from 1 to 20, or a range such as 1..3, got "0..3"');
  t.is(refusal((l) => (inject(l).count = '3..1')), 'injects[0].count: expected a whole number from 1 to 20, or a range such as 1..3, smallest first, got "3..1"');
  t.is(refusal((l) => (inject(l).magnitude = 'lots')), 'injects[0].magnitude: expected a number from 0 to 100000, or a range such as 1.5..3, got "lots"');
});

test('a malformed target is refused with the selector field and what it may be', (t) => {
  const inject = (l: Json) => first<Json>(l.injects);
  t.is(refusal((l) => (inject(l).target = { kind: 'rack' })), 'injects[0].target.kind: expected one of instance, host, volume, zone, spot-pool, got "rack"');
  t.is(refusal((l) => (inject(l).target = { kind: 'host', workload: 'shop' })), 'injects[0].target.workload: expected a workload of this level (web, sessions), got "shop"');
  t.is(refusal((l) => (inject(l).target = { kind: 'host', minInstances: 0 })), 'injects[0].target.minInstances: expected a whole number from 1 to 1000, got 0');
  t.regex(refusal((l) => (inject(l).target = { kind: 'zone', type: 'm6i.large' })), /^injects\[0\]\.target\.type: unknown field \(expected one of kind, workload\)$/);
  t.is(
    refusal((l) => Object.assign(inject(l), { target: { kind: 'host' }, command: 'hang-guest {instance}' })),
    'injects[0].command: expected placeholders this inject fills ({host}, {zone}), not {instance}, got "hang-guest {instance}"',
  );
  t.is(refusal((l) => Object.assign(inject(l), { target: { kind: 'instance', zone: 'use1-az9' }, command: 'hang-guest {instance}' })), 'injects[0].target.zone: expected a zone of this level, got "use1-az9"');
});

test('a target set that is empty in the starting world is refused when play starts, as the world\'s own refusals are', (t) => {
  const level = loadLevel(BASE);
  level.injects = [{ ...level.injects[0]!, target: { kind: 'instance', workload: 'web', market: 'spot', zone: null, type: null, minInstances: 0, inUse: false }, command: 'hang-guest {instance}' }];
  t.throws(() => new Session(level, '1'), { instanceOf: InputError, message: 'level 02-dead-host: injects[0].target: no instance (workload web, market spot) in the starting world to choose from' });
});

test('a malformed fault process names the field and the bound', (t) => {
  t.is(refusal((l) => (l.processes = [{ kind: 'meteor' }])), 'processes[0].kind: expected one of host-failures, spot-walk, demand-surges, got "meteor"');
  t.is(refusal((l) => (l.processes = [{ kind: 'host-failures', ratePerHostHour: 11 }])), 'processes[0].ratePerHostHour: expected a number from 0 to 10, got 11');
  t.is(refusal((l) => (l.processes = [{ kind: 'host-failures', afr: 0.05, ratePerHostHour: 1 }])), 'processes[0].afr: expected either afr (with speedup) or ratePerHostHour, not both, got 0.05');
  t.is(refusal((l) => (l.processes = [{ kind: 'host-failures', afr: 1, speedup: 1e6 }])), 'processes[0].speedup: expected a speedup that keeps the rate within 10 per host per hour, got 1000000');
  t.is(refusal((l) => (l.processes = [{ kind: 'host-failures' }])), 'processes[0].afr: expected an annual failure rate from 0 to 1 (with speedup), or ratePerHostHour, got nothing');
  t.is(refusal((l) => (l.processes = [{ kind: 'spot-walk', every: '10s' }])), 'processes[0].every: expected a period of at least 60 s, got "10s"');
  t.is(refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 2, factor: '0.5..3' }])), 'processes[0].factor: expected a number from 1 to 10, or a range such as 1.5..3, got "0.5..3"');
  t.is(refusal((l) => (l.processes = [{ kind: 'demand-surges', workload: 'web', ratePerHour: 2, during: '1h..2h' }])), 'processes[0].during: expected a window such as 5m..35m, before the level ends at 2400 s, got "1h..2h"');
});

test('a bad objective names the objective and what it may be', (t) => {
  t.is(refusal((l) => (first<Json>(l.objectives).kind = 'win')), 'objectives[0].kind: expected one of slo, no-data-loss, max-cost, incidents-resolved, running, got "win"');
  t.is(refusal((l) => (first<Json>(l.objectives).workload = 'shop')), 'objectives[0].workload: expected a workload of this level (web, sessions), got "shop"');
  t.is(refusal((l) => (first<Json>(l.objectives).min = 97)), 'objectives[0].min: expected a number from 0 to 1, got 97');
  t.regex(refusal((l) => ((l.objectives as Json[])[2]!.usd = 1)), /^objectives\[2\]\.usd: unknown field \(expected one of kind\)$/);
});

test('a start that is not a real date is refused, including a day past the end of its month', (t) => {
  for (const start of ['2026-02-30T09:00:00Z', '2026-04-31T09:00:00Z', '2026-13-01T09:00:00Z', '2026-03-02T24:00:00Z']) {
    t.is(refusal((l) => (l.start = start)), `start: expected a real date, got "${start}"`);
  }
});

test('starting balances, volume names and the stateful switch are checked', (t) => {
  t.is(refusal((l) => (fleet(l)[0]!.ebsBurstBalance = 120)), 'fleet[0].ebsBurstBalance: expected a number from 0 to 100, got 120');
  t.is(refusal((l) => (fleet(l)[0]!.volume = { type: 'gp2', size: 100, burstBalance: -1 })), 'fleet[0].volume.burstBalance: expected a number from 0 to 100, got -1');
  t.is(refusal((l) => (fleet(l)[0]!.volume = { type: 'gp2', size: 100, name: 'db' })), 'fleet[0].volume.name: expected a lower-case name of at least 6 characters, got "db"');
  t.is(
    refusal((l) => {
      fleet(l)[0]!.count = 2;
      fleet(l)[0]!.volume = { type: 'gp3', size: 100, name: 'web-data' };
    }),
    'fleet[0].volume.name: expected no name when count is above 1, got "web-data"',
  );
  t.is(refusal((l) => (first<Json>(l.workloads).stateful = 'yes')), 'workloads[0].stateful: expected true or false, got "yes"');
});

test('a file that is not JSON gives its line and column', (t) => {
  const text = readFileSync(BASE, 'utf8').replace('"title": "Dead host",', '"title": "Dead host"');
  t.regex(refusal(() => undefined, text), /^:\d+:\d+: not valid JSON \(/);
  const line = text.split('\n').findIndex((l) => l.includes('"title"')) + 2;
  t.true(refusal(() => undefined, text).startsWith(`:${line}:`), 'the line after the missing comma');
});

test('a level of another schema is refused', (t) => {
  t.is(refusal((l) => (l.schema = 'fleetops/level@2')), 'schema: expected "fleetops/level@1", got "fleetops/level@2"');
});

for (const file of levelFiles()) {
  test(`${basename(file)} parses, is named after its file, explains itself and builds its world`, (t) => {
    const level = loadLevel(file);
    t.is(level.id, basename(file, '.json'));
    t.true(level.title.trim().length > 0);
    t.true(level.briefing.trim().length >= 200, 'a briefing that teaches');
    t.true(level.hints.length >= 2);
    for (const hint of level.hints) t.true(hint.trim().length > 0);
    t.true(level.objectives.length > 0);
    t.true(level.duration >= 30 * 60 && level.duration <= 60 * 60, 'a modest length of play');
    t.notThrows(() => new Session(level, level.defaultSeed));
  });
}
