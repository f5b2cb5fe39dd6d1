// Training and exam: hints on request, charged to the score; none in an exam; a save keeps both.
import test from 'ava';
import { HINT_COST } from '../../src/game/mode.js';
import { Session } from '../../src/game/session.js';
import { summarize } from '../../src/game/summary.js';
import { resume } from '../../src/game/replay.js';
import { buildReport } from '../../src/report/index.js';
import { DEFAULT_SETTINGS, readSlot, saveSession, slotPath } from '../../src/store/index.js';
import { tempFolder } from '../store/helpers.js';
import { testLevel } from '../helpers/world.js';

const level = { ...testLevel(), hints: ['where to look', 'which signal', 'the command'] };

test('a shown hint costs its points, in the breakdown and the summary; all shown, a further one is refused', (t) => {
  const free = new Session(level, '1');
  const hinted = new Session(level, '1');
  hinted.enqueue('hint', 'player');
  hinted.run(30);
  hinted.enqueue('hint', 'player');
  free.run(30);
  t.is(hinted.hintsUsed, 2);
  t.deepEqual(hinted.score().hints, { used: 2, pointsEach: HINT_COST, points: 2 * HINT_COST });
  t.is(hinted.score().points, free.score().points - 2 * HINT_COST);
  t.is(hinted.hash(), free.hash(), 'a hint changes the score, never the world');
  const shown = hinted.events.filter((e) => e.kind === 'hint-shown').map((e) => e.message);
  t.deepEqual(shown, [
    `Hint 1/3 (-${HINT_COST} points): where to look`,
    `Hint 2/3 (-${HINT_COST} points): which signal`,
  ]);
  t.like(summarize(hinted), { mode: 'training', hintsUsed: 2 });
  hinted.enqueue('hint', 'player');
  hinted.enqueue('hint', 'player');
  t.is(hinted.hintsUsed, 3);
  t.regex(hinted.events.at(-1)!.message, /no more hints: all 3 shown/);
});

test('an exam refuses hints and charges nothing; its summary says exam', (t) => {
  const exam = new Session(level, '1', undefined, 'exam');
  exam.enqueue('hint', 'player');
  exam.run(10);
  t.is(exam.hintsUsed, 0);
  t.is(exam.score().hints.points, 0);
  t.false(exam.events.some((e) => e.kind === 'hint-shown' || e.message.includes('where to look')));
  t.regex(exam.events.find((e) => e.kind === 'command-refused')!.message, /hints are off in exam mode/);
  t.like(summarize(exam), { mode: 'exam', hintsUsed: 0 });
  // In the command log, not among the lines refused as they came in: one action in the report.
  t.deepEqual(exam.refused, []);
  t.deepEqual(
    buildReport(exam).actions.map((a) => `${a.command} ${a.outcome}`),
    ['hint refused'],
  );
});

test('a save keeps the mode and the hints shown, by replay and by snapshot', async (t) => {
  const folder = tempFolder(t);
  for (const mode of ['training', 'exam'] as const) {
    const session = new Session(level, '3', undefined, mode);
    session.run(20);
    session.enqueue('hint', 'player');
    session.run(20);
    await saveSession(folder, mode, session, { settings: DEFAULT_SETTINGS, snapshot: true });
    const save = await readSlot(folder, mode);
    t.is(save.mode, mode);
    for (const how of ['replay', 'snapshot'] as const) {
      const back = resume(save, level, slotPath(folder, mode), how).session;
      t.is(back.mode, mode, `${mode} by ${how}`);
      t.is(back.hintsUsed, session.hintsUsed, `${mode} by ${how}`);
      t.deepEqual(back.score(), session.score(), `${mode} by ${how}`);
    }
  }
});
