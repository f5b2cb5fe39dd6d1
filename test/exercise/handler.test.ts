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

/** A real-time exercise of the test level on seed 1 at `speed`, with `more` arguments; what it prints gathers in `out`. */
function realtime(speed: number, more: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(
    process.execPath,
    ['bin/fleetops.js', 'exercise', LEVEL, '--seed', '1', '--realtime', '--speed', String(speed), ...more],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const run = { child, out: '', exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
  child.stdout!.on('data', (d) => (run.out += d));
  return run;
}

for (const [language, command, noticeLine] of HANDLERS)
  test(`the ${language} handler replaces instances on the interruption notice and wins where doing nothing loses`, async (t) => {
    const dir = tempDir(t, 'handler');
    const reportPath = join(dir, 'report.json');
    // On the level's clock (libfaketime) the handler polls every 5 simulated seconds, as AWS advises;
    // on the machine's own clock it must poll faster to keep up with a 10x world. At 10x the two
    // minutes of notice are 12 real seconds: room for a handler on a busy machine to be scheduled.
    const poll = onLevelClock ? '5' : '0.2';
    const run = realtime(10, ['--handler', command, '--report', reportPath], { ...process.env, POLL: poll });
    const exited = await run.exited;
    const out = run.out;
    t.is(exited, 0, `the exercise meets its objectives with the handler:\n${out}`);
    t.regex(out, noticeLine);
    // It saw the level finished in /state and exited of its own accord, before it would have been stopped.
    t.regex(out, /^handler +exited with code 0$/m);
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
  "a handler started at --speed 10 computes a notice's time - now within the second, less its start's lead",
  async (t) => {
    const run = realtime(10, ['--handler', 'python3 test/fixtures/handlers/time-left.py']);
    const seen = new Promise<RegExpMatchArray>((resolve, reject) => {
      run.child.stdout!.on('data', () => {
        const m = /left=(-?[\d.]+) before=(\d+) after=(\d+) behind=(\d+)/.exec(run.out);
        if (m) resolve(m);
      });
      void run.exited.then(() => reject(new Error(`no answer from the handler:\n${run.out}`)));
    });
    t.teardown(() => run.child.kill('SIGINT'));
    const [, left, before, after, behind] = await seen;
    const notice = /at=(\d+)/.exec(run.out)![1]!;
    const epoch = parseLevel(readFileSync(LEVEL, 'utf8'), LEVEL).world.epochMs / 1000;
    // The truth lies between the notice's time less the world's clock just after the read (and its
    // second's fraction) and the notice's time less the clock just before. A busy machine leaves the
    // world behind the real clock, which the handler's follows: as far as /state said just after.
    const truthHigh = Number(notice) - (epoch + Number(before));
    const truthLow = Number(notice) - (epoch + Number(after) + 1 + Number(behind));
    // The handler's clock starts as its process does, and the world's once that process is
    // running: never later, and earlier by as long as the machine takes to start it, a few
    // simulated seconds at 10x on a machine busy with other tests. A wrong start or speed would
    // be off by the level's whole offset or grow with every second.
    const startSkew = 5;
    t.true(
      Number(left) >= truthLow - startSkew && Number(left) <= truthHigh + 1,
      `time - now = ${left}, the truth between ${truthLow} and ${truthHigh}`,
    );
  },
);

test('a real-time run a script drives, with no handler, grades no handler: its score is out of 1000', async (t) => {
  const dir = tempDir(t, 'script-only');
  const reportPath = join(dir, 'report.json');
  const scriptPath = join(dir, 'plan.txt');
  writeFileSync(scriptPath, 'on spot-interruption-notice launch m6i.large --az use1-az2 --workload web --sg web\n');
  const run = realtime(60, ['--script', scriptPath, '--report', reportPath]);
  await run.exited;
  const out = run.out;
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  t.is(report.handler, undefined, out);
  t.is(report.score.max, 1000);
  t.notRegex(out, /handler checks met/);
});

/** Whether a process of this id is still running (a zombie, dead but not yet reaped, is not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

/** Whether the process is gone within `ms`: one killed is reaped by whoever inherits it, a moment later. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (!running(pid)) return true;
  return !running(pid);
}

for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  test(`a real-time run stopped by ${signal} before its end exits ${status}, neither won nor lost, stops its handler and what it started, and writes its report`, async (t) => {
    const dir = tempDir(t, `interrupted-${signal}`);
    const reportPath = join(dir, 'report.json');
    // The handler starts a process of its own and waits for it, as a poller's sleep would.
    const run = realtime(10, ['--report', reportPath, '--handler', 'sleep 600 & echo "started $!"; wait']);
    const started = await new Promise<number>((resolve) => {
      const ready = () => {
        const pid = /^handler +started (\d+)/m.exec(run.out);
        if (pid && /^control +http/m.test(run.out)) resolve(Number(pid[1]));
      };
      run.child.stdout!.on('data', ready);
    });
    t.true(running(started));
    run.child.kill(signal);
    t.is(await run.exited, status, run.out);
    t.regex(run.out, new RegExp(`^stopped at \\d+:\\d+ \\(${signal}\\)$`, 'm'));
    t.true(await goneWithin(started, 10_000), "the handler's own process outlived the run");
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    t.false(report.period.finished);
  });
