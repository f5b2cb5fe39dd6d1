import { MetadataService } from '@aws-sdk/ec2-metadata-service';
import test, { type ExecutionContext } from 'ava';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Session } from '../../src/game/session.js';
import { simulatedTime } from '../../src/game/summary.js';
import { HELD_PER_INSTANCE } from '../../src/imds/held.js';
import { ImdsServer, ListenError, type ImdsOptions } from '../../src/imds/server.js';
import { testSession, type LevelPatch } from '../helpers/world.js';
import { concerns } from '../../src/sim/index.js';

const TTL = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN = 'x-aws-ec2-metadata-token';

async function serve(t: ExecutionContext, patch: LevelPatch, options: ImdsOptions = {}) {
  const session = testSession(patch);
  const server = new ImdsServer(session, options);
  t.teardown(() => server.close());
  await server.start();
  return {
    session,
    server,
    idOf: (name: string) => Object.values(session.world.instances).find((i) => i.name === name)!.id,
  };
}

async function token(url: string, ttl = '21600'): Promise<string> {
  const res = await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { [TTL]: ttl } });
  return res.text();
}

/** Sends bytes as they are, for requests fetch would tidy up; resolves with the whole reply. */
function raw(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), new URL(url).hostname);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.end(text);
  });
}

/** Resolves when the server next opens an endpoint. */
function nextOpen(server: ImdsServer): Promise<string> {
  return new Promise((resolve) => {
    const stop = server.onEndpoint((n) => {
      if (n.kind !== 'open') return;
      stop();
      resolve(n.instanceId);
    });
  });
}

const web = (name: string, zone = 'use1-az1') => ({ name, type: 'm6i.large', zone });

test('plain HTTP: a token from PUT, then metadata with the token; none without it', async (t) => {
  const { server, idOf } = await serve(t, { fleet: [web('web-1')] });
  const url = server.endpointOf(idOf('web-1'))!;
  t.regex(url, /^http:\/\/127\.1\.0\.1:\d+$/, 'an address of its own on loopback');
  const res = await fetch(`${url}/latest/meta-data/instance-id`, { headers: { [TOKEN]: await token(url) } });
  t.is(res.status, 200);
  t.is(await res.text(), idOf('web-1'));
  t.is(res.headers.get('server'), 'EC2ws');
  t.is((await fetch(`${url}/latest/meta-data/instance-id`)).status, 401);
});

test("AWS's own metadata client works against the endpoint with IMDSv2", async (t) => {
  const { server, idOf } = await serve(t, { fleet: [web('web-1', 'use1-az2')] });
  const client = new MetadataService({
    endpoint: server.endpointOf(idOf('web-1'))!,
    ec2MetadataV1Disabled: true,
    retries: 0,
  });
  t.true((await client.fetchMetadataToken()).length > 0);
  t.is(await client.request('/latest/meta-data/instance-id', {}), idOf('web-1'));
  t.is(await client.request('/latest/meta-data/placement/availability-zone-id', {}), 'use1-az2');
  await t.throwsAsync(client.request('/latest/meta-data/spot/instance-action', {}), { message: /404/ });
});

test('a Spot reclaim: rebalance first, then instance-action 120 s ahead, then the endpoint goes dark', async (t) => {
  const { session, server, idOf } = await serve(t, {
    fleet: [{ name: 'spot-1', type: 'm6i.large', zone: 'use1-az1', spot: true }],
    injects: [
      { at: 10, command: 'set-spot-capacity m6i.large use1-az1 2' },
      { at: 30, command: 'set-spot-capacity m6i.large use1-az1 0' },
    ],
  });
  const id = idOf('spot-1');
  const url = server.endpointOf(id)!;
  const client = new MetadataService({ endpoint: url, ec2MetadataV1Disabled: true, retries: 0 });
  const headers = { [TOKEN]: await token(url) };
  const get = async (path: string) => {
    const res = await fetch(url + path, { headers });
    return { status: res.status, body: await res.text() };
  };
  // A rebalance recommendation is told once for the pool; the pool's notices of a second are one event listing the instances.
  const tickOf = (kind: string) =>
    session.events.find((e) =>
      kind === 'spot-rebalance-recommendation'
        ? e.kind === kind && e.subject === 'm6i.large|use1-az1'
        : e.kind === kind && concerns(e, id),
    )?.tick;

  session.run(10);
  t.is((await get('/latest/meta-data/events/recommendations/rebalance')).status, 404);
  t.is((await get('/latest/meta-data/spot/instance-action')).status, 404);

  session.run(1);
  const rebalanceTick = tickOf('spot-rebalance-recommendation')!;
  const rebalance = await get('/latest/meta-data/events/recommendations/rebalance');
  t.is(rebalance.status, 200);
  t.is(rebalance.body, `{"noticeTime": "${simulatedTime(session, rebalanceTick)}"}`);
  t.is((await get('/latest/meta-data/spot/instance-action')).status, 404, 'a rebalance recommendation is not a notice');

  // Poll tick by tick, as a handler would, until the notice shows.
  let action: { action: string; time: string } | undefined;
  while (!action && session.tick < 100) {
    session.advance();
    const res = await get('/latest/meta-data/spot/instance-action');
    if (res.status === 200) action = JSON.parse(res.body);
  }
  const noticeTick = tickOf('spot-interruption-notice')!;
  t.is(session.tick, noticeTick + 1, 'the notice is served from the tick it is given');
  t.true(rebalanceTick < noticeTick);
  t.is(action!.action, 'terminate');
  t.is(
    (await get('/latest/meta-data/spot/instance-action')).body,
    `{"action": "terminate", "time": "${action!.time}"}`,
  );
  t.is(Date.parse(action!.time) - Date.parse(simulatedTime(session, noticeTick)), 120_000);
  t.regex(action!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.is((await get('/latest/meta-data/spot/termination-time')).body, action!.time);
  t.deepEqual(JSON.parse(await client.request('/latest/meta-data/spot/instance-action', {})), action);
  t.true((await get('/latest/meta-data/')).body.split('\n').includes('spot/'));

  session.run(noticeTick + 120 - session.tick);
  t.is((await get('/latest/meta-data/instance-id')).status, 200, 'still answering in the last second');
  session.advance();
  t.is(session.world.instances[id]!.state, 'shutting-down');
  t.is(server.endpointOf(id), null);
  await t.throwsAsync(fetch(`${url}/latest/meta-data/instance-id`, { headers }));
});

test('one port: each instance at its own loopback address, in launch order, kept across stop and start', async (t) => {
  const { session, server, idOf } = await serve(t, { fleet: [web('web-1'), web('web-2', 'use1-az2')] });
  const port = server.port;
  t.is(server.endpointOf(idOf('web-1')), `http://127.1.0.1:${port}`);
  t.is(server.endpointOf(idOf('web-2')), `http://127.1.0.2:${port}`);

  session.enqueue('stop web-1', 'player');
  session.run(31);
  t.is(server.endpointOf(idOf('web-1')), null);
  await t.throwsAsync(
    fetch(`http://127.1.0.1:${port}/latest/meta-data/instance-id`),
    undefined,
    "a stopped instance's address answers nothing",
  );

  session.enqueue('launch m6i.large --az use1-az1 --name late', 'player');
  let opened = nextOpen(server);
  session.run(21);
  t.is(await opened, idOf('late'));
  t.is(server.endpointOf(idOf('late')), `http://127.1.0.3:${port}`);

  session.enqueue('start web-1', 'player');
  opened = nextOpen(server);
  session.run(21);
  t.is(await opened, idOf('web-1'));
  t.is(server.endpointOf(idOf('web-1')), `http://127.1.0.1:${port}`);
  t.deepEqual(
    server.list().map((e) => e.instanceId),
    ['web-1', 'web-2', 'late'].map(idOf),
  );
});

test('the path-prefix form serves the same instance at 127.0.0.1', async (t) => {
  const { server, idOf } = await serve(t, { fleet: [web('web-1'), web('web-2')] });
  const prefixed = server.prefixEndpointOf(idOf('web-2'))!;
  t.is(prefixed, `http://127.0.0.1:${server.port}/${idOf('web-2')}`);
  const res = await fetch(`${prefixed}/latest/meta-data/instance-id`, { headers: { [TOKEN]: await token(prefixed) } });
  t.is(await res.text(), idOf('web-2'));
  t.is(
    (
      await fetch(`http://127.0.0.1:${server.port}/i-00000000000000000/latest/api/token`, {
        method: 'PUT',
        headers: { [TTL]: '60' },
      })
    ).status,
    404,
  );
});

test('a port already taken fails the start with a clear error and leaves nothing open', async (t) => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  const port = (squatter.address() as AddressInfo).port;
  const session = testSession({ fleet: [web('web-1')] });
  const server = new ImdsServer(session, { port });
  const err = await t.throwsAsync(server.start(), { instanceOf: ListenError });
  t.regex(err!.message, new RegExp(`port ${port}: the port is in use`));
  t.deepEqual(server.list(), []);
});

test('a port out of range fails cleanly', async (t) => {
  const server = new ImdsServer(testSession({ fleet: [web('web-1')] }), { port: 65536 });
  const err = await t.throwsAsync(server.start(), { instanceOf: ListenError });
  t.regex(err!.message, /there is no such port$/);
});

test('bad requests get their statuses, touch nothing, and the server keeps serving', async (t) => {
  const { session, server, idOf } = await serve(t, { fleet: [web('web-1')] });
  const url = server.endpointOf(idOf('web-1'))!;
  const before = session.hash();
  const status = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1]);
  const host = new URL(url).host;

  t.is(
    status(
      await raw(
        url,
        `GET /latest/meta-data/../../../etc/passwd HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      ),
    ),
    400,
  );
  t.is(
    status(
      await raw(url, `GET /latest/meta-data/%2e%2e/%2e%2e/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    ),
    400,
  );
  t.is(
    status(
      await raw(url, `GET /latest/meta-data/ HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
    ),
    431,
  );
  t.is(status(await raw(url, 'NOT HTTP AT ALL\r\n\r\n')), 400);
  for (const version of ['2.0', '3.0', '0.9'])
    t.is(
      status(await raw(url, `GET /latest/meta-data/ HTTP/${version}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)),
      505,
      version,
    );
  t.is((await fetch(`${url}/latest/meta-data/`, { method: 'POST' })).status, 405);
  t.is((await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { [TTL]: '99999' } })).status, 400);
  t.is(
    (
      await fetch(`${url}/latest/api/token`, {
        method: 'PUT',
        headers: { [TTL]: '60', 'x-forwarded-for': '198.51.100.7' },
      })
    ).status,
    403,
  );
  t.is((await fetch(`${url}/latest/api/token`)).status, 405);

  const ok = await fetch(`${url}/latest/meta-data/instance-id`, { headers: { [TOKEN]: await token(url) } });
  t.is(ok.status, 200);
  t.is(session.hash(), before);
});

test('each request is reported with its instance, method, path, status and tick; the recent log is bounded', async (t) => {
  const { session, server, idOf } = await serve(t, { fleet: [web('web-1')] }, { recentLimit: 3 });
  const id = idOf('web-1');
  const url = server.endpointOf(id)!;
  const seen: unknown[] = [];
  server.onRequest((r) => seen.push(r));
  session.run(5);
  const headers = { [TOKEN]: await token(url) };
  for (const path of ['/latest/meta-data/instance-id', '/latest/meta-data/nope', '/latest/meta-data/mac?x=1'])
    await fetch(url + path, { headers });
  t.deepEqual(seen[0], { instanceId: id, method: 'PUT', path: '/latest/api/token', status: 200, tick: 5 });
  t.deepEqual(
    server.recent(id, 10).map((r) => [r.method, r.path, r.status]),
    [
      ['GET', '/latest/meta-data/instance-id', 200],
      ['GET', '/latest/meta-data/nope', 404],
      ['GET', '/latest/meta-data/mac', 200],
    ],
  );
  t.is(server.recent(id, 1).length, 1);
});

test('closing the server closes every endpoint', async (t) => {
  const session: Session = testSession({ fleet: [web('web-1'), web('web-2', 'use1-az2')] });
  const server = new ImdsServer(session);
  await server.start();
  const urls = server.list().map((e) => e.url);
  t.is(urls.length, 2);
  await server.close();
  for (const url of urls) await t.throwsAsync(fetch(`${url}/latest/meta-data/`));
  session.run(1);
  t.deepEqual(server.list(), [], 'a closed server no longer follows the session');
});

// API reference, "InstanceMetadataOptionsRequest": with HttpEndpoint disabled the instance's
// metadata cannot be reached, and the SDKs take a 403 for it; HttpTokens optional lets an IMDSv1
// request through.
test('an instance whose metadata endpoint is disabled answers 403 to all; one with tokens optional answers IMDSv1', async (t) => {
  const { server, idOf } = await serve(t, {
    fleet: [
      { name: 'off', type: 'm6i.large', zone: 'use1-az1', metadataOptions: { httpEndpoint: 'disabled' } },
      { name: 'v1', type: 'm6i.large', zone: 'use1-az1', imds: 'optional' },
    ],
  });
  const off = server.endpointOf(idOf('off'))!;
  t.is((await fetch(`${off}/latest/api/token`, { method: 'PUT', headers: { [TTL]: '60' } })).status, 403);
  t.is((await fetch(`${off}/latest/meta-data/instance-id`)).status, 403);
  const sdk = new MetadataService({ endpoint: off });
  await t.throwsAsync(sdk.request('/latest/meta-data/instance-id', {}), { message: /status code 403/ });
  const res = await fetch(`${server.endpointOf(idOf('v1'))!}/latest/meta-data/instance-id`);
  t.is(await res.text(), idOf('v1'));
});

// EC2 User Guide, "Configure the instance metadata options": EC2 sends the answer to a PUT with its
// IP time-to-live set to the hop limit, so a container behind a bridge network (one hop further)
// gets a token only with a limit of 2 or more; GETs are not limited.
test('from a container, one hop further: a token request past the hop limit gets no answer; GETs and a limit of 2 do', async (t) => {
  const { session, server, idOf } = await serve(t, {
    fleet: [
      { name: 'one', type: 'm6i.large', zone: 'use1-az1', imds: 'optional', imdsHopLimit: 1 },
      { name: 'two', type: 'm6i.large', zone: 'use1-az1', imdsHopLimit: 2 },
    ],
  });
  t.true(server.containerPort > 0);
  t.not(server.containerPort, server.port);
  const inContainer = (name: string) => server.containerEndpointOf(idOf(name))!;
  const seen: number[] = [];
  server.onRequest((r) => seen.push(r.status));
  const put = (url: string, signal?: AbortSignal) =>
    fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { [TTL]: '60' }, signal });

  // Nothing ever comes back: the server logs the request as unanswered and holds it, and the client
  // gives up. It gives up once the server has the request, however slowly the machine runs: given
  // up first, the request might never reach the server at all.
  const giveUp = new AbortController();
  const outcome = put(inContainer('one'), giveUp.signal).then(
    (res) => `answered ${res.status}`,
    (err: Error) => err.name,
  );
  await logged(server, idOf('one'), 1);
  t.deepEqual(seen, [0], 'logged as a request that got no answer');
  giveUp.abort();
  t.is(await outcome, 'AbortError');
  t.is(await (await fetch(`${inContainer('one')}/latest/meta-data/instance-id`)).text(), idOf('one'));
  t.true((await token(server.endpointOf(idOf('one'))!)).length > 0, 'on the instance itself it is answered');
  const res = await put(inContainer('two'));
  t.is(res.status, 200);
  const headers = { [TOKEN]: await res.text() };
  t.is(await (await fetch(`${inContainer('two')}/latest/meta-data/instance-id`, { headers })).text(), idOf('two'));

  // Raised to 2, the limit lets the container's token request through.
  session.enqueue(`modify-instance-metadata-options ${idOf('one')} --http-put-response-hop-limit 2`, 'player');
  session.advance();
  t.is((await put(inContainer('one'))).status, 200);
});

/** A PUT for a token sent as bytes on a socket of its own; resolves with what came back and how it ended. */
function heldPut(url: string, headers = ''): { ended: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let reply = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (reply += chunk));
  socket.write(
    `PUT /latest/api/token HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n${headers}\r\n`,
  );
  return {
    ended: new Promise((resolve) => {
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(`${reply}${err.code}`));
      socket.on('close', () => resolve(reply || 'closed'));
    }),
  };
}

/** Resolves once the server has logged `n` requests. */
async function logged(server: ImdsServer, instanceId: string, n: number): Promise<void> {
  while (server.recent(instanceId, n + 1).length < n) await new Promise((resolve) => setTimeout(resolve, 10));
}

test("held token requests are bounded per instance, the oldest let go, and never hold up another instance's", async (t) => {
  const { server, idOf } = await serve(t, {
    fleet: [
      { name: 'one', type: 'm6i.large', zone: 'use1-az1', imdsHopLimit: 1 },
      { name: 'two', type: 'm6i.large', zone: 'use1-az1', imdsHopLimit: 2 },
    ],
  });
  const one = server.containerEndpointOf(idOf('one'))!;
  const puts = Array.from({ length: HELD_PER_INSTANCE }, () => heldPut(one));
  await logged(server, idOf('one'), HELD_PER_INSTANCE);
  const late = heldPut(one);
  // The oldest held is let go, with a reset and nothing written, to make room.
  t.is(await puts[0]!.ended, 'ECONNRESET');
  await logged(server, idOf('one'), HELD_PER_INSTANCE + 1);
  const other = await fetch(`${server.containerEndpointOf(idOf('two'))!}/latest/api/token`, {
    method: 'PUT',
    headers: { [TTL]: '60' },
  });
  t.is(other.status, 200, 'hop limit 2: answered, whatever instance one holds');
  await server.close();
  t.is(await late.ended, 'ECONNRESET', 'closing the server lets every held connection go');
});

test('a held token request is let go when its instance stops; one that announces a body or names a foreign Host is held all the same', async (t) => {
  const { session, server, idOf } = await serve(t, {
    fleet: [{ name: 'one', type: 'm6i.large', zone: 'use1-az1', imdsHopLimit: 1 }],
  });
  const url = server.containerEndpointOf(idOf('one'))!;
  const plain = heldPut(url);
  // Within the hop limit the body would be asked for, and the foreign one refused 403; past it no answer arrives.
  const expecting = heldPut(url, 'Expect: 100-continue\r\nContent-Length: 10\r\n');
  const foreign = heldPut(url, 'Origin: http://example.com\r\n');
  await logged(server, idOf('one'), 3);
  t.deepEqual(
    server.recent(idOf('one'), 3).map((r) => r.status),
    [0, 0, 0],
  );
  session.enqueue(`stop ${idOf('one')}`, 'player');
  session.advance();
  t.deepEqual(await Promise.all([plain.ended, expecting.ended, foreign.ended]), [
    'ECONNRESET',
    'ECONNRESET',
    'ECONNRESET',
  ]);
});

test("AWS's metadata client in a container gets no token past the hop limit", async (t) => {
  const { server, idOf } = await serve(t, {
    fleet: [{ name: 'one', type: 'm6i.large', zone: 'use1-az1', imdsHopLimit: 1 }],
  });
  const endpoint = server.containerEndpointOf(idOf('one'))!;
  const client = new MetadataService({
    endpoint,
    ec2MetadataV1Disabled: true,
    retries: 0,
    httpOptions: { timeout: 500 },
  });
  await t.throwsAsync(client.fetchMetadataToken(), { message: /exceeded the configured 500 ms requestTimeout/ });
});

test("the same guards as the control endpoint: a web page's Origin or a foreign Host gets 403, a body over the limit 413", async (t) => {
  const { server, idOf } = await serve(t, { fleet: [web('web-1')] });
  const url = server.endpointOf(idOf('web-1'))!;
  const put = { method: 'PUT', headers: { [TTL]: '60' } };
  t.is(
    (await fetch(`${url}/latest/api/token`, { ...put, headers: { ...put.headers, origin: 'https://evil.example' } }))
      .status,
    403,
  );
  const host = new URL(url).host;
  t.regex(
    await raw(
      url,
      `PUT /latest/api/token HTTP/1.1\r\nHost: attacker.example\r\n${TTL}: 60\r\nConnection: close\r\n\r\n`,
    ),
    /^HTTP\/1\.1 403/,
  );
  t.regex(
    await raw(
      url,
      `PUT /latest/api/token HTTP/1.1\r\nHost: ${host}\r\n${TTL}: 60\r\nContent-Length: 20000000\r\nConnection: close\r\n\r\nxxxx`,
    ),
    /^HTTP\/1\.1 413/,
  );
  // No answer here reads a body, so none is asked for with 100 Continue: each is answered on its headers.
  const expecting = (line: string, headers: string) =>
    raw(url, `${line} HTTP/1.1\r\nHost: ${host}\r\n${headers}Expect: 100-continue\r\nContent-Length: 10\r\n\r\n`);
  for (const [line, headers, status] of [
    ['PUT /latest/api/token', `Origin: https://evil.example\r\n${TTL}: 60\r\n`, 403],
    ['PUT /2021-03-23/api/token', `${TTL}: 60\r\n`, 403],
    ['PUT /latest/api/token', '', 400],
    ['POST /latest/meta-data/', '', 405],
    ['PUT /latest/api/token', `${TTL}: 60\r\n`, 200],
  ] as const)
    t.regex(await expecting(line, headers), new RegExp(`^HTTP/1\\.1 ${status} `), `${line} ${headers}`);
  const ok = await fetch(`${url}/latest/api/token`, put);
  t.is(ok.status, 200);
  t.is(ok.headers.get('content-length'), String((await ok.text()).length));
});

test("responses carry the level's date, the clock every time in the metadata is on", async (t) => {
  const { session, server, idOf } = await serve(t, { fleet: [web('web-1')] });
  session.run(90);
  const res = await fetch(`${server.endpointOf(idOf('web-1'))!}/latest/api/token`, {
    method: 'PUT',
    headers: { [TTL]: '60' },
  });
  t.is(res.headers.get('date'), new Date(Date.parse(simulatedTime(session, 90))).toUTCString());
});

test('endpoint notices come after the events that caused them, whoever subscribed first', async (t) => {
  const { session, server, idOf } = await serve(t, { fleet: [web('web-1')] });
  const seen: string[] = [];
  server.onEndpoint((n) => seen.push(`IMDS ${n.kind}`));
  // Subscribed after the server: a view such as the dashboard's log.
  session.onEvents((events) => seen.push(...events.filter((e) => e.kind.startsWith('instance-')).map((e) => e.kind)));
  session.enqueue(`stop ${idOf('web-1')}`, 'player');
  session.run(120);
  t.deepEqual(seen.slice(0, 2), ['instance-stopping', 'IMDS closed']);
});

test.serial(
  'a flood of idle connections, each answered 408 and left open by its client, does not lock other clients out',
  async (t) => {
    const { server, idOf } = await serve(t, { fleet: [web('web-1')] });
    const url = new URL(server.endpointOf(idOf('web-1'))!);
    // More than the port keeps open at once (512): each sends nothing and never closes its side.
    // Alone (serial): both ends of each take a descriptor, some 1,040 of this process's.
    const flood = Array.from({ length: 520 }, () =>
      connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true }),
    );
    t.teardown(() => flood.forEach((s) => s.destroy()));
    // Each is answered 408 once its headers are late, or closed on arrival past the 512th.
    const replies = await Promise.all(
      flood.map(
        (socket) =>
          new Promise<string>((resolve) => {
            let reply = '';
            socket.on('data', (chunk) => (reply += chunk.toString()));
            socket.on('end', () => resolve(reply));
            socket.on('error', () => resolve(reply));
          }),
      ),
    );
    t.true(replies.filter((r) => r.startsWith('HTTP/1.1 408')).length >= 500, replies.slice(0, 2).join(' | '));
    // Their clients keep their sides open; the server lets the connections go all the same. A client
    // gives up on a try after 2 s, as the SDKs do after 1 s.
    const tried: string[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${url.origin}/latest/api/token`, {
        method: 'PUT',
        headers: { [TTL]: '60' },
        signal: AbortSignal.timeout(2000),
      }).catch((err: Error) => err);
      if (!(res instanceof Error) && res.status === 200) return t.pass();
      tried.push(res instanceof Error ? String(res.cause ?? res.message) : String(res.status));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    t.fail(`no answer for a minute while the flood's clients stayed: ${tried.slice(-1)[0]}`);
  },
);
