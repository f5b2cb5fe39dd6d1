import test from 'ava';
import { ControlServer } from '../../src/control/server.js';
import { testSession } from '../helpers/world.js';

const fleet = [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }];

async function started() {
  const session = testSession({ fleet });
  const control = new ControlServer(session, { imdsEndpoint: (id) => `http://imds.test/${id}` });
  const url = await control.start();
  return { session, control, url };
}

/** Posts a command and steps the session until the answer arrives, as the pacer would. */
async function post(session: ReturnType<typeof testSession>, url: string, body: string, headers: Record<string, string> = {}) {
  const answer = fetch(`${url}/commands`, { method: 'POST', body, headers });
  const stepper = setInterval(() => session.advance(), 5);
  try {
    const res = await answer;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    clearInterval(stepper);
  }
}

test('a handler\'s command is applied at the next tick and recorded as the handler\'s', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const res = await post(session, url, 'reboot web-1');
  t.is(res.status, 200);
  t.like(res.body, { status: 'applied', command: 'reboot web-1' });
  t.deepEqual(session.log.map((c) => [c.source, c.text]), [['handler', 'reboot web-1']]);
  t.not(Object.values(session.world.instances)[0]!.guestRestartUntil, null, 'the guest is restarting');
});

test('JSON bodies work as well as plain text', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const res = await post(session, url, JSON.stringify({ command: 'stop web-1' }), { 'content-type': 'application/json' });
  t.like(res.body, { status: 'applied', command: 'stop web-1' });
});

test('a refused command answers 422 with the model\'s reason and changes nothing', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const before = session.hash();
  const res = await post(session, url, 'start web-1');
  t.is(res.status, 422);
  t.regex(String(res.body.reason), /cannot start .*web-1.*running/);
  session.run(1);
  t.not(session.hash(), before); // time moved on...
  t.is(Object.values(session.world.instances)[0]!.state, 'running'); // ...but the instance did not
});

test('bad requests get clear answers and never reach the world', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const parse = await post(session, url, 'lauch m6i.large');
  t.is(parse.status, 400);
  t.regex(String(parse.body.reason), /unknown command 'lauch' \(did you mean launch\?\)/);
  const fault = await post(session, url, 'fail-host web-1');
  t.is(fault.status, 422);
  t.regex(String(fault.body.reason), /scenario command/);
  t.is((await fetch(`${url}/commands`)).status, 405);
  t.is((await fetch(`${url}/nowhere`)).status, 404);
  t.is((await fetch(`${url}/commands`, { method: 'POST', body: 'x'.repeat(5000) })).status, 413);
  t.is((await fetch(`${url}/commands`, { method: 'POST', body: '{"cmd": 1}', headers: { 'content-type': 'application/json' } })).status, 400);
  t.is(Object.values(session.world.instances)[0]!.state, 'running');
});

test('GET /state shows the clock, instances with their IMDS endpoints, incidents and score', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  session.run(5);
  const state = (await (await fetch(`${url}/state`)).json()) as { tick: number; instances: { name: string; imds: string; state: string }[]; score: { points: number } };
  t.is(state.tick, 5);
  t.is(state.instances[0]!.name, 'web-1');
  t.regex(state.instances[0]!.imds, /^http:\/\/imds\.test\/i-/);
  t.is(typeof state.score.points, 'number');
});
