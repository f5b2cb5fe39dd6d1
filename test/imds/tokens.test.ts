import test from 'ava';
import { TokenStore } from '../../src/imds/tokens.js';

test('a token lives for its TTL, never less, and only for the instance it was issued to', (t) => {
  const store = new TokenStore();
  const token = store.issue('i-1', 5, 100);
  t.is(store.remaining('i-1', token, 100), 5);
  // Issued late in second 100, it has five seconds from then: to the end of second 105.
  t.is(store.remaining('i-1', token, 104), 2);
  t.is(store.remaining('i-1', token, 105), 1);
  t.is(store.remaining('i-1', token, 106), null);
  t.is(store.remaining('i-2', token, 100), null);
  t.is(store.remaining('i-1', 'made-up', 100), null);
  t.is(store.remaining('i-1', `${token.split('.')[0]}.AAAA`, 100), null, 'a forged signature');
});

test("revoking an instance's tokens ends them all; new ones work", (t) => {
  const store = new TokenStore();
  const token = store.issue('i-1', 60, 0);
  store.revoke('i-1');
  t.is(store.remaining('i-1', token, 0), null);
  t.is(store.remaining('i-1', store.issue('i-1', 60, 0), 0), 60);
});

test('a token stays valid for its whole TTL however many others are issued', (t) => {
  const store = new TokenStore();
  const first = store.issue('i-1', 21600, 0);
  for (let i = 0; i < 5000; i++) store.issue('i-1', 21600, 0);
  t.is(store.remaining('i-1', first, 21600), 1);
});

test('tokens from another run are refused', (t) => {
  t.is(new TokenStore().remaining('i-1', new TokenStore().issue('i-1', 60, 0), 0), null);
});
