import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { renderReport } from '../../src/report/index.js';
import { tempDir } from '../helpers/temp.js';

const PLAN = 'at 20:10 ack INC-1\nat 20:20 reboot web-2\n';

test('the report of a saved play is the report of that play at the moment it was saved', (t) => {
  const dir = tempDir(t, 'report');
  writeFileSync(join(dir, 'plan.txt'), PLAN);
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['bin/fleetops.js', ...args, '--saves', dir], { encoding: 'utf8' });
  cli('run', '01-first-shift', '--seed', '4', '--ticks', '1500', '--commands', join(dir, 'plan.txt'), '--save', 'mid');
  cli('report', 'mid', '--player', 'ann', '--out', join(dir, 'mid.json'));

  const session = new Session(loadLevel('01-first-shift'), '4');
  session.player = 'ann';
  attachScript(session, parseScript(PLAN, 'plan.txt'));
  session.run(1500);
  t.is(readFileSync(join(dir, 'mid.json'), 'utf8'), renderReport(session, 'json'));
});

test('a shift run twice writes the same report, byte for byte; --format without --report is refused', (t) => {
  const dir = tempDir(t, 'shift-report');
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
      ].concat(['--report', join(dir, out), '--saves', dir]),
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
