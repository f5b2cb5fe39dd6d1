// A trainee's handler, written in plain shell with curl, against a real-time exercise: it polls
// each instance's IMDS and acts through the control endpoint. It must beat doing nothing.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExercise } from '../../src/cli/exercise.js';
import { parseLevel } from '../../src/game/level.js';
import type { Report } from '../../src/report/index.js';

const LEVEL = 'test/fixtures/exercises/spot-handler.json';

function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      seen += chunk;
      const m = pattern.exec(seen);
      if (m) resolve(m);
    });
    stream.on('end', () => reject(new Error(`never printed ${pattern}: ${seen}`)));
  });
}

test('a shell handler that replaces instances on the interruption notice scores better than doing nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetops-handler-'));
  const reportPath = join(dir, 'report.json');
  const exercise = spawn(process.execPath, ['bin/fleetops.js', 'exercise', LEVEL, '--seed', '1', '--realtime', '--speed', '60', '--report', reportPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => exercise.on('exit', resolve));
  const [, control] = await waitFor(exercise.stdout!, /control\s+(http:\/\/127\.0\.0\.1:\d+)/);
  const handler = spawn('bash', ['examples/handlers/spot-drain.sh'], { env: { ...process.env, CONTROL: control }, stdio: ['ignore', 'pipe', 'inherit'] });
  handler.stdout!.resume();
  t.is(await exited, 0, 'the exercise meets its objectives with the handler');
  handler.kill();

  const withHandler = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const level = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL);
  const idle = runExercise(level, '1', null).score();
  t.false(idle.won);
  t.true(withHandler.score.points > idle.points, `${withHandler.score.points} vs ${idle.points}`);
  t.true(withHandler.actions.some((a) => a.source === 'handler' && a.command.startsWith('launch m6i.large --az use1-az2')));
  t.true(withHandler.incidents.every((i) => i.acknowledged !== null));
});
