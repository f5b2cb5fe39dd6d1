// A reader that closes the pipe early (fleetops help | head -1) ends fleetops quietly, exit 0.
import test from 'ava';
import { fleetops } from '../helpers/fleetops.js';

for (const args of [['help'], ['commands'], ['levels'], ['run', '01-first-shift', '--ticks', '5']]) {
  test(`fleetops ${args.join(' ')} into a closed pipe ends quietly`, async (t) => {
    const { code, stderr } = await fleetops(args, { stdoutClosed: true });
    t.deepEqual({ code, stderr }, { code: 0, stderr: '' });
  });
}
