// Campaign progress, best scores, the leaderboard and settings, as the level-select screen reads them.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { campaignProgress } from '../../src/game/campaign.js';
import {
  DEFAULT_SETTINGS,
  defaultPlayer,
  LEADERBOARD_KEEP,
  leaderboard,
  profilePath,
  readProfile,
  readSettings,
  recordResult,
  updateSettings,
} from '../../src/store/index.js';
import { PLAYER_NAME } from '../../src/store/profile.js';
import { tempFolder } from './helpers.js';

const CAMPAIGN = ['01-a', '02-b', '03-c'];
const play = (level: string, points: number, won: boolean, player = 'ann', date = '2026-03-02T10:00:00Z') => ({
  level,
  seed: '1',
  score: { points, grade: points >= 900 ? ('A' as const) : ('C' as const), won },
  player,
  date: new Date(date),
});

test('before any play only the first level is open', async (t) => {
  const folder = tempFolder(t);
  t.deepEqual(campaignProgress(await readProfile(folder), CAMPAIGN), [
    { id: '01-a', unlocked: true, won: false, plays: 0, bestScore: null, bestGrade: null },
    { id: '02-b', unlocked: false, won: false, plays: 0, bestScore: null, bestGrade: null },
    { id: '03-c', unlocked: false, won: false, plays: 0, bestScore: null, bestGrade: null },
  ]);
});

test('winning a level opens the next; a later worse play keeps the best score and the win', async (t) => {
  const folder = tempFolder(t);
  t.like(await recordResult(folder, play('01-a', 600, false)), { rank: 1, newBest: true });
  t.false(campaignProgress(await readProfile(folder), CAMPAIGN)[1]!.unlocked);
  t.like(await recordResult(folder, play('01-a', 950, true)), { rank: 1, newBest: true });
  t.like(await recordResult(folder, play('01-a', 700, false)), { rank: 2, newBest: false });
  const [first, second, third] = campaignProgress(await readProfile(folder), CAMPAIGN);
  t.deepEqual(first, { id: '01-a', unlocked: true, won: true, plays: 3, bestScore: 950, bestGrade: 'A' });
  t.like(second, { unlocked: true, won: false, plays: 0 });
  t.like(third, { unlocked: false });
});

test('a score that is not a whole number is not recorded, and the profile stays readable', async (t) => {
  const folder = tempFolder(t);
  await recordResult(folder, play('01-a', 700, false));
  await t.throwsAsync(recordResult(folder, play('01-a', Number.NaN, false)), {
    message: 'a score of NaN points is not a whole number; the play is not recorded',
  });
  t.deepEqual(
    leaderboard(await readProfile(folder), '01-a').map((e) => e.score),
    [700],
  );
});

test('the leaderboard ranks by score, earlier first on a tie, and keeps the best of each level', async (t) => {
  const folder = tempFolder(t);
  await recordResult(folder, play('01-a', 500, false, 'ann', '2026-03-02T10:00:00Z'));
  await recordResult(folder, play('01-a', 800, true, 'bob', '2026-03-02T11:00:00Z'));
  await recordResult(folder, play('01-a', 500, false, 'cy', '2026-03-02T09:00:00Z'));
  await recordResult(folder, play('02-b', 900, true, 'dee'));
  const profile = await readProfile(folder);
  t.deepEqual(
    leaderboard(profile, '01-a').map((e) => e.player),
    ['bob', 'cy', 'ann'],
  );
  t.deepEqual(
    leaderboard(profile).map((e) => `${e.level} ${e.player}`),
    ['01-a bob', '01-a cy', '01-a ann', '02-b dee'],
  );
  t.deepEqual(
    leaderboard(profile, '01-a', 1).map((e) => e.player),
    ['bob'],
  );
  t.deepEqual(leaderboard(profile, '01-a')[0], {
    player: 'bob',
    level: '01-a',
    score: 800,
    grade: 'C',
    won: true,
    date: '2026-03-02T11:00:00.000Z',
    seed: '1',
    mode: 'training',
  });

  for (let i = 0; i < LEADERBOARD_KEEP; i++) await recordResult(folder, play('03-c', 100 + i, false));
  t.like(await recordResult(folder, play('03-c', 50, false)), { rank: null, newBest: false });
  const kept = leaderboard(await readProfile(folder), '03-c', 1000);
  t.is(kept.length, LEADERBOARD_KEEP);
  t.is(kept.at(-1)!.score, 100);
});

test('player names are checked and default to the login name', async (t) => {
  const folder = tempFolder(t);
  await t.throwsAsync(recordResult(folder, play('01-a', 1, false, 'bad\nname')), {
    message: 'player name "bad\\nname": expected 1 to 40 printable characters',
  });
  t.truthy(defaultPlayer());
  const { entry } = await recordResult(folder, {
    level: '01-a',
    seed: '1',
    score: { points: 1, grade: 'F', won: false },
  });
  t.is(entry.player, defaultPlayer());
});

test('settings start at the defaults and changes are kept in the profile file', async (t) => {
  const folder = tempFolder(t);
  t.deepEqual(await readSettings(folder), DEFAULT_SETTINGS);
  t.deepEqual(await updateSettings(folder, { colour: 'never', speed: 60 }), {
    colour: 'never',
    speed: 60,
    keyHints: true,
    promptPauses: false,
  });
  await updateSettings(folder, { keyHints: false });
  t.deepEqual(await readSettings(folder), { colour: 'never', speed: 60, keyHints: false, promptPauses: false });
  t.like(JSON.parse(readFileSync(profilePath(folder), 'utf8')), {
    schema: 'fleetops/profile@1',
    settings: { colour: 'never' },
  });
});

test("a level's record is its own: a level called constructor is recorded, and a profile keyed by __proto__ is refused", async (t) => {
  const folder = tempFolder(t);
  await recordResult(folder, play('constructor', 700, true));
  await recordResult(folder, play('constructor', 800, true));
  t.like((await readProfile(folder)).levels.constructor, { plays: 2, won: true, bestScore: 800 });
  t.deepEqual(
    campaignProgress(await readProfile(folder), ['constructor', 'toString']).map((p) => [p.id, p.plays]),
    [
      ['constructor', 2],
      ['toString', 0],
    ],
  );
  const path = profilePath(folder);
  const text = readFileSync(path, 'utf8').replace(
    '"levels": {',
    '"levels": { "__proto__": { "plays": 1, "won": true, "bestScore": 1, "bestGrade": "F" },',
  );
  writeFileSync(path, text);
  await t.throwsAsync(readProfile(folder), {
    message:
      /profile\.json: levels: expected levels' ids as its keys \(a lower-case id such as 01-first-shift, of at most 64 characters\), got "__proto__"/,
  });
});

test('a result keeps who drove the play; a profile from before reads without it, and a bad list is refused', async (t) => {
  const folder = tempFolder(t);
  await recordResult(folder, { ...play('01-a', 700, true), drivenBy: ['player', 'script'] });
  const path = profilePath(folder);
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  t.deepEqual(saved.leaderboard[0].drivenBy, ['player', 'script']);
  delete saved.leaderboard[0].drivenBy;
  writeFileSync(path, JSON.stringify(saved));
  t.false('drivenBy' in leaderboard(await readProfile(folder), '01-a')[0]!, 'not known, and not made up');
  for (const [drivenBy, expected] of [
    [['script', 'player'], 'each of player, script, handler at most once, in that order'],
    [['script', 'script'], 'each of player, script, handler at most once, in that order'],
    [['robot'], 'one of player, script, handler'],
    ['script', 'a list'],
  ] as const) {
    saved.leaderboard[0].drivenBy = drivenBy;
    writeFileSync(path, JSON.stringify(saved));
    const err = await t.throwsAsync(readProfile(folder));
    t.regex(
      err!.message,
      new RegExp(`leaderboard\\[0\\]\\.drivenBy(\\[\\d\\])?: expected ${expected}`),
      String(drivenBy),
    );
  }
});

test.serial('a login name that is no player name is not used: a report would print its control characters raw', (t) => {
  const before = process.env.USER;
  try {
    for (const login of ['\u202eevil\u001b[31m', '   ', 'a\u2028b', '\u3000']) {
      process.env.USER = login;
      t.not(defaultPlayer(), login, JSON.stringify(login));
      t.regex(defaultPlayer(), PLAYER_NAME);
    }
    process.env.USER = 'ann';
    t.is(defaultPlayer(), 'ann');
  } finally {
    if (before === undefined) delete process.env.USER;
    else process.env.USER = before;
  }
});
