// `fleetops run` as a user meets it: an unfinished run is never called won, --ticks stays within
// the level, and counts read as English.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { formatSummary } from '../../src/cli/output.js';
import { Session } from '../../src/game/session.js';
import { summarize, type Summary } from '../../src/game/summary.js';
import { counted } from '../../src/sim/index.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { tempDir } from '../helpers/temp.js';
import { fleetopsHere } from '../helpers/fleetops.js';
import { reportValidator } from '../report/validator.js';

/** The command line's run in this process (see fleetopsHere): only in serial tests. */
async function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const [ran] = await fleetopsHere(args);
  return { status: ran!.code, stdout: ran!.stdout, stderr: ran!.stderr };
}

function playFor(ticks: number, levelId = '01-first-shift', seed = '1'): Session {
  const session = new Session(loadLevel(levelId), seed);
  session.run(ticks);
  return session;
}

test.serial(
  'a run stopped before the level ends gives the score so far and says the level is not finished',
  async (t) => {
    const { status, stdout } = await cli('run', '01-first-shift', '--ticks', '600');
    t.is(status, 0);
    t.regex(stdout, /^score so far 1000\/1000, grade A, level not finished \(10:00 of 1:00:00\)$/m);
    t.notRegex(stdout, /won/);
  },
);

test('the summary of any unfinished session (run, load, imds) says so, and a finished one is won or lost', (t) => {
  const early = formatSummary(summarize(playFor(600)));
  t.regex(early, /level not finished \(10:00 of 1:00:00\)/);
  t.notRegex(early, /won|not met/);
  t.regex(
    formatSummary(summarize(playFor(3600))),
    /^score {6}\d+\/1000, grade [A-F], (level won|objectives not met)$/m,
  );
});

test('a report of unfinished play says play stopped before the end, not that it was won', (t) => {
  const session = playFor(600);
  const r = buildReport(session);
  t.deepEqual([r.period.seconds, r.period.levelSeconds, r.period.finished], [600, 3600, false]);
  t.regex(r.summary, /Play stopped 10 min into the level's 1 h; so far all objectives are met/);
  t.regex(renderReport(session, 'md'), /\*\*1000\/1000, grade A\*\*: level not finished \(10 min of 1 h\)/);
  t.false(renderReport(session, 'html').includes('class="won"'));
});

test.serial('the JSON of unfinished play is neither won nor lost; at the end it is one or the other', async (t) => {
  const { ajv, validate } = reportValidator();
  for (const ticks of [600, 3600]) {
    const { status, stdout } = await cli('run', '01-first-shift', '--ticks', String(ticks), '--json');
    t.is(status, 0);
    const { score, finished } = JSON.parse(stdout) as Summary;
    // The guest that hangs goes unanswered: all objectives hold at 10 minutes, and not at the end.
    const met = score.objectives.every((o) => o.met);
    t.deepEqual([finished, met, score.won], ticks === 600 ? [false, true, null] : [true, false, false]);
    const report = JSON.parse(renderReport(playFor(ticks), 'json')) as { score: { won: boolean | null } };
    t.is(report.score.won, score.won, `report after ${ticks} s`);
    t.true(validate(report), ajv.errorsText(validate.errors));
  }
});

test.serial('a run of no seconds says no second was measured, not that the SLO was met all the time', async (t) => {
  const { status, stdout } = await cli('run', '01-first-shift', '--ticks', '0');
  t.is(status, 0);
  t.regex(stdout, /^objectives \[x\] web meets its SLO 97\.0% of the time \(no second measured yet\)$/m);
  t.regex(stdout, /orders-db no second measured yet \(no objective for it/);
  t.notRegex(stdout, /of the time \(SLO met/);
});

for (const ticks of ['3601', '99999999']) {
  test.serial(`--ticks ${ticks} past a one-hour level's end is refused in one line, exit 2`, async (t) => {
    const { status, stdout, stderr } = await cli('run', '01-first-shift', '--ticks', ticks);
    t.is(status, 2);
    t.is(stdout, '');
    t.is(
      stderr,
      `fleetops: run: --ticks ${ticks} runs past the end of 01-first-shift, which lasts 3600 s (1:00:00); expected at most 3600\n`,
    );
  });
}

test.serial('--ticks equal to the level length runs the whole level', async (t) => {
  const { status, stdout } = await cli('run', '01-first-shift', '--ticks', '3600');
  t.is(status, 0);
  t.regex(stdout, /^simulated {2}3600 s/m);
});

test.serial('counts of one are singular in summaries, objectives and reports', async (t) => {
  t.is(counted(1, 'warning'), '1 warning');
  t.is(counted(0, 'error'), '0 errors');
  t.is(counted(1.5, 'minute'), '1.5 minutes');
  t.is(counted(1, 'free address', 'free addresses'), '1 free address');
  t.is(counted(2, 'free address', 'free addresses'), '2 free addresses');
  const { stdout } = await cli('run', '01-first-shift', '--seed', '7');
  t.regex(stdout, /events {5}\d+ \(3 warnings, 2 errors\)/);
  const retirement = (await cli('run', '05-retirement', '--seed', '1')).stdout;
  t.regex(retirement, /events {5}\d+ \(\d+ warnings, 1 error\)/);
  t.regex(retirement, /\[[ x]\] 1 instance serving orders-db at the end/);
  // Seed 7 is a shift with one hung guest only.
  const r = buildReport(playFor(3600, '01-first-shift', '7'));
  t.regex(r.summary, /had 1 incident \(INC-1 SEV3\)/);
});

test.serial(
  'run and exercise both tell each refused command on stderr, with its EC2 code and script line, after the summary',
  async (t) => {
    const dir = tempDir(t, 'refusals');
    const script = join(dir, 'plan.txt');
    writeFileSync(
      script,
      '# plan\nat 10 modify-instance-type web-1 m6i.4xlarge\non incident-opened stop lost-{subject}\n',
    );
    for (const [verb, flag] of [
      ['run', '--commands'],
      ['exercise', '--script'],
    ] as const) {
      const { stderr } = await cli(verb, '01-first-shift', flag, script);
      t.regex(
        stderr,
        /^\S*plan\.txt:2: refused at 10s: modify-instance-type web-1 m6i\.4xlarge: IncorrectInstanceState: cannot change the type of \S+ \(web-1\): it is running$/m,
        verb,
      );
      // A reaction's refusal names its `on` line.
      t.regex(stderr, /^\S*plan\.txt:3: refused at \d+s: stop lost-INC-1: InvalidInstanceID\.NotFound/m, verb);
    }
    // A saved play, loaded and run to its end, tells its refusals as well (without the script's lines).
    const saves = join(dir, 'saves');
    await cli('run', '01-first-shift', '--commands', script, '--ticks', '600', '--save', 'mid', '--saves', saves);
    const loaded = await cli('load', 'mid', '--headless', '--saves', saves);
    t.is(loaded.status, 0, loaded.stderr);
    t.regex(
      loaded.stderr,
      /^refused at 10s: modify-instance-type web-1 m6i\.4xlarge: IncorrectInstanceState: cannot change the type/m,
    );
  },
);

test.serial("a headless play tells the scenario's own refusals apart: no responder gave them", async (t) => {
  // This shift fails the cache's host twice; left alone on the first, the second finds it failed.
  for (const args of [
    ['exercise', 'shift-1-d2-8h'],
    ['shift', '--seed', '1', '--headless'],
  ]) {
    const { status, stderr } = await cli(...args);
    t.is(status, args[0] === 'exercise' ? 1 : 0, args.join(' '));
    t.regex(stderr, /^scenario: refused at \d+s: fail-host cache-1: IncorrectState: \S+ has already failed$/m);
    t.notRegex(stderr, /^refused at/m);
  }
});
