// Temporary folders for tests, each removed when its test (or its file's tests) end, so that a run
// of the suite leaves nothing behind in the system's temporary folder.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = (name: string) => mkdtempSync(join(tmpdir(), `fleetops-${name}-`));
const remove = (dir: string) => () => rmSync(dir, { recursive: true, force: true });

/** A new empty folder named after `name`, removed when the test `t` ends. */
export function tempDir(t: Pick<ExecutionContext, 'teardown'>, name: string): string {
  const dir = made(name);
  t.teardown(remove(dir));
  return dir;
}

/** A new empty folder named after `name` for the tests of the calling file, removed after the last of them. */
export function fileTempDir(name: string): string {
  const dir = made(name);
  test.after.always(remove(dir));
  return dir;
}
