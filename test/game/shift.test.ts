// Generated shifts: the same spec gives the same level byte for byte; seeds give different shifts;
// each is a level the normal parser takes, plays to its end and scores; doing nothing loses, and the
// reference responder shipped in examples/ wins: no seed is unwinnable or free.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, shiftText } from '../../src/cli/files.js';
import { parseLevel } from '../../src/game/level.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { generateShift, parseShiftId, shiftId } from '../../src/game/shift.js';
import { InputError } from '../../src/input/input-error.js';
import { RECOVERIES_PER_DAY } from '../../src/sim/index.js';

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
  // One shift, one id: hours are written without a leading zero.
  t.throws(() => parseShiftId('shift-1-d2-01h'), {
    instanceOf: InputError,
    message: "shift-1-d2-01h: a shift's difficulty and hours are written without leading zeros",
  });
  t.deepEqual(parseShiftId('shift-1-d2-1h'), { seed: '1', difficulty: 2, hours: 1 });
  t.throws(() => generateShift({ seed: '1', hours: 25, difficulty: 1 }), {
    instanceOf: InputError,
    message: 'shift: hours must be a whole number from 1 to 24, got 25',
  });
  // The seed is part of the level id, which is lower case: `Ann1` would build a shift no id can name.
  t.throws(() => generateShift({ seed: 'Ann1', hours: 8, difficulty: 2 }), {
    instanceOf: InputError,
    message: "shift: a shift's seed is 1 to 40 lower-case letters or digits, got 'Ann1'",
  });
  t.throws(() => parseShiftId('shift-1-d7-8h'), {
    instanceOf: InputError,
    message: 'shift-1-d7-8h: difficulty must be a whole number from 1 to 5, got 7',
  });
  // A shift's id out of bounds is told its bound, as the others are, not taken for no level at all.
  for (const [id, message] of [
    ['shift-1-d2-0h', 'shift-1-d2-0h: hours must be a whole number from 1 to 24, got 0'],
    ['shift-1-d0-8h', 'shift-1-d0-8h: difficulty must be a whole number from 1 to 5, got 0'],
    ['shift-1-d10-8h', 'shift-1-d10-8h: difficulty must be a whole number from 1 to 5, got 10'],
    ['shift-Ann-d2-8h', "shift-Ann-d2-8h: a shift's seed is 1 to 40 lower-case letters or digits, got 'Ann'"],
  ])
    t.throws(() => parseShiftId(id!), { instanceOf: InputError, message }, id);
});

const RESPONDER = join(PROJECT_ROOT, 'examples', 'scripts', 'on-call.txt');

for (const difficulty of [1, 2, 3]) {
  test(`difficulty ${difficulty}, seeds 1..5: the reference responder wins with every command accepted; doing nothing loses`, (t) => {
    const responder = parseScript(readFileSync(RESPONDER, 'utf8'), RESPONDER);
    for (let seed = 1; seed <= 5; seed++) {
      const spec = { seed: String(seed), hours: 4, difficulty };
      const level = parseLevel(shiftText(spec), shiftId(spec));
      const played = new Session(level, level.defaultSeed);
      attachScript(played, responder);
      played.run(level.duration);
      const score = played.score();
      const missed = level.objectives.filter((_, i) => !score.objectives[i]!.met);
      t.deepEqual(missed, [], `${shiftId(spec)}: ${score.points}`);
      t.deepEqual(
        played.events.filter((e) => e.kind === 'command-refused').map((e) => e.message),
        [],
        shiftId(spec),
      );
      const idle = new Session(level, level.defaultSeed);
      idle.run(level.duration);
      t.false(idle.score().won, `${shiftId(spec)} is lost by doing nothing`);
    }
  });
}

test('shifts draw every campaign kind, EBS saturation and a revoked rule among them, and overlap them when hard', (t) => {
  const injects = (seed: number, difficulty: number) =>
    generateShift({ seed: String(seed), hours: 8, difficulty }).injects as { at: string; command: string }[];
  const commands = Array.from({ length: 10 }, (_, i) => injects(i + 1, 3).map((x) => x.command.split(' ')[0])).flat();
  for (const verb of [
    'fail-host',
    'hang-guest',
    'schedule-event',
    'surge-demand',
    'revoke-ingress',
    'set-spot-capacity',
    'impair-zone',
  ])
    t.true(commands.includes(verb), verb);
  const all = Array.from({ length: 10 }, (_, i) => injects(i + 1, 3)).flat();
  t.true(
    all.some((x) => x.command.startsWith('surge-demand orders-db')),
    'a database volume pushed past its IOPS',
  );
  // Starts closer than ten minutes apart: the second begins while the first is still being handled.
  const seconds = (clock: string) => clock.split(':').reduce((a, p) => a * 60 + Number(p), 0);
  const closest = (list: { at: string }[]) =>
    Math.min(...list.slice(1).map((x, i) => seconds(x.at) - seconds(list[i]!.at)));
  t.true(closest(injects(1, 5)) < 600);
  t.true(closest(injects(1, 1)) >= 1200);
});

test('the early guest hang of a hard shift is drawn from its seed, not the same in every shift', (t) => {
  const first = (seed: string) => {
    const { injects } = generateShift({ seed, hours: 8, difficulty: 5 }) as {
      injects: { at: string; command: string }[];
    };
    const hang = injects.find((i) => i.command.startsWith('hang-guest'))!;
    return `${hang.at} ${hang.command}`;
  };
  const seen = ['1', '2', '3', '4', '5', '6'].map(first);
  t.true(new Set(seen).size >= 5, seen.join('; '));
});

test("a shift fails a host, or revokes a tier's rule, once before it draws one again; a reclaimed Spot pool gets its capacity back", (t) => {
  const rules = ['web --protocol tcp --port 443', 'cache --protocol tcp --port 6379', 'db --protocol tcp --port 5432'];
  const seen = { 'fail-host': new Set<string>(), 'revoke-ingress': new Set<string>() };
  for (const seed of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']) {
    const { injects, spotPools } = generateShift({ seed, hours: 24, difficulty: 3 }) as {
      injects: { at: string; command: string }[];
      spotPools: { capacity: number }[];
    };
    for (const verb of ['fail-host', 'revoke-ingress'] as const) {
      const targets = injects
        .filter((i) => i.command.startsWith(`${verb} `))
        .map((i) => i.command.slice(verb.length + 1));
      const kinds = verb === 'fail-host' ? 2 : rules.length;
      // Each target once in every round of draws: the first `kinds` all differ, and so on.
      for (let from = 0; from < targets.length; from += kinds) {
        const round = targets.slice(from, from + kinds);
        t.is(new Set(round).size, round.length, `${seed}: ${targets.join(', ')}`);
      }
      for (const target of targets) seen[verb].add(target);
    }
    const cuts = injects.filter((i) => / use1-az1 0$/.test(i.command));
    const backs = injects.filter((i) => i.command === `set-spot-capacity m6i.large use1-az1 ${spotPools[0]!.capacity}`);
    t.true(
      backs.length >= cuts.length - 1 && backs.length <= cuts.length,
      `${seed}: ${cuts.length} cut, ${backs.length} back`,
    );
  }
  t.deepEqual([...seen['fail-host']].sort(), ['cache-1', 'db-1']);
  t.deepEqual([...seen['revoke-ingress']].map((r) => r.replace(/ --cidr .*/, '')).sort(), [...rules].sort());
});

test('a shift fails the database’s host no more often than EC2 recovers it in a day, and strikes no zone or pool already out', (t) => {
  const seconds = (clock: string) => clock.split(':').reduce((a, p) => a * 60 + Number(p), 0);
  for (let seed = 1; seed <= 60; seed++)
    for (const difficulty of [1, 3, 5]) {
      const id = `shift-${seed}-d${difficulty}-24h`;
      const { injects } = generateShift({ seed: String(seed), hours: 24, difficulty }) as {
        injects: { at: string; command: string }[];
      };
      t.true(injects.filter((i) => i.command === 'fail-host db-1').length <= RECOVERIES_PER_DAY, id);
      // Each outage's start and end alternate: a second never begins while the first lasts.
      const out = new Map<string, boolean>();
      for (const { command } of injects) {
        const zone = /^(impair|restore)-zone (\S+)$/.exec(command);
        const pool = /^set-spot-capacity \S+ (\S+) (\d+)$/.exec(command);
        const [key, down] = zone ? [zone[2]!, zone[1] === 'impair'] : pool ? [`pool ${pool[1]}`, pool[2] === '0'] : [];
        if (key === undefined) continue;
        t.not(out.get(key) ?? false, down, `${id}: ${command}`);
        out.set(key, down!);
      }
      t.true(injects.every((i, n) => n === 0 || seconds(i.at) >= seconds(injects[n - 1]!.at)));
    }
});

test('a shift hangs or retires an instance once before it draws one again: left alone, the fault would still be there', (t) => {
  for (const seed of ['abc', '1', '2', '3', '4', '5', '6', '7', '8']) {
    const { injects, fleet } = generateShift({ seed, hours: 8, difficulty: 4 }) as {
      injects: { command: string }[];
      fleet: { name: string; spot?: boolean; workload: string }[];
    };
    const targets = injects
      .map((i) => /^(?:hang-guest|schedule-event) (\S+)/.exec(i.command)?.[1])
      .filter((name) => name !== undefined);
    const pool = fleet.filter((f) => f.workload !== 'orders-db' && !f.spot).length;
    t.is(new Set(targets).size, Math.min(targets.length, pool), `${seed}: ${targets.join(', ')}`);
  }
});

test("a shift's briefing counts every fault it draws, the early hang too, and its lesson names what struck", (t) => {
  // Seed 13's second Spot reclaim comes while the pool is still out: db-1's host fails instead.
  const spare = generateShift({ seed: '13', hours: 4, difficulty: 3 }) as {
    injects: { command: string }[];
    lesson: string;
  };
  t.true(spare.injects.some((i) => i.command === 'fail-host db-1'));
  t.regex(spare.lesson, /host failure/);
  const hard = generateShift({ seed: '1', hours: 1, difficulty: 4 }) as { briefing: string; lesson: string };
  t.regex(hard.briefing, /Expect 2 faults, each of which may open more than one incident;/);
  t.regex(hard.lesson, /guest hang/);
});
