// The score charges the responder only for what the responder controls, and what quietly serves
// nothing is said in the log and counted as nothing.
import test from 'ava';
import { Session } from '../../src/game/session.js';
import { summarize } from '../../src/game/summary.js';
import { testLevel } from '../helpers/world.js';

const web = {
  securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
  workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 100 } }],
};

test('instance store lost the second its host fails is impact, not charged; lost by a stop it is charged', (t) => {
  const patch = {
    ...web,
    dataLossToleranceGB: 100,
    objectives: [{ kind: 'no-data-loss' }],
    fleet: [{ name: 'cache-1', type: 'm6id.large', zone: 'use1-az1', instanceStoreDataGB: 40 }],
  };
  const failed = new Session(testLevel({ ...patch, injects: [{ at: '1m', command: 'fail-host cache-1' }] }), '1');
  failed.run(120);
  const score = failed.score();
  t.is(failed.dataLostGB, 40);
  t.is(failed.unavoidableDataLostGB, 40);
  t.deepEqual(score.unavoidable, { dataLostGB: 40 });
  t.like(
    score.components.find((c) => c.name === 'dataLoss'),
    { points: 150 },
  );
  t.regex(score.components.find((c) => c.name === 'dataLoss')!.detail, /40 GB of it unavoidable .* not charged/);
  t.true(score.objectives[0]!.met, 'no data the responder could keep was lost');
  t.like(summarize(failed), { dataLostGB: 40, unavoidableDataLostGB: 40 });

  const stopped = new Session(testLevel(patch), '1');
  stopped.enqueue('stop cache-1', 'player');
  stopped.run(120);
  t.is(stopped.dataLostGB, 40);
  t.is(stopped.unavoidableDataLostGB, 0);
  t.like(
    stopped.score().components.find((c) => c.name === 'dataLoss'),
    { points: 90 },
  );
  t.false(stopped.score().objectives[0]!.met);
});

test('instances its clients cannot reach do not count as serving; the launch says why at once', (t) => {
  const level = testLevel({
    ...web,
    objectives: [{ kind: 'running', workload: 'web', min: 3 }],
    fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1', workload: 'web', securityGroups: ['web'] }],
  });
  const wrong = new Session(level, '1');
  wrong.enqueue('launch m6i.large --az use1-az2 --count 2 --workload web --name web-b', 'player');
  wrong.run(300);
  const launched = wrong.events.filter((e) => e.kind === 'launched-unreachable');
  t.is(launched.length, 1, 'one launch, one event');
  t.is(
    launched[0]!.message,
    "web-b-1, web-b-2 launched into no group that admits web's clients (tcp 443 from the internet): they serve nothing",
  );
  const objective = wrong.score().objectives[0]!;
  t.false(objective.met);
  t.is(
    objective.detail,
    "so far, judged at the end: 1 serving; web-b-1, web-b-2: none of its security groups admits web's clients (tcp 443 from the internet)",
  );

  const right = new Session(level, '1');
  right.enqueue('launch m6i.large --az use1-az2 --count 2 --workload web --sg web --name web-b', 'player');
  right.run(300);
  t.false(right.events.some((e) => e.kind === 'launched-unreachable'));
  t.like(right.score().objectives[0], { met: true, detail: 'so far, judged at the end: 3 serving' });
});

test('a revoked rule that shuts clients out, and a stop that leaves a workload with nothing serving, are said', (t) => {
  const level = testLevel({
    ...web,
    fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1', workload: 'web', securityGroups: ['web'] }],
  });
  const revoked = new Session(level, '1');
  revoked.run(60);
  revoked.enqueue('revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0', 'player');
  revoked.run(1);
  t.regex(
    revoked.events.find((e) => e.kind === 'clients-shut-out')?.message ?? '',
    /^web no longer admits web's clients \(tcp 443 from the internet\): web-1 serves nothing now$/,
  );
  t.regex(
    revoked.events.find((e) => e.kind === 'workload-unserved')?.message ?? '',
    /^after revoke-ingress web .*, no instance serves web \(1 instance did\): web-1: none of its security groups/,
  );

  const stopped = new Session(level, '1');
  stopped.run(60);
  stopped.enqueue('stop web-1', 'player');
  stopped.run(1);
  t.regex(
    stopped.events.find((e) => e.kind === 'workload-unserved')?.message ?? '',
    /^after stop web-1, no instance serves web \(1 instance did\): web-1: it is stopping$/,
  );
});
