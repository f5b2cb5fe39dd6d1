// A trainee's handler, in bash with curl or in Python, started by a real-time exercise: it polls
// each instance's IMDS and acts through the control endpoint. It must win where doing nothing loses.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExercise } from '../../src/cli/batch.js';
import { handlerClock } from '../../src/runtime/handler-process.js';
import { parseLevel } from '../../src/game/level.js';
import type { Report } from '../../src/report/index.js';
import { tempDir } from '../helpers/temp.js';

const LEVEL = 'test/fixtures/exercises/spot-handler.json';

const HANDLERS = [
  [
    'bash',
    'bash examples/handlers/spot-drain.sh',
    /^handler +i-[0-9a-f]+: interruption notice \{"action": "terminate"/m,
  ],
  ['Python', 'python3 examples/handlers/spot_drain.py', /^handler +i-[0-9a-f]+: terminate in (-?\d+) s$/m],
] as const;

/**
 * Whether handlers run on the level's clock (libfaketime). On this machine's own clock the Python
 * handler's "terminate in" is the notice's time, on the level's clock, less this machine's now:
 * any number, as the exercise warns when it starts.
 */
const onLevelClock = handlerClock(0, 1).kind === 'faketime';

for (const [language, command, noticeLine] of HANDLERS)
  test(`the ${language} handler replaces instances on the interruption notice and wins where doing nothing loses`, async (t) => {
    const dir = tempDir(t, 'handler');
    const reportPath = join(dir, 'report.json');
    // On the level's clock (libfaketime) the handler polls every 5 simulated seconds, as AWS advises;
    // on the machine's own clock it must poll faster to keep up with a 10x world. At 10x the two
    // minutes of notice are 12 real seconds: room for a handler on a busy machine to be scheduled.
    const poll = onLevelClock ? '5' : '0.2';
    const exercise = spawn(
      process.execPath,
      [
        'bin/fleetops.js',
        'exercise',
        LEVEL,
        '--seed',
        '1',
        '--realtime',
        '--speed',
        '10',
        '--handler',
        command,
        '--report',
        reportPath,
      ],
      {
        env: { ...process.env, POLL: poll },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    exercise.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => exercise.on('exit', resolve));
    t.is(await exited, 0, `the exercise meets its objectives with the handler:\n${out}`);
    t.regex(out, noticeLine);
    const secondsLeft = out.match(noticeLine)?.[1];
    if (onLevelClock && secondsLeft !== undefined) t.true(Number(secondsLeft) >= 0, 'the notice lies ahead');

    const withHandler = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    const level = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL);
    const idle = runExercise(level, '1', null).score();
    t.false(idle.won);
    t.true(withHandler.score.points > idle.points, `${withHandler.score.points} vs ${idle.points}`);
    t.true(
      withHandler.actions.some((a) => a.source === 'handler' && a.command.startsWith('launch m6i.large --az use1-az2')),
    );
    t.true(withHandler.incidents.every((i) => i.acknowledged !== null));
  });

const faketime = handlerClock(0, 1).kind === 'faketime';

(faketime ? test : test.skip)(
  "a handler started at --speed 10 computes a notice's time - now within one simulated second",
  async (t) => {
    const exercise = spawn(
      process.execPath,
      [
        'bin/fleetops.js',
        'exercise',
        LEVEL,
        '--seed',
        '1',
        '--realtime',
        '--speed',
        '10',
        '--handler',
        'python3 test/fixtures/handlers/time-left.py',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    const seen = new Promise<RegExpMatchArray>((resolve, reject) => {
      exercise.stdout!.on('data', (d) => {
        out += d;
        const m = /left=(-?[\d.]+) before=(\d+) after=(\d+)/.exec(out);
        if (m) resolve(m);
      });
      exercise.on('exit', () => reject(new Error(`no answer from the handler:\n${out}`)));
    });
    t.teardown(() => exercise.kill('SIGINT'));
    const [, left, before, after] = await seen;
    const notice = /at=(\d+)/.exec(out)![1]!;
    const epoch = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL).world.epochMs / 1000;
    // The truth lies between the notice's time less the world's clock just after the read (and its
    // second's fraction) and the notice's time less the clock just before.
    const truthHigh = Number(notice) - (epoch + Number(before));
    const truthLow = Number(notice) - (epoch + Number(after) + 1);
    t.true(
      Number(left) >= truthLow - 1 && Number(left) <= truthHigh + 1,
      `time - now = ${left}, the truth between ${truthLow} and ${truthHigh}`,
    );
  },
);

test('a real-time run a script drives, with no handler, grades no handler: its score is out of 1000', async (t) => {
  const dir = tempDir(t, 'script-only');
  const reportPath = join(dir, 'report.json');
  const scriptPath = join(dir, 'plan.txt');
  writeFileSync(scriptPath, 'on spot-interruption-notice launch m6i.large --az use1-az2 --workload web --sg web\n');
  const exercise = spawn(
    process.execPath,
    [
      'bin/fleetops.js',
      'exercise',
      LEVEL,
      '--seed',
      '1',
      '--realtime',
      '--speed',
      '60',
      '--script',
      scriptPath,
      '--report',
      reportPath,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  exercise.stdout!.on('data', (d) => (out += d));
  await new Promise((resolve) => exercise.on('exit', resolve));
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  t.is(report.handler, undefined, out);
  t.is(report.score.max, 1000);
  t.notRegex(out, /handler checks met/);
});
