// Generated shifts: the same spec gives the same level byte for byte; seeds give different shifts;
// each is a level the normal parser takes, plays to its end and scores; doing nothing loses.
import test from 'ava';
import { shiftText } from '../../src/cli/files.js';
import { parseLevel } from '../../src/game/level.js';
import { Session } from '../../src/game/session.js';
import { generateShift, parseShiftId, shiftId } from '../../src/game/shift.js';
import { InputError } from '../../src/game/input-error.js';

test('the same seed, hours and difficulty give the same shift, byte for byte; the id builds it again', (t) => {
  const spec = { seed: '3', hours: 8, difficulty: 3 };
  t.is(shiftText(spec), shiftText({ ...spec }));
  t.deepEqual(parseShiftId(shiftId(spec)), spec);
  t.not(shiftText(spec), shiftText({ ...spec, difficulty: 2 }));
});

test('seeds 1..10 give ten different shifts that load, play to their end and score; left alone, each is lost', (t) => {
  const timelines = new Set<string>();
  for (let seed = 1; seed <= 10; seed++) {
    const spec = { seed: String(seed), hours: 2, difficulty: 2 };
    const level = parseLevel(shiftText(spec), shiftId(spec));
    timelines.add(JSON.stringify(generateShift(spec).injects));
    const session = new Session(level, level.defaultSeed);
    session.run(level.duration);
    t.true(session.finished);
    const score = session.score();
    t.true(score.points > 0 && score.points < score.max, `${shiftId(spec)}: ${score.points}`);
    t.false(score.won, `${shiftId(spec)} is lost by doing nothing`);
  }
  t.is(timelines.size, 10);
});

test('harder shifts bring more incidents, thinner spares and fewer hints', (t) => {
  const easy = generateShift({ seed: '5', hours: 8, difficulty: 1 });
  const hard = generateShift({ seed: '5', hours: 8, difficulty: 5 });
  t.true((hard.injects as unknown[]).length > (easy.injects as unknown[]).length);
  t.true((hard.hints as unknown[]).length < (easy.hints as unknown[]).length);
  const hosts = (l: Record<string, unknown>) =>
    (l.racks as { racks: number; hostsPerRack: number }[]).reduce((a, r) => a + r.racks * r.hostsPerRack, 0);
  t.true(hosts(hard) < hosts(easy));
});

test('a shift out of bounds is refused with what is expected', (t) => {
  t.throws(() => generateShift({ seed: '1', hours: 25, difficulty: 1 }), {
    instanceOf: InputError,
    message: 'shift: hours must be a whole number from 1 to 24, got 25',
  });
  t.throws(() => parseShiftId('shift-1-d7-8h'), {
    instanceOf: InputError,
    message: 'shift-1-d7-8h: difficulty must be a whole number from 1 to 5, got 7',
  });
});
