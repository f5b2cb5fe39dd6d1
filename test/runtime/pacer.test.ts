// An anchored pacer keeps the world on the real clock and says how far behind it the world is.
import test from 'ava';
import { Pacer } from '../../src/runtime/pacer.js';
import { testSession } from '../helpers/world.js';

const fleet = [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }];

/** Keeps the thread busy for `ms` real milliseconds, so that no timer of the pacer's can run. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('an anchored run whose frames are held up is behind by the ticks due, and its frames catch them up', async (t) => {
  const session = testSession({ fleet });
  const pacer = new Pacer(session, { speed: 10, anchored: true, frameMs: 20 });
  t.is(pacer.behind(), 0, 'not started: not behind');
  pacer.start();
  t.teardown(() => pacer.stop());
  busy(350);
  // 350 ms at 10 ticks a second: at least 3 ticks due by the last frame's time, none run while the thread was busy.
  t.is(session.tick, 0);
  t.true(pacer.behind() >= 3, `behind ${pacer.behind()}`);
  // The frames to come run what is due, however late their timers fire on a busy machine (and
  // ava's timeout fails the test if they never do).
  const due = session.tick + pacer.behind();
  while (session.tick < due) await new Promise((resolve) => setTimeout(resolve, 5));
});

test('a run at its own pace, not anchored, is never behind', (t) => {
  const session = testSession({ fleet });
  const pacer = new Pacer(session, { speed: 10, frameMs: 20 });
  pacer.start();
  t.teardown(() => pacer.stop());
  busy(150);
  t.is(pacer.behind(), 0);
});
