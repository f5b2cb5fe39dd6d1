import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { renderReport } from '../../src/report/index.js';

const PLAN = 'at 20:10 ack INC-1\nat 20:20 reboot web-2\n';

test('the report of a saved play is the report of that play at the moment it was saved', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetops-report-'));
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
