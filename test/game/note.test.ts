// `note <text>`: the responder's reasoning, kept in the timeline and the report as written.
import test from 'ava';
import { loadLevel } from '../../src/cli/files.js';
import { runExercise } from '../../src/cli/batch.js';
import { parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { MAX_NOTE_LENGTH, parseCommand, ParseError } from '../../src/sim/index.js';

test('a note takes the rest of the line as written: quotes, apostrophes and -- are words', (t) => {
  const c = parseCommand(`note  web-1's host is dead;   "stop --force" next`);
  t.is(c.verb, 'note');
  t.is(c.args.text, `web-1's host is dead; "stop --force" next`);
  t.is(c.text, `note web-1's host is dead; "stop --force" next`);
  t.deepEqual(parseCommand(c.text), c);
});

test('a note is refused empty, too long or with control characters, saying why', (t) => {
  t.regex(t.throws(() => parseCommand('note   '), { instanceOf: ParseError }).message, /^note: missing <text>/);
  t.regex(
    t.throws(() => parseCommand(`note ${'x'.repeat(MAX_NOTE_LENGTH + 1)}`), { instanceOf: ParseError }).message,
    new RegExp(`at most ${MAX_NOTE_LENGTH}`),
  );
  t.regex(t.throws(() => parseCommand('note bell\u0007'), { instanceOf: ParseError }).message, /control character/);
  // A bidirectional override reorders what follows it on screen; a lone surrogate is no character.
  for (const hidden of ['\u202e', '\u2066', '\ud800'])
    t.regex(t.throws(() => parseCommand(`note a${hidden}b`), { instanceOf: ParseError }).message, /control character/);
  t.notThrows(() => parseCommand('note café 😀 مرحبا'));
  t.notThrows(() => parseCommand(`note ${'x'.repeat(MAX_NOTE_LENGTH)}`));
});

test("a player's note is an event of its own, changes nothing in the world, and reaches the report", (t) => {
  const level = loadLevel('02-dead-host');
  const plain = new Session(level, '2');
  const noted = new Session(level, '2');
  plain.run(30);
  noted.run(10);
  t.is(
    noted.outcome(noted.enqueue('note watching web-1: `status` looks odd', 'player')),
    undefined,
    'queued, not refused',
  );
  noted.run(20);
  t.is(noted.hash(), plain.hash());
  const event = noted.events.find((e) => e.kind === 'note-added')!;
  t.is(event.message, 'watching web-1: `status` looks odd');
  t.is(event.data?.source, 'player');
  const r = buildReport(noted);
  t.deepEqual(
    r.notes.map((n) => [n.tick, n.source, n.text]),
    [[10, 'player', 'watching web-1: `status` looks odd']],
  );
  t.true(
    r.timeline.some(
      (e) => e.kind === 'note-added' && e.text === 'note by the player: watching web-1: `status` looks odd',
    ),
  );
  t.false(r.timeline.some((e) => e.kind === 'command-applied' && e.text.startsWith('note ')));
  // The backticks a person typed are their text, not markup, in Markdown and HTML alike.
  t.true(renderReport(noted, 'md').includes('watching web-1: \\`status\\` looks odd'));
  t.true(renderReport(noted, 'html').includes('watching web-1: `status` looks odd'));
});

test('scripts take notes too, and a note rides along in a reaction', (t) => {
  const script = parseScript('at 5m note quiet so far\non incident-opened note paged for {subject}\n', 'plan.txt');
  const r = buildReport(runExercise(loadLevel('02-dead-host'), '2', script));
  t.deepEqual(
    r.notes.slice(0, 2).map((n) => [n.source, n.text]),
    [
      ['script', 'quiet so far'],
      ['script', 'paged for INC-1'],
    ],
  );
});
