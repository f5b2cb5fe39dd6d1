// trace agrees with what the workloads serve: on every shipped level, played by its loss script
// (where paths close), a member the roster counts as serving is one trace reaches, and a member
// trace cannot reach serves nothing.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { levelFiles, loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { runTrace } from '../../src/sim/index.js';
import { servingSplit } from '../../src/sim/serving.js';

const NETWORK_REASON = /security groups admits|cannot reach it/;

for (const file of levelFiles()) {
  const level = loadLevel(file);
  test(`${level.id}: trace's verdict matches what each member serves, through the level`, (t) => {
    const path = join(PROJECT_ROOT, 'test', 'fixtures', 'levels', `${level.id}.loss.txt`);
    const session = new Session(level, '3');
    attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
    let checked = 0;
    for (let step = 0; step < 4; step++) {
      session.run(Math.floor(level.duration / 4));
      for (const name of Object.keys(session.world.workloads)) {
        const { serving, idle } = servingSplit(session.world, name);
        for (const inst of serving)
          t.true(
            runTrace(session.world, { target: inst.id, port: null, protocol: null, from: null }).reached,
            `${inst.name} serves`,
          );
        for (const { instance, why } of idle) {
          if (instance.state !== 'running') continue;
          const trace = runTrace(session.world, { target: instance.id, port: null, protocol: null, from: null });
          const dropped = trace.hops.find((h) => !h.ok)?.hop;
          // A path closed by configuration is a network reason; a zone, host or guest down fails the checks first.
          const network = dropped !== undefined && !['edge', 'nitro-card', 'guest'].includes(dropped);
          t.is(NETWORK_REASON.test(why), network, `${instance.name}: ${why}; trace dropped at ${dropped ?? 'nothing'}`);
        }
        checked += serving.length + idle.length;
      }
    }
    t.true(checked > 0);
  });
}
