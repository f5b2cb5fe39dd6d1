// A handler's grade, driven by the simulated clock: requests are fed as the exercise would record
// them, tick by tick, so no verdict depends on how fast the machine is.
import test from 'ava';
import type { HandlerRequest } from '../../src/game/handler-grade.js';
import type { Session } from '../../src/game/session.js';
import { testSession } from '../helpers/world.js';

const ACTION = '/latest/meta-data/spot/instance-action';

/** A Spot pool that empties at 0:30, so spot-1 gets its notice then and is interrupted 120 s later. */
function drill(): { session: Session; id: string } {
  const session = testSession({
    workloads: [{ name: 'web', kind: 'web', demand: { baseRps: 100, noise: 0 } }],
    securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
    fleet: [
      { name: 'spot-1', type: 'm6i.large', zone: 'use1-az1', spot: true, workload: 'web', securityGroups: ['web'] },
    ],
    spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 1, volatility: 0 }],
    injects: [{ at: 30, command: 'set-spot-capacity m6i.large use1-az1 0' }],
  });
  session.gradeHandler();
  return { session, id: Object.keys(session.world.instances)[0]! };
}

/** Plays `ticks` seconds, polling the notice path every `every` seconds; on the first notice, `react` runs. */
function play(
  session: Session,
  id: string,
  ticks: number,
  every: number,
  tokenEachTime: boolean,
  react: (session: Session) => void,
): void {
  let reacted = false;
  const record = (r: Omit<Extract<HandlerRequest, { kind: 'imds' }>, 'kind' | 'tick' | 'instanceId'>) =>
    session.recordHandlerRequest({ kind: 'imds', tick: session.tick, instanceId: id, ...r });
  record({ method: 'PUT', path: '/latest/api/token', status: 200 });
  for (let i = 0; i < ticks; i++) {
    if (session.tick % every === 0 && session.world.instances[id]!.state === 'running') {
      if (tokenEachTime) record({ method: 'PUT', path: '/latest/api/token', status: 200 });
      const noticed = session.events.some((e) => e.kind === 'spot-interruption-notice');
      record({ method: 'GET', path: ACTION, status: noticed ? 200 : 404 });
      if (noticed && !reacted) {
        reacted = true;
        react(session);
      }
    }
    session.advance();
  }
}

test('a handler that polls every 5 s, keeps its token and replaces the instance at once scores full marks', (t) => {
  const { session, id } = drill();
  play(session, id, 300, 5, false, (s) =>
    s.enqueue('launch m6i.large --az use1-az2 --workload web --sg web --name spot-1-od', 'handler'),
  );
  const grade = session.handlerGrade()!;
  t.deepEqual(
    grade.checks.map((c) => [c.name, c.value]),
    [
      ['poll-interval', 1],
      ['token-reuse', 1],
      ['error-handling', 1],
      ['reaction-time', 1],
      ['replacement', 1],
      ['duplicates', 1],
    ],
  );
  t.is(grade.value, 1);
  t.like(grade.notices[0], { instanceId: id, replacedInTime: true, duplicates: 0 });
  t.true(grade.notices[0]!.secondsToAct! <= 5);
  const handler = session.score().components.find((c) => c.name === 'handler')!;
  t.is(handler.points, handler.weight * 10, 'its points are part of the score');
});

test('a handler that polls every 30 s, takes a token per request and reacts twice loses points for each', (t) => {
  const { session, id } = drill();
  play(session, id, 300, 30, true, (s) => {
    s.enqueue('launch m6i.large --az use1-az2 --workload web --sg web --name spot-1-od', 'handler');
    s.enqueue('launch m6i.large --az use1-az2 --workload web --sg web --name spot-1-od2', 'handler');
  });
  const value = Object.fromEntries(session.handlerGrade()!.checks.map((c) => [c.name, c.value]));
  t.is(value['poll-interval'], 0);
  t.is(value['token-reuse'], 0);
  t.is(value.duplicates, 0);
  t.true(session.handlerGrade()!.value < 0.7);
  t.true(session.score().components.find((c) => c.name === 'handler')!.points < 70);
});

test('a 401 followed by a new token is handled; acting on a 404 without a notice is not', (t) => {
  const { session, id } = drill();
  const record = (r: Omit<Extract<HandlerRequest, { kind: 'imds' }>, 'kind' | 'instanceId'>) =>
    session.recordHandlerRequest({ kind: 'imds', instanceId: id, ...r });
  record({ tick: 0, method: 'GET', path: ACTION, status: 401 });
  record({ tick: 0, method: 'PUT', path: '/latest/api/token', status: 200 });
  record({ tick: 1, method: 'GET', path: ACTION, status: 404 });
  session.enqueue('terminate spot-1', 'handler');
  session.run(2);
  const check = session.handlerGrade()!.checks.find((c) => c.name === 'error-handling')!;
  t.is(check.value, 0.5);
  t.is(check.detail, '1 of 1 401s followed by a new token; 1 instance acted on after a 404 without a notice');
});

test('a handler that met no 401 is judged on its 404s alone, not credited for 401s it never saw', (t) => {
  const { session, id } = drill();
  session.recordHandlerRequest({ kind: 'imds', instanceId: id, tick: 1, method: 'GET', path: ACTION, status: 404 });
  session.enqueue('terminate spot-1', 'handler');
  session.run(2);
  const check = session.handlerGrade()!.checks.find((c) => c.name === 'error-handling')!;
  t.is(check.value, 0);
  t.is(check.detail, '1 instance acted on after a 404 without a notice');
});

test('without grading the score has no handler component', (t) => {
  t.false(
    testSession()
      .score()
      .components.some((c) => c.name === 'handler'),
  );
});
