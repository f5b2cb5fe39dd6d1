// A trainee's handler, in bash with curl or in Python, started by a real-time exercise: it polls
// each instance's IMDS and acts through the control endpoint. It must win where doing nothing loses.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExercise } from '../../src/cli/exercise.js';
import { handlerClock } from '../../src/runtime/handler-process.js';
import { parseLevel } from '../../src/game/level.js';
import type { Report } from '../../src/report/index.js';

const LEVEL = 'test/fixtures/exercises/spot-handler.json';

const HANDLERS = [
  ['bash', 'bash examples/handlers/spot-drain.sh', /^handler +i-[0-9a-f]+: interruption notice \{"action": "terminate"/m],
  ['Python', 'python3 examples/handlers/spot_drain.py', /^handler +i-[0-9a-f]+: terminate in \d+ s$/m],
] as const;

for (const [language, command, noticeLine] of HANDLERS) test(`the ${language} handler replaces instances on the interruption notice and wins where doing nothing loses`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetops-handler-'));
  const reportPath = join(dir, 'report.json');
  // On the level's clock (libfaketime) the handler polls every 5 simulated seconds, as AWS advises;
  // on the machine's own clock it must poll faster to keep up with a 30x world.
  const poll = handlerClock(0, 1).kind === 'faketime' ? '5' : '0.2';
  const exercise = spawn(process.execPath, ['bin/fleetops.js', 'exercise', LEVEL, '--seed', '1', '--realtime', '--speed', '30', '--handler', command, '--report', reportPath], {
    env: { ...process.env, POLL: poll },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  exercise.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => exercise.on('exit', resolve));
  t.is(await exited, 0, `the exercise meets its objectives with the handler:\n${out}`);
  t.regex(out, noticeLine);

  const withHandler = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const level = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL);
  const idle = runExercise(level, '1', null).score();
  t.false(idle.won);
  t.true(withHandler.score.points > idle.points, `${withHandler.score.points} vs ${idle.points}`);
  t.true(withHandler.actions.some((a) => a.source === 'handler' && a.command.startsWith('launch m6i.large --az use1-az2')));
  t.true(withHandler.incidents.every((i) => i.acknowledged !== null));
});
