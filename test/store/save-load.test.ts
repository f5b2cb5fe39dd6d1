// Save mid-level, load, and reach the same world: by replaying the commands and by the snapshot.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { attachScript, parseScript, SCRIPT_BOUNDS } from '../../src/game/script.js';
import { resume } from '../../src/game/replay.js';
import { Session } from '../../src/game/session.js';
import { summarize } from '../../src/game/summary.js';
import {
  AUTOSAVE_SLOT as AUTOSAVE,
  type SaveSlot,
  DEFAULT_SETTINGS,
  describeSave,
  listSlots,
  readSlot,
  saveSession,
  slotPath,
} from '../../src/store/index.js';
import { REFUSED_LINE_CHARS, type LoggedCommand } from '../../src/game/command-log.js';
import { level, tempFolder } from './helpers.js';

const SAVED_AT = 1500;
const END = 2400;
// A stop and start now, a launch queued for after the save, and a reaction to the inject at 20:00.
const script = parseScript(
  'at 30 stop web-1\nat 2m start web-1\nat 30m launch m6i.large --az use1-az2 --name extra\non incident-opened after 30 ack {subject}\n',
  'script',
);

/**
 * The first level at SAVED_AT: scripted commands, injects, an incident, a player's reboot, and
 * lines refused as they came in: a typo, a scenario's verb from the player, a line longer than a
 * refusal keeps, two lines in one with a terminal's escape; and hints, answered as they are asked
 * for, before, between and after those refusals in the same seconds.
 */
function playedToSave(): Session {
  const session = new Session(level, '7');
  attachScript(session, script);
  session.run(1299);
  session.enqueue('hint', 'player');
  session.enqueue('reboto web-2', 'player');
  session.enqueue(`describe-instances ${'x'.repeat(REFUSED_LINE_CHARS)}`, 'handler');
  session.run(1);
  session.enqueue('reboot web-2', 'player');
  session.enqueue('fail-host h-1', 'player');
  session.enqueue('hint', 'player');
  session.enqueue('stop web\u001b[31m-1\nstop web-2', 'handler');
  session.enqueue('hint', 'player');
  session.run(SAVED_AT - session.tick);
  return session;
}

/** What a session has been through, to compare two of them. */
function record(s: Session) {
  return {
    tick: s.tick,
    hash: s.hash(),
    events: s.events,
    log: s.log,
    refused: s.refused,
    samples: s.samples,
    incidents: s.incidents,
    score: s.score(),
    dataLostGB: s.dataLostGB,
  };
}

test('a save made mid-level replays to the same world, events, incidents and log', async (t) => {
  const folder = tempFolder(t);
  const original = playedToSave();
  t.true(original.incidents.length > 0, 'the inject should have opened an incident');
  const saved = await saveSession(folder, 'mid', original, { settings: DEFAULT_SETTINGS });
  t.is(saved.snapshot, null);
  t.true(original.log.some((c) => c.source === 'scenario'));
  t.deepEqual(
    saved.commands.map((c) => `${c.source} ${c.text}`),
    [
      'script stop web-1',
      'script start web-1',
      'script ack INC-1',
      'player hint',
      'player hint',
      'player hint',
      'player reboot web-2',
    ],
    "the level's own injects are left out: the level brings them back",
  );
  t.deepEqual(
    saved.pending.map((c) => c.text),
    ['launch m6i.large --az use1-az2 --name extra'],
  );
  t.deepEqual(
    saved.refused.map((r) => `${r.tick} ${r.source} ${r.subject} ${r.text.slice(0, 24)}`),
    [
      '1299 player parse reboto web-2',
      '1299 handler parse describe-instances xxxxx',
      '1300 player fail-host fail-host h-1',
      '1300 handler parse stop web\\u001b[31m-1\\u00',
    ],
    'the lines refused as they came in, each with its second and who sent it',
  );
  t.is(saved.refused[1]!.text.length, REFUSED_LINE_CHARS, 'a long line is kept to its first characters');

  const { session, how } = resume(await readSlot(folder, 'mid'), level, 'mid');
  t.is(how, 'replay');
  t.deepEqual(record(session), record(original));
});

test('a loaded save carries on exactly as the original play does', async (t) => {
  const folder = tempFolder(t);
  const original = playedToSave();
  await saveSession(folder, 'mid', original, { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  const replayed = resume(save, level, 'mid', 'replay').session;
  const restored = resume(save, level, 'mid', 'snapshot');
  t.is(restored.how, 'snapshot');
  t.deepEqual(record(restored.session), record(replayed));

  // The script's pending launch is in the save; its reactions are code, armed on the original only,
  // and nothing after the save triggers them.
  for (const s of [original, replayed, restored.session]) s.run(END - s.tick);
  t.truthy(Object.values(original.world.instances).find((i) => i.name === 'extra'));
  t.deepEqual(record(replayed), record(original));
  t.deepEqual(record(restored.session), record(original));
  t.deepEqual(summarize(restored.session), summarize(original));
});

test('lines refused as they came in are told again by a load, either way, and kept by the next save', async (t) => {
  const folder = tempFolder(t);
  const original = playedToSave();
  await saveSession(folder, 'mid', original, { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  for (const how of ['replay', 'snapshot'] as const) {
    const loaded = resume(save, level, 'mid', how).session;
    t.deepEqual(summarize(loaded).commands, summarize(original).commands, how);
    await saveSession(folder, `again-${how}`, loaded, { settings: DEFAULT_SETTINGS });
    const again = resume(await readSlot(folder, `again-${how}`), level, 'again').session;
    t.deepEqual(record(again), record(original), how);
  }
  // A save from before refused lines were kept replays its commands alone, its hints among them.
  const path = slotPath(folder, 'mid');
  const file = JSON.parse(readFileSync(path, 'utf8'));
  delete file.refused;
  delete file.snapshot.refused;
  for (const c of [...file.commands, ...file.snapshot.log]) delete c.refusedBefore;
  writeFileSync(path, JSON.stringify(file));
  const old = await readSlot(folder, 'mid');
  t.deepEqual(old.refused, []);
  t.deepEqual(resume(old, level, 'old').session.refused, []);
  // Its snapshot's events still tell them.
  t.deepEqual(resume(old, level, 'old', 'snapshot').session.refused, save.refused);
  // Even as a version that kept a refused line raw told it: a save made after loading it reads back.
  const raw = (file.snapshot.events as { kind: string; data?: { command?: string } }[]).find(
    (e) => e.kind === 'command-refused' && e.data?.command === 'reboto web-2',
  )!;
  raw.data!.command = 'reboto\u001b[2J\nweb-2';
  writeFileSync(path, JSON.stringify(file));
  const loaded = resume(await readSlot(folder, 'mid'), level, 'old', 'snapshot').session;
  t.is(loaded.refused[0]!.text, 'reboto\\u001b[2J\\u000aweb-2');
  await saveSession(folder, 'after-old', loaded, { settings: DEFAULT_SETTINGS });
  t.deepEqual((await readSlot(folder, 'after-old')).refused, loaded.refused);
});

test('a refused line out of order or past the save is refused with the save left as it was', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS });
  const save = await readSlot(folder, 'mid');
  for (const refused of [[...save.refused].reverse(), [{ ...save.refused[0]!, tick: SAVED_AT + 1 }]])
    t.throws(() => resume({ ...save, refused }, level, 'mid.json'), {
      message:
        /^mid\.json: a line refused at \d+ s is out of order or past the save's 1500 s; fleetops has changed since it was saved, or the file was edited; the save is left as it was$/,
    });
});

test('a hint answered at once out of its place among the refusals, or a command kept as one that is not a hint, is refused', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS });
  const save = await readSlot(folder, 'mid');
  const edited = (change: (c: LoggedCommand) => LoggedCommand) => ({ ...save, commands: save.commands.map(change) });
  const hintAt1300 = (c: LoggedCommand) => c.tick === 1300 && c.refusedBefore !== undefined;
  const tail = 'fleetops has changed since it was saved, or the file was edited; the save is left as it was$';
  for (const [commands, message] of [
    // Before the refusals of 1299 s.
    [edited((c) => (hintAt1300(c) ? { ...c, refusedBefore: 0 } : c)), `a line refused at 1299 s is out of order`],
    // After more refusals than the save keeps.
    [edited((c) => (hintAt1300(c) ? { ...c, refusedBefore: 9 } : c)), `a hint answered at 1300 s is out of order`],
    [
      edited((c) => (c.text === 'reboot web-2' ? { ...c, refusedBefore: 4 } : c)),
      `saved command 'reboot web-2' at 1300 s is kept as answered at once, as only a hint is`,
    ],
  ] as const)
    t.throws(() => resume(commands, level, 'mid.json'), {
      message: new RegExp(`^mid\\.json: ${message}.*; ${tail}`),
    });
  // Only the log holds commands answered at once: a queued one, or a count below 0, is not a save.
  const path = slotPath(folder, 'mid');
  const file = JSON.parse(readFileSync(path, 'utf8'));
  for (const [where, bad] of [
    ['pending', { ...file.pending[0], refusedBefore: 0 }],
    ['commands', { ...file.commands[3], refusedBefore: -1 }],
  ] as const) {
    writeFileSync(path, JSON.stringify({ ...file, [where]: [bad, ...file[where].slice(1)] }));
    await t.throwsAsync(readSlot(folder, 'mid'), { message: /mid\.json/ });
  }
});

test('a save whose hash the replay does not reach is refused and left as it was', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS });
  const path = slotPath(folder, 'mid');
  // A reboot leaves no trace in the world once the guest is back, as in EC2; a stop does.
  const tampered = readFileSync(path, 'utf8').replace('"text": "reboot web-2"', '"text": "stop web-2"');
  writeFileSync(path, tampered);
  const save = await readSlot(folder, 'mid');
  const err = t.throws(() => resume(save, level, path), { name: 'InputError' });
  t.regex(
    err!.message,
    /mid\.json: replaying the saved commands to 1500 s gives world [0-9a-f]{16}, not the saved [0-9a-f]{16}; fleetops has changed since it was saved, or the file was edited; the save is left as it was$/,
  );
  t.is(readFileSync(path, 'utf8'), tampered);
  t.is((await listSlots(folder)).length, 1);
  // Played on a level changed since, the replay says so.
  const changed = { ...level, hints: [...level.hints, 'a new hint'] };
  t.throws(() => resume(save, changed, path), {
    message: /; the level, or how fleetops reads it, has changed since it was saved;/,
  });
});

test('a save whose replay no longer reaches its hash says that its snapshot still brings the play back', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  // As a model that no longer does what the commands once did: here, a reboot read as a stop.
  const changed = (c: LoggedCommand) => (c.text === 'reboot web-2' ? { ...c, text: 'stop web-2' } : c);
  save.commands = save.commands.map(changed);
  save.snapshot!.log = save.snapshot!.log.map(changed);
  t.throws(() => resume(save, level, 'mid.json'), {
    message: /; load --fast \(or report --fast\) restores its snapshot instead$/,
  });
  t.is(resume(save, level, 'mid.json', 'snapshot').session.hash(), save.hash);
  // A snapshot that --fast would refuse too (here, of another seed than the save's) is not offered.
  const reseeded = { ...save, seed: `${save.seed}0` };
  t.throws(() => resume(reseeded, level, 'mid.json'), { message: /the save is left as it was$/ });
  t.throws(() => resume(reseeded, level, 'mid.json', 'snapshot'), { message: /another seed than the save's/ });
});

test('a snapshot that is not the saved world is refused', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  (save.snapshot!.world as { epochMs: number }).epochMs += 1;
  t.throws(() => resume(save, level, 'mid.json', 'snapshot'), {
    message: /mid\.json: the snapshot holds world [0-9a-f]{16} at 1500 s, not the saved/,
  });
});

test("a snapshot whose commands, queue, refused lines or seed are not its save's is refused with the save left as it was", async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  const snap = save.snapshot!;
  const edits: [string, SaveSlot][] = [
    [
      "the snapshot's command log is not the save's commands",
      { ...save, snapshot: { ...snap, log: snap.log.slice(1) } },
    ],
    ["the snapshot's queued commands are not the save's pending ones", { ...save, pending: [] }],
    ["the snapshot's refused lines are not the save's", { ...save, refused: save.refused.slice(1) }],
    [
      "the snapshot: a line refused at 1299 s is out of order or past the save's 1500 s",
      {
        ...save,
        refused: [...save.refused].reverse(),
        snapshot: { ...snap, refused: [...snap.refused!].reverse() },
      },
    ],
    ["the snapshot's world has another seed than the save's", { ...save, seed: '8' }],
  ];
  for (const [why, edited] of edits)
    t.throws(() => resume(edited, level, 'mid.json', 'snapshot'), {
      message: `mid.json: ${why}; the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead`,
    });
});

test("a snapshot whose scenario is not its level's plan is refused: an inject dropped, moved or added", async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'mid');
  const snap = save.snapshot!;
  const applied = snap.log.find((c) => c.source === 'scenario')!;
  const edits: [RegExp, SaveSlot['snapshot']][] = [
    [
      new RegExp(`lacks '${applied.text}' at ${applied.tick} s, which the level's scenario has`),
      { ...snap, log: snap.log.filter((c) => c !== applied) },
    ],
    [
      new RegExp(
        `holds '${applied.text}' at ${applied.tick + 1} s where the level's scenario has '${applied.text}' at ${applied.tick} s`,
      ),
      { ...snap, log: snap.log.map((c) => (c === applied ? { ...c, tick: c.tick + 1 } : c)) },
    ],
    [
      /holds 'impair-zone use1-az1' at 2000 s, which the level's scenario does not$/,
      { ...snap, queued: [...snap.queued, { tick: 2000, source: 'scenario', text: 'impair-zone use1-az1' }] },
    ],
  ];
  for (const [why, snapshot] of edits) {
    const error = t.throws(() => resume({ ...save, snapshot }, level, 'mid.json', 'snapshot'));
    t.regex(
      error.message,
      /^mid\.json: the snapshot's scenario .*; the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead$/,
    );
    t.regex(
      error.message.replace(
        /; the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead$/,
        '',
      ),
      why,
    );
  }
  t.is(resume(save, level, 'mid.json', 'snapshot').session.hash(), save.hash);
});

test('a snapshot of a level that has changed since is not trusted: the save is replayed', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'mid', playedToSave(), { settings: DEFAULT_SETTINGS, snapshot: true });
  const changed = { ...level, hints: [...level.hints, 'a new hint'] };
  t.is(resume(await readSlot(folder, 'mid'), changed, 'mid', 'snapshot').how, 'replay');
});

test('slots are listed newest first with what the list shows', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, '3');
  session.run(60);
  await saveSession(folder, 'older', session, { settings: DEFAULT_SETTINGS, now: new Date('2026-01-01T10:00:00Z') });
  await saveSession(folder, AUTOSAVE, session, {
    settings: DEFAULT_SETTINGS,
    kind: 'auto',
    now: new Date('2026-01-02T10:00:00Z'),
  });
  const slots = await listSlots(folder);
  t.deepEqual(
    slots.map((s) => [s.slot, s.level, s.seed, s.tick, s.savedAt, s.kind]),
    [
      [AUTOSAVE, '01-first-shift', '3', 60, '2026-01-02T10:00:00.000Z', 'auto'],
      ['older', '01-first-shift', '3', 60, '2026-01-01T10:00:00.000Z', 'manual'],
    ],
  );
});

test('a save copied by hand under another name is listed and read by that name, as load finds it', async (t) => {
  const folder = tempFolder(t);
  await saveSession(folder, 'morning', new Session(level, '3'), { settings: DEFAULT_SETTINGS });
  writeFileSync(slotPath(folder, 'copy'), readFileSync(slotPath(folder, 'morning'), 'utf8'));
  t.deepEqual((await listSlots(folder)).map((s) => s.slot).sort(), ['copy', 'morning']);
  t.is((await readSlot(folder, 'copy')).slot, 'copy');
});

test('slot names cannot leave the slots folder', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, '3');
  for (const name of ['../profile', 'a/b', '.hidden', '', 'x'.repeat(41), 'a.json']) {
    await t.throwsAsync(
      saveSession(folder, name, session, { settings: DEFAULT_SETTINGS }),
      { message: /a slot name is 1 to 40 letters/ },
      name,
    );
    await t.throwsAsync(readSlot(folder, name), { message: /a slot name is 1 to 40 letters/ }, name);
  }
});

test('a save keeps who played it and how often its reactions fired; one from before either was kept names no one and counts none', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, '7');
  session.player = 'bob';
  session.reactionsFired = 12;
  session.run(30);
  await saveSession(folder, 'named', session, { settings: DEFAULT_SETTINGS });
  const saved = await readSlot(folder, 'named');
  t.like(saved, { player: 'bob', reactionsFired: 12 });
  const path = slotPath(folder, 'named');
  const {
    player: _player,
    reactionsFired: _fired,
    ...older
  } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify(older));
  t.like(await readSlot(folder, 'named'), { player: null, reactionsFired: 0 });
  // The count is held to the run's budget.
  writeFileSync(path, JSON.stringify({ ...older, reactionsFired: SCRIPT_BOUNDS.reactionsPerRun + 1 }));
  await t.throwsAsync(readSlot(folder, 'named'), { message: /named\.json.*reactionsFired/ });
});

test('a save keeps its hints shown: one with hints left out of its commands, or sat as an exam, is refused', async (t) => {
  const folder = tempFolder(t);
  const played = playedToSave();
  t.true(played.hintsUsed > 0);
  await saveSession(folder, 'hinted', played, { settings: DEFAULT_SETTINGS, snapshot: true });
  const save = await readSlot(folder, 'hinted');
  t.is(save.hintsUsed, played.hintsUsed);
  // A hint changes no world: the hash alone would let either through, and the score with it.
  const noHints = { ...save, commands: save.commands.filter((c) => c.text !== 'hint') };
  t.throws(() => resume(noHints, level, 'hinted.json'), {
    message: new RegExp(
      `^hinted\\.json: replaying the saved commands in training mode shows 0 hints, not the saved ${played.hintsUsed};`,
    ),
  });
  t.throws(() => resume({ ...save, mode: 'exam' }, level, 'hinted.json'), {
    message: new RegExp(`in exam mode shows 0 hints, not the saved ${played.hintsUsed};`),
  });
  t.throws(() => resume({ ...save, hintsUsed: 0 }, level, 'hinted.json', 'snapshot'), {
    message: new RegExp(`the snapshot has shown ${played.hintsUsed} hints, not the saved 0`),
  });
  // Nor may both counts be cut together: the commands tell how many were shown.
  const cut = { ...save, hintsUsed: 0, snapshot: { ...save.snapshot!, hintsUsed: 0 } };
  t.throws(() => resume(cut, level, 'hinted.json', 'snapshot'), {
    message: `hinted.json: the snapshot has shown 0 hints, but its commands show ${played.hintsUsed}; the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead`,
  });
  t.throws(() => resume(cut, level, 'hinted.json'), {
    message: `hinted.json: replaying the saved commands in training mode shows ${played.hintsUsed} hints, not the saved 0; fleetops has changed since it was saved, or the file was edited; the save is left as it was`,
  });
  // A save from before the count was kept is checked without it.
  t.is(resume({ ...save, hintsUsed: null }, level, 'hinted.json').session.hintsUsed, played.hintsUsed);
});

test('a save that takes a slot says which save it replaced; a fresh slot replaced none', async (t) => {
  const folder = tempFolder(t);
  const session = new Session(level, 'mid');
  const told: string[] = [];
  const replacing = (previous: SaveSlot) => told.push(describeSave(previous));
  session.run(600);
  await saveSession(folder, 'mid', session, {
    settings: DEFAULT_SETTINGS,
    replacing,
    now: new Date('2026-12-03T09:40:00Z'),
  });
  t.deepEqual(told, []);
  session.run(5);
  await saveSession(folder, 'mid', session, { settings: DEFAULT_SETTINGS, replacing });
  t.deepEqual(told, [`${session.level.id} at 10:00, saved 2026-12-03 09:40 UTC`]);
});
