import test from 'ava';
import { MAX_TOKENS_PER_INSTANCE, TokenStore } from '../../src/imds/tokens.js';

function counter(): () => string {
  let n = 0;
  return () => `token-${n++}`;
}

test('a token lives for its TTL in ticks and only for the instance it was issued to', (t) => {
  const store = new TokenStore(counter());
  const token = store.issue('i-1', 5, 100);
  t.is(store.remaining('i-1', token, 100), 5);
  t.is(store.remaining('i-1', token, 104), 1);
  t.is(store.remaining('i-1', token, 105), null);
  t.is(store.remaining('i-2', token, 100), null);
  t.is(store.remaining('i-1', 'made-up', 100), null);
});

test('revoking an instance\'s tokens ends them all', (t) => {
  const store = new TokenStore(counter());
  const token = store.issue('i-1', 60, 0);
  store.revoke('i-1');
  t.is(store.remaining('i-1', token, 0), null);
});

test('an instance holds a bounded number of live tokens; the oldest goes first', (t) => {
  const store = new TokenStore(counter());
  const first = store.issue('i-1', 21600, 0);
  let last = first;
  for (let i = 0; i < MAX_TOKENS_PER_INSTANCE; i++) last = store.issue('i-1', 21600, 0);
  t.is(store.remaining('i-1', first, 0), null);
  t.is(store.remaining('i-1', last, 0), 21600);
});
