// The real program in a real terminal: tmux runs `fleetops play`, keys go in with send-keys and
// the screen comes back with capture-pane. Skipped, saying why, where tmux is not installed.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/files.js';

const BIN = join(PROJECT_ROOT, 'bin', 'fleetops.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const tmuxTest = hasTmux ? test.serial : test.skip;
if (!hasTmux)
  console.warn(
    'test/tui/terminal.test.ts: tmux is not installed; the real-terminal dashboard tests are skipped (apt-get install tmux)',
  );

/**
 * A tmux server of our own for each test, so the tests never touch a user's sessions, and a test
 * never races the previous test's server as it shuts down. Its socket is in the test's own folder
 * (see beforeEach), which goes when the test ends: tmux leaves a socket behind when its server
 * quits, and one in tmux's own folder would stay there after every run.
 */
let socket = '';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'play');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'play', ...k);

/**
 * Polls the screen until `pattern` shows, failing with the screen if it does not within `ms`: a
 * limit that tells a hang from a slow machine (starting fleetops takes a fraction of a second idle and can
 * take 30 s on a loaded 2-core machine), so the verdict does not depend on the machine's speed.
 */
async function waitFor(pattern: RegExp, ms = 150_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen was:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each test's own folder, with its saves (so plays never touch the project's saves/) and tmux's socket. */
let own = '';
let saves = '';

function start(command: string, size: [number, number] = [120, 40]): void {
  const env = ['NCURSES_NO_UTF8_ACS=1', 'TERM=xterm-256color', `FLEETOPS_SAVES=${saves}`].flatMap((e) => ['-e', e]);
  tmux(
    'new-session',
    '-d',
    '-s',
    'play',
    '-x',
    String(size[0]),
    '-y',
    String(size[1]),
    ...env,
    `${command}; echo "EXITED $?"; sleep 60`,
  );
}

test.beforeEach(() => {
  own = mkdtempSync(join(tmpdir(), 'fleetops-terminal-'));
  saves = join(own, 'saves');
  mkdirSync(saves);
  socket = join(own, 'tmux');
});

test.afterEach.always(() => {
  if (hasTmux) spawnSync('tmux', ['-S', socket, 'kill-server']);
  rmSync(own, { recursive: true, force: true });
});

tmuxTest('play: pause, help, :stop, resize, quit — and the terminal is usable afterwards', async (t) => {
  start(`node ${BIN} play 01-first-shift --seed 7`);
  await waitFor(/Enter start the clock/);
  t.regex(screen(), /You have the pager for a small web shop/);
  t.regex(screen(), /❚❚ PAUSED/, 'the clock waits for the briefing to be read');
  keys('Enter');
  await waitFor(/▶ RUNNING 1x/);
  t.regex(screen(), /instances 5/);

  keys('Space');
  await waitFor(/❚❚ PAUSED/);

  keys('?');
  await waitFor(/This level: First shift/);
  // The level's briefing and hints come first; the keys follow a page further down.
  keys('NPage');
  await waitFor(/Shift-Tab\s+previous panel/);
  keys('Escape');
  // Closed: the page shown was the keys', the briefing already scrolled away. Until blessed reads the
  // Escape, one arriving with the ':' after it reads as Alt-:, and the command's letters as keys.
  await waitFor(/^(?![^]*Shift-Tab\s+previous panel)/);

  keys(':stop web-1', 'Enter');
  await waitFor(/queued: stop web-1/);
  keys('Space');
  const stopped = await waitFor(/web-1 .*(stopping|stopped)/);
  t.regex(stopped, /✓ applied: stop web-1/);
  t.regex(stopped, /applied: stop web-1/);

  tmux('resize-window', '-t', 'play', '-x', '70', '-y', '20');
  await waitFor(/at least 80x24; this one is 70x20/);
  tmux('resize-window', '-t', 'play', '-x', '120', '-y', '40');
  await waitFor(/▸ instances 5/);

  keys('q');
  await waitFor(/The level is still running/);
  keys('y');
  const after = await waitFor(/EXITED 0/);
  t.regex(after, /level\s+01-first-shift/);
  t.regex(after, /level not finished \(\d\d:\d\d of 1:00:00\)/);
  t.regex(after, /kept in +slot autosave: fleetops load autosave resumes it/);
  t.notRegex(after, /▸ instances/, 'the dashboard is gone from the screen');
  t.true(existsSync(join(saves, 'slots', 'autosave.json')));
});

tmuxTest(
  'at 80x24: the level select, a locked level refused, a level played, saved, exported, and loaded again paused',
  async (t) => {
    start(`cd ${saves} && node ${BIN} play 01-first-shift --seed 7`, [80, 24]);
    await waitFor(/Enter start the clock/);
    keys('L');
    await waitFor(/y leave for the level select/);
    keys('y');
    await waitFor(/01 First shift\s+▶ open/);
    t.regex(screen(), /02 Dead host\s+× locked/);
    t.regex(screen(), /You have the pager for a small web/);
    keys('j', 'Enter');
    await waitFor(/Dead host is locked: win First shift first/);
    keys('q');
    await waitFor(/back in First shift at 00:00; paused, Space resumes/);
    keys('L');
    await waitFor(/y leave for the level select/);
    keys('y');
    await waitFor(/01 First shift\s+▶ open/);
    keys('Enter');
    await waitFor(/Enter start the clock/);
    keys('Enter');
    await waitFor(/▶ RUNNING 1x/);
    keys(':save morning', 'Enter');
    await waitFor(/saved slot morning at \d\d:\d\d: fleetops load morning resumes it/);
    keys('E');
    await waitFor(/written to reports\/01-first-shift-seed-1\.md/);
    t.true(existsSync(join(saves, 'reports', '01-first-shift-seed-1.md')));
    keys('E');
    await waitFor(/written to reports\/01-first-shift-seed-1\.md \(replaced\)/);
    keys('C-c');
    await waitFor(/EXITED 0/);
    tmux('rename-session', '-t', 'play', 'played');

    start(`node ${BIN} load morning`, [80, 24]);
    await waitFor(/loaded slot morning at \d\d:\d\d, world as saved; paused, Space resumes/);
    t.regex(screen(), /❚❚ PAUSED/);
  },
);

tmuxTest('play refuses a locked campaign level as the level select does; --unlock opens it', async (t) => {
  start(`node ${BIN} play 03-spot-reclaim`, [200, 24]);
  const refused = await waitFor(/EXITED 2/);
  t.regex(
    refused,
    /fleetops: play: [^\n]+ is locked: win [^\n]+ first \(fleetops levels shows the campaign; --unlock opens every level\)/,
  );
  tmux('rename-session', '-t', 'play', 'refused');
  start(`node ${BIN} play 03-spot-reclaim --unlock`, [80, 24]);
  await waitFor(/Enter start the clock/);
  t.regex(screen(), /❚❚ PAUSED/);
});

tmuxTest('a signal still gives the terminal back', async (t) => {
  start(`node ${BIN} play 01-first-shift --seed 7`);
  await waitFor(/Enter start the clock/);
  const shell = tmux('display-message', '-p', '-t', 'play', '#{pane_pid}').trim();
  const node = spawnSync('ps', ['-o', 'pid=', '--ppid', shell], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]!;
  process.kill(Number(node), 'SIGTERM');
  const after = await waitFor(/EXITED 143/);
  t.notRegex(after, /▸ instances/);
});

test('play without a terminal says so in one line and exits 2', (t) => {
  const r = spawnSync(process.execPath, [BIN, 'play'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^fleetops: play: the dashboard needs a terminal[^\n]*\n$/);
});
