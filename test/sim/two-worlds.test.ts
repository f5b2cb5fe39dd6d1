// Worlds in one process share nothing: two plays stepped in turn, second by second, reach the same
// world hashes as each played on its own. A copy restored mid-play joins them, so a world whose
// derived data is drawn up afresh runs beside the one it was copied from.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { worldFingerprint } from '../../src/sim/index.js';

const PLAYS = [
  { level: '06-zone-down', outcome: 'win' },
  { level: '03-spot-reclaim', outcome: 'loss' },
  { level: '06-zone-down', outcome: 'loss' },
];

function start({ level: id, outcome }: (typeof PLAYS)[number]): Session {
  const level = loadLevel(id);
  const path = join(PROJECT_ROOT, 'test', 'fixtures', 'levels', `${id}.${outcome}.txt`);
  const session = new Session(level, level.defaultSeed);
  attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
  return session;
}

/** The world's hash after every second until the play ends. */
function alone(session: Session): string[] {
  const hashes: string[] = [];
  while (!session.finished) {
    session.advance();
    hashes.push(worldFingerprint(session.world));
  }
  return hashes;
}

test('plays stepped in turn in one process reach the hashes each reaches alone', (t) => {
  const expected = PLAYS.map((play) => alone(start(play)));
  const sessions = PLAYS.map(start);
  const seen: string[][] = sessions.map(() => []);
  let copy: { session: Session; from: number; hashes: string[] } | null = null;
  while (sessions.some((s) => !s.finished)) {
    sessions.forEach((session, i) => {
      if (session.finished) return;
      session.advance();
      seen[i]!.push(worldFingerprint(session.world));
    });
    if (copy && !copy.session.finished) {
      copy.session.advance();
      copy.hashes.push(worldFingerprint(copy.session.world));
    }
    // Halfway through the first play, a copy restored from its snapshot joins in.
    const first = sessions[0]!;
    if (!copy && first.tick === Math.floor(first.level.duration / 2)) {
      const restored = Session.fromSnapshot(first.level, first.toSnapshot());
      copy = { session: restored, from: first.tick, hashes: [] };
    }
  }
  seen.forEach((hashes, i) => t.deepEqual(hashes, expected[i], `${PLAYS[i]!.level} ${PLAYS[i]!.outcome}`));
  t.truthy(copy);
  t.deepEqual(copy!.hashes, expected[0]!.slice(copy!.from), 'the restored copy');
});
