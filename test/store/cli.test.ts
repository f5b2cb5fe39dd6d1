// The saves commands as players use them: a headless run saved mid-level, listed, loaded in a new
// process and carried to the same end as an unbroken run; bad saves exit 2 with one line.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetopsHere, ROOT } from '../helpers/fleetops.js';
import { readSettings } from '../../src/store/index.js';
import { tempFolder } from './helpers.js';

function fleetops(saves: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/fleetops.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, FLEETOPS_SAVES: saves },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Commands that answer at once, run in this process (see fleetopsHere) on the saves folder `saves`. */
const here = (saves: string, ...runs: string[][]) => fleetopsHere(...runs.map((args) => [...args, '--saves', saves]));

const worldHash = (stdout: string) => /^world +([0-9a-f]{16})$/m.exec(stdout)?.[1];

test('a run saved mid-level and loaded in another process ends as the unbroken run does', async (t) => {
  const { dir } = tempFolder(t);
  const script = join(dir, 'script.txt');
  writeFileSync(script, 'at 30 stop web-1\nat 2m start web-1\nat 25m reboot web-2\n');
  const [unbroken, saved] = await Promise.all([
    fleetops(dir, ['run', '01-first-shift', '--seed', '7', '--commands', script]),
    fleetops(dir, [
      'run',
      '01-first-shift',
      '--seed',
      '7',
      '--commands',
      script,
      '--ticks',
      '600',
      '--save',
      'mid',
      '--player',
      'ann',
    ]),
  ]);
  t.is(saved.code, 0, saved.stderr);
  t.regex(saved.stdout, /^saved +slot mid at 10:00 /m);
  t.notRegex(saved.stdout, /^recorded/m, 'an unfinished level is not a result');

  const listed = await fleetops(dir, ['saves']);
  t.regex(
    listed.stdout,
    /^slot +level +seed +mode +at +saved +kind\nmid +01-first-shift +7 +training +10:00 +\d{4}-\d\d-\d\dT[\d:]+Z +manual$/m,
  );

  const [loaded, fast] = await Promise.all([
    fleetops(dir, ['load', 'mid', '--player', 'ann']),
    fleetops(dir, ['load', 'mid', '--fast']),
  ]);
  t.is(loaded.code, 0, loaded.stderr);
  t.regex(
    loaded.stdout,
    /^loaded +slot mid: 01-first-shift, seed 7, training, at 10:00 \(replay; world [0-9a-f]{16} as saved\)$/m,
  );
  t.regex(fast.stdout, /\(snapshot; world/);
  t.truthy(worldHash(unbroken.stdout));
  t.is(worldHash(loaded.stdout), worldHash(unbroken.stdout));
  t.is(worldHash(fast.stdout), worldHash(unbroken.stdout));
  t.regex(loaded.stdout, /^recorded +ann: \d+ points, grade [A-F], #1 on 01-first-shift, a new best$/m);

  // The result says a script drove it, though it was finished in another process.
  const board = await fleetops(dir, ['leaderboard', '01-first-shift']);
  t.regex(board.stdout, /^level +# +player +score +grade +won +mode +by +date +seed$/m);
  t.regex(board.stdout, /^01-first-shift +1 +ann +\d+ +[A-F] +(yes|no) +training +script +\S+ +7$/m);
});

test.serial('load checks the dashboard options it was given even when it runs headless', async (t) => {
  const { dir } = tempFolder(t);
  const bad = [
    ['--speed', 'abc'],
    ['--speed', '0'],
    ['--imds-port', '99999'],
  ];
  const runs = await here(dir, ...bad.map((options) => ['load', 'anything', '--headless', ...options]));
  runs.forEach((r, i) => {
    t.is(r.code, 2, bad[i]!.join(' '));
    t.regex(r.stderr, /^fleetops: load: --(speed|imds-port) expects [^\n]+\n$/);
  });
  // A good one does nothing headless, and is refused rather than ignored, before the save is read.
  const [good] = await here(dir, ['load', 'anything', '--headless', '--speed', '5']);
  t.is(good!.code, 2);
  t.is(
    good!.stderr,
    "fleetops: load: --speed is the dashboard's, and this play goes on without it (--headless); drop it\n",
  );
});

test('loading a corrupt slot exits 2 with one line and keeps the file aside', async (t) => {
  const { dir } = tempFolder(t);
  await fleetops(dir, ['run', '01-first-shift', '--ticks', '60', '--save', 'cut']);
  const path = join(dir, 'slots', 'cut.json');
  const truncated = readFileSync(path, 'utf8').slice(0, 400);
  writeFileSync(path, truncated);
  const { code, stdout, stderr } = await fleetops(dir, ['load', 'cut']);
  t.is(code, 2);
  t.is(stdout, '');
  t.regex(stderr, /^fleetops: \S+cut\.json:\d+:\d+: not valid JSON .*; the file is kept as \S+cut\.json\.corrupt-1\n$/);
  t.deepEqual(readdirSync(join(dir, 'slots')), ['cut.json.corrupt-1']);
  t.is(readFileSync(`${path}.corrupt-1`, 'utf8'), truncated);
  // `saves` names what was set aside, so it is not lost from sight once the line above has scrolled away.
  const listed = await fleetops(dir, ['saves']);
  t.is(listed.code, 0);
  t.is(
    listed.stdout,
    `no saves in ${dir}\nset aside as unreadable (kept, never loaded), in ${join(dir, 'slots')}: cut.json.corrupt-1\n`,
  );
  // And a second load says where it went rather than that there never was one.
  const again = await fleetops(dir, ['load', 'cut']);
  t.is(again.code, 2);
  t.regex(
    again.stderr,
    /^fleetops: no save called 'cut' in \S+: it was set aside as unreadable \(cut\.json\.corrupt-1\), and is kept there\n$/,
  );
});

test('a save the replay cannot reproduce exits 2 with one line and is left as it was', async (t) => {
  const { dir } = tempFolder(t);
  await fleetops(dir, ['run', '01-first-shift', '--ticks', '60', '--save', 'odd']);
  const path = join(dir, 'slots', 'odd.json');
  const altered = readFileSync(path, 'utf8').replace(/"seed": "1"/, '"seed": "2"');
  writeFileSync(path, altered);
  const { code, stderr } = await fleetops(dir, ['load', 'odd']);
  t.is(code, 2);
  t.regex(
    stderr,
    /^fleetops: \S+odd\.json: replaying the saved commands to 60 s gives world [0-9a-f]{16}, not the saved [0-9a-f]{16}; fleetops has changed since it was saved, or the file was edited; the save is left as it was\n$/,
  );
  // Its snapshot is of another seed: --fast, which would refuse it too, is not offered.
  const fast = await fleetops(dir, ['load', 'odd', '--fast']);
  t.is(fast.code, 2);
  t.regex(
    fast.stderr,
    /the snapshot's world has another seed than the save's; the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead\n$/,
  );
  t.is(readFileSync(path, 'utf8'), altered);
});

test.serial('bad slot names and unknown slots exit 2 with one line', async (t) => {
  const { dir } = tempFolder(t);
  const [traversal, missing] = await here(dir, ['load', '../profile'], ['load', 'nothing']);
  t.deepEqual([traversal!.code, missing!.code], [2, 2]);
  t.regex(
    traversal!.stderr,
    /^fleetops: slot '\.\.\/profile': a slot name is 1 to 40 letters, digits, - or _, starting with a letter or digit\n$/,
  );
  t.regex(missing!.stderr, /^fleetops: no save called 'nothing' in \S+; fleetops saves lists them\n$/);
});

test.serial('settings are shown and changed one at a time', async (t) => {
  const { dir } = tempFolder(t);
  const [first, changed, speed, colour, pauses, after] = await here(
    dir,
    ['settings'],
    ['settings', 'keyHints', 'off'],
    ['settings', 'speed', '0.5'],
    ['settings', 'color', 'never'],
    ['settings', 'promptPauses', 'on'],
    ['settings'],
  );
  t.regex(first!.stdout, /^colour +auto +colour in the dashboard/m);
  t.is(changed!.stdout, 'keyHints is now off\n');
  // Any speed --speed takes can be kept, a tenth of real time among them.
  t.is(speed!.stdout, 'speed is now 0.5\n');
  t.is(colour!.stdout, 'colour is now never\n', "NO_COLOR's spelling names the same setting");
  t.is(pauses!.stdout, 'promptPauses is now on\n');
  const shown = after!.stdout;
  t.regex(shown, /^keyHints +off /m);
  t.regex(shown, /^speed +0\.5 /m);
  t.regex(shown, /^colour +never /m);
  t.regex(shown, /^promptPauses +on +stop the clock while the : prompt is open$/m);
  t.like(await readSettings({ dir, notify: () => {} }), {
    speed: 0.5,
    colour: 'never',
    keyHints: false,
    promptPauses: true,
  });
});

test('a setting or value settings does not have is refused with what is expected, and nothing is changed', async (t) => {
  const { dir } = tempFolder(t);
  const settings = (await import('../../src/cli/commands/settings.js')).default;
  const refused = (...args: string[]) => t.throwsAsync(settings.run([...args, '--saves', dir]));
  t.like(await refused('speed', 'fast'), { message: "settings: speed expects a number from 0.1 to 300, got 'fast'" });
  // Past either end of what --speed takes, no speed is kept.
  t.like(await refused('speed', '0.05'), { message: "settings: speed expects a number from 0.1 to 300, got '0.05'" });
  for (const name of ['volume', '__proto__', 'constructor', 'toString'])
    t.like(await refused(name, '11'), {
      message: `settings: no setting '${name}' (settings: colour, speed, keyHints, promptPauses)`,
    });
  t.like(await readSettings({ dir, notify: () => {} }), { speed: 1 });
  // The command line prints a refusal as one line and exits 2.
  const bad = await fleetops(dir, ['settings', 'speed', 'fast']);
  t.deepEqual([bad.code, bad.stderr], [2, "fleetops: settings: speed expects a number from 0.1 to 300, got 'fast'\n"]);
});

test("a script's on-reactions go on reacting after its save is loaded", async (t) => {
  const { dir } = tempFolder(t);
  const script = join(dir, 'react.txt');
  writeFileSync(script, 'on incident-opened ack {subject}\non status-check-failed after 30s stop {name} --force\n');
  const [unbroken, saved] = await Promise.all([
    fleetops(dir, ['run', '02-dead-host', '--seed', '3', '--commands', script]),
    fleetops(dir, ['run', '02-dead-host', '--seed', '3', '--commands', script, '--ticks', '300', '--save', 'early']),
  ]);
  t.is(saved.code, 0, saved.stderr);
  t.regex(unbroken.stdout, /INC-1 SEV2 resolved/, 'the reactions acknowledged the first host failure');
  const [loaded, fast] = await Promise.all([
    fleetops(dir, ['load', 'early']),
    fleetops(dir, ['load', 'early', '--fast']),
  ]);
  t.is(loaded.code, 0, loaded.stderr);
  t.is(worldHash(loaded.stdout), worldHash(unbroken.stdout));
  t.is(worldHash(fast.stdout), worldHash(unbroken.stdout));
});

test('a save its replay no longer reaches is reported from its snapshot with report --fast, as load --fast plays it', async (t) => {
  const { dir } = tempFolder(t);
  const commands = join(dir, 'commands.txt');
  writeFileSync(commands, 'at 00:30 reboot web-2\n');
  await fleetops(dir, ['run', '01-first-shift', '--ticks', '60', '--commands', commands, '--save', 'mid']);
  // As a fleetops whose model no longer does what the commands once did: a reboot read as a stop.
  const path = join(dir, 'slots', 'mid.json');
  writeFileSync(path, readFileSync(path, 'utf8').replaceAll('"reboot web-2"', '"stop web-2"'));
  const replayed = await fleetops(dir, ['report', 'mid']);
  t.is(replayed.code, 2);
  t.regex(replayed.stderr, /; load --fast \(or report --fast\) restores its snapshot instead\n$/);
  const fast = await fleetops(dir, ['report', 'mid', '--fast', '--format', 'json']);
  t.is(fast.code, 0, fast.stderr);
  const report = JSON.parse(fast.stdout) as { worldHash: string; actions: { command: string }[] };
  t.true(report.actions.some((a) => a.command === 'stop web-2'));
  t.is(report.worldHash, JSON.parse(readFileSync(path, 'utf8')).hash);
  t.is(fast.stderr, '');
  // A save without a snapshot is replayed all the same, and the report printed says why beside it.
  await fleetops(dir, ['run', '01-first-shift', '--ticks', '60', '--save', 'plain']);
  const plainPath = join(dir, 'slots', 'plain.json');
  const plain = JSON.parse(readFileSync(plainPath, 'utf8')) as { snapshot: unknown };
  plain.snapshot = null;
  writeFileSync(plainPath, JSON.stringify(plain));
  const replayed2 = await fleetops(dir, ['report', 'plain', '--fast']);
  t.is(replayed2.code, 0, replayed2.stderr);
  t.regex(replayed2.stderr, /^loaded +slot plain: 01-first-shift, .*\(replay, as the save holds no snapshot; /);
  t.regex(replayed2.stdout, /^# Incident report/);
});
