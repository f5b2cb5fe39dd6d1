// The bin runs the compiled command in dist/; in a clone whose sources changed after the build (a
// git pull, an edit) it refuses in one line that names the changed file and the command that
// renews the build, instead of running the old one.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/fleetops.js';
import { tempFolder } from '../store/helpers.js';

/** A clone in miniature: the real bin, a source file, and a build whose main says it ran. */
function clone(dir: string, built: boolean): void {
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'src', 'sim'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'fleetops.js'), join(dir, 'bin', 'fleetops.js'));
  writeFileSync(join(dir, 'src', 'sim', 'rng.ts'), '');
  utimesSync(join(dir, 'src', 'sim', 'rng.ts'), 1000, 1000);
  if (!built) return;
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'cli.js'), 'export const main = () => (console.log("ran"), 0);\n');
  utimesSync(join(dir, 'dist', 'cli.js'), 2000, 2000);
}

const run = (dir: string) => spawnSync(process.execPath, [join(dir, 'bin', 'fleetops.js')], { encoding: 'utf8' });

test('a current build runs', (t) => {
  const { dir } = tempFolder(t);
  clone(dir, true);
  const ran = run(dir);
  t.is(ran.stderr, '');
  t.is(ran.stdout, 'ran\n');
  t.is(ran.status, 0);
});

test('a build older than a source file is refused, naming the file and npm run build', (t) => {
  const { dir } = tempFolder(t);
  clone(dir, true);
  utimesSync(join(dir, 'src', 'sim', 'rng.ts'), 3000, 3000);
  const ran = run(dir);
  t.is(ran.stdout, '');
  t.is(
    ran.stderr,
    `fleetops: the command in dist/ was built before ${join('src', 'sim', 'rng.ts')} changed; npm run build brings it up to date\n`,
  );
  t.is(ran.status, 2);
});

test('no build at all is said the same way', (t) => {
  const { dir } = tempFolder(t);
  clone(dir, false);
  const ran = run(dir);
  t.is(ran.stderr, 'fleetops: the command in dist/ is not built yet; npm run build brings it up to date\n');
  t.is(ran.status, 2);
});
