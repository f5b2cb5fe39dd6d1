import test from 'ava';
import { complete, playerVerbs, worldCandidates, PLAYER_VERBS } from '../../src/tui/completion.js';
import { layoutOf } from '../../src/sim/index.js';
import { testSession } from '../helpers/world.js';

const session = testSession({
  fleet: [
    { name: 'web-1', type: 'm6i.large', zone: 'use1-az1' },
    { name: 'web-2', type: 'm6i.large', zone: 'use1-az2' },
    { name: 'db-1', type: 'r6i.large', zone: 'use1-az1', volume: { type: 'gp2', size: 100 } },
  ],
});
const candidates = worldCandidates(session.world, () => ['INC-1']);
const at = (line: string) => complete(line, line.length, candidates, PLAYER_VERBS);

test('verbs complete, and scenario verbs are not offered to players', (t) => {
  t.is(at('reb').line, 'reboot ');
  t.deepEqual(at('st').candidates, ['start', 'stop']);
  t.false(PLAYER_VERBS.includes('fail-host'));
  t.deepEqual(at('fail-h').candidates, []);
});

test('arguments complete from the world: Name tags and ids', (t) => {
  t.deepEqual(at('stop web').candidates, ['web-1', 'web-2']);
  t.is(at('stop web').line, 'stop web-');
  t.is(at('stop db').line, 'stop db-1 ');
  const id = session.world.instances[Object.keys(session.world.instances)[0]!]!.id;
  t.is(at(`reboot ${id.slice(0, 8)}`).line, `reboot ${id} `);
  t.is(at('ack IN').line, 'ack INC-1 ');
});

test('options complete once each, and their values from the grammar', (t) => {
  t.deepEqual(at('stop web-1 --').candidates, ['--force', '--hibernate']);
  t.deepEqual(at('stop web-1 --force --').candidates, []);
  t.is(at('stop web-1 --force --').line, 'stop web-1 --force --hibernate ');
  t.deepEqual(at('launch m6i.large --az us-east-1').candidates, ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  t.is(at('launch m6i.large --interruption hib').line, 'launch m6i.large --interruption hibernate ');
  t.is(at('launch m6i.lar').line, 'launch m6i.large ');
});

test('completion works in the middle of a line', (t) => {
  const line = 'reb web-2';
  const done = complete(line, 3, candidates, PLAYER_VERBS);
  t.is(done.line, 'reboot web-2');
  t.is(done.cursor, 7);
});

test('an exam does not offer hint: Tab completes hi to nothing there, and to hint in training', (t) => {
  t.is(complete('hi', 2, candidates, playerVerbs('training')).line, 'hint ');
  t.deepEqual(complete('hi', 2, candidates, playerVerbs('exam')), { line: 'hi', cursor: 2, candidates: [] });
  t.false(complete('', 0, candidates, playerVerbs('exam')).candidates.includes('hint'));
  t.true(complete('', 0, candidates, playerVerbs('training')).candidates.includes('hint'));
});

test('VPC resources complete from the world too: subnets, route tables, network ACLs and interfaces', (t) => {
  const { subnets, routeTables, networkAcls } = layoutOf(session.world);
  const first = <T extends { id: string; name: string }>(table: Record<string, T>) => Object.values(table)[0]!;
  t.true(at('replace-route-table-association ').candidates.includes(first(subnets).name));
  t.true(at('create-route ').candidates.includes(first(routeTables).id));
  t.true(at('create-network-acl-entry ').candidates.includes(first(networkAcls).name));
  const eni = Object.keys(session.world.enis)[0]!;
  t.is(at(`delete-network-interface ${eni}`).line, `delete-network-interface ${eni} `);
});
