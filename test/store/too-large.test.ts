// A document longer than its kind may hold is never written (reading it back would set it aside),
// and a world too large for a snapshot is saved as its commands, which a load replays.
import test from 'ava';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/input/input-error.js';
import { JsonStore, TooLarge } from '../../src/store/json-store.js';
import { resume } from '../../src/game/replay.js';
import { Session } from '../../src/game/session.js';
import { DEFAULT_SETTINGS, readSlot, saveSession, slotPath } from '../../src/store/index.js';
import { benchLevel } from '../../bench/fleet.js';
import { tempFolder } from './helpers.js';

interface Note {
  schema: 'test/note@1';
  text: string;
}

const spec = {
  schema: 'test/note@1',
  what: 'a note',
  maxChars: 200,
  check: (doc: { value: unknown }) => doc.value as Note,
};

test('a document longer than its kind may hold is refused in one line and the file is left as it was', async (t) => {
  const folder = tempFolder(t);
  const path = join(folder.dir, 'note.json');
  const store = new JsonStore<Note>(path, spec, folder.notify);
  await store.write(() => ({ schema: 'test/note@1', text: 'short' }));
  const before = readFileSync(path, 'utf8');

  const err = await t.throwsAsync(
    store.write(() => ({ schema: 'test/note@1', text: 'x'.repeat(500) })),
    {
      instanceOf: TooLarge,
    },
  );
  t.true(err instanceof InputError);
  t.regex(err!.message, /note\.json: 5\d\d characters is more than a note may hold \(at most 200 characters\)$/);
  t.is(readFileSync(path, 'utf8'), before);
  t.deepEqual(folder.notices, []);
});

test('a document file far past its bound is set aside by its size, unread', async (t) => {
  const folder = tempFolder(t);
  const path = join(folder.dir, 'note.json');
  // A sparse file: 601 bytes on paper, more than 3 bytes a character could ever need for 200.
  writeFileSync(path, '');
  truncateSync(path, 601);
  const store = new JsonStore<Note>(path, spec, folder.notify);
  const err = await t.throwsAsync(store.read(), { instanceOf: InputError });
  t.regex(err!.message, /note\.json: 601 bytes is more than a note may hold \(at most 200 characters\)/);
  t.true(existsSync(`${path}.corrupt-1`));
});

test('a world too large for a snapshot is saved as its commands, and the save loads by replaying them', async (t) => {
  // 16,500 hosts of the quiet fleet: 132,000 instances, more than a save holds a snapshot of.
  const level = benchLevel(16_500, '10m');
  const session = new Session(level, 'big');
  const first = Object.values(session.world.instances)[0]!.id;
  // Queued for a minute on: the save carries it as pending, and nothing runs before the save.
  session.enqueueAt(60, `stop ${first}`, 'player');
  const folder = tempFolder(t);
  const saved = await saveSession(folder, 'region', session, { settings: DEFAULT_SETTINGS, snapshot: true });
  t.is(saved.snapshot, null);
  t.true(existsSync(slotPath(folder, 'region')));
  t.true(readFileSync(slotPath(folder, 'region'), 'utf8').length < 100_000);

  const save = await readSlot(folder, 'region');
  t.deepEqual(
    save.pending.map((c) => c.text),
    [`stop ${first}`],
  );
  // Brought back by replaying, and checked against the world hash it was saved with.
  const { session: back, how } = resume(save, level, slotPath(folder, 'region'), 'snapshot');
  t.regex(how, /replay/);
  t.is(back.tick, 0);
});
