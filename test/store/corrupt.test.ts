// Files in the saves folder that are not what they should be: each is reported in one line naming
// the file and what was expected, and set aside byte for byte; nothing overwrites it.
import test from 'ava';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import {
  DEFAULT_SETTINGS,
  leaderboard,
  profilePath,
  readProfile,
  readSlot,
  recordResult,
  saveRecord,
  saveSession,
  slotPath,
} from '../../src/store/index.js';
import { level, tempFolder } from './helpers.js';

const session = new Session(level, '5');
session.run(30);
const good = `${JSON.stringify(saveRecord('s', session, { settings: DEFAULT_SETTINGS }), null, 2)}\n`;
/** A save of a play driven by a script, which keeps the script's reactions. */
const scripted = new Session(level, '5');
attachScript(scripted, parseScript('on instance-stopped note saw {subject}\n', 'plan.txt'));
scripted.run(30);
const goodScripted = `${JSON.stringify(saveRecord('s', scripted, { settings: DEFAULT_SETTINGS }), null, 2)}\n`;

const BAD: [string, string, RegExp][] = [
  ['an empty slot file (zero bytes)', '', /empty file \(zero bytes\), expected a fleetops save/],
  ['a truncated save', good.slice(0, Math.floor(good.length / 2)), /not valid JSON .*; the file looks cut short/],
  ['a save that is not valid JSON', good.replace('"schema"', 'schema'), /:2:3: not valid JSON/],
  // Text that never began as a document was not cut short.
  [
    'a save that is not JSON at all',
    'garbage\n',
    /s\.json:1:1: not valid JSON \(a character JSON does not allow here\); the file is kept/,
  ],
  [
    'a save of another schema version',
    good.replace('fleetops/save@1', 'fleetops/save@2'),
    /schema "fleetops\/save@2" is not one this fleetops reads \(expected "fleetops\/save@1"\)/,
  ],
  [
    "another program's JSON",
    '{"name": "my-app", "version": "1.0.0"}\n',
    /not a fleetops save \(expected "schema": "fleetops\/save@1"\)/,
  ],
  [
    'a save nested 200,000 deep',
    `{"schema": "fleetops/save@1", "commands": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    /nested more than 64 levels deep; no fleetops file nests that deep/,
  ],
  [
    'a save with a field of the wrong kind',
    good.replace(/"tick": \d+,\n {2}"hash"/, '"tick": "soon",\n  "hash"'),
    /tick: expected a whole number from 0 to 86400, got "soon"/,
  ],
  [
    'a save whose reaction waits for an event there is not',
    goodScripted.replace('"event": "instance-stopped"', '"event": "nope"'),
    /reactions\[0\]: no event 'nope'; fleetops commands lists the events a reaction can wait for/,
  ],
  [
    'a save whose reaction names an unknown placeholder',
    goodScripted.replace('note saw {subject}', 'note saw {nosuch}'),
    /reactions\[0\]: unknown placeholder \{nosuch\}/,
  ],
  [
    'a save whose seed would forge a line of its own',
    good.replace('"seed": "5"', '"seed": "5\\nfleetops: forged"'),
    /seed: expected a seed of at most 100 characters on one line \(no space at either end\), got "5\\nfleetops: forged"/,
  ],
  [
    'a save whose level is no level id',
    good.replace('"level": "01-first-shift"', '"level": "01-first-shift\\nforged"'),
    /level: expected a lower-case id such as 01-first-shift, of at most 64 characters/,
  ],
  [
    'a save whose time is no time',
    good.replace(/"savedAt": "[^"]+"/, '"savedAt": "2026-99-99Tgarbage"'),
    /savedAt: expected a time such as/,
  ],
  [
    'a save whose refused line holds a newline',
    good.replace(
      '"refused": []',
      '"refused": [{"tick": 1, "source": "player", "subject": "parse", "text": "stpo\\n## Heading", "reason": "no"}]',
    ),
    /refused\[0\]\.text: expected one line of at most 4,096 characters, got "stpo\\n## Heading"/,
  ],
  [
    "a save whose reaction is a scenario's command",
    goodScripted.replace('note saw {subject}', 'fail-host {host}'),
    /reactions\[0\]: fail-host is a scenario command; a script acts for the responders and cannot issue it/,
  ],
  [
    "a save whose responder's command is a scenario's",
    JSON.stringify({
      ...JSON.parse(good),
      commands: [{ tick: 5, source: 'script', text: 'impair-zone use1-az1' }],
    }),
    /commands\[0\]\.text: expected a responder's command \(impair-zone is a scenario command, which no script can issue\)/,
  ],
  [
    "a save whose responder's command is a scenario's, its verb quoted",
    JSON.stringify({
      ...JSON.parse(good),
      pending: [{ tick: 50, source: 'player', text: '"impair-zone" use1-az1' }],
    }),
    /pending\[0\]\.text: expected a responder's command \(impair-zone is a scenario command, which no player can issue\)/,
  ],
  [
    "a save keeping a scenario's command as its own",
    JSON.stringify({
      ...JSON.parse(good),
      commands: [{ tick: 5, source: 'scenario', text: 'fail-host use1-az1-r01-h01' }],
    }),
    /commands\[0\]\.source: expected a responder's \(player, script or handler\): a save keeps no scenario command, got "scenario"/,
  ],
  [
    'a save whose reaction is not a command',
    goodScripted.replace('note saw {subject}', 'bogus-verb {subject}'),
    /reactions\[0\]: unknown command 'bogus-verb'/,
  ],
  [
    'a save with more reactions than a script may hold lines',
    JSON.stringify(
      ((doc: { reactions: unknown[] }) => ({
        ...doc,
        reactions: Array.from({ length: 20_001 }, () => doc.reactions[0]),
      }))(JSON.parse(goodScripted) as { reactions: unknown[] }),
    ),
    /reactions: expected at most 20,000 entries, got 20,001/,
  ],
  // Text after a whole document was not cut short: it was added.
  [
    'a save with text after its end',
    `${good}garbage\n`,
    /s\.json:\d+:1: not valid JSON \(text after the end of the document\); the file is kept/,
  ],
  [
    'a save dated a day no calendar has',
    good.replace(/"savedAt": "[^"]+"/, '"savedAt": "2026-02-31T00:00:00.000Z"'),
    /savedAt: expected a real date and time, got "2026-02-31T00:00:00\.000Z"/,
  ],
];

function plant(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

for (const [what, text, message] of BAD) {
  test(`${what} is reported in one line and kept aside untouched`, async (t) => {
    const folder = tempFolder(t);
    const path = slotPath(folder, 's');
    plant(path, text);
    const err = await t.throwsAsync(readSlot(folder, 's'), { name: 'InputError' });
    t.true(err!.message.startsWith(`${path}`), err!.message);
    t.regex(err!.message, message);
    t.regex(err!.message, /the file is kept as .*s\.json\.corrupt-1$/);
    t.notRegex(err!.message, /\n/);
    t.false(existsSync(path));
    t.is(readFileSync(`${path}.corrupt-1`, 'utf8'), text);
  });
}

test('a save that is not UTF-8 is reported in one line, naming its line, and kept aside byte for byte', async (t) => {
  const folder = tempFolder(t);
  const path = slotPath(folder, 's');
  const bytes = Buffer.from(good.replace('"seed": "5"', '"seed": "5\u00ff"'), 'latin1');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  const line = good.slice(0, good.indexOf('"seed"')).split('\n').length;
  const err = await t.throwsAsync(readSlot(folder, 's'), { name: 'InputError' });
  t.regex(
    err!.message,
    new RegExp(`^${path}:${line}: not UTF-8 text; save the file as UTF-8; the file is kept as .*s\\.json\\.corrupt-1$`),
  );
  t.deepEqual(readFileSync(`${path}.corrupt-1`), bytes);
});

test('the same save undamaged reads, so the failures above are the damage', async (t) => {
  const folder = tempFolder(t);
  plant(slotPath(folder, 's'), good);
  t.is((await readSlot(folder, 's')).tick, 30);
});

test('saving over a bad slot sets the old file aside first, says so, and never overwrites an earlier one', async (t) => {
  const folder = tempFolder(t);
  const path = slotPath(folder, 's');
  plant(`${path}.corrupt-1`, 'an earlier one');
  plant(path, '{"cut');
  await saveSession(folder, 's', session, { settings: DEFAULT_SETTINGS });
  t.is(folder.notices.length, 1);
  t.regex(folder.notices[0]!, /s\.json:1:\d+: not valid JSON .*kept as .*s\.json\.corrupt-2$/);
  t.is(readFileSync(`${path}.corrupt-1`, 'utf8'), 'an earlier one');
  t.is(readFileSync(`${path}.corrupt-2`, 'utf8'), '{"cut');
  t.is((await readSlot(folder, 's')).tick, 30);
});

test('a bad profile is reported on reading, and a result recorded after it starts a new one', async (t) => {
  const folder = tempFolder(t);
  const path = profilePath(folder);
  plant(path, '{"schema": "fleetops/profile@1", "settings": {"colour": "sometimes"');
  await t.throwsAsync(readProfile(folder), {
    message: /profile\.json:1:\d+: not valid JSON .*kept as .*profile\.json\.corrupt-1$/,
  });
  plant(
    path,
    '{"schema": "fleetops/profile@1", "settings": {"colour": "sometimes", "speed": 1, "keyHints": true}, "levels": {}, "leaderboard": []}',
  );
  await recordResult(folder, { level: 'l', seed: '1', score: { points: 500, grade: 'C', won: false }, player: 'ann' });
  t.regex(
    folder.notices[0]!,
    /profile\.json: settings\.colour: expected one of auto, always, never, got "sometimes"; the file is kept as .*corrupt-2$/,
  );
  t.deepEqual(
    leaderboard(await readProfile(folder)).map((e) => e.player),
    ['ann'],
  );
  t.deepEqual(readdirSync(folder.dir).sort(), ['profile.json', 'profile.json.corrupt-1', 'profile.json.corrupt-2']);
});

test('a pipe where a save or the profile should be is refused at once and set aside, not waited on', async (t) => {
  const folder = tempFolder(t);
  const slot = slotPath(folder, 'pipe');
  mkdirSync(dirname(slot), { recursive: true });
  for (const path of [slot, profilePath(folder)]) t.is(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');
  await t.throwsAsync(readSlot(folder, 'pipe'), {
    message:
      /pipe\.json: not a regular file \(a device, pipe or socket\); a fleetops save is a file; the file is kept as .*pipe\.json\.corrupt-1$/,
  });
  await t.throwsAsync(readProfile(folder), {
    message:
      /profile\.json: not a regular file \(a device, pipe or socket\); a fleetops profile is a file; .*corrupt-1$/,
  });
  t.true(existsSync(`${slot}.corrupt-1`));
});
