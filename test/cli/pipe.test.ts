// A reader that closes the pipe early (fleetops help | head -1) ends fleetops' output quietly; the
// command still finishes and exits with its own status.
import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fleetops } from '../helpers/fleetops.js';
import { tempDir } from '../helpers/temp.js';

for (const args of [['help'], ['commands'], ['levels'], ['run', '01-first-shift', '--ticks', '5']]) {
  test(`fleetops ${args.join(' ')} into a closed pipe ends quietly`, async (t) => {
    const { code, stderr } = await fleetops(args, { stdoutClosed: true });
    t.deepEqual({ code, stderr }, { code: 0, stderr: '' });
  });
}

test('a lost exercise into a closed pipe still writes its report and exits 1, as `set -o pipefail` expects', async (t) => {
  const dir = tempDir(t, 'pipe');
  const report = join(dir, 'report.md');
  const script = 'test/fixtures/levels/02-dead-host.loss.txt';
  const { code, stderr } = await fleetops(['exercise', '02-dead-host', '--script', script, '--report', report], {
    stdoutClosed: true,
    env: { FLEETOPS_SAVES: join(dir, 'saves') },
  });
  t.deepEqual({ code, stderr }, { code: 1, stderr: '' });
  t.true(existsSync(report));
});
