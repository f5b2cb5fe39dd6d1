// What the file system may do to the saves folder: a folder where a save or the profile should be,
// a full disk, a read-only disk, a slot nested too deep. Each is one line naming the path and what
// to do, exit 2; nothing is half-written and no temporary file is left behind.
// A full disk and a read-only disk are real: a small tmpfs mounted for the test (root only; where
// mounting is not allowed these two tests are skipped, and say so).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/game/session.js';
import {
  DEFAULT_SETTINGS,
  leaderboard,
  listSlots,
  readProfile,
  readSettings,
  saveSession,
  slotPath,
  updateSettings,
} from '../../src/store/index.js';
import { fleetops, fleetopsHere, type Ran } from '../helpers/fleetops.js';
import { level, tempFolder } from './helpers.js';
import { tempDir } from '../helpers/temp.js';

/** A tmpfs of `size` mounted for the test, or null where this process may not mount one. */
function mountTmpfs(t: { teardown: (f: () => void) => void }, options: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'fleetops-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmdirSync(dir);
    return null;
  }
  t.teardown(() => {
    execFileSync('umount', [dir]);
    rmdirSync(dir);
  });
  return dir;
}

const canMount = (() => {
  const probe = { teardown: (f: () => void) => f() };
  return mountTmpfs(probe, 'size=16k') !== null;
})();
const withMount = canMount ? test : test.skip;

test.serial('a folder where a save or the profile should be is refused before play, in one line, exit 2', async (t) => {
  const { dir } = tempFolder(t);
  mkdirSync(join(dir, 'slots', 'x.json'), { recursive: true });
  // Refused at once: run in this process (see fleetopsHere).
  const [save, load] = (await fleetopsHere(
    ['run', '01-first-shift', '--ticks', '5', '--save', 'x', '--saves', dir],
    ['load', 'x', '--headless', '--saves', dir],
  )) as [Ran, Ran];
  t.is(save.code, 2);
  t.is(save.stdout, '', 'refused before the play, not after it');
  t.is(
    save.stderr,
    `fleetops: ${join(dir, 'slots', 'x.json')}: is a folder where a save should be; move that folder out of the way\n`,
  );
  t.is(load.code, 2);
  t.is(
    load.stderr,
    `fleetops: ${join(dir, 'slots', 'x.json')}: cannot read a fleetops save: is a folder, not a file (EISDIR); move that folder out of the way\n`,
  );

  const other = tempDir(t, 'saves');
  mkdirSync(join(other, 'profile.json'));
  const runs = await fleetopsHere(
    ...[
      ['settings'],
      ['settings', 'speed', '5'],
      ['levels'],
      ['run', '01-first-shift', '--ticks', '5', '--player', 'ann'],
    ].map((c) => [...c, '--saves', other]),
  );
  for (const ran of runs) {
    t.is(ran.code, 2);
    t.regex(
      ran.stderr,
      new RegExp(
        `^fleetops: ${join(other, 'profile.json')}: (cannot read a fleetops profile: is a folder, not a file \\(EISDIR\\)|is a folder where the profile should be); move that folder out of the way\\n$`,
      ),
    );
  }
});

test('one bad slot (a folder, or nested 200,000 deep) is named and the others are listed', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, '3');
  session.run(10);
  await saveSession(folder, 'good', session, { settings: DEFAULT_SETTINGS });
  mkdirSync(slotPath(folder, 'folder'));
  writeFileSync(
    slotPath(folder, 'deep'),
    `{"schema": "fleetops/save@1", "x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
  );
  const slots = await listSlots(folder);
  t.deepEqual(
    slots.map((s) => s.slot),
    ['good'],
  );
  t.is(folder.notices.length, 2);
  t.regex(
    folder.notices[0]!,
    /deep\.json: nested more than 64 levels deep; no fleetops file nests that deep; the file is kept as \S+deep\.json\.corrupt-1$/,
  );
  t.regex(
    folder.notices[1]!,
    /folder\.json: cannot read a fleetops save: is a folder, not a file \(EISDIR\); move that folder out of the way$/,
  );
});

withMount(
  'a full disk (ENOSPC) fails the save in one line, keeps the old save whole and leaves no temporary file',
  async (t) => {
    const dir = mountTmpfs(t, 'size=64k')!;
    const folder = { dir, notify: () => undefined };
    const session = new Session(level, '3');
    session.run(10);
    await saveSession(folder, 'x', session, { settings: DEFAULT_SETTINGS });
    const before = readFileSync(slotPath(folder, 'x'), 'utf8');
    session.run(600);
    const err = await t.throwsAsync(saveSession(folder, 'x', session, { settings: DEFAULT_SETTINGS, snapshot: true }));
    t.is(
      err!.message,
      `${slotPath(folder, 'x')}: cannot write a fleetops save: no space left on the device (ENOSPC); free some space and try again`,
    );
    t.is(readFileSync(slotPath(folder, 'x'), 'utf8'), before);
    t.deepEqual(readdirSync(join(dir, 'slots')), ['x.json']);

    const ran = await fleetops(['run', '01-first-shift', '--ticks', '600', '--save', 'x', '--saves', dir]);
    t.is(ran.code, 2);
    t.regex(
      ran.stderr,
      /^fleetops: \S+x\.json: cannot write a fleetops save: no space left on the device \(ENOSPC\); free some space and try again\n$/,
    );
    t.deepEqual(readdirSync(join(dir, 'slots')), ['x.json']);

    // A finished play's result, a few hundred bytes, is recorded before the save that finds no room.
    const won = await fleetops(['run', '01-first-shift', '--save', 'x', '--player', 'carl', '--saves', dir]);
    t.is(won.code, 2);
    t.regex(won.stdout, /^recorded {3}carl: \d+ points/m);
    t.deepEqual(
      leaderboard(await readProfile(folder), '01-first-shift').map((e) => e.player),
      ['carl'],
    );
  },
);

withMount('saves on a read-only disk are listed, loaded and reported, a bad one named where it lies', async (t) => {
  const dir = mountTmpfs(t, 'size=1m')!;
  const made = await fleetops(['run', '01-first-shift', '--ticks', '30', '--save', 'early', '--saves', dir]);
  t.is(made.code, 0, made.stderr);
  writeFileSync(join(dir, 'slots', 'bad.json'), '{"schema": "fleetops/save@1", "x"');
  execFileSync('mount', ['-o', 'remount,ro', dir]);
  const bad = `fleetops: ${join(dir, 'slots', 'bad.json')}:1:34: not valid JSON (expected ':' after the name, where the text ends); the file looks cut short; left where it is, as nothing may be written in its folder\n`;
  const [saves, load, report] = await Promise.all([
    fleetops(['saves', '--saves', dir]),
    fleetops(['load', 'early', '--headless', '--saves', dir]),
    fleetops(['report', 'early', '--saves', dir]),
  ]);
  t.is(saves.code, 0);
  t.regex(saves.stdout, /^early +01-first-shift/m);
  t.is(saves.stderr, bad);
  t.is(load.code, 0, load.stderr);
  t.is(report.code, 0, report.stderr);
  t.regex(report.stdout, /^# Incident report/m);
  t.deepEqual(readdirSync(join(dir, 'slots')).sort(), ['bad.json', 'early.json']);
});

withMount(
  'a read-only saves folder is refused before play, and a setting is not changed, in one line each',
  async (t) => {
    const dir = mountTmpfs(t, 'size=16k,ro')!;
    const [run, settings] = await Promise.all([
      fleetops(['run', '01-first-shift', '--ticks', '5', '--save', 'x', '--saves', dir]),
      fleetops(['settings', 'speed', '5', '--saves', dir]),
    ]);
    t.is(run.code, 2);
    t.is(run.stdout, '');
    t.is(
      run.stderr,
      `fleetops: ${dir}: cannot write a save there: read-only file system (EROFS); use a folder on a writable disk\n`,
    );
    t.is(settings.code, 2);
    t.is(
      settings.stderr,
      `fleetops: ${dir}: cannot take the lock profile.json.lock: read-only file system (EROFS); use a folder on a writable disk\n`,
    );
  },
);

// /proc grants root every permission bit, yet takes no file: only making one there tells.
(existsSync('/proc/self') ? test : test.skip)(
  'a folder that takes no files (/proc) is refused for a report or a save before play, in one line each',
  async (t) => {
    const [report, save] = await Promise.all([
      fleetops(['exercise', '01-first-shift', '--report', '/proc/r.md']),
      fleetops(['run', '01-first-shift', '--ticks', '5', '--save', 'x', '--saves', '/proc/fleetops']),
    ]);
    for (const [r, what] of [
      [report, 'the report'],
      [save, 'a save'],
    ] as const) {
      t.is(r.code, 2);
      t.is(r.stdout, '', 'nothing was played');
      t.is(
        r.stderr,
        `fleetops: /proc: cannot write ${what} there: no such file or folder (ENOENT); this folder takes no files; use another\n`,
      );
    }
  },
);

test('a report is written into a device, and through a link, never over either', async (t) => {
  const { dir } = tempFolder(t);
  const device = join(dir, 'null');
  try {
    execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    t.log('mknod is not permitted here: the device is not tried');
  }
  if (existsSync(device)) {
    const r = await fleetops(['exercise', '01-first-shift', '--report', device, '--format', 'md']);
    t.is(r.stderr, '');
    t.true(lstatSync(device).isCharacterDevice(), 'still the device, not a file renamed over it');
  }
  const link = join(dir, 'report.md');
  symlinkSync(join(dir, 'kept', 'real.md'), link);
  mkdirSync(join(dir, 'kept'));
  const r = await fleetops(['exercise', '01-first-shift', '--report', link]);
  t.is(r.stderr, '');
  t.true(lstatSync(link).isSymbolicLink(), 'the link stays a link');
  t.regex(readFileSync(join(dir, 'kept', 'real.md'), 'utf8'), /^# Incident report/);
});

test('a report name too long for its temporary file is refused before play, naming the report', async (t) => {
  const { dir } = tempFolder(t);
  // Legal as a name (255 bytes at most), but the temporary file beside it is some 20 longer.
  const path = join(dir, `${'b'.repeat(245)}.md`);
  const r = await fleetops(['exercise', '01-first-shift', '--report', path]);
  t.is(r.code, 2);
  t.is(r.stdout, '', 'nothing was played');
  t.is(r.stderr, `fleetops: ${path}: cannot write the report: name too long (ENAMETOOLONG); use a shorter path\n`);
});

test('settings that cannot be read are an error, never silently the defaults', async (t) => {
  const folder = tempFolder(t);
  await updateSettings(folder, { speed: 7 });
  t.is((await readSettings(folder)).speed, 7);
  execFileSync('rm', [join(folder.dir, 'profile.json')]);
  mkdirSync(join(folder.dir, 'profile.json'));
  await t.throwsAsync(readSettings(folder), {
    message: /profile\.json: cannot read a fleetops profile: is a folder, not a file \(EISDIR\)/,
  });
});

test('a temporary file left by a writer killed mid-save is cleared by the next save of that slot', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, '3');
  await saveSession(folder, 'x', session, { settings: DEFAULT_SETTINGS });
  writeFileSync(join(folder.dir, 'slots', '.x.json.4242-0badf00d.tmp'), '{"schema": "fleetops/sa');
  writeFileSync(join(folder.dir, 'slots', '.other.json.4242-0badf00d.tmp'), '');
  await saveSession(folder, 'x', session, { settings: DEFAULT_SETTINGS });
  t.deepEqual(
    readdirSync(join(folder.dir, 'slots')).sort(),
    ['.other.json.4242-0badf00d.tmp', 'x.json'],
    'only the slot written clears its own strays',
  );
});
