// A script is checked when read and when put to a level: a reaction waits only for an event the
// model emits, and a timed command runs before the level ends; otherwise file:line says why.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/game/input-error.js';
import { attachScript, EVENT_KINDS, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { ROOT } from '../helpers/fleetops.js';
import { testLevel } from '../helpers/world.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

test('the event kinds a reaction can wait for are the kinds the model and the session emit', (t) => {
  const emitted = new Set<string>();
  const emits = /\.emit\(\s*(?:\w+ \? )?'([a-z-]+)'(?: : '([a-z-]+)')?|\{ tick: [^{}]*?, kind: '([a-z-]+)'/g;
  for (const text of [...sources(join(ROOT, 'src/sim')), ...sources(join(ROOT, 'src/game'))]) {
    for (const m of text.matchAll(emits)) for (const kind of m.slice(1)) if (kind) emitted.add(kind);
  }
  t.deepEqual([...EVENT_KINDS].sort(), [...emitted].sort());
});

test('a reaction to an event that never happens is refused with file:line and the kinds there are', (t) => {
  const err = t.throws(() => parseScript('at 10 stop web-1\non bogus-event ack {subject}\n', 'plan.txt'), { instanceOf: InputError });
  t.true(err.message.startsWith("plan.txt:2: no event 'bogus-event'; a reaction can wait for address-allocated, "));
  t.true(err.message.includes(', spot-interruption-notice, '));
  t.notThrows(() => parseScript('on spot-interruption-notice after 30s ack {subject}\n', 'plan.txt'));
});

test('a timed command past the level\'s end is refused when the script is attached', (t) => {
  const level = testLevel({ duration: '40m' });
  const script = parseScript('# drain\nat 10 stop web-1\nat 2h stop web-1\nat 40:00 start web-1\n', 'plan.txt');
  t.throws(() => attachScript(new Session(level, '1'), script), {
    instanceOf: InputError,
    message: 'plan.txt:3: at 2:00:00 is past the end of test, which lasts 40:00; its last command runs at 39:59',
  });
  t.notThrows(() => attachScript(new Session(level, '1'), parseScript('at 39:59 stop web-1\n', 'plan.txt')));
});
