import test from 'ava';
import { benchImds } from '../../bench/imds.js';
import { ImdsServer } from '../../src/imds/server.js';
import { testSession } from '../helpers/world.js';

test('a bounded load on loopback, 10,000 requests from 32 keep-alive clients, loses nothing', async (t) => {
  const session = testSession({ fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }] });
  const server = new ImdsServer(session);
  t.teardown(() => server.close());
  await server.start();
  const [endpoint] = server.list();
  let answered = 0;
  server.onRequest(() => answered++);

  const result = await benchImds(endpoint!.url, { requests: 10_000, concurrency: 32 });
  t.is(result.requests, 10_000);
  t.is(result.errors, 0);
  t.is(answered, 10_000 + 32, "every request and each client's token request reached the server");
  t.true(result.rps > 0 && result.p50Ms > 0 && result.p99Ms >= result.p50Ms);
});
