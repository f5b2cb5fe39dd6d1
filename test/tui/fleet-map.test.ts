import test from 'ava';
import { chooseDetail, drawMap, groupFleet, moveOnMap } from '../../src/tui/panels/fleet-map.js';
import { createTheme } from '../../src/tui/theme.js';
import { testSession } from '../helpers/world.js';

const theme = createTheme(true);
const strip = (s: string) => s.replace(/\{\/?[a-z-]+\}/g, '');

test('a small fleet is drawn host by host, failed and impaired hosts marked in text', (t) => {
  const session = testSession({ fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }] });
  const world = session.world;
  const [failed, impaired] = Object.keys(world.hosts).filter((id) => id.startsWith('use1-az2'));
  world.hosts[failed!]!.health = 'failed';
  world.hosts[impaired!]!.health = 'impaired';
  const map = drawMap(world, 50, 30, null, theme);
  t.is(map.detail, 'hosts');
  t.is(map.items.filter((i) => i.target.kind === 'host').length, Object.keys(world.hosts).length);
  const text = map.lines.map(strip).join('\n');
  t.regex(text, /us-east-1b use1-az2 X 1 failed, ! 1 impaired/);
  t.regex(text, /r01 m6i {2}X ! ·/);
  t.regex(text, /r01 m6i {2}▁/, 'the host running web-1 shows it is in use');
});

test('a 10,000-host region aggregates into racks or zones and never overflows the panel', (t) => {
  const zones3 = ['use1-az1', 'use1-az2', 'use1-az4'];
  const session = testSession({ racks: zones3.map((zone) => ({ zone, family: 'm6i', racks: 167, hostsPerRack: 20 })) });
  const zones = groupFleet(session.world);
  t.is(
    zones.reduce((n, z) => n + z.tally.hosts, 0),
    10_020,
  );
  t.is(chooseDetail(zones, 200, 60), 'racks');
  t.is(chooseDetail(zones, 30, 6), 'zones');
  for (const [w, h] of [
    [30, 6],
    [60, 20],
    [120, 40],
  ] as const) {
    const map = drawMap(session.world, w, h, null, theme);
    t.true(map.lines.length <= h);
    for (const line of map.lines) t.true(strip(line).length <= w, `${w}x${h}: ${strip(line)}`);
  }
});

test('moving on the map: left and right step, up and down find the nearest cell on the next line', (t) => {
  const items = [
    { target: { kind: 'zone' as const, id: 'z' }, line: 0, col: 0 },
    { target: { kind: 'host' as const, id: 'a' }, line: 1, col: 9 },
    { target: { kind: 'host' as const, id: 'b' }, line: 1, col: 11 },
    { target: { kind: 'host' as const, id: 'c' }, line: 2, col: 9 },
    { target: { kind: 'host' as const, id: 'd' }, line: 2, col: 11 },
  ];
  t.is(moveOnMap(items, 2, 'down', 5), 4);
  t.is(moveOnMap(items, 4, 'up', 5), 2);
  t.is(moveOnMap(items, 1, 'up', 5), 0);
  t.is(moveOnMap(items, 1, 'right', 5), 2);
  t.is(moveOnMap(items, 0, 'left', 5), 0);
  t.is(moveOnMap(items, 0, 'page-down', 5), 3);
  t.is(moveOnMap(items, 3, 'bottom', 5), 4);
});
