// A batch on worker threads gives the same bytes as the same batch played one seed after another,
// through the real command line (so the workers load the TypeScript sources as a user's run does).
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchTable } from '../../src/cli/commands/exercise.js';
import { loadLevel } from '../../src/cli/files.js';
import { Session } from '../../src/game/session.js';
import { summarize, type Summary } from '../../src/game/summary.js';
import { fleetops } from '../helpers/fleetops.js';
import { tempDir } from '../helpers/temp.js';

const SCRIPT = 'test/fixtures/levels/03-spot-reclaim.win.txt';

function reports(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

test('exercise --seeds with --jobs 3 prints the batch table and writes the reports a serial run does', async (t) => {
  const dir = tempDir(t, 'jobs');
  const run = (jobs: string) =>
    fleetops(
      [
        'exercise',
        '03-spot-reclaim',
        '--seeds',
        '1..7',
        '--script',
        SCRIPT,
        '--jobs',
        jobs,
        '--player',
        'ana',
        '--report',
        join(dir, jobs, 'run-{seed}.json'),
      ],
      { limitMs: 120_000 },
    );
  const serial = await run('1');
  const parallel = await run('3');
  t.is(serial.code, 0, serial.stderr);
  t.is(parallel.code, serial.code, parallel.stderr);
  t.is(parallel.stdout.replaceAll(join(dir, '3'), '*'), serial.stdout.replaceAll(join(dir, '1'), '*'));
  t.regex(serial.stdout, /7 runs: 7 won\nreports {4}\S+run-\{seed\}\.json, 7 reports, one a seed\n$/);
  const written = reports(join(dir, '1'));
  t.is(Object.keys(written).length, 7);
  t.deepEqual(reports(join(dir, '3')), written);
});

test('--jobs is bounded and goes with --seeds', async (t) => {
  const cases = await Promise.all(
    ['0', '65', 'two'].map((jobs) => fleetops(['exercise', '01-first-shift', '--seeds', '1..2', '--jobs', jobs])),
  );
  for (const [i, jobs] of ['0', '65', 'two'].entries()) {
    t.is(cases[i]!.code, 2);
    t.is(cases[i]!.stderr, `fleetops: exercise: --jobs expects a whole number from 1 to 64, got '${jobs}'\n`);
  }
  const single = await fleetops(['exercise', '01-first-shift', '--jobs', '2']);
  t.is(single.code, 2);
  t.is(single.stderr, 'fleetops: exercise: --jobs goes with --seeds\n');
});

test('the batch table keeps a median that falls between two whole numbers, and counts one run as one', (t) => {
  const session = new Session(loadLevel('01-first-shift'), '1');
  session.run(5);
  const base = summarize(session);
  const withIncidents = (n: number) => ({ ...base, incidents: base.incidents.concat(Array(n).fill(null)).slice(0, n) });
  const rows = [1, 2, 3, 3].map((n, i) => ({ seed: String(i + 1), summary: withIncidents(n) as Summary }));
  const median = batchTable(rows)
    .split('\n')
    .find((l) => l.trimStart().startsWith('median'))!;
  t.regex(median, /^median +\d+ +2\.5 /);
  t.regex(batchTable(rows.slice(0, 1)), /\n1 run: [01] won$/);
  // Data that went before any response could save it is lost, not charged: the table shows both.
  const lost = { ...base, dataLostGB: 80, unavoidableDataLostGB: 75 } as Summary;
  const row = batchTable([{ seed: '9', summary: lost }]).split('\n')[1]!;
  t.regex(row, / 80\.0 +5\.0 +\d+\.\d\d$/);
});

test("a seed is refused before any run where it would take a batch's report out of its folder", async (t) => {
  const dir = tempDir(t, 'batch-seeds');
  const saves = join(dir, 'saves');
  for (const [seeds, report, refusal] of [
    ['/saves/profile,c', `${dir}{seed}.json`, /seed '\/saves\/profile' goes into the report's file name/],
    ['a\\b', join(dir, 'r-{seed}.json'), /seed 'a\\b' goes into the report's file name/],
  ] as const) {
    const ran = await fleetops(['exercise', '01-first-shift', '--seeds', seeds, '--report', report], {
      env: { FLEETOPS_SAVES: saves },
    });
    t.is(ran.code, 2, seeds);
    t.regex(ran.stderr, refusal);
    t.is(ran.stdout, '');
  }
  t.deepEqual(readdirSync(dir), [], 'nothing was written');
});
