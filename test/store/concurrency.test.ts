// Many fleetops processes on one saves folder keep each other's writes, and a lock left behind by a
// crash does not block the folder for ever. The load is a class finishing at once: 20 processes,
// each recording results and changing a setting. No verdict depends on how fast the machine is:
// a writer waits its turn for minutes, not seconds, and the test waits for all of them.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { leaderboard, profilePath, readProfile, recordResult } from '../../src/store/index.js';
import { fleetops, ROOT } from '../helpers/fleetops.js';
import { tempFolder } from './helpers.js';

const WRITER = join(ROOT, 'test', 'store', 'writer.mjs');
// 100 results: exactly what a level's leaderboard keeps, so every one must be there.
const WRITERS = 20;
const EACH = 5;

function writer(dir: string, player: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [WRITER, dir, player, String(EACH)]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('20 processes recording results at once lose none of them', async (t) => {
  t.timeout(600_000, 'two dozen Node processes starting on a loaded machine');
  // The writers run the built store (dist/): fleetops refuses to start on a build older than src.
  const build = await fleetops(['--version']);
  t.is(build.code, 0, build.stderr);
  const folder = tempFolder(t);
  const players = Array.from({ length: WRITERS }, (_, i) => `p${i}`);
  const results = await Promise.all(players.map((p) => writer(folder.dir, p)));
  t.deepEqual(
    results,
    players.map(() => ({ code: 0, stderr: '' })),
  );
  const profile = await readProfile(folder);
  const entries = leaderboard(profile, 'race', 1000);
  for (const player of players) {
    const seeds = entries
      .filter((e) => e.player === player)
      .map((e) => Number(e.seed))
      .sort((a, b) => a - b);
    t.deepEqual(
      seeds,
      Array.from({ length: EACH }, (_, i) => i),
      player,
    );
  }
  t.is(profile.levels.race!.plays, WRITERS * EACH);
  t.false(existsSync(`${profilePath(folder)}.lock`));
});
const result = { level: 'l', seed: '1', score: { points: 1, grade: 'F' as const, won: false }, player: 'ann' };

/** A lock folder as proper-lockfile leaves it, last refreshed `ageMs` ago. */
function plantLock(path: string, ageMs: number): void {
  mkdirSync(`${path}.lock`, { recursive: true });
  const when = new Date(Date.now() - ageMs);
  utimesSync(`${path}.lock`, when, when);
}

test('a lock left by a crash (not refreshed for over 30 s) is broken', async (t) => {
  const folder = tempFolder(t);
  plantLock(profilePath(folder), 60_000);
  await recordResult(folder, result);
  t.is((await readProfile(folder)).leaderboard.length, 1);
  t.false(existsSync(`${profilePath(folder)}.lock`));
});
