// The packet path (internet -> exchange -> edge -> Nitro card -> ENI -> network ACL -> security
// group -> guest, and the reply back through the network ACL and route table) and the rules,
// routes and addresses that decide it.
import test from 'ava';
import { INTERNET_CLIENT, reachable, tracePath, type Hop } from '../../src/sim/network.js';
import {
  worldFingerprint,
  parseCommand,
  ParseError,
  runTrace,
  type Instance,
  type World,
} from '../../src/sim/index.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, eventsOf, named, run, testSession } from '../helpers/world.js';

const VPC_CLIENT = '10.0.255.10';
const ALL_HOPS: Hop[] = [
  'internet',
  'exchange',
  'edge',
  'nitro-card',
  'eni',
  'network-acl-in',
  'security-group',
  'guest',
  'network-acl-out',
  'route-table',
];
const upTo = (hop: Hop) => ALL_HOPS.slice(0, ALL_HOPS.indexOf(hop) + 1);

/** A public web server behind the default group (tcp/443 from anywhere) and a private database. */
function shop(): { world: World; web: Instance; db: Instance } {
  const { world } = testSession({
    securityGroups: [
      { name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
    ],
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'db', type: 'r6i.large', zone: 'use1-az1', securityGroups: ['db'], publicIp: false },
    ],
  });
  return { world, web: named(world, 'web'), db: named(world, 'db') };
}

/** The hops a packet passes, and the one that drops it (the last, when one does). */
function path(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  source = INTERNET_CLIENT,
): { hops: Hop[]; droppedAt: Hop | null } {
  const hops = tracePath(world, instance, protocol, port, source);
  const dropped = hops.find((h) => !h.ok);
  return { hops: hops.map((h) => h.hop), droppedAt: dropped?.hop ?? null };
}

test('an allowed request from the internet passes every hop to the guest', (t) => {
  const { world, web } = shop();
  t.deepEqual(path(world, web, 'tcp', 443), { hops: ALL_HOPS, droppedAt: null });
});

test('a port the security group does not open stops at the security group', (t) => {
  const { world, web } = shop();
  t.deepEqual(path(world, web, 'tcp', 22), { hops: upTo('security-group'), droppedAt: 'security-group' });
  t.false(reachable(world, web, 'udp', 443), 'a rule is for one protocol');
});

test("a hop's sentence agrees with the number of groups deciding it: one lets or does not, several let or do not", (t) => {
  const { world } = testSession({
    securityGroups: [
      { name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'admin', ingress: [{ protocol: 'tcp', port: 22, cidr: '10.0.0.0/16' }] },
    ],
    fleet: [
      { name: 'one', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'two', type: 'm6i.large', zone: 'use1-az1', securityGroups: ['default', 'admin'] },
    ],
  });
  const groupHop = (name: string, port: number) =>
    tracePath(world, named(world, name), 'tcp', port, INTERNET_CLIENT).find((h) => h.hop === 'security-group')!.detail;
  t.regex(groupHop('one', 22), /^sg-\w+ \(default\) does not let tcp\/22 in/);
  t.regex(groupHop('one', 443), /^sg-\w+ \(default\) lets tcp\/443 in/);
  t.regex(groupHop('two', 22), /^sg-\w+ \(default\), sg-\w+ \(admin\) do not let tcp\/22 in/);
  t.regex(groupHop('two', 443), /\(admin\) let tcp\/443 in/);
  const wayOut = (name: string) =>
    runTrace(world, { target: name, port: null, protocol: null, from: null, to: 'internet' }).hops.find(
      (h) => h.hop === 'security-group-out',
    )!.detail;
  t.regex(wayOut('one'), /^sg-\w+ \(default\) lets it out/);
  t.regex(wayOut('two'), /\(admin\) let it out/);
});

test('authorize-ingress opens a port to a range and revoke-ingress closes it', (t) => {
  const { world, web } = shop();
  apply(world, 'authorize-ingress default --protocol tcp --port 22 --cidr 203.0.113.0/24');
  t.true(reachable(world, web, 'tcp', 22));
  t.false(reachable(world, web, 'tcp', 22, '198.51.100.7'), 'a client outside the range');
  t.false(reachable(world, web, 'tcp', 23));
  apply(world, 'revoke-ingress default --protocol tcp --port 22 --cidr 203.0.113.0/24');
  t.is(path(world, web, 'tcp', 22).droppedAt, 'security-group');
});

test('port ranges and the all protocol', (t) => {
  const { world, web } = shop();
  apply(world, 'authorize-ingress default --protocol udp --port 8000-8100 --cidr 0.0.0.0/0');
  t.true(reachable(world, web, 'udp', 8050));
  t.false(reachable(world, web, 'udp', 8101));
  apply(world, 'authorize-ingress default --protocol all --port 0-65535 --cidr 10.0.0.0/16');
  t.true(reachable(world, web, 'tcp', 9999, VPC_CLIENT));
});

test('duplicate, missing and malformed rules are refused without a change', (t) => {
  const { world } = shop();
  const before = worldFingerprint(world);
  const code = (line: string) => eventsOf(apply(world, line), 'command-refused')[0]?.data?.code;
  t.is(code('authorize-ingress default --protocol tcp --port 443 --cidr 0.0.0.0/0'), 'InvalidPermission.Duplicate');
  t.is(code('revoke-ingress default --protocol tcp --port 22 --cidr 0.0.0.0/0'), 'InvalidPermission.NotFound');
  // A malformed range or block is refused when the line is read, before any world sees it.
  t.throws(() => parseCommand('authorize-ingress default --protocol tcp --port 80-20 --cidr 0.0.0.0/0'), {
    instanceOf: ParseError,
    message: /--port expects a port or range within 0-65535/,
  });
  t.throws(() => parseCommand('authorize-ingress default --protocol tcp --port 80 --cidr 10.0.0/8'), {
    instanceOf: ParseError,
    message: /--cidr expects an IPv4 range/,
  });
  t.is(code('authorize-ingress nosuch --protocol tcp --port 80 --cidr 0.0.0.0/0'), 'InvalidGroup.NotFound');
  t.is(worldFingerprint(world), before);
});

test("an instance without a public address is out of the internet's reach but open to the VPC", (t) => {
  const { world, db } = shop();
  t.is(world.enis[db.eniId]!.publicIp, null);
  t.deepEqual(path(world, db, 'tcp', 5432), { hops: ['internet'], droppedAt: 'internet' });
  t.deepEqual(
    path(world, db, 'tcp', 5432, VPC_CLIENT),
    { hops: ALL_HOPS.slice(ALL_HOPS.indexOf('nitro-card')), droppedAt: null },
    'VPC traffic never crosses the internet or the edge',
  );
  t.is(path(world, db, 'tcp', 22, VPC_CLIENT).droppedAt, 'security-group');
});

test('a VPC-only rule lets VPC clients in and keeps internet clients out', (t) => {
  const { world, db } = shop();
  apply(world, `associate-address db`);
  t.truthy(world.enis[db.eniId]!.publicIp);
  t.is(path(world, db, 'tcp', 5432).droppedAt, 'security-group');
  t.true(reachable(world, db, 'tcp', 5432, VPC_CLIENT));
});

test('an impaired zone drops traffic at the edge', (t) => {
  const { world, web } = shop();
  apply(world, 'impair-zone use1-az1');
  t.is(path(world, web, 'tcp', 443).droppedAt, 'edge');
  apply(world, 'restore-zone use1-az1');
  t.true(reachable(world, web, 'tcp', 443));
});

test('a failed host or a stopped instance drops traffic at the Nitro card', (t) => {
  const { world, web, db } = shop();
  apply(world, 'fail-host web');
  t.is(path(world, web, 'tcp', 443).droppedAt, 'nitro-card');
  apply(world, 'stop db');
  run(world, TICKS.stopping + 1);
  t.is(path(world, db, 'tcp', 5432, VPC_CLIENT).droppedAt, 'nitro-card');
});

test('a hung guest is the last hop to fail', (t) => {
  const { world, web } = shop();
  apply(world, 'hang-guest web');
  t.deepEqual(path(world, web, 'tcp', 443), { hops: upTo('guest'), droppedAt: 'guest' });
});

test('disassociating an Elastic IP gives the instance a fresh auto-assigned address', (t) => {
  const { world, web } = shop();
  apply(world, 'associate-address web');
  const eni = world.enis[web.eniId]!;
  const elastic = eni.publicIp;
  apply(world, 'disassociate-address web');
  t.truthy(eni.publicIp);
  t.not(eni.publicIp, elastic);
  t.is(eni.allocationId, null);
  t.is(
    eventsOf(apply(world, 'disassociate-address web'), 'command-refused')[0]?.data?.code,
    'InvalidAssociationID.NotFound',
  );
});

test('an Elastic IP moved to another instance leaves the first with an address of its own', (t) => {
  const { world, web, db } = shop();
  apply(world, 'associate-address web');
  const allocation = world.enis[web.eniId]!.allocationId!;
  apply(world, `associate-address db --allocation ${allocation}`);
  t.is(world.enis[db.eniId]!.publicIp, world.elasticIps[allocation]!.publicIp);
  t.is(world.enis[web.eniId]!.allocationId, null);
  t.is(world.elasticIps[allocation]!.eniId, db.eniId);
  const webIp = world.enis[web.eniId]!.publicIp;
  t.truthy(webIp, 'the first instance gets an auto-assigned address back');
  t.not(webIp, world.elasticIps[allocation]!.publicIp);
});

test('an Elastic IP associated with a stopped instance shows on it, and it starts with that address', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const web = named(world, 'web');
  apply(world, 'stop web');
  run(world, TICKS.stopping + 1);
  apply(world, 'associate-address web');
  const eip = Object.values(world.elasticIps)[0]!.publicIp;
  t.is(world.enis[web.eniId]!.publicIp, eip);
  apply(world, 'start web');
  run(world, TICKS.pendingToRunning + 1);
  t.is(world.enis[web.eniId]!.publicIp, eip);
});
