import test from 'ava';
import { bucketed, ChartsPanel, SERIES, sparkline } from '../../src/tui/panels/charts.js';
import { createTheme } from '../../src/tui/theme.js';
import { testSession } from '../helpers/world.js';

test('sparklines scale to the ceiling in eighths, over several rows, right-aligned', (t) => {
  t.deepEqual(sparkline([0, 4, 8], 5, 1, 8), ['   ▄█']);
  t.deepEqual(
    sparkline([8, 16], 2, 2, 16),
    ['▁█', '██'].map((_, i) => (i === 0 ? ' █' : '██')),
  );
  t.deepEqual(sparkline([0.01], 1, 1, 100), ['▁'], 'a trickle is not drawn as nothing');
});

test('buckets average from the newest value back', (t) => {
  t.deepEqual(bucketed([1, 2, 3, 4, 5], 10, 2), [1, 2.5, 4.5]);
  t.deepEqual(bucketed([1, 2, 3, 4, 5], 2, 2), [2.5, 4.5]);
  t.deepEqual(bucketed([1, 2, 3], 10, 1), [1, 2, 3]);
});

test("the error budget series counts seconds out of SLO against the level's target, as the score does", (t) => {
  const session = testSession();
  const budget = SERIES.find((s) => s.label === 'Budget at end')!;
  const seconds = (measuredSeconds: number, goodSeconds: number) => ({
    demandRps: 100,
    servedRps: 100,
    errorRps: 0,
    latencyMs: 10,
    measuredSeconds,
    goodSeconds,
  });
  const sample = (web: ReturnType<typeof seconds>, tick = 100) => ({
    tick,
    running: 0,
    workloads: { web, other: seconds(100, 0) },
    ebs: { deliveredMiBps: 0, demandIops: 0, deliveredIops: 0, maxQueue: 0 },
    spot: {},
    costMicros: 0,
  });
  // A 90% target over 100 s allows 10 s out of SLO: 5 s spent leaves half; 15 s spends it all.
  // `other` has no target in this level, so its bad seconds do not count.
  const context = { world: session.world, sloTargets: new Map([['web', 0.9]]), levelSeconds: 100 };
  const left = budget.values([sample(seconds(100, 100)), sample(seconds(100, 95)), sample(seconds(100, 85))], context);
  t.deepEqual(
    left.map((v) => Math.round(v * 100) / 100),
    [1, 0.5, 0],
  );
  // Mid-level the budget is the whole level's: 5 s out of SLO in the first 20 s of 100 leave half of it, not none.
  t.deepEqual(
    budget.values([sample(seconds(20, 15), 20)], context).map((v) => Math.round(v * 100) / 100),
    [0.5],
  );
});

test('a panel too short for every series says how many it leaves out, and that zoom shows them', (t) => {
  const session = testSession();
  session.run(60);
  const context = { world: session.world, sloTargets: new Map<string, number>(), levelSeconds: 3600 };
  const panel = new ChartsPanel(
    () => session.samples,
    () => context,
    () => 1,
    createTheme(true),
  );
  panel.render(30, 5);
  t.regex(panel.label(), new RegExp(`^charts, ${SERIES.length - 5} more: z, last \\S+$`));
  panel.render(30, SERIES.length * 2);
  t.regex(panel.label(), /^charts, last \S+$/);
});
