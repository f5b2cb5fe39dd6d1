// The README's example of a command script by the clock is copied by readers as it stands: it must
// win the level it names, at that level's own seed, with every command accepted.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';

/** The first code block after the paragraph that names `run <level> --commands <file>`. */
function readmeScript(): { levelId: string; text: string } {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const named = /npx fleetops run (\S+) --commands <file>/.exec(readme);
  if (!named) throw new Error('the README no longer shows a script run with --commands');
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(named.index));
  return { levelId: named[1]!, text: block![1]! };
}

test("the README's script by the clock wins its level at the level's own seed, every command accepted", (t) => {
  const { levelId, text } = readmeScript();
  const level = loadLevel(levelId);
  const session = new Session(level, level.defaultSeed);
  attachScript(session, parseScript(text, 'README.md'));
  session.run(level.duration);
  t.deepEqual(
    session.events.filter((e) => e.kind === 'command-refused').map((e) => e.message),
    [],
  );
  t.true(session.score().won, `${session.score().points}/${session.score().max}`);
});
