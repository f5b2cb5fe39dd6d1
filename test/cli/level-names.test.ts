// A level is named by its campaign id, its file, or as much of its id as tells it apart.
import test from 'ava';
import { join } from 'node:path';
import { LEVELS_DIR, campaignLevel, loadLevel } from '../../src/cli/files.js';
import { InputError } from '../../src/input/input-error.js';
import { fleetops } from '../helpers/fleetops.js';
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

test('fleetops run with an unknown level exits 2 with one line', async (t) => {
  const ran = await fleetops(['run', 'nosuch']);
  t.is(ran.code, 2);
  t.is(
    ran.stderr,
    "fleetops: level 'nosuch': neither a level file nor a level id of the campaign; fleetops levels lists them\n",
  );
});

test('the leaderboard takes a level by a prefix of its id too', async (t) => {
  const dir = tempFolder(t).dir;
  const ran = await fleetops(['leaderboard', '03', '--saves', dir]);
  t.is(ran.code, 0, ran.stderr);
  t.is(ran.stdout, `no results yet in ${join(dir, 'profile.json')}\n`);
});
