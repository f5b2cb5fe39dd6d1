// Two fleetops processes on one saves folder keep each other's writes, and a lock left behind by a
// crash does not block the folder for ever.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { leaderboard, profilePath, readProfile, recordResult } from '../../src/store/index.js';
import { tempFolder } from './helpers.js';

const WRITER = fileURLToPath(new URL('writer.ts', import.meta.url));
const EACH = 40;

function writer(dir: string, player: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, player, String(EACH)]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('two processes recording results at once lose none of them', async (t) => {
  const folder = tempFolder(t);
  const results = await Promise.all([writer(folder.dir, 'ann'), writer(folder.dir, 'bob')]);
  t.deepEqual(results, [{ code: 0, stderr: '' }, { code: 0, stderr: '' }]);
  const profile = await readProfile(folder);
  const entries = leaderboard(profile, 'race', 1000);
  for (const player of ['ann', 'bob']) {
    const seeds = entries.filter((e) => e.player === player).map((e) => Number(e.seed)).sort((a, b) => a - b);
    t.deepEqual(seeds, Array.from({ length: EACH }, (_, i) => i), player);
  }
  t.is(profile.levels.race!.plays, 2 * EACH);
  t.false(existsSync(`${profilePath(folder)}.lock`));
});

const result = { level: 'l', seed: '1', score: { points: 1, grade: 'F' as const, won: false }, player: 'ann' };

function plantLock(path: string, pid: number, ageMs = 0): void {
  mkdirSync(path.replace(/\/[^/]+$/, ''), { recursive: true });
  writeFileSync(`${path}.lock`, String(pid));
  const when = new Date(Date.now() - ageMs);
  utimesSync(`${path}.lock`, when, when);
}

test('a lock left by a process that has gone is broken', async (t) => {
  const folder = tempFolder(t);
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => gone.on('close', resolve));
  plantLock(profilePath(folder), gone.pid!);
  await recordResult(folder, result);
  t.is((await readProfile(folder)).leaderboard.length, 1);
});

test('a lock far older than any write is broken even if its process id is alive again', async (t) => {
  const folder = tempFolder(t);
  plantLock(profilePath(folder), process.ppid, 60_000);
  await recordResult(folder, result);
  t.is((await readProfile(folder)).leaderboard.length, 1);
});
