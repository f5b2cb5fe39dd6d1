import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { defaultSavesDir, PROJECT_SAVES } from '../../src/cli/options.js';
import { outputPath } from '../../src/cli/output-path.js';
import { LEVELS_DIR } from '../../src/cli/root.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { renderReport } from '../../src/report/index.js';
import { tempDir } from '../helpers/temp.js';
import { fleetopsHere, type Ran } from '../helpers/fleetops.js';

const PLAN = 'at 20:10 ack INC-1\nat 20:20 reboot web-2\n';

test('the report of a saved play is the report of that play at the moment it was saved', (t) => {
  const saves = tempDir(t, 'report-saves');
  const dir = tempDir(t, 'report');
  writeFileSync(join(dir, 'plan.txt'), PLAN);
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['bin/fleetops.js', ...args, '--saves', saves], { encoding: 'utf8' });
  cli('run', '01-first-shift', '--seed', '4', '--ticks', '1500', '--commands', join(dir, 'plan.txt'), '--save', 'mid');
  cli('report', 'mid', '--player', 'ann', '--out', join(dir, 'mid.json'));
  // A report is never written into the saves folder, where it could take a save's or the profile's place.
  const over = spawnSync(
    process.execPath,
    ['bin/fleetops.js', 'report', 'mid', '--out', join(saves, 'slots', 'mid.json'), '--saves', saves],
    { encoding: 'utf8' },
  );
  t.is(over.status, 2);
  t.is(
    over.stderr,
    `fleetops: --out ${join(saves, 'slots', 'mid.json')}: that is in the saves folder (${saves}), which holds the saves and the profile; write it somewhere else, such as its reports/ folder\n`,
  );

  const session = new Session(loadLevel('01-first-shift'), '4');
  session.player = 'ann';
  attachScript(session, parseScript(PLAN, 'plan.txt'));
  session.run(1500);
  t.is(readFileSync(join(dir, 'mid.json'), 'utf8'), renderReport(session, 'json'));
});

test('a shift run twice writes the same report, byte for byte; --format without --report is refused', (t) => {
  const dir = tempDir(t, 'shift-report');
  const saves = tempDir(t, 'shift-saves');
  const shift = (out: string) =>
    execFileSync(
      process.execPath,
      [
        'bin/fleetops.js',
        'shift',
        '--seed',
        '3',
        '--difficulty',
        '3',
        '--hours',
        '2',
        '--headless',
        '--player',
        'ann',
      ].concat(['--report', join(dir, out), '--saves', saves]),
      { encoding: 'utf8' },
    );
  t.regex(shift('one.json'), /^report {5}.*one\.json$/m);
  shift('two.json');
  const one = readFileSync(join(dir, 'one.json'), 'utf8');
  t.is(readFileSync(join(dir, 'two.json'), 'utf8'), one);
  t.is(JSON.parse(one).level.id, 'shift-3-d3-2h');
  const refused = spawnSync(process.execPath, ['bin/fleetops.js', 'shift', '--seed', '3', '--format', 'md'], {
    encoding: 'utf8',
  });
  t.is(refused.status, 2);
  t.is(refused.stderr, 'fleetops: shift: --format goes with --report, e.g. --report shift.md\n');
});

test.serial(
  'a level or report is not written over the profile or a campaign level, and nothing is run first',
  async (t) => {
    const saves = tempDir(t, 'guard-saves');
    const was = process.env.FLEETOPS_SAVES;
    process.env.FLEETOPS_SAVES = saves;
    t.teardown(() => (was === undefined ? delete process.env.FLEETOPS_SAVES : (process.env.FLEETOPS_SAVES = was)));
    const [profile, level] = (await fleetopsHere(
      ['shift', '--seed', '1', '--save-level', join(saves, 'profile.json')],
      ['exercise', '01-first-shift', '--report', 'levels/01-first-shift.json'],
    )) as [Ran, Ran];
    t.is(profile.code, 2);
    t.regex(profile.stderr, /^fleetops: --save-level .*profile\.json: that is in the saves folder/);
    t.is(level.code, 2);
    t.is(level.stdout, '');
    t.regex(
      level.stderr,
      /^fleetops: --report levels\/01-first-shift\.json: that is in the campaign's levels folder \(.*levels\); write it somewhere else\n$/,
    );
    t.false(existsSync(join(saves, 'profile.json')));
  },
);

test.serial(
  "an exercise's report names its script by file name: the same script gives the same bytes from any folder",
  async (t) => {
    const dir = tempDir(t, 'script-folder');
    const given = 'test/fixtures/levels/02-dead-host.loss.txt';
    writeFileSync(join(dir, '02-dead-host.loss.txt'), readFileSync(given));
    const scripts = [given, join(dir, '02-dead-host.loss.txt')];
    const runs = await fleetopsHere(
      ...scripts.map((script, i) => ['exercise', '02-dead-host', '--script', script, '--report', join(dir, `${i}.md`)]),
    );
    t.deepEqual(
      runs.map((r) => r.code),
      [1, 1],
    );
    const [first, second] = [0, 1].map((i) => readFileSync(join(dir, `${i}.md`), 'utf8'));
    t.regex(first!, /Driven by:\*\* script `02-dead-host\.loss\.txt` \(5 commands\)/);
    t.is(second, first);
  },
);

test('a link to a file not yet there is followed to where a write through it would land', (t) => {
  const dir = tempDir(t, 'links');
  const saves = join(dir, 'saves');
  const cases: [string, RegExp][] = [
    [join(LEVELS_DIR, '99-new.json'), /that is in the campaign's levels folder/],
    [join(saves, 'slots', 'new.json'), /that is in the saves folder/],
  ];
  cases.forEach(([target, line], i) => {
    const link = join(dir, `out-${i}.md`);
    symlinkSync(target, link);
    // And through a link to that link.
    symlinkSync(link, join(dir, `via-${i}.md`));
    for (const path of [link, join(dir, `via-${i}.md`)])
      t.throws(() => outputPath('--report', path, saves), { message: line }, path);
  });
  // A link to a folder not there (its target ends in a slash): a write through it would make a file.
  const toFolder = join(dir, 'to-folder');
  symlinkSync(`${join(dir, 'no-such-folder')}/`, toFolder);
  t.throws(() => outputPath('--report', toFolder, saves), {
    message: `--report ${toFolder}: that is a link to the folder ${join(dir, 'no-such-folder')}/, which is not there; name a file, or write somewhere else`,
  });
  // Through a link to that link, and to a folder written with `/.`.
  symlinkSync(toFolder, join(dir, 'via-folder'));
  symlinkSync(`${join(dir, 'no-such-folder')}/.`, join(dir, 'dot-folder'));
  for (const path of [join(dir, 'via-folder'), join(dir, 'dot-folder')])
    t.throws(
      () => outputPath('--report', path, saves),
      { message: /that is a link to the folder .*no-such-folder\/\.?, which is not there/ },
      path,
    );
});

test("another saves folder's save, profile and slots/ are not written over, nor the default saves folder", (t) => {
  const dir = tempDir(t, 'other-saves');
  const saves = join(dir, 'in-use');
  const other = join(dir, 'other');
  mkdirSync(join(other, 'slots'), { recursive: true });
  writeFileSync(join(other, 'slots', 'morning.json'), '{\n  "schema": "fleetops/save@1",\n  "slot": "morning"\n}\n');
  writeFileSync(join(other, 'profile.json'), '{"schema":"fleetops/profile@1"}');
  const cases: [string, RegExp][] = [
    [
      join(other, 'slots', 'morning.json'),
      /: that holds a fleetops save, which this would replace; write it somewhere else$/,
    ],
    [join(other, 'profile.json'), /: that holds a fleetops profile, which this would replace/],
    [join(other, 'slots', 'new.md'), /: that is in a slots\/ folder, where fleetops reads every file as a save/],
    [join(defaultSavesDir(), 'slots', 'x.md'), /: that is in the saves folder \(.*\), which holds the saves/],
  ];
  for (const [path, line] of cases) t.throws(() => outputPath('--report', path, saves), { message: line }, path);
  // A link into a folder that is not there is refused before any work; a plain path's folder is made.
  symlinkSync(join(dir, 'nowhere', 'r.md'), join(dir, 'link.md'));
  t.throws(() => outputPath('--report', join(dir, 'link.md'), saves), {
    message:
      /: that is a link to .*nowhere\/r\.md, and there is no folder .*nowhere; create it, or write somewhere else$/,
  });
  // Nor is a path through a folder that is a link to nothing, nor one that names a folder.
  symlinkSync(join(dir, 'gone'), join(dir, 'dlink'));
  t.throws(() => outputPath('--report', join(dir, 'dlink', 'sub', 'r.md'), saves), {
    message: /: .*dlink is a link to .*gone, which is not there; create it, or write somewhere else$/,
  });
  t.throws(() => outputPath('--report', `${join(dir, 'new')}/`, saves), {
    message: /: that names a folder; name a file in it$/,
  });
  // fleetops's own saves/ is guarded whichever folder is in use.
  t.throws(() => outputPath('--report', join(PROJECT_SAVES, 'x.md'), saves), {
    message: /: that is in the saves folder \(.*saves\), which holds the saves/,
  });
  t.is(outputPath('--report', join(dir, 'new', 'r.md'), saves), join(dir, 'new', 'r.md'));
  t.is(outputPath('--report', join(saves, 'reports', 'r.md'), saves), join(saves, 'reports', 'r.md'));
});

test('a report or level goes to /dev/stdout or - on a pipe, alone; a socket there is named in one line', (t) => {
  // A path without an extension is written as Markdown, as without --report.
  const args = ['bin/fleetops.js', 'exercise', '01-first-shift', '--report', '/dev/stdout'];
  // A shell's pipe is a pipe; the one spawnSync gives is a socket, which cannot be opened by path.
  const piped = spawnSync('sh', ['-c', `"${process.execPath}" ${args.join(' ')} | cat`], { encoding: 'utf8' });
  t.regex(piped.stdout, /^# Incident report/);
  t.regex(piped.stderr, /^player {5}[^]*\nreport {5}standard output\n$/);
  // `-` is standard output, and what the command says of its work goes to standard error then.
  const level = spawnSync('sh', ['-c', `"${process.execPath}" bin/fleetops.js shift --seed 1 --save-level - | cat`], {
    encoding: 'utf8',
  });
  t.like(JSON.parse(level.stdout), { id: 'shift-1-d2-8h' });
  t.is(level.stderr, 'wrote      shift-1-d2-8h to standard output\n');
  const socket = spawnSync(process.execPath, args, { encoding: 'utf8' });
  t.is(socket.status, 2);
  t.regex(
    socket.stderr,
    /^fleetops: \/dev\/stdout: cannot write the report into it: no device to open there .* \(ENXIO\); write to a file, or pipe through cat\n$/,
  );
});

test.serial('no command writes its output over a file it reads: the level, the script, a class report', async (t) => {
  const dir = tempDir(t, 'own-input');
  const level = join(dir, 'mine.json');
  const plan = join(dir, 'plan.txt');
  const report = join(dir, 'r.json');
  writeFileSync(level, readFileSync('levels/01-first-shift.json'));
  writeFileSync(plan, PLAN);
  // A lost exercise exits 1; its report is written all the same.
  spawnSync(process.execPath, ['bin/fleetops.js', 'exercise', level, '--report', report]);
  const cases: [string[], string][] = [
    [['exercise', level, '--report', level], level],
    [['exercise', '01-first-shift', '--script', plan, '--report', plan], plan],
    [['exercise', level, '--seeds', '1-2', '--report', level], level],
    [['shift', '--seed', '3', '--headless', '--commands', plan, '--report', plan], plan],
    [['shift', '--seed', '3', '--commands', plan, '--save-level', plan], plan],
    [['class', report, '--out', report], report],
  ];
  // Refused before any work: run in this process (see fleetopsHere).
  for (const [args, file] of cases) {
    const before = readFileSync(file, 'utf8');
    const [run] = (await fleetopsHere(args)) as [Ran];
    t.is(run.code, 2, args.join(' '));
    t.regex(
      run.stderr,
      new RegExp(`: that is ${file.replaceAll('.', '\\.')}, which this command reads; write it somewhere else\n$`),
    );
    t.is(readFileSync(file, 'utf8'), before, args.join(' '));
  }
});
