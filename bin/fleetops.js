#!/usr/bin/env node
// Runs the compiled command in dist/ (`npm run build`; `npm install` builds it in a clone), so a
// start pays for no TypeScript compiler. In a clone, a build older than the sources it came from
// is refused with the command that renews it, rather than run as if it were current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// A reader that has seen enough (fleetops commands | head -1) closes the pipe: the rest of the
// output goes nowhere, quietly, and the command still finishes (its report and save written) and
// exits with its own status, so a lost exercise is 1 under `set -o pipefail` too.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = () => true;
});

const root = join(import.meta.dirname, '..');
const built = join(root, 'dist', 'cli.js');

/** The first source file changed since the build, if the sources are here (a clone); stat only, no reads. */
function newerSource() {
  const src = join(root, 'src');
  if (!existsSync(src)) return undefined;
  const builtAt = statSync(built).mtimeMs;
  return readdirSync(src, { recursive: true })
    .map((name) => join(src, name))
    .find((path) => {
      const stat = statSync(path);
      return stat.mtimeMs > builtAt && !stat.isDirectory();
    });
}

const stale = existsSync(built) ? newerSource() : 'src';
if (stale) {
  const why = stale === 'src' ? 'is not built yet' : `was built before ${stale.slice(root.length + 1)} changed`;
  console.error(`fleetops: the command in dist/ ${why}; npm run build brings it up to date`);
  process.exit(2);
}

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
