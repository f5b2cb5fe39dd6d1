// The test runner's settings. Each test file runs in a child process of its own (the terminal tests
// drive tmux, the store tests race processes, the CLI tests spawn fleetops). The tests run as
// JavaScript from build/, where `npm run build:tests` compiles them and the sources (tsconfig.test.json):
// through a TypeScript loader each file's process spent about 0.4 s of CPU starting, a minute in all.
import { availableParallelism } from 'node:os';

/**
 * Files that take longest start first, the waiting ones ahead of the rest (the real-time handler
 * exercises wait 25 s on a real clock): in file order the tmux tests and the too-large save came
 * last, and the suite's last seconds ran them on one core.
 */
const FIRST = [
  'test/exercise/handler.test.js',
  'test/tui/terminal.test.js',
  'test/store/too-large.test.js',
  'test/game/levels.test.js',
];
const rank = (file) => {
  const at = FIRST.findIndex((first) => file.endsWith(first));
  return at < 0 ? FIRST.length : at;
};

export default {
  // A failure's stack points into the TypeScript sources.
  nodeArguments: ['--enable-source-maps'],
  workerThreads: false,
  files: ['build/test/**/*.test.js'],
  timeout: '4m',
  // One file more than there are cores: several files spend most of their time waiting, on real
  // clocks (the real-time handler exercises), on child processes and on tmux. On a 2-core machine
  // the suite took 3m27s with one file a core, 3m11s with three files and 3m10s with four.
  concurrency: availableParallelism() + 1,
  sortTestFiles: (a, b) => rank(a) - rank(b) || a.localeCompare(b),
};
