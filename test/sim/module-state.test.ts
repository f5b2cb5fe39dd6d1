// The model and the game keep no state in their modules: whatever is derived from a world lives
// with that world (src/sim/derived.ts), so two worlds in one process never share any of it.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/files.js';
import { findModuleState } from '../helpers/module-state.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [resolve(dir, e.name)] : [],
  );
}

test('src/sim and src/game keep no module-level mutable state', (t) => {
  const files = ['src/sim', 'src/game'].flatMap((dir) => sources(join(PROJECT_ROOT, dir)));
  t.true(files.length > 40);
  t.deepEqual(findModuleState(files, PROJECT_ROOT), []);
});

test('the finder reports every form of module state at its file and line, and nothing else', (t) => {
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', 'module-state');
  const files = sources(dir);
  const expected = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        const what = /\/\/ finds: (.+)$/.exec(line)?.[1];
        return what ? [`test/fixtures/module-state/${file.slice(dir.length + 1)}:${i + 1}: ${what}`] : [];
      }),
  );
  t.true(expected.length >= 18);
  t.deepEqual(
    findModuleState(files, PROJECT_ROOT),
    expected.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  );
});
