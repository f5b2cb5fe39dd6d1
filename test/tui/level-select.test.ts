import test from 'ava';
import { campaignProgress } from '../../src/game/campaign.js';
import type { Profile } from '../../src/store/index.js';
import { chooseLevel } from '../../src/tui/level-select.js';
import { openHeadless } from '../../src/tui/headless.js';
import { createTheme } from '../../src/tui/theme.js';
import { testLevel } from '../helpers/world.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

const levels = [
  { ...testLevel(), id: '01-one', title: 'One', briefing: 'The first level, about launching.' },
  { ...testLevel(), id: '02-two', title: 'Two', briefing: 'The second level, about host failure.' },
  { ...testLevel(), id: '03-three', title: 'Three', briefing: 'The third level.' },
];

function open(won: string[]) {
  const profile: Profile = {
    schema: 'fleetops/profile@1',
    settings: { colour: 'auto', speed: 1, keyHints: true, promptPauses: false },
    levels: Object.fromEntries(won.map((id) => [id, { plays: 2, won: true, bestScore: 812, bestGrade: 'B' }])),
    leaderboard: [],
  };
  const progress = campaignProgress(
    profile,
    levels.map((l) => l.id),
  );
  const term = openHeadless(100, 30);
  const chosen = chooseLevel(
    term.screen,
    createTheme(true),
    levels.map((level, i) => ({ level, progress: progress[i]! })),
  );
  const press = async (keys: string) => {
    term.type(keys);
    await settle();
  };
  return { term, chosen, press, text: () => term.text().join('\n') };
}

test('the level select shows won, open and locked levels, best scores and the briefing', async (t) => {
  const s = open(['01-one']);
  t.regex(s.text(), /01 One\s+✓ won\s+812 B/);
  t.regex(s.text(), /02 Two\s+▶ open\s+-/);
  t.regex(s.text(), /03 Three\s+× locked/);
  t.regex(s.text(), /The first level, about launching/);
  await s.press('j');
  t.regex(s.text(), /The second level, about host failure/);
  await s.press('\r');
  t.deepEqual(await s.chosen, { play: '02-two' });
  t.notRegex(s.text(), /02 Two/, 'the level select leaves the screen');
  s.term.screen.destroy();
});

test('a locked level says what unlocks it and is not chosen; q goes back without a level', async (t) => {
  const s = open([]);
  await s.press('G');
  t.regex(s.text(), /Three is locked: win Two first/);
  await s.press('\r');
  t.regex(s.text(), /Three is locked: win Two first/);
  await s.press('q');
  t.is(await s.chosen, 'back');
  s.term.screen.destroy();
});

test('Ctrl-C in the level select quits fleetops; its key bar says which key does what', async (t) => {
  const s = open([]);
  t.regex(s.text(), /q back {2}Ctrl-C quit/);
  await s.press('\x03');
  t.is(await s.chosen, 'quit');
  s.term.screen.destroy();
});

test('a campaign opened for an instructor has every level open', (t) => {
  const profile: Profile = {
    schema: 'fleetops/profile@1',
    settings: { colour: 'auto', speed: 1, keyHints: true, promptPauses: false },
    levels: {},
    leaderboard: [],
  };
  t.deepEqual(
    campaignProgress(
      profile,
      levels.map((l) => l.id),
      { unlockAll: true },
    ).map((p) => p.unlocked),
    [true, true, true],
  );
  t.deepEqual(
    campaignProgress(
      profile,
      levels.map((l) => l.id),
    ).map((p) => p.unlocked),
    [true, false, false],
  );
});
