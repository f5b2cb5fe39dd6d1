// NAT gateways and the way out: a private subnet reaches the internet through the NAT gateway its
// route table names, in a public subnet, from the gateway's Elastic IP; each hop of that path has
// its own way to fail, and a workload that calls out serves only while its members' way out is open.
import test from 'ava';
import { egressPath } from '../../src/sim/egress.js';
import { copyWorld, runTrace, servingSplit, type Hop, type Instance, type World } from '../../src/sim/index.js';
import { tracePath } from '../../src/sim/network.js';
import seedrandom from 'seedrandom';
import { layoutOf } from '../../src/sim/vpc.js';
import { natGatewaysOf } from '../../src/sim/nat.js';
import { derivedData } from '../helpers/derived.js';
import type { Session } from '../../src/game/session.js';
import { fleetCostUsd } from '../../src/game/fleet-cost.js';
import { apply, eventsOf, named, refusals, run, testLevel, testSession } from '../helpers/world.js';

const allowAll = [{ rule: 100, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }];

/** Workers in private subnets of two zones, both routed to one NAT gateway in zone 1's public subnet. */
function natWorld(): { session: Session; world: World; a: Instance; b: Instance } {
  const session = testSession({
    securityGroups: [{ name: 'worker', ingress: [{ protocol: 'tcp', port: 8080, cidr: '10.0.0.0/16' }] }],
    vpc: {
      subnets: [
        { name: 'private-a', zone: 'use1-az1', cidr: '10.0.8.0/22', routeTable: 'private', publicIp: false },
        { name: 'private-b', zone: 'use1-az2', cidr: '10.0.12.0/22', routeTable: 'private', publicIp: false },
        { name: 'public-a', zone: 'use1-az1', cidr: '10.0.0.0/24', routeTable: 'public', networkAcl: 'open' },
        { name: 'public-b', zone: 'use1-az2', cidr: '10.0.1.0/24', routeTable: 'public' },
      ],
      natGateways: [{ name: 'nat-a', subnet: 'public-a' }],
      routeTables: [
        { name: 'public', routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { name: 'private', routes: [{ destination: '0.0.0.0/0', target: 'nat-a' }] },
      ],
      networkAcls: [{ name: 'open', inbound: allowAll, outbound: allowAll }],
    },
    workloads: [
      { name: 'payments', kind: 'web', public: false, port: 8080, egressPort: 443, demand: { baseRps: 100 } },
    ],
    fleet: [
      {
        name: 'a',
        type: 'm6i.large',
        zone: 'use1-az1',
        subnet: 'private-a',
        workload: 'payments',
        securityGroups: ['worker'],
      },
      {
        name: 'b',
        type: 'm6i.large',
        zone: 'use1-az2',
        subnet: 'private-b',
        workload: 'payments',
        securityGroups: ['worker'],
      },
    ],
  });
  const world = session.world;
  run(world, 1);
  return { session, world, a: named(world, 'a'), b: named(world, 'b') };
}

const dropOut = (world: World, inst: Instance) => egressPath(world, inst, 'tcp', 443).find((h) => !h.ok);
const serving = (world: World) => servingSplit(world, 'payments').serving.map((i) => i.name);
const nat = (world: World) => Object.values(layoutOf(world).natGateways!)[0]!;

test('a private subnet goes out through its NAT gateway, from the Elastic IP, and the workload serves', (t) => {
  const { world, b } = natWorld();
  const hops = egressPath(world, b, 'tcp', 443);
  t.deepEqual(
    hops.map((h) => h.hop),
    [
      'guest',
      'nitro-card',
      'security-group-out',
      'network-acl-out',
      'route-table',
      'nat-gateway',
      'nat-subnet',
      'internet-gateway',
      'destination',
      'network-acl-in',
    ] satisfies Hop[],
  );
  t.true(hops.every((h) => h.ok));
  t.regex(hops[5]!.detail, new RegExp(`from its Elastic IP ${nat(world).publicIp.replace(/\./g, '\\.')}`));
  t.is(world.enis[b.eniId]!.publicIp, null);
  t.deepEqual(serving(world), ['a', 'b']);
  const trace = runTrace(world, { target: 'b', port: null, protocol: null, from: null, to: 'internet' });
  t.true(trace.reached);
  t.is(trace.port, 443);
});

test("the NAT gateway's zone impaired: subnets of the other zone routed to it lose the internet, and serve nothing", (t) => {
  const { world, b } = natWorld();
  apply(world, 'impair-zone use1-az1');
  run(world, 1);
  const drop = dropOut(world, b)!;
  t.is(drop.hop, 'nat-gateway');
  t.regex(drop.detail, /impaired: a NAT gateway is redundant within its zone only/);
  t.deepEqual(serving(world), []);
  t.regex(
    servingSplit(world, 'payments').idle.find((i) => i.instance.name === 'b')!.why,
    /calls out .* cannot get through/,
  );
  // The default trace agrees: clients reach b, but its calls out do not get through.
  const trace = runTrace(world, { target: 'b', port: null, protocol: null, from: null });
  t.false(trace.reached);
  t.true(trace.hops.every((h) => h.ok));
  t.is(trace.calls!.hops.at(-1)!.hop, 'nat-gateway');
  // A NAT gateway of zone 2's own, in its public subnet, and the route to it: b serves again.
  const events = apply(world, 'allocate-address');
  const alloc = eventsOf(events, 'address-allocated')[0]!.subject;
  t.deepEqual(refusals(apply(world, `create-nat-gateway public-b --allocation-id ${alloc} --name nat-b`)), []);
  t.deepEqual(refusals(apply(world, 'replace-route private --destination 0.0.0.0/0 --nat-gateway-id nat-b')), []);
  run(world, 1);
  t.regex(dropOut(world, b)!.detail, /nat-b\) is pending: available in 59 s/);
  t.deepEqual(serving(world), []);
  t.is(eventsOf(run(world, 60), 'nat-gateway-available').length, 1);
  t.is(dropOut(world, b), undefined);
  t.deepEqual(serving(world), ['b']);
});

test('a deleted NAT gateway leaves a blackhole route; a missing route drops at the route table', (t) => {
  const { world, b } = natWorld();
  const events = apply(world, 'delete-nat-gateway nat-a');
  t.is(eventsOf(events, 'nat-gateway-deleted').length, 1);
  run(world, 1);
  t.is(dropOut(world, b)!.hop, 'route-table');
  t.regex(dropOut(world, b)!.detail, /blackhole/);
  t.deepEqual(serving(world), []);
  t.is(world.elasticIps[nat(world).allocationId]!.natGatewayId, undefined, 'its Elastic IP is free');
  // Routing to a deleted NAT gateway is refused; deleting the route leaves none.
  t.regex(
    refusals(apply(world, 'replace-route private --destination 0.0.0.0/0 --nat-gateway-id nat-a'))[0]!,
    /no available NAT gateway nat-a/,
  );
  apply(world, 'delete-route private --destination 0.0.0.0/0');
  t.regex(dropOut(world, b)!.detail, /has no route to/);
});

test('a NAT gateway in a subnet without a route to the internet gateway goes nowhere', (t) => {
  const { world, b } = natWorld();
  const alloc = eventsOf(apply(world, 'allocate-address'), 'address-allocated')[0]!.subject;
  apply(world, `create-nat-gateway private-b --allocation-id ${alloc} --name nat-p`);
  apply(world, 'replace-route private --destination 0.0.0.0/0 --nat-gateway-id nat-p');
  run(world, 61);
  const drop = dropOut(world, b)!;
  t.is(drop.hop, 'nat-subnet');
  t.regex(drop.detail, /a NAT gateway needs a public subnet/);
  t.deepEqual(serving(world), []);
});

test('network ACLs are stateless on the way out: the request out, the replies in, and the NAT subnet both ways', (t) => {
  const { world, b } = natWorld();
  // The worker's subnet uses the default ACL; close its outbound 443 first.
  const acl = Object.values(layoutOf(world).networkAcls).find((a) => a.default)!.name;
  apply(
    world,
    `create-network-acl-entry ${acl} --egress --rule-number 50 --protocol tcp --port 443 --cidr 0.0.0.0/0 --action deny`,
  );
  t.is(dropOut(world, b)!.hop, 'network-acl-out');
  t.is(dropOut(world, b)!.rule, '50 deny tcp 443 0.0.0.0/0');
  apply(world, `delete-network-acl-entry ${acl} --egress --rule-number 50`);
  // Replies come back to the worker's ephemeral ports.
  apply(
    world,
    `create-network-acl-entry ${acl} --rule-number 50 --protocol tcp --port 32768-60999 --cidr 0.0.0.0/0 --action deny`,
  );
  t.is(dropOut(world, b)!.hop, 'network-acl-in');
  apply(world, `delete-network-acl-entry ${acl} --rule-number 50`);
  // The NAT gateway's own subnet: the replies in to its ports 1024-65535.
  apply(
    world,
    'replace-network-acl-entry open --rule-number 100 --protocol tcp --port 443 --cidr 0.0.0.0/0 --action allow',
  );
  apply(
    world,
    'create-network-acl-entry open --rule-number 110 --protocol tcp --port 443 --cidr 10.0.0.0/16 --action allow',
  );
  const drop = dropOut(world, b)!;
  t.is(drop.hop, 'nat-subnet');
  t.regex(drop.detail, /the replies in to the NAT gateway's ports 1024-65535/);
  run(world, 1);
  t.deepEqual(serving(world), []);
});

test('a NAT gateway carries no connection from the internet; an Elastic IP on a private instance does not open it', (t) => {
  const { world, b } = natWorld();
  apply(world, 'authorize-ingress worker --protocol tcp --port 443 --cidr 0.0.0.0/0', 'associate-address b');
  const drop = tracePath(world, b, 'tcp', 443).find((h) => !h.ok)!;
  t.is(drop.hop, 'route-table');
  t.regex(drop.detail, /a NAT gateway carries only connections started inside/);
});

test('from a public subnet the way out is the internet gateway, which needs a public address', (t) => {
  const { world } = testSession({
    vpc: {
      subnets: [{ name: 'public-a', zone: 'use1-az1', cidr: '10.0.0.0/24', publicIp: false }],
    },
    fleet: [{ name: 'w', type: 'm6i.large', zone: 'use1-az1' }],
  });
  const w = named(world, 'w');
  run(world, 1);
  t.is(dropOut(world, w)!.hop, 'internet-gateway');
  t.regex(dropOut(world, w)!.detail, /the way out is a NAT gateway/);
  apply(world, 'associate-address w');
  t.is(dropOut(world, w), undefined);
  t.false(egressPath(world, w, 'tcp', 443).some((h) => h.hop === 'nat-gateway'));
});

test('NAT gateway commands and routes refuse what EC2 refuses, and change nothing', (t) => {
  const { world } = natWorld();
  const held = nat(world).allocationId;
  const checks: [string, RegExp][] = [
    [`create-nat-gateway public-b --allocation-id ${held}`, /is associated with nat-/],
    ['create-nat-gateway public-b --allocation-id eipalloc-0nothing', /no Elastic IP allocation/],
    ['associate-address a --allocation ' + held, /is held by NAT gateway/],
    ['create-route public --destination 1.2.3.0/24', /one target/],
    ['create-route public --destination 1.2.3.0/24 --gateway igw --nat-gateway-id nat-a', /one target/],
    // DeleteNatGateway's code; CreateRoute's for an unknown gateway is InvalidNatGatewayID.NotFound.
    ['delete-nat-gateway nat-zzz', /: NatGatewayNotFound: no NAT gateway nat-zzz/],
  ];
  const before = JSON.stringify(world.vpc);
  for (const [line, why] of checks) t.regex(refusals(apply(world, line))[0] ?? '(accepted)', why, line);
  t.is(JSON.stringify(world.vpc), before);
  apply(world, 'impair-zone use1-az1');
  const alloc = eventsOf(apply(world, 'allocate-address'), 'address-allocated')[0]!.subject;
  t.regex(refusals(apply(world, `create-nat-gateway public-a --allocation-id ${alloc}`))[0]!, /is impaired/);
});

test("a level's NAT gateways and routes to them are checked by name", (t) => {
  const vpc = (natGateways: unknown, target: string) => ({
    vpc: {
      subnets: [{ name: 'p', zone: 'use1-az1', cidr: '10.0.0.0/24' }],
      natGateways,
      routeTables: [{ name: 'x', routes: [{ destination: '0.0.0.0/0', target }] }],
    },
  });
  t.throws(() => testLevel(vpc([{ name: 'nat-a', subnet: 'p' }], 'nat-b')), {
    message: /vpc\.routeTables\[0\]\.routes\[0\]\.target: .*igw, nat-a/,
  });
  t.throws(() => testLevel(vpc([{ name: 'nat-a', subnet: 'q' }], 'igw')), {
    message: /vpc\.natGateways\[0\]\.subnet: .*a subnet of this VPC \(p\)/,
  });
  t.notThrows(() => testLevel(vpc([{ name: 'nat-a', subnet: 'p' }], 'nat-a')));
});

test('a change that closes the way out is said at once, for the members behind it only', (t) => {
  const { session } = natWorld();
  // The public subnet's table loses its default route: the NAT gateway there has no way out.
  session.enqueue('delete-route public --destination 0.0.0.0/0', 'player');
  session.run(2);
  const said = session.events.filter((e) => e.kind === 'way-out-closed').map((e) => e.message);
  t.is(said.length, 1);
  t.regex(
    said[0]!,
    /a, b cannot reach the internet for payments's calls \(tcp 443\): .*a NAT gateway needs a public subnet/,
  );
  session.enqueue('create-route public --destination 0.0.0.0/0 --gateway igw', 'player');
  session.run(2);
  session.enqueue('delete-nat-gateway nat-a', 'player');
  session.run(2);
  const after = session.events.filter((e) => e.kind === 'way-out-closed').map((e) => e.message);
  t.is(after.length, 2);
  t.regex(after[1]!, /^after nat-\w+ \(nat-a\) deleted.*: .*blackhole/);
});

test('after random NAT gateway, route and zone commands, what the roster keeps is what a fresh look at a copy gives', (t) => {
  const { world } = natWorld();
  const random = seedrandom.alea('nat');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const nats = () => natGatewaysOf(layoutOf(world)).map((n) => n.name);
  const free = () => Object.values(world.elasticIps).filter((a) => !a.natGatewayId && !a.eniId);
  const commands: (() => string)[] = [
    () => 'allocate-address',
    () =>
      `create-nat-gateway ${pick(['public-a', 'public-b', 'private-b'])} --allocation-id ${pick(free())?.allocationId ?? 'eipalloc-0none'}`,
    () => `delete-nat-gateway ${pick(nats())}`,
    () => `replace-route private --destination 0.0.0.0/0 --nat-gateway-id ${pick(nats())}`,
    () => 'replace-route private --destination 0.0.0.0/0 --gateway igw',
    () => `${pick(['impair', 'restore'])}-zone ${pick(['use1-az1', 'use1-az2'])}`,
    () => `${pick(['stop', 'start', 'associate-address'])} ${pick(['a', 'b'])}`,
  ];
  const history: string[] = [];
  const seen = new Set<string>();
  for (let s = 0; s < 300; s++) {
    if (random() < 0.3) {
      const line = pick(commands)();
      history.push(`${world.tick}: ${line}`);
      apply(world, line);
    }
    run(world, 1);
    const kept = JSON.stringify(derivedData(world).teams);
    if (kept !== JSON.stringify(derivedData(copyWorld(world)).teams))
      return t.fail(`at ${world.tick} s, after ${history.slice(-4).join(' | ')}`);
    seen.add(
      derivedData(world)
        .teams[0]!.members.map((m) => m[0])
        .join(),
    );
  }
  t.true(history.some((h) => h.includes('create-nat-gateway')));
  t.true(seen.size >= 3, 'the members serving changed along the way');
});

test("a NAT gateway made in a second VPC turns available in its minute, and carries that VPC's way out", (t) => {
  const { world } = testSession({
    vpcs: [
      { name: 'red', subnets: [{ name: 'red-a', zone: 'use1-az1', cidr: '10.0.1.0/24' }] },
      {
        name: 'blue',
        subnets: [
          { name: 'blue-private', zone: 'use1-az1', cidr: '10.0.8.0/24', routeTable: 'private', publicIp: false },
          { name: 'blue-public', zone: 'use1-az1', cidr: '10.0.0.0/24' },
        ],
        routeTables: [{ name: 'private', routes: [] }],
      },
    ],
    securityGroups: [{ name: 'blue-default', vpc: 'blue', ingress: [] }],
    fleet: [
      { name: 'w', type: 'm6i.large', zone: 'use1-az1', subnet: 'blue-private', securityGroups: ['blue-default'] },
    ],
  });
  const w = named(world, 'w');
  const alloc = eventsOf(apply(world, 'allocate-address'), 'address-allocated')[0]!.subject;
  t.deepEqual(refusals(apply(world, `create-nat-gateway blue-public --allocation-id ${alloc} --name nat-blue`)), []);
  t.deepEqual(refusals(apply(world, 'create-route private --destination 0.0.0.0/0 --nat-gateway-id nat-blue')), []);
  run(world, 1);
  t.is(dropOut(world, w)!.hop, 'nat-gateway');
  t.is(eventsOf(run(world, 60), 'nat-gateway-available').length, 1);
  t.is(dropOut(world, w), undefined);
});

// Amazon VPC pricing: "you are charged for each NAT Gateway-hour that your gateway is provisioned
// and available … Each partial NAT Gateway-hour consumed is billed as a full hour."
test('an available NAT gateway bills $0.045 for each hour or part of one; a world that never had one keeps no NAT line', (t) => {
  const { world } = natWorld();
  const withNat = fleetCostUsd(world, 3600);
  run(world, 3599);
  t.is(world.ledger.natGatewayMicros, 45_000, 'its first hour, billed as it began');
  run(world, 1);
  t.is(world.ledger.natGatewayMicros, 90_000, 'a second hour begun is a second hour billed');
  apply(world, 'delete-nat-gateway nat-a');
  t.is(Math.round((withNat - fleetCostUsd(world, 3600)) * 1e6), 45_000, 'and a default budget counts it');
  run(world, 600);
  t.is(world.ledger.natGatewayMicros, 90_000, 'a deleted one bills nothing');
  // One made and deleted within ten minutes of being available: a whole hour.
  const alloc = eventsOf(apply(world, 'allocate-address'), 'address-allocated')[0]!.subject;
  apply(world, `create-nat-gateway public-a --allocation-id ${alloc} --name brief`);
  t.is(eventsOf(run(world, 660), 'nat-gateway-available').length, 1);
  apply(world, 'delete-nat-gateway brief');
  run(world, 3600);
  t.is(world.ledger.natGatewayMicros, 135_000);
  const plain = testSession({ fleet: [{ name: 'w', type: 'm6i.large', zone: 'use1-az1' }] }).world;
  run(plain, 10);
  t.false('natGatewayMicros' in plain.ledger);
});

test("a NAT gateway's name from a command is held as a level's: lower case, and not igw", (t) => {
  const { world } = natWorld();
  const alloc = eventsOf(apply(world, 'allocate-address'), 'address-allocated')[0]!.subject;
  for (const [name, expected] of [
    ['igw', 'a name other than igw (the internet gateway, as routes name it)'],
    ['Nat-B', 'a lower-case name such as public-a'],
    ['n'.repeat(65), 'a name of at most 64 characters'],
  ])
    t.regex(
      refusals(apply(world, `create-nat-gateway public-a --allocation-id ${alloc} --name ${name}`))[0]!,
      new RegExp(
        `InvalidParameterValue: --name '.*'(?: \\(\\d+ more characters\\))?: expected ${expected.replace(/[()]/g, '\\$&')}$`,
      ),
    );
  t.deepEqual(refusals(apply(world, `create-nat-gateway public-a --allocation-id ${alloc} --name nat-b`)), []);
});
