// The real program in a real terminal: tmux runs `fleetops play`, keys go in with send-keys and
// the screen comes back with capture-pane. Skipped, saying why, where tmux is not installed.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/files.js';

const BIN = join(PROJECT_ROOT, 'bin', 'fleetops.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const tmuxTest = hasTmux ? test.serial : test.skip;
if (!hasTmux) console.warn('test/tui/terminal.test.ts: tmux is not installed; the real-terminal dashboard tests are skipped (apt-get install tmux)');

/** A tmux server of our own, so the tests never touch a user's sessions. */
const SOCKET = `fleetops-test-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'play');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'play', ...k);

/** Polls the screen until `pattern` shows, failing with the screen if it does not within `ms`. */
async function waitFor(pattern: RegExp, ms = 15_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen was:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function start(command: string): void {
  tmux('new-session', '-d', '-s', 'play', '-x', '120', '-y', '40', '-e', 'NCURSES_NO_UTF8_ACS=1', '-e', 'TERM=xterm-256color', `${command}; echo "EXITED $?"; sleep 60`);
}

test.afterEach.always(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

tmuxTest('play: pause, help, :stop, resize, quit — and the terminal is usable afterwards', async (t) => {
  start(`node ${BIN} play 01-first-shift --seed 7`);
  await waitFor(/▶ RUNNING 1x/);
  t.regex(screen(), /instances 5/);

  keys('Space');
  await waitFor(/❚❚ PAUSED/);

  keys('?');
  await waitFor(/This level: First shift/);
  t.regex(screen(), /Shift-Tab\s+previous panel/);
  keys('Escape');
  await waitFor(/^(?![^]*This level)/);

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
  t.regex(after, /quit at .* before the level's end/);
  t.notRegex(after, /▸ instances/, 'the dashboard is gone from the screen');
});

tmuxTest('a signal still gives the terminal back', async (t) => {
  start(`node ${BIN} play 01-first-shift --seed 7`);
  await waitFor(/▶ RUNNING/);
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
