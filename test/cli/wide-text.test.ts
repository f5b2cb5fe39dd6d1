// Names and titles in any script line up in the CLI's tables: columns are counted in terminal
// columns (a CJK character or an emoji takes two), not in UTF-16 units.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { columns } from '../../src/tui/format.js';
import { tempDir } from '../helpers/temp.js';

test('the leaderboard keeps its columns under a player name in CJK with an emoji', (t) => {
  const dir = tempDir(t, 'wide');
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['bin/fleetops.js', ...args, '--saves', dir], { encoding: 'utf8' });
  for (const player of ['山田太郎🚀', 'ann']) cli('run', '01-first-shift', '--seed', '2', '--player', player);
  const lines = cli('leaderboard', '01-first-shift').trimEnd().split('\n');
  t.is(lines.length, 3);
  const scoreAt = (line: string) => columns(line.slice(0, line.search(/ \d+ +[A-F] /) + 1));
  const head = columns(lines[0]!.slice(0, lines[0]!.indexOf('score')));
  t.deepEqual(lines.slice(1).map(scoreAt), [head, head], lines.join('\n'));
});
