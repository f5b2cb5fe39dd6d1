// A level is named by its campaign id, its file, or as much of its id as tells it apart.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEVELS_DIR, campaignLevel, checkOwnId, levelFiles, loadLevel } from '../../src/cli/files.js';
import { parseLevel } from '../../src/game/level.js';
import { generateShift } from '../../src/game/shift.js';
import { InputError } from '../../src/input/input-error.js';
import { fleetops, fleetopsHere, type Ran } from '../helpers/fleetops.js';
import { tempFolder } from '../store/helpers.js';

test('a level is found by id, file name, path, or a prefix of one id only', (t) => {
  for (const ref of ['01-first-shift', '01-first-shift.json', join(LEVELS_DIR, '01-first-shift.json'), '01', '01-f'])
    t.is(loadLevel(ref).id, '01-first-shift', ref);
  t.is(campaignLevel('03'), join(LEVELS_DIR, '03-spot-reclaim.json'));
});

test('a prefix of several levels lists them', (t) => {
  const err = t.throws(() => loadLevel('0'), { instanceOf: InputError });
  t.regex(err.message, /^level '0' could be 01-first-shift, 02-dead-host, .*; give more of its id$/);
});

test('a name that is neither a file nor a level says so and where the levels are listed', (t) => {
  t.throws(() => loadLevel('nosuch'), {
    instanceOf: InputError,
    message: "level 'nosuch': neither a level file nor a level id of the campaign; fleetops levels lists them",
  });
  t.throws(() => loadLevel(''), {
    instanceOf: InputError,
    message: "level '': neither a level file nor a level id of the campaign; fleetops levels lists them",
  });
});

test.serial('fleetops run with an unknown level exits 2 with one line', async (t) => {
  const [ran] = (await fleetopsHere(['run', 'nosuch'])) as [Ran];
  t.is(ran.code, 2);
  t.is(
    ran.stderr,
    "fleetops: level 'nosuch': neither a level file nor a level id of the campaign; fleetops levels lists them\n",
  );
});

test.serial('the leaderboard takes a level by a prefix of its id too', async (t) => {
  const dir = tempFolder(t).dir;
  const [ran] = (await fleetopsHere(['leaderboard', '03', '--saves', dir])) as [Ran];
  t.is(ran.code, 0, ran.stderr);
  t.is(ran.stdout, `no results yet in ${join(dir, 'profile.json')}\n`);
});

test.serial(
  "a shift's save loads by its id, and the leaderboard takes it, played or not, or any level's with results; a level neither a campaign's, a shift's nor among them is refused",
  async (t) => {
    const dir = tempFolder(t).dir;
    const shift = await fleetops([
      'shift',
      '--seed',
      '3',
      '--hours',
      '1',
      '--headless',
      '--player',
      'ann',
      '--saves',
      dir,
      '--save',
      'night',
    ]);
    t.regex(shift.stdout, /recorded +ann: .* on shift-3-d2-1h/);
    // Its save loads and reports by the shift's id alone, as a campaign level's does.
    const loaded = await fleetops(['load', 'night', '--headless', '--saves', dir]);
    t.is(loaded.code, 0, loaded.stderr);
    t.regex(loaded.stdout, /^loaded +slot night: shift-3-d2-1h, seed 3/m);
    const report = await fleetops(['report', 'night', '--saves', dir]);
    t.regex(report.stdout, /^# Incident report: On-call shift 3, difficulty 2, 1 h$/m, report.stderr);
    const [ran, unplayed, none] = (await fleetopsHere(
      ['leaderboard', 'shift-3-d2-1h', '--saves', dir],
      ['leaderboard', 'shift-4-d2-1h', '--saves', dir],
      ['leaderboard', 'nosuch', '--saves', dir],
    )) as [Ran, Ran, Ran];
    t.is(ran.code, 0, ran.stderr);
    t.regex(ran.stdout, /^shift-3-d2-1h +1 +ann /m);
    // A shift not played yet is a level like a campaign level not played yet.
    t.is(unplayed.code, 0, unplayed.stderr);
    t.is(unplayed.stdout, `no results yet in ${join(dir, 'profile.json')}\n`);
    t.is(none.code, 2);
    t.is(
      none.stderr,
      "fleetops: leaderboard: no level 'nosuch' in the campaign nor among the results; fleetops levels lists the campaign's, fleetops leaderboard every level with results\n",
    );
  },
);

test("a level file of one's own may not take a campaign level's or a shift's id while holding another level", (t) => {
  const { dir } = tempFolder(t);
  const campaign = JSON.parse(readFileSync(join(LEVELS_DIR, '02-dead-host.json'), 'utf8'));
  const write = (name: string, doc: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(doc));
    return join(dir, name);
  };
  // A copy as it is plays as the campaign's level; one without its faults would be ranked as it.
  t.is(loadLevel(write('copy.json', campaign)).id, '02-dead-host');
  const easy = write('easy.json', { ...campaign, injects: [] });
  t.throws(() => loadLevel(easy), {
    instanceOf: InputError,
    message: `${easy}: id '02-dead-host' is a campaign level's, and this file holds another level; give it an id of its own (e.g. 02-dead-host-mine)`,
  });
  t.is(loadLevel(write('mine.json', { ...campaign, id: '02-dead-host-mine', injects: [] })).id, '02-dead-host-mine');
  const shift = generateShift({ seed: '3', hours: 2, difficulty: 1 });
  t.is(loadLevel(write('shift.json', shift)).id, 'shift-3-d1-2h');
  t.throws(() => loadLevel(write('edited.json', { ...shift, injects: [] })), {
    instanceOf: InputError,
    message: /id 'shift-3-d1-2h' is a generated shift's/,
  });
});

test("a campaign level's id is its file name: a file in the campaign holding another id is refused", (t) => {
  const path = join(LEVELS_DIR, '17-evil.json');
  const text = readFileSync(join(LEVELS_DIR, '01-first-shift.json'), 'utf8');
  const level = parseLevel(text, path);
  // As if the file were in the campaign folder beside the others.
  const campaign = [...levelFiles(), path];
  t.throws(() => checkOwnId(level, path, text, campaign), {
    instanceOf: InputError,
    message: `${path}: id '01-first-shift' is not its file name; a campaign level's id is its file name ('17-evil')`,
  });
  const own = join(LEVELS_DIR, '01-first-shift.json');
  t.notThrows(() => checkOwnId(parseLevel(text, own), own, text));
});
