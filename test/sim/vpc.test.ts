// The VPC a level describes: subnets take their addresses from their blocks, route tables send
// replies by the most specific route, and network ACLs judge each direction by the first rule
// that matches, so return traffic needs the client's ephemeral ports.
import test from 'ava';
import { tracePath, type Hop } from '../../src/sim/network.js';
import { layoutOf, routeFor, aclDecision, EPHEMERAL_PORTS } from '../../src/sim/vpc.js';
import { ipToNumber } from '../../src/sim/cidr.js';
import { parseCommand, ParseError, type Instance, type World } from '../../src/sim/index.js';
import { apply, eventsOf, named, refusals, testLevel, testSession, type LevelPatch } from '../helpers/world.js';

const web = { protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' };

/** A public subnet for web servers and a private one for a database, with the ACL the test gives. */
function vpcWorld(vpc: LevelPatch = {}): { world: World; web: Instance; db: Instance } {
  const { world } = testSession({
    securityGroups: [
      { name: 'default', ingress: [web] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
    ],
    vpc: {
      routeTables: [{ name: 'private', routes: [] }],
      subnets: [
        { name: 'public-a', zone: 'use1-az1', cidr: '10.0.1.0/24', networkAcl: 'web' },
        { name: 'private-a', zone: 'use1-az1', cidr: '10.0.2.0/24', routeTable: 'private', publicIp: false },
      ],
      networkAcls: [
        {
          name: 'web',
          inbound: [{ rule: 100, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }],
          outbound: [{ rule: 100, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }],
        },
      ],
      ...vpc,
    },
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'db', type: 'r6i.large', zone: 'use1-az1', subnet: 'private-a', securityGroups: ['db'] },
    ],
  });
  return { world, web: named(world, 'web'), db: named(world, 'db') };
}

const aclId = (world: World, name: string) =>
  Object.values(layoutOf(world).networkAcls).find((a) => a.name === name)!.id;

const dropped = (world: World, inst: Instance, port = 443, from?: string | Instance) => {
  const hops = tracePath(world, inst, 'tcp', port, from);
  const bad = hops.find((h) => !h.ok);
  return bad ? { hop: bad.hop as Hop | null, rule: bad.rule } : { hop: null, rule: null };
};

test('interfaces take the subnet’s addresses past the four AWS reserves; a private subnet maps no public address', (t) => {
  const { world, web: w, db } = vpcWorld();
  t.is(world.enis[w.eniId]!.privateIp, '10.0.1.4');
  t.not(world.enis[w.eniId]!.publicIp, null);
  t.is(world.enis[db.eniId]!.privateIp, '10.0.2.4');
  t.is(world.enis[db.eniId]!.publicIp, null);
  t.is(dropped(world, w).hop, null);
});

test('a network ACL without the ephemeral ports out stops the replies, naming the rule', (t) => {
  const { world, web: w } = vpcWorld({
    networkAcls: [
      {
        name: 'web',
        inbound: [{ rule: 100, protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', action: 'allow' }],
        outbound: [{ rule: 100, protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', action: 'allow' }],
      },
    ],
  });
  t.deepEqual(dropped(world, w), { hop: 'network-acl-out', rule: '* deny all' });
  const acl = Object.values(layoutOf(world).networkAcls).find((a) => a.name === 'web')!;
  acl.outbound.push({
    ruleNumber: 110,
    protocol: 'tcp',
    fromPort: 32768,
    toPort: 65535,
    cidr: '0.0.0.0/0',
    action: 'allow',
  });
  t.is(dropped(world, w).hop, 'network-acl-out', 'internet clients use ports from 1024 up');
  acl.outbound.push({
    ruleNumber: 120,
    protocol: 'tcp',
    fromPort: 1024,
    toPort: 32767,
    cidr: '0.0.0.0/0',
    action: 'allow',
  });
  t.is(dropped(world, w).hop, null, 'two rules together cover 1024-65535');
});

test('network ACL rules are read lowest number first: a deny before an allow wins', (t) => {
  const { world, web: w } = vpcWorld({
    networkAcls: [
      {
        name: 'web',
        inbound: [
          { rule: 200, protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', action: 'allow' },
          { rule: 90, protocol: 'all', cidr: '203.0.113.0/24', action: 'deny' },
        ],
        outbound: [{ rule: 100, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }],
      },
    ],
  });
  t.deepEqual(dropped(world, w), { hop: 'network-acl-in', rule: '90 deny all 203.0.113.0/24' });
  t.is(dropped(world, w, 443, '198.51.100.7').hop, null, 'another client is not denied');
});

test('aclDecision names the first denied port of a range', (t) => {
  const entries = [
    {
      ruleNumber: 100,
      protocol: 'tcp' as const,
      fromPort: 1024,
      toPort: 2000,
      cidr: '0.0.0.0/0',
      action: 'allow' as const,
    },
    {
      ruleNumber: 110,
      protocol: 'tcp' as const,
      fromPort: 1500,
      toPort: 65535,
      cidr: '0.0.0.0/0',
      action: 'deny' as const,
    },
  ];
  const d = aclDecision(entries, 'tcp', EPHEMERAL_PORTS.internet, ipToNumber('203.0.113.10')!);
  t.deepEqual([d.allow, d.rule?.ruleNumber, d.port], [false, 110, 2001]);
});

test('a subnet whose route table has no way to the internet gateway cannot answer the internet', (t) => {
  const { world, web: w } = vpcWorld();
  const layout = layoutOf(world);
  const subnet = Object.values(layout.subnets).find((s) => s.name === 'public-a')!;
  subnet.routeTableId = Object.values(layout.routeTables).find((r) => r.name === 'private')!.id;
  t.deepEqual(dropped(world, w), { hop: 'route-table', rule: 'no route' });
  t.is(dropped(world, w, 443, '10.0.255.10').hop, null, 'clients in the VPC still reach it by the local route');
});

test('the most specific route wins, and a detached gateway leaves its routes a blackhole', (t) => {
  const { world, web: w } = vpcWorld();
  const layout = layoutOf(world);
  const main = Object.values(layout.routeTables).find((r) => r.main)!;
  t.is(routeFor(main, ipToNumber('10.0.2.9')!)!.target, 'local');
  t.is(routeFor(main, ipToNumber('8.8.8.8')!)!.target, layout.internetGatewayId!);
  const igw = layout.internetGatewayId;
  layout.internetGatewayId = null;
  t.is(dropped(world, w).hop, 'internet');
  layout.internetGatewayId = 'igw-0other';
  t.deepEqual(dropped(world, w), { hop: 'route-table', rule: `0.0.0.0/0 -> ${igw}` });
});

test('from another instance: its own route and ACL out, then the target’s path, then its ACL in for the replies', (t) => {
  const { world, web: w, db } = vpcWorld();
  const hops = tracePath(world, db, 'tcp', 5432, w).map((h) => h.hop);
  t.deepEqual(hops, [
    'source',
    'source-route',
    'source-acl-out',
    'nitro-card',
    'eni',
    'network-acl-in',
    'security-group',
    'guest',
    'network-acl-out',
    'route-table',
    'source-acl-in',
  ]);
  t.is(dropped(world, w, 5432, db).hop, 'security-group', 'the web group does not open 5432');
});

test('a level without a vpc runs in the default VPC and keeps its addresses by zone', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az2' }] });
  t.is(world.vpc, undefined);
  const layout = layoutOf(world);
  t.true(layout.isDefault);
  t.deepEqual(
    Object.values(layout.subnets).map((s) => s.cidr),
    ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'],
  );
  t.is(world.enis[named(world, 'web').eniId]!.privateIp, '10.0.16.4');
  t.deepEqual(layoutOf(world), layout, 'the default is the same each time it is drawn');
});

const refusal = (vpc: unknown, fleet: unknown[] = []) => {
  try {
    testLevel({ vpc, fleet });
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

test('a bad vpc is refused with the field and what was expected', (t) => {
  const subnet = { name: 'a', zone: 'use1-az1', cidr: '10.0.1.0/24' };
  t.regex(refusal({ subnets: [] }), /vpc\.subnets: expected at least one subnet/);
  t.regex(
    refusal({ subnets: [{ ...subnet, cidr: '10.1.0.0/24' }] }),
    /vpc\.subnets\[0\]\.cidr: expected a block inside the VPC's 10\.0\.0\.0\/16/,
  );
  t.regex(refusal({ subnets: [{ ...subnet, cidr: '10.0.1.7/24' }] }), /its address the first of its block/);
  t.regex(
    refusal({ subnets: [subnet, { ...subnet, name: 'b', cidr: '10.0.1.128/25' }] }),
    /subnets\[1\]\.cidr: expected a block no other subnet uses \(vpc\.subnets\[0\]\.cidr overlaps it\)/,
  );
  t.regex(refusal({ subnets: [{ ...subnet, cidr: '10.0.1.0/29' }] }), /expected a \/16 to a \/28/);
  t.regex(
    refusal({ subnets: [{ ...subnet, routeTable: 'nope' }] }),
    /routeTable: expected a route table of this VPC \(main\)/,
  );
  t.regex(
    refusal({
      subnets: [subnet],
      networkAcls: [{ name: 'x', inbound: [{ rule: 0, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }] }],
    }),
    /inbound\[0\]\.rule: expected a whole number from 1 to 32766/,
  );
  t.regex(
    refusal({
      internetGateway: false,
      subnets: [subnet],
      routeTables: [{ name: 'p', routes: [{ destination: '0.0.0.0/0', target: 'igw' }] }],
    }),
    /target: expected a target the VPC has/,
  );
  t.regex(
    refusal({ subnets: [subnet] }, [{ type: 'm6i.large', zone: 'use1-az2' }]),
    /fleet\[0\]\.subnet: expected a subnet: the level's vpc has none in use1-az2/,
  );
  t.regex(
    refusal(undefined, [{ type: 'm6i.large', zone: 'use1-az1', subnet: 'a' }]),
    /fleet\[0\]\.subnet: expected no subnet/,
  );
  t.is(refusal({ subnets: [subnet] }, [{ type: 'm6i.large', zone: 'use1-az1', subnet: 'a' }]), 'accepted');
});

test('network ACL entries are created, replaced and deleted by number and direction, and refused saying why', (t) => {
  const { world, web: w } = vpcWorld({
    networkAcls: [
      {
        name: 'web',
        inbound: [{ rule: 100, protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', action: 'allow' }],
        outbound: [{ rule: 100, protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', action: 'allow' }],
      },
    ],
  });
  t.is(dropped(world, w).hop, 'network-acl-out');
  t.deepEqual(
    refusals(
      apply(
        world,
        'create-network-acl-entry web --egress --rule-number 100 --protocol tcp --cidr 0.0.0.0/0 --action allow',
      ),
    ),
    [
      `create-network-acl-entry web --egress --rule-number 100 --protocol tcp --cidr 0.0.0.0/0 --action allow: NetworkAclEntryAlreadyExists: ${aclId(world, 'web')} already has outbound rule 100`,
    ],
  );
  const applied = apply(
    world,
    'create-network-acl-entry web --egress --rule-number 110 --protocol tcp --port 1024-65535 --cidr 0.0.0.0/0 --action allow',
  );
  t.is(eventsOf(applied, 'network-acl-entry-created').length, 1);
  t.is(dropped(world, w).hop, null);
  apply(
    world,
    'replace-network-acl-entry web --rule-number 100 --protocol tcp --port 443 --cidr 203.0.113.0/24 --action deny',
  );
  t.deepEqual(dropped(world, w), { hop: 'network-acl-in', rule: '100 deny tcp 443 203.0.113.0/24' });
  apply(world, 'delete-network-acl-entry web --rule-number 100');
  t.deepEqual(dropped(world, w), { hop: 'network-acl-in', rule: '* deny all' });
  t.regex(refusals(apply(world, 'delete-network-acl-entry web --rule-number 100'))[0]!, /has no inbound rule 100/);
  t.regex(refusals(apply(world, 'delete-network-acl-entry nope --rule-number 1'))[0]!, /no network ACL nope in vpc-/);
  t.throws(
    () =>
      parseCommand(
        'create-network-acl-entry web --rule-number 5 --protocol tcp --port 9-1 --cidr 0.0.0.0/0 --action allow',
      ),
    { instanceOf: ParseError, message: /--port expects a port or range within 0-65535.*got '9-1'/ },
  );
});

test('routes and route table associations change the way back; the local route stays', (t) => {
  const { world, web: w } = vpcWorld();
  apply(world, 'replace-route-table-association public-a --route-table private');
  t.is(dropped(world, w).hop, 'route-table');
  apply(world, 'create-route private --destination 0.0.0.0/0 --gateway igw');
  t.is(dropped(world, w).hop, null);
  apply(world, 'delete-route private --destination 0.0.0.0/0');
  t.deepEqual(dropped(world, w), { hop: 'route-table', rule: 'no route' });
  // EC2's codes differ by action: DeleteRoute's InvalidRoute.NotFound, ReplaceRoute's InvalidParameterValue.
  t.regex(refusals(apply(world, 'delete-route private --destination 0.0.0.0/0'))[0]!, /: InvalidRoute\.NotFound: /);
  t.regex(
    refusals(apply(world, 'replace-route private --destination 0.0.0.0/0 --gateway igw'))[0]!,
    /: InvalidParameterValue: rtb-\S+ has no route to 0\.0\.0\.0\/0 that can be replaced/,
  );
  t.regex(
    refusals(apply(world, 'delete-route private --destination 10.0.0.0/16'))[0]!,
    /local route .* cannot be removed/,
  );
  t.regex(
    refusals(apply(world, 'create-route private --destination 10.0.5.0/24 --gateway igw'))[0]!,
    /the local route covers it/,
  );
  t.regex(
    refusals(apply(world, 'create-route private --destination 0.0.0.0/0 --gateway igw-0nope'))[0]!,
    /no internet gateway igw-0nope attached to vpc-/,
  );
  apply(world, 'replace-route-table-association public-a --route-table main');
  t.is(dropped(world, w).hop, null, 'back on the main table');
});

test('a command on the default VPC writes it into the world, ids and all, and changes only what it says', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const before = layoutOf(world);
  apply(
    world,
    'create-network-acl-entry default --rule-number 90 --protocol tcp --port 22 --cidr 0.0.0.0/0 --action deny',
  );
  t.truthy(world.vpc);
  const acl = Object.values(world.vpc!.networkAcls)[0]!;
  t.deepEqual(
    acl.inbound.map((e) => e.ruleNumber),
    [100, 90],
  );
  t.deepEqual(Object.keys(world.vpc!.subnets), Object.keys(before.subnets));
  t.is(dropped(world, named(world, 'web'), 22).hop, 'network-acl-in');
});

test('launch --subnet puts the interface in that subnet; one in another zone is refused', (t) => {
  const { world } = vpcWorld();
  apply(world, 'launch m6i.large --az use1-az1 --name app --subnet private-a');
  t.is(world.enis[named(world, 'app').eniId]!.privateIp, '10.0.2.5');
  t.regex(
    refusals(apply(world, 'launch m6i.large --az use1-az2 --subnet private-a'))[0]!,
    /is in use1-az1, not use1-az2/,
  );
  t.regex(
    refusals(apply(world, 'launch m6i.large --az use1-az2'))[0]!,
    /: InvalidInput: no default subnet in use1-az2/,
  );
});

test('a network ACL change that shuts a workload’s clients out is said at once, with the hop that drops them', (t) => {
  const session = testSession({
    vpc: {
      subnets: [{ name: 'public-a', zone: 'use1-az1', cidr: '10.0.1.0/24' }],
    },
    workloads: [{ name: 'shop', kind: 'web', demand: { baseRps: 100 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'shop' }],
  });
  session.enqueue(
    'replace-network-acl-entry default --egress --rule-number 100 --protocol tcp --port 443 --cidr 0.0.0.0/0 --action allow',
    'player',
  );
  session.run(2);
  const said = session.events.filter((e) => e.kind === 'clients-shut-out').map((e) => e.message);
  t.is(said.length, 1);
  t.regex(
    said[0]!,
    /shop's clients \(tcp 443 from the internet\) cannot reach web: .* stops the replies to 203\.0\.113\.10's ephemeral port 1024/,
  );
});

test('a network change is blamed only for the subnets behind it', (t) => {
  const session = testSession({
    vpc: {
      subnets: [{ name: 'public-a', zone: 'use1-az1', cidr: '10.0.1.0/24' }],
      networkAcls: [{ name: 'spare', inbound: [], outbound: [] }],
    },
    workloads: [{ name: 'shop', kind: 'web', demand: { baseRps: 100 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'shop' }],
  });
  session.enqueue('delete-route main --destination 0.0.0.0/0', 'player');
  session.run(2);
  session.enqueue(
    'create-network-acl-entry spare --rule-number 5 --protocol tcp --port 22 --cidr 0.0.0.0/0 --action allow',
    'player',
  );
  session.run(2);
  t.deepEqual(
    session.events.filter((e) => e.kind === 'clients-shut-out').map((e) => e.message.split(',')[0]),
    [`after ${session.events.find((e) => e.kind === 'route-deleted')!.message.split(',')[0]}`],
  );
});

test('ports, addresses and counts are written without leading zeros: 0443, 010.0.0.0/8 and 00005 are refused', (t) => {
  const refused = (line: string) => t.throws(() => parseCommand(line), { instanceOf: ParseError }).message;
  t.regex(refused('authorize-ingress web --protocol tcp --port 0443 --cidr 0.0.0.0/0'), /got '0443'/);
  t.regex(refused('authorize-ingress web --protocol tcp --port 443 --cidr 010.0.0.0/8'), /got '010\.0\.0\.0\/8'/);
  t.regex(refused('launch m6i.large --az use1-az1 --count 00005'), /got '00005'/);
  t.is(ipToNumber('10.0.0.0'), 10 * 2 ** 24);
  t.is(ipToNumber('010.0.0.0'), null);
  t.notThrows(() => parseCommand('authorize-ingress web --protocol tcp --port 0-443 --cidr 0.0.0.0/0'));
});

// AuthorizeSecurityGroupIngress takes an address with host bits set and keeps the block it names.
test('a rule given with host bits set is kept as its block, and either form revokes it', (t) => {
  const { world } = testSession({
    securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 22, cidr: '192.168.7.9/16' }] }],
  });
  const web = Object.values(world.securityGroups).find((g) => g.name === 'web')!;
  t.is(web.ingress[0]!.cidr, '192.168.0.0/16', "a level's rule too");
  apply(world, 'authorize-ingress web --protocol tcp --port 80 --cidr 10.0.0.1/8');
  t.is(web.ingress.at(-1)!.cidr, '10.0.0.0/8');
  t.regex(
    refusals(apply(world, 'authorize-ingress web --protocol tcp --port 80 --cidr 10.9.9.9/8'))[0]!,
    /InvalidPermission\.Duplicate/,
  );
  t.deepEqual(refusals(apply(world, 'revoke-ingress web --protocol tcp --port 80 --cidr 10.0.0.0/8')), []);
  t.deepEqual(refusals(apply(world, 'revoke-ingress web --protocol tcp --port 22 --cidr 192.168.255.255/16')), []);
  t.is(web.ingress.length, 0);
});
