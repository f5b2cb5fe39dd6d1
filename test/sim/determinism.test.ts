import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseLevel } from '../../src/game/level.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';

const level = parseLevel(readFileSync('levels/01-first-shift.json', 'utf8'), 'levels/01-first-shift.json');
const script = parseScript(
  'at 10 stop web-1\nat 60 start web-1\nat 2m launch m6i.large --az use1-az2 --spot --name extra\n',
  'script',
);

function play(seed: string): Session {
  const s = new Session(level, seed);
  attachScript(s, script);
  s.run(900);
  return s;
}

test('same level, seed and commands give the same world hash', (t) => {
  t.is(play('7').hash(), play('7').hash());
});

test('a different seed gives a different world', (t) => {
  t.not(play('7').hash(), play('8').hash());
});

test('the event stream is reproduced exactly', (t) => {
  t.deepEqual(play('7').events, play('7').events);
});
