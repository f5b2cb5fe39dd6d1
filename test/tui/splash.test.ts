import test from 'ava';
import { Session } from '../../src/game/session.js';
import { buildingLine, showSplash } from '../../src/tui/splash.js';
import { openHeadless } from '../../src/tui/headless.js';
import { testLevel } from '../helpers/world.js';

test('while a world is built the splash names the level and the hosts and instances it is building', async (t) => {
  const level = {
    ...testLevel({
      fleet: [
        { name: 'web', count: 6, type: 'm6i.large', zone: 'use1-az1' },
        { name: 'batch', count: 2, type: 'm6i.large', zone: 'use1-az2' },
      ],
    }),
    title: 'Night shift',
  };
  const world = new Session(level, 'splash').world;
  const hosts = Object.keys(world.hosts).length;
  const instances = Object.keys(world.instances).length;
  t.deepEqual([hosts, instances], [33, 8]);

  const term = openHeadless(80, 24);
  const splash = await showSplash(term.screen, 'fleetops: loading the campaign...');
  await splash.say(buildingLine(level));
  const text = term.text().join('\n');
  t.regex(text, new RegExp(`building Night shift: ${hosts} hosts, ${instances} instances\\.\\.\\.`));
  // A line longer than the terminal is cut at its edge, not wrapped over the frame below.
  await splash.say(`fleetops: building ${'x'.repeat(200)}`);
  t.true(term.text().every((line) => line.length <= 80));
  // Counts of a region are written with thousands separators.
  const region = { ...level, world: { ...level.world, fleet: [{ ...level.world.fleet[0]!, count: 1_080_000 }] } };
  t.regex(buildingLine(region), /33 hosts, 1,080,000 instances/);
  splash.detach();
  term.screen.destroy();
});
