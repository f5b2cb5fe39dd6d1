// The production-like region's run gives its first minute apart from its worst: the first is when
// V8 compiles what a tick runs, once in a process, and the worst stands for the day's own load.
// A region of one rack, so that the run takes a moment; the verdicts read which minute each
// figure is of, never how long a tick took.
import test from 'ava';
import { measureRealistic } from '../../bench/realistic.js';

test('the worst minute is of the minutes after the first, which is given apart', async (t) => {
  const r = await measureRealistic(20, '3', false, false);
  t.is(r.run.span, 'peak-minutes');
  t.is(r.run.ticks, 180);
  t.not(r.run.worstMinuteAt, '15:00:01');
  t.true(['15:01:01', '15:02:01'].includes(r.run.worstMinuteAt));
  t.true(r.run.firstMinuteTickCpuMs > 0);
  t.true(r.ratios.firstMinuteTick > 0);
  t.deepEqual(r.fleetEvents, []);
});

test('a run of one minute has that minute as both its first and its worst', async (t) => {
  const r = await measureRealistic(20, '1', false, false);
  t.is(r.run.worstMinuteAt, '15:00:01');
  t.is(r.run.worstMinuteTickCpuMs, r.run.firstMinuteTickCpuMs);
});
