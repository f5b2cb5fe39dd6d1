import test from 'ava';
import { ControlServer } from '../../src/control/server.js';
import { HANDLER_LINE_CHARS, HandlerProcess } from '../../src/runtime/handler-process.js';
import { connect } from 'node:net';
import { parseCommand } from '../../src/sim/index.js';
import { testSession } from '../helpers/world.js';

const fleet = [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }];

async function started(behind?: () => number) {
  const session = testSession({ fleet });
  const control = new ControlServer(session, {
    imdsEndpoint: (id) => `http://imds.test/${id}`,
    imdsContainerEndpoint: (id) => `http://imds.test:2/${id}`,
    ...(behind ? { behind } : {}),
  });
  const url = await control.start();
  const auth = { authorization: `Bearer ${control.token}` };
  /** An authorized request, as a handler given the token sends it. */
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
  return { session, control, url, auth, call };
}

/** Posts a command and steps the session until the answer arrives, as the pacer would. */
async function post(
  session: ReturnType<typeof testSession>,
  url: string,
  body: string,
  headers: Record<string, string> = {},
  token?: string,
) {
  const answer = fetch(`${url}/commands`, {
    method: 'POST',
    body,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const stepper = setInterval(() => session.advance(), 5);
  try {
    const res = await answer;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    clearInterval(stepper);
  }
}

test("a handler's command is applied at the next tick and recorded as the handler's", async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const res = await post(session, url, 'reboot web-1', {}, control.token);
  t.is(res.status, 200);
  t.like(res.body, { status: 'applied', command: 'reboot web-1' });
  t.deepEqual(
    session.log.map((c) => [c.source, c.text]),
    [['handler', 'reboot web-1']],
  );
  t.not(Object.values(session.world.instances)[0]!.guestRestartUntil, null, 'the guest is restarting');
});

test('JSON bodies work as well as plain text', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const res = await post(
    session,
    url,
    JSON.stringify({ command: 'stop web-1' }),
    { 'content-type': 'application/json' },
    control.token,
  );
  t.like(res.body, { status: 'applied', command: 'stop web-1' });
});

test("a refused command answers 422 with the model's EC2 code and reason and changes nothing", async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const before = session.hash();
  const res = await post(session, url, 'modify-instance-type web-1 m6i.4xlarge', {}, control.token);
  t.is(res.status, 422);
  t.is(res.body.code, 'IncorrectInstanceState');
  t.regex(
    String(res.body.reason),
    /^IncorrectInstanceState: cannot change the type of .*web-1.*running/,
    'the reason alone: the command is beside it',
  );
  session.run(1);
  t.not(session.hash(), before); // time moved on...
  t.is(Object.values(session.world.instances)[0]!.state, 'running'); // ...but the instance did not
});

test('bad requests get clear answers and never reach the world', async (t) => {
  const { session, control, url, call } = await started();
  t.teardown(() => control.close());
  const parse = await post(session, url, 'lauch m6i.large', {}, control.token);
  t.is(parse.status, 400);
  t.is(
    parse.body.reason,
    "unknown command 'lauch' (did you mean launch?); fleetops commands lists them",
    'a handler has no help command to try',
  );
  const fault = await post(session, url, 'fail-host web-1', {}, control.token);
  t.is(fault.status, 422);
  t.regex(String(fault.body.reason), /scenario command/);
  t.is(fault.body.code, null, "a refusal of fleetops' own has no EC2 code");
  t.is((await call('/commands')).status, 405);
  t.is((await call('/nowhere')).status, 404);
  t.is((await call('/commands', { method: 'POST', body: 'x'.repeat(5000) })).status, 413);
  t.is(
    (await call('/commands', { method: 'POST', body: '{"cmd": 1}', headers: { 'content-type': 'application/json' } }))
      .status,
    400,
  );
  t.is(Object.values(session.world.instances)[0]!.state, 'running');
});

test('a body is one command as sent: not UTF-8, JSON of another shape, two lines or a control character get 400', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const json = { 'content-type': 'application/json' };
  const answers = [
    await post(session, url, Buffer.from('note caf\xe9', 'latin1') as unknown as string, {}, control.token),
    await post(session, url, '{"command": "note a", "extra": 1}', json, control.token),
    await post(session, url, '{"command": "note a", "command": "fail-host web-1"}', json, control.token),
    await post(session, url, 'note a\nstop web-1', {}, control.token),
    await post(session, url, 'stop web\u001b[31m-1', {}, control.token),
  ];
  t.deepEqual(
    answers.map((a) => [a.status, a.body.status]),
    Array(5).fill([400, 'invalid']),
  );
  t.is(answers[0]!.body.reason, 'the body is not UTF-8 text');
  t.regex(
    String(answers[1]!.body.reason),
    /^the body: extra: unknown field \(expected one of command\); send the command as text, or JSON/,
  );
  t.regex(String(answers[2]!.body.reason), /"command" is given twice in one object/);
  t.is(
    answers[3]!.body.reason,
    'a command is one line of plain text; this one holds U+000A (a control character) at character 7',
  );
  t.regex(String(answers[4]!.body.reason), /holds U\+001B \(a control character\) at character 9$/);
  // What was refused as it came in is kept with its control character escaped, for the log and a save.
  t.deepEqual(
    session.refused.map((r) => r.text),
    ['note a\\u000astop web-1', 'stop web\\u001b[31m-1'],
  );
  t.false(session.events.some((e) => e.kind === 'note-added'));
  t.is(Object.values(session.world.instances)[0]!.state, 'running');
});

test('a body is JSON by its media type, application/json or a +json type; JSON sent as text is refused saying so', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const body = '{"command": "note a"}';
  const as = (type: string | null) =>
    post(session, url, body, type === null ? {} : { 'content-type': type }, control.token);
  for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.fleetops+json'])
    t.like((await as(type)).body, { status: 'applied', command: 'note a' }, type);
  // As curl --data sends it, or under a type that only looks like JSON's.
  for (const type of [null, 'application/x-www-form-urlencoded'])
    t.like(
      await as(type),
      {
        status: 400,
        body: {
          status: 'invalid',
          reason: 'the body looks like JSON: send it with Content-Type: application/json, or send the command as text',
        },
      },
      String(type),
    );
});

test('GET /state shows the clock, instances with their IMDS endpoints, incidents and score', async (t) => {
  const { session, control, call } = await started();
  t.teardown(() => control.close());
  session.run(5);
  const state = (await (await call('/state')).json()) as {
    tick: number;
    behind: number;
    instances: { name: string; imds: string; imdsFromContainer: string; state: string }[];
    score: { points: number; objectivesMet: boolean; won: boolean | null };
  };
  t.is(state.tick, 5);
  t.is(state.behind, 0, 'without a pacer, never behind');
  t.true(state.score.objectivesMet);
  t.is(state.score.won, null, 'neither won nor lost before the level ends');
  t.is(state.instances[0]!.name, 'web-1');
  t.regex(state.instances[0]!.imds, /^http:\/\/imds\.test\/i-/);
  t.regex(state.instances[0]!.imdsFromContainer, /^http:\/\/imds\.test:2\/i-/);
  t.is(typeof state.score.points, 'number');
});

test("GET /state says how far the world is behind the real clock, as the run's pacer tells it", async (t) => {
  const { control, call } = await started(() => 3);
  t.teardown(() => control.close());
  const state = (await (await call('/state')).json()) as { behind: number };
  t.is(state.behind, 3);
});

test("only the handler holding the run's token is served: 401 without it, 403 for a web page or a foreign Host", async (t) => {
  const { session, control, url, auth } = await started();
  t.teardown(() => control.close());
  const none = await fetch(`${url}/state`);
  t.is(none.status, 401);
  t.is(none.headers.get('www-authenticate'), 'Bearer');
  t.regex(((await none.json()) as { reason: string }).reason, /^send Authorization: Bearer <token>/);
  const wrong = await fetch(`${url}/state`, { headers: { authorization: 'Bearer wrong' } });
  t.is(wrong.status, 401);
  t.regex(((await wrong.json()) as { reason: string }).reason, /^the token is not this run's/);
  // A page the trainee has open posts text/plain without a preflight: refused for its Origin, even with the token.
  const page = await fetch(`${url}/commands`, {
    method: 'POST',
    body: 'terminate web-1',
    headers: { ...auth, origin: 'https://evil.example', 'content-type': 'text/plain' },
  });
  t.is(page.status, 403);
  // DNS rebinding: the attacker's name resolving to loopback still carries the attacker's Host.
  const port = new URL(url).port;
  const rebound = await rawRequest(
    Number(port),
    `GET /state HTTP/1.1\r\nHost: attacker.example:${port}\r\nAuthorization: Bearer ${control.token}\r\nConnection: close\r\n\r\n`,
  );
  t.regex(rebound, /^HTTP\/1\.1 403/);
  // Node keeps the first of two Host headers: the second may not name another site behind it, nor may none be sent
  // (in HTTP/1.1 too, where Node itself would answer a bare 400).
  for (const version of ['1.0', '1.1'])
    for (const hosts of [[`127.0.0.1:${port}`, 'attacker.example'], []]) {
      const named = hosts.map((h) => `Host: ${h}\r\n`).join('');
      const answer = await rawRequest(
        Number(port),
        `GET /state HTTP/${version}\r\n${named}Authorization: Bearer ${control.token}\r\nConnection: close\r\n\r\n`,
      );
      t.regex(answer, /^HTTP\/1\.1 403 [^]*"a request names its Host once/, `HTTP/${version} ${named}`);
    }
  // Two Authorization headers: Node keeps the first, so the second is refused rather than ignored.
  const twice = await rawRequest(
    Number(port),
    `GET /state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${control.token}\r\nAuthorization: Bearer other\r\nConnection: close\r\n\r\n`,
  );
  t.regex(twice, /^HTTP\/1\.1 401 [^]*"send one Authorization header, not several"/);
  t.is((await fetch(`${url}/state`, { headers: auth })).status, 200);
  t.deepEqual(session.log, []);
});

test('a body is read as sent: a compressed one or one in another character set gets 415 and is not applied', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'content-encoding': 'gzip' }, /^the body is read as sent: send it without Content-Encoding \(gzip\)$/],
    [
      { 'content-type': 'text/plain; charset=utf-16' },
      /^the body is read as UTF-8: send charset=utf-8, or no charset \(utf-16\)$/,
    ],
    [{ 'content-type': 'application/json; charset=latin1' }, /^the body is read as UTF-8: .* \(latin1\)$/],
    // A type that only looks like JSON's, or is no text.
    [
      { 'content-type': 'application/jsonx' },
      /^a command is sent as text \(text\/plain\), or as JSON under application\/json, not as application\/jsonx$/,
    ],
    [{ 'content-type': 'image/png' }, /not as image\/png$/],
    // A type RFC 9110 does not write: a parameter without a value, no subtype.
    [
      { 'content-type': 'text/plain; foo' },
      /is not a media type such as text\/plain or application\/json; charset=utf-8$/,
    ],
    [{ 'content-type': 'plain' }, /^Content-Type "plain" is not a media type/],
  ];
  for (const [headers, reason] of cases) {
    const answer = await post(session, url, 'note a', headers, control.token);
    t.is(answer.status, 415, JSON.stringify(headers));
    t.regex(String(answer.body.reason), reason);
  }
  // Read two ways by two readers, or a coding Node leaves on the body.
  const port = Number(new URL(url).port);
  const raw = (headers: string, body = 'note a') =>
    rawRequest(
      port,
      `POST /commands HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${control.token}\r\n${headers}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  t.regex(
    await raw('Content-Type: text/plain\r\nContent-Type: application/json\r\n'),
    /^HTTP\/1\.1 400 [^]*"send one Content-Type header, not several"/,
  );
  t.regex(
    await raw('Content-Type: text/plain; charset=utf-8; charset=latin1\r\n'),
    /^HTTP\/1\.1 400 [^]*"the charset reads two ways \(latin1 or utf-8\): give it once, as charset=utf-8, with no space around \\"=\\""/,
  );
  t.regex(
    await raw('Content-Type: text/plain; charset = latin1\r\n'),
    /^HTTP\/1\.1 400 [^]*"the charset reads two ways \(latin1 or none\)/,
  );
  t.regex(await raw('Content-Encoding: identity\r\nContent-Encoding: gzip\r\n'), /^HTTP\/1\.1 415 /);
  t.regex(
    await rawRequest(
      port,
      `POST /commands HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${control.token}\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n6\r\nnote a\r\n0\r\n\r\n`,
    ),
    /^HTTP\/1\.1 501 [^]*"the body is read as sent: send it with no transfer coding but chunked \(gzip, chunked\)"/,
  );
  // What is UTF-8 as sent passes: ASCII, and identity however often it is said. An applied
  // command is answered once the world has moved on.
  const stepper = setInterval(() => session.advance(), 5);
  t.teardown(() => clearInterval(stepper));
  t.regex(await raw('Content-Type: text/plain; charset=us-ascii\r\n', 'note c'), /^HTTP\/1\.1 200 /);
  t.regex(await raw('Content-Encoding: identity, identity\r\n', 'note c'), /^HTTP\/1\.1 200 /);
  for (const type of ['text/plain; charset=UTF-8', 'text/plain; charset=utf8'])
    t.like(
      (await post(session, url, 'note b', { 'content-type': type }, control.token)).body,
      { status: 'applied' },
      type,
    );
  t.deepEqual(
    session.log.map((c) => c.text),
    ['note c', 'note c', 'note b', 'note b'],
  );
});

test('the request line and headers as HTTP/1.1 has them: version, HEAD, absolute form, CONNECT, Expect, OWS', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const port = Number(new URL(url).port);
  const host = `127.0.0.1:${port}`;
  const auth = `Authorization: Bearer ${control.token}\r\n`;
  const send = (head: string, body = '') =>
    rawRequest(
      port,
      `${head}\r\nHost: ${host}\r\n${auth}Connection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  t.regex(
    await send('POST /commands HTTP/2.0', 'note a'),
    /^HTTP\/1\.1 505 [^]*"the endpoint speaks HTTP\/1\.1 \(or 1\.0\)"/,
  );
  // HTTP/2's preface, as `curl --http2-prior-knowledge` opens, and a version with no rules at all.
  for (const opening of ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', `GET /state HTTP/3.0\r\nHost: ${host}\r\n\r\n`])
    t.regex(await rawRequest(port, opening), /^HTTP\/1\.1 505 [^]*"the endpoint speaks HTTP\/1\.1 \(or 1\.0\)"/);
  // Lines ended by a bare LF are bad syntax, not another version.
  t.regex(
    await rawRequest(port, `GET /state HTTP/1.1\nHost: ${host}\n\n`),
    /^HTTP\/1\.1 400 [^]*"the request is not HTTP that fleetops can read"/,
  );
  const head = await send('HEAD /state HTTP/1.1');
  t.regex(head, /^HTTP\/1\.1 200 [^]*content-length: [1-9]\d*\r\n/);
  t.true(head.endsWith('\r\n\r\n'), 'no body');
  t.regex(await send(`GET http://${host}/state HTTP/1.1`), /^HTTP\/1\.1 200 /);
  t.regex(
    await send(`GET http://example.com:${port}/state HTTP/1.1`),
    /^HTTP\/1\.1 403 [^]*"the request names another host than 127\.0\.0\.1:\d+"/,
  );
  const tunnel = await rawRequest(port, `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  t.regex(tunnel, /^HTTP\/1\.1 405 [^]*"no tunnel is made here; use GET \/state or POST \/commands"/);
  // Answered on the socket, as a request Node cannot read is, and on the level's clock all the same.
  t.regex(tunnel, /\r\ndate: Mon, 02 Mar 2026 09:00:00 GMT\r\n/i);
  t.regex(
    await rawRequest(
      port,
      `POST /commands HTTP/1.1\r\nHost: ${host}\r\n${auth}Expect: 200-ok\r\nContent-Length: 6\r\n\r\n`,
    ),
    /^HTTP\/1\.1 417 [^]*"the only expectation met is 100-continue"/,
  );
  // A client waiting for 100 Continue is refused at once when its token is not this run's.
  const waiting = await rawRequest(
    port,
    `POST /commands HTTP/1.1\r\nHost: ${host}\r\nExpect: 100-continue\r\nContent-Length: 6\r\n\r\n`,
  );
  t.regex(waiting, /^HTTP\/1\.1 401 /);
  // A body refused unread is not taken for a next request.
  const coded = await rawRequest(
    port,
    `POST /commands HTTP/1.1\r\nHost: ${host}\r\n${auth}Transfer-Encoding: identity\r\nConnection: close\r\n\r\nGARBAGE\r\n\r\n`,
  );
  t.regex(coded, /^HTTP\/1\.1 501 /);
  t.is(coded.match(/HTTP\/1\.1 /g)?.length, 1, coded);
  // Spaces and tabs where HTTP allows them.
  const stepper = setInterval(() => session.advance(), 5);
  t.teardown(() => clearInterval(stepper));
  t.regex(
    await rawRequest(
      port,
      `POST /commands HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer   ${control.token}\r\nContent-Type: text/plain;\tcharset=utf-8\r\nConnection: close\r\nContent-Length: 6\r\n\r\nnote d`,
    ),
    /^HTTP\/1\.1 200 /,
  );
  // Garbage pipelined behind a command: the command's answer goes out first, then the refusal.
  const pipelined = await rawRequest(
    port,
    `POST /commands HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 6\r\n\r\nnote eGARBAGE\r\n\r\n`,
  );
  t.regex(pipelined, /^HTTP\/1\.1 200 [^]*"status":"applied"[^]*HTTP\/1\.1 400 /);
  t.deepEqual(
    session.log.map((c) => c.text),
    ['note d', 'note e'],
  );
});

test('a body over the limit is refused with 413 as it arrives, and the server carries on', async (t) => {
  const { control, url, call } = await started();
  t.teardown(() => control.close());
  const port = Number(new URL(url).port);
  // 20 MB announced, sent in chunks: the answer comes before the body is through and nothing is kept.
  const reply = await floodRequest(port, control.token, 20 * 1024 * 1024);
  t.regex(reply, /^HTTP\/1\.1 413/);
  // On the level's clock, as every answer is.
  t.regex(reply, /\r\ndate: Mon, 02 Mar 2026 09:00:00 GMT\r\n/i);
  const chunked = await rawRequest(
    port,
    `POST /commands HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${control.token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2000\r\n${'x'.repeat(0x2000)}\r\n0\r\n\r\n`,
  );
  t.regex(chunked, /^HTTP\/1\.1 413/);
  t.is((await call('/state')).status, 200);
});

test("a client trickling its headers is answered 408 once they are 5 s late, not after Node's 30 s check", async (t) => {
  const { control, url } = await started();
  t.teardown(() => control.close());
  const port = Number(new URL(url).port);
  const began = Date.now();
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET /state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
      const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 1000);
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(text);
      });
    });
    socket.on('error', reject);
  });
  t.regex(reply, /^HTTP\/1\.1 408/);
  // The headers' limit is 5 s, looked at each second: well before Node's default of every 30 s,
  // however busy the machine.
  t.true(Date.now() - began < 25_000, `answered after ${Date.now() - began} ms`);
});

test('a body that stalls is answered 408 once the request is 10 s old, and nothing is applied', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  const port = Number(new URL(url).port);
  const began = Date.now();
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `POST /commands HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${control.token}\r\nContent-Length: 10\r\n\r\nno`,
      ),
    );
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  t.regex(reply, /^HTTP\/1\.1 408 [^]*"the request took too long to arrive"/);
  t.true(Date.now() - began >= 9_000, `answered after ${Date.now() - began} ms`);
  t.deepEqual(session.log, []);
});

test('an inject and a handler sending the same command in one second each get their own outcome', async (t) => {
  const { session, control, url } = await started();
  t.teardown(() => control.close());
  // The scenario's stop is queued first and begins the stop; the handler's identical stop then
  // finds the instance stopping, which EC2's StopInstances answers as done (it is idempotent).
  session.schedule(0, parseCommand('stop web-1'), 'scenario');
  const res = await post(session, url, 'stop web-1', {}, control.token);
  t.is(res.status, 200, JSON.stringify(res.body));
  t.like(res.body, { status: 'applied', command: 'stop web-1' });
  const outcomes = session.events
    .filter((e) => e.kind === 'command-applied' || e.kind === 'command-refused')
    .map((e) => [e.data?.source, e.kind]);
  t.deepEqual(outcomes, [
    ['scenario', 'command-applied'],
    ['handler', 'command-applied'],
  ]);
});

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => resolve(reply));
    socket.on('error', () => resolve(reply));
    socket.on('connect', () => socket.write(text));
    void reject;
  });
}

/** Announces `bytes` of body and streams it until the server answers; resolves with the answer. */
function floodRequest(port: number, token: string, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    socket.on('close', () => resolve(reply));
    socket.on('error', () => resolve(reply));
    const pump = () => {
      while (sent < bytes && !reply) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(
        `POST /commands HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/plain\r\nContent-Length: ${bytes}\r\n\r\n`,
      );
      pump();
    });
  });
}

test("a handler's output reaches the terminal with its control characters escaped and each line cut at its bound", async (t) => {
  const lines: string[] = [];
  const handler = new HandlerProcess(
    `printf 'hi\\033[2J\\033]0;pwned\\007\\n'; head -c ${HANDLER_LINE_CHARS + 5000} /dev/zero | tr '\\0' a; printf '\\n\\342\\200\\256bidi\\n' >&2`,
    {},
    { kind: 'real', reason: 'a test' },
    (line) => lines.push(line),
  );
  handler.start();
  while (!lines.some((l) => l.startsWith('exited'))) await new Promise((resolve) => setTimeout(resolve, 20));
  t.true(lines.includes('hi\\u001b[2J\\u001b]0;pwned\\u0007'));
  t.true(lines.includes(`${'a'.repeat(HANDLER_LINE_CHARS)} … (5,000 more characters)`));
  t.true(lines.includes('\\u202ebidi'));
});

test('headers too large get 431 with a reason, not a reset, and the endpoint answers on', async (t) => {
  const { control, url } = await started();
  t.teardown(() => control.close());
  const port = Number(new URL(url).port);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(`GET /state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  t.regex(reply, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  t.regex(reply, /\{"status":"invalid","reason":"the request's headers are too large"\}\n$/);
  t.is((await fetch(`${url}/state`, { headers: { authorization: `Bearer ${control.token}` } })).status, 200);
});
