// Level files are written by people: every mistake gets one line naming the file, the field's
// path and what was expected there.
import test from 'ava';
import { InputError } from '../../src/input/input-error.js';
import { parseLevel } from '../../src/game/level.js';
import { Session } from '../../src/game/session.js';
import { testLevel, type LevelPatch } from '../helpers/world.js';

/** The one-line message a broken level gives, whether found while reading it or building its world. */
function levelError(patch: LevelPatch): string {
  try {
    new Session(testLevel(patch), 'test');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (err.message.includes('\n')) throw new Error(`not one line: ${err.message}`, { cause: err });
    return err.message;
  }
  throw new Error('the level was accepted');
}

const web = { name: 'web', type: 'm6i.large', zone: 'use1-az1' };

test('the test level itself is valid', (t) => {
  t.notThrows(() => new Session(testLevel({ fleet: [web] }), 'test'));
});

test('a fleet entry in an unknown zone names fleet[i].zone and the zones there are', (t) => {
  t.is(
    levelError({ fleet: [web, { ...web, name: 'b', zone: 'use1-az9' }] }),
    'test-level.json: fleet[1].zone: expected a zone of this level (use1-az1, use1-az2, use1-az4), got "use1-az9"',
  );
});

test('field errors name the path down to the field', (t) => {
  t.regex(
    levelError({ racks: [{ zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 0 }] }),
    /^test-level\.json: racks\[0\]\.hostsPerRack: expected a whole number from 1 to 64, got 0$/,
  );
  t.regex(
    levelError({ fleet: [{ ...web, count: 'two' }] }),
    /^test-level\.json: fleet\[0\]\.count: expected a whole number from 1 to 100, got "two"$/,
  );
  t.regex(
    levelError({ fleet: [{ ...web, volume: { type: 'gp4', size: 10 } }] }),
    /^test-level\.json: fleet\[0\]\.volume\.type: expected one of gp2, gp3, io1, io2, st1, sc1, got "gp4"$/,
  );
  t.regex(levelError({ fleet: [{ ...web, spot: 'yes' }] }), /fleet\[0\]\.spot: expected true or false/);
  t.regex(
    levelError({ fleet: [{ ...web, workload: 'shop' }] }),
    /fleet\[0\]\.workload: expected a workload of this level \(none defined\)/,
  );
  t.regex(
    levelError({ fleet: [{ ...web, securityGroups: ['web'] }] }),
    /fleet\[0\]\.securityGroups: expected security group names of this level \(default\)/,
  );
  t.regex(
    levelError({ workloads: [{ name: 'shop', kind: 'web', demand: { baseRps: 10, hourly: [1, 2, 3] } }] }),
    /workloads\[0\]\.demand\.hourly: expected 24 hourly multipliers/,
  );
  t.regex(
    levelError({ workloads: [{ name: 'shop', kind: 'website', demand: { baseRps: 10 } }] }),
    /workloads\[0\]\.kind: expected one of web, database, batch, stream/,
  );
  t.regex(
    levelError({ securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: 'anywhere' }] }] }),
    /securityGroups\[0\]\.ingress\[0\]\.cidr: expected an IPv4 CIDR/,
  );
  t.regex(
    levelError({ duration: 'forever' }),
    /^test-level\.json: duration: expected a duration such as 3600, 45m or 1h30m, got "forever"$/,
  );
  t.regex(levelError({ start: '2026-13-02T09:00:00Z' }), /start: expected a real date/);
  t.regex(
    levelError({ schema: 'fleetops/level@2' }),
    /^test-level\.json: schema: expected "fleetops\/level@1", got "fleetops\/level@2"$/,
  );
  t.regex(levelError({ zones: [] }), /zones: expected at least one zone/);
});

test('a misspelt field is reported rather than ignored', (t) => {
  t.regex(
    levelError({ fleet: [{ ...web, zonee: 'use1-az1' }] }),
    /^test-level\.json: fleet\[0\]\.zonee: unknown field \(expected one of name, type, zone, /,
  );
});

test('an inject whose command does not parse names injects[i].command and the parse error', (t) => {
  t.is(
    levelError({
      injects: [
        { at: '1m', command: 'hang-guest web' },
        { at: '2m', command: 'stpo web' },
      ],
    }),
    "test-level.json: injects[1].command: unknown command 'stpo' (did you mean stop?); fleetops commands lists them",
  );
});

test('a level that is not JSON says so on one line, with the line and column and what was expected there', (t) => {
  const message = (text: string) =>
    t.throws(() => parseLevel(text, 'bad-level.json'), { instanceOf: InputError })!.message;
  t.is(
    message('{\n  "schema": "fleetops/level@1",\n  "id": "x"\n  "title": "y"\n}'),
    "bad-level.json:4:3: not valid JSON (expected ',' or the end of the object or list)",
  );
  t.is(
    message('{\n  "schema": "fleetops/level@1",\n  "id": oops\n}'),
    'bad-level.json:3:9: not valid JSON (a character JSON does not allow here)',
  );
  // A colon left out: V8 says only 'Unexpected string'.
  t.is(
    message('{\n  "schema" "fleetops/level@1"\n}'),
    "bad-level.json:2:12: not valid JSON (expected ':' after the name)",
  );
  t.is(
    message('{\n  "schema": "fleetops/level@1",'),
    'bad-level.json:2:32: not valid JSON (expected a name in double quotes, where the text ends)',
  );
});

test('names the catalogue does not know are refused with the field that holds them', (t) => {
  t.regex(
    levelError({ racks: [{ zone: 'use1-az1', family: 'm9z', racks: 1, hostsPerRack: 1 }] }),
    /^test-level.json: racks\[0\]\.family: unknown host family m9z \(families: .*m6i, m6id,/,
  );
  // Instance types are checked as the level is read (level-schema.test.ts), before its world is built.
  t.regex(
    levelError({ spotPools: [{ type: 'm6i.huge', zone: 'use1-az1', capacity: 1 }] }),
    /^test-level\.json: spotPools\[0\]\.type: expected an instance type fleetops models/,
  );
  t.regex(
    levelError({ fleet: [web, { ...web, name: 'b', type: 'm6i.huge' }] }),
    /^test-level\.json: fleet\[1\]\.type: expected an instance type fleetops models/,
  );
});

test('a fleet the racks cannot hold names the fleet entry and says why', (t) => {
  t.regex(
    levelError({ fleet: [web, { ...web, name: 'c', type: 'c6i.large', zone: 'use1-az2' }] }),
    /^test-level.json: fleet\[1\]: no c6i host in use1-az2 has room for a c6i\.large\. You can currently get c6i\.large capacity by choosing us-east-1a$/,
  );
});
