import test from 'ava';
import { bucketed, SERIES, sparkline } from '../../src/tui/panels/charts.js';
import { testSession } from '../helpers/world.js';

test('sparklines scale to the ceiling in eighths, over several rows, right-aligned', (t) => {
  t.deepEqual(sparkline([0, 4, 8], 5, 1, 8), ['   ▄█']);
  t.deepEqual(sparkline([8, 16], 2, 2, 16), ['▁█', '██'].map((_, i) => (i === 0 ? ' █' : '██')));
  t.deepEqual(sparkline([0.01], 1, 1, 100), ['▁'], 'a trickle is not drawn as nothing');
});

test('buckets average from the newest value back', (t) => {
  t.deepEqual(bucketed([1, 2, 3, 4, 5], 10, 2), [1, 2.5, 4.5]);
  t.deepEqual(bucketed([1, 2, 3, 4, 5], 2, 2), [2.5, 4.5]);
  t.deepEqual(bucketed([1, 2, 3], 10, 1), [1, 2, 3]);
});

test('the error budget series integrates failed requests against each workload\'s SLO', (t) => {
  const session = testSession({ workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 100 }, slo: { latencyMs: 200, availability: 0.99 } }] });
  const budget = SERIES.find((s) => s.label === 'Budget left')!;
  const sample = (errorRps: number) => ({ tick: 0, running: 0, workloads: { web: { demandRps: 100, servedRps: 100 - errorRps, errorRps, latencyMs: 10 } }, ebs: { deliveredMiBps: 0, demandIops: 0, deliveredIops: 0, maxQueue: 0 }, spot: {}, costMicros: 0 });
  // 1% allowed: half a percent failing for one sample, then 1.5% the next: half, then all of it spent.
  t.deepEqual(budget.values([sample(0.5), sample(1.5)], session.world).map((v) => Math.round(v * 100) / 100), [0.5, 0]);
});
