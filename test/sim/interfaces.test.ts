// Network interfaces beyond the primary: attached up to the type's limit in the instance's zone,
// an Elastic IP on whichever interface it is associated with, and trace following each.
import test from 'ava';
import { instanceMetadata } from '../../src/imds/metadata.js';
import { parseTraceWords, runTrace } from '../../src/sim/index.js';
import { servingSplit } from '../../src/sim/serving.js';
import { INSTANCE_TYPES } from '../../src/sim/catalogue.js';
import { typesWithoutInterfaceLimits } from '../../src/sim/interfaces.js';
import { interfacesOf } from '../../src/sim/network.js';
import { apply, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';
import { TICKS } from '../../src/sim/timings.js';

/** A web server whose eth0 is in a public subnet without auto-assigned addresses, and a private management subnet. */
function twoSubnets() {
  const session = testSession({
    vpc: {
      routeTables: [{ name: 'private', routes: [] }],
      subnets: [
        { name: 'public-a', zone: 'use1-az1', cidr: '10.0.1.0/24', publicIp: false },
        { name: 'mgmt-a', zone: 'use1-az1', cidr: '10.0.9.0/24', routeTable: 'private', publicIp: false },
        { name: 'public-b', zone: 'use1-az2', cidr: '10.0.2.0/24' },
        { name: 'dmz-a', zone: 'use1-az1', cidr: '10.0.3.0/24' },
      ],
    },
    workloads: [{ name: 'shop', kind: 'web', demand: { baseRps: 50 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'shop' }],
  });
  return { session, world: session.world, web: named(session.world, 'web') };
}

const newInterface = (world: ReturnType<typeof twoSubnets>['world'], subnet: string) =>
  eventsOf(apply(world, `create-network-interface --subnet ${subnet}`), 'network-interface-created')[0]!.subject;

test('interfaces attach up to the type’s limit, in the instance’s zone, and the primary never detaches', (t) => {
  const { world, web } = twoSubnets();
  const a = newInterface(world, 'mgmt-a');
  t.is(world.enis[a]!.instanceId, null);
  t.is(world.enis[a]!.privateIp, '10.0.9.4');
  apply(world, `attach-network-interface ${a} web`);
  t.deepEqual(
    interfacesOf(world, web).map((e) => e.deviceIndex ?? 0),
    [0, 1],
  );
  apply(world, `attach-network-interface ${newInterface(world, 'mgmt-a')} web`);
  t.regex(
    refusals(apply(world, `attach-network-interface ${newInterface(world, 'mgmt-a')} web`))[0]!,
    /m6i\.large takes at most 3 network interfaces/,
  );
  t.regex(
    refusals(apply(world, `attach-network-interface ${newInterface(world, 'public-b')} web`))[0]!,
    /must share a zone/,
  );
  t.regex(refusals(apply(world, `detach-network-interface ${web.eniId}`))[0]!, /primary interface \(eth0\)/);
  apply(world, `detach-network-interface ${a}`);
  t.is(world.enis[a]!.instanceId, null);
  t.is(interfacesOf(world, web).length, 2);
});

test('an Elastic IP on an interface in a private subnet reaches nothing; on eth0 the shop answers again', (t) => {
  const { session, world } = twoSubnets();
  const mgmt = newInterface(world, 'mgmt-a');
  apply(world, `attach-network-interface ${mgmt} web`, 'associate-address web --network-interface eth1');
  run(world, 1);
  const trace = runTrace(world, { target: 'web', port: null, protocol: null, from: null });
  t.false(trace.reached);
  t.is(trace.interfaceId, mgmt, 'the interface the packet gets furthest into');
  t.deepEqual(
    trace.interfaces.map((i) => [i.device, i.droppedAt]),
    [
      ['eth0', 'internet'],
      ['eth1', 'route-table'],
    ],
  );
  t.is(session.world.workloads.shop!.last.healthyMembers, 0);
  const allocation = world.enis[mgmt]!.allocationId!;
  apply(world, `associate-address web --allocation ${allocation}`);
  run(world, 1);
  t.true(runTrace(world, { target: 'web', port: null, protocol: null, from: null }).reached);
  t.is(world.enis[mgmt]!.publicIp, null, 'the address moved to eth0');
  t.is(session.world.workloads.shop!.last.healthyMembers, 1);
});

test('the metadata service lists every attached interface by its MAC; termination detaches those attached later', (t) => {
  const { session, world, web } = twoSubnets();
  const mgmt = newInterface(world, 'mgmt-a');
  apply(world, `attach-network-interface ${mgmt} web --device-index 2`);
  const folder = instanceMetadata(session, web) as { 'meta-data': { network: { interfaces: { macs: object } } } };
  const macs = folder['meta-data'].network.interfaces.macs as Record<string, () => Record<string, string>>;
  t.deepEqual(
    Object.values(macs).map((f) => [f()['device-number'], f()['subnet-ipv4-cidr-block']]),
    [
      ['0', '10.0.1.0/24'],
      ['2', '10.0.9.0/24'],
    ],
  );
  apply(world, 'terminate web');
  run(world, 120);
  t.is(world.enis[mgmt]!.instanceId, null);
});

test('every instance type of the catalogue has its interface limit', (t) => {
  t.deepEqual(typesWithoutInterfaceLimits(INSTANCE_TYPES.keys()), []);
});

test('an instance serves by whichever interface its clients can reach, and says why by the one that got furthest', (t) => {
  const { world, web } = twoSubnets();
  t.regex(servingSplit(world, 'shop').idle[0]!.why, /no public IPv4 address/);
  const dmz = newInterface(world, 'dmz-a');
  apply(world, `attach-network-interface ${dmz} web`, 'associate-address web --network-interface eth1');
  run(world, 1);
  t.deepEqual(
    servingSplit(world, 'shop').serving.map((i) => i.id),
    [web.id],
  );
  t.is(world.workloads.shop!.last.healthyMembers, 1);
});

test('an interface moved to another instance in its zone keeps its addresses and MAC, and traffic to them follows it', (t) => {
  const session = testSession({
    vpc: { subnets: [{ name: 'app-a', zone: 'use1-az1', cidr: '10.0.1.0/24' }] },
    securityGroups: [{ name: 'app', ingress: [{ protocol: 'tcp', port: 8080, cidr: '10.0.0.0/16' }] }],
    fleet: [
      { name: 'old', type: 'm6i.large', zone: 'use1-az1', securityGroups: ['app'] },
      { name: 'new', type: 'm6i.large', zone: 'use1-az1', securityGroups: ['app'] },
      { name: 'client', type: 'm6i.large', zone: 'use1-az1', securityGroups: ['app'] },
    ],
  });
  const world = session.world;
  const eni = eventsOf(
    apply(world, 'create-network-interface --subnet app-a --sg app'),
    'network-interface-created',
  )[0]!.subject;
  apply(
    world,
    `attach-network-interface ${eni} old`,
    `assign-private-ip-addresses ${eni} --secondary-private-ip-address-count 1`,
  );
  const { privateIp, mac } = world.enis[eni]!;
  const secondary = world.enis[eni]!.secondaryIps![0]!.privateIp;
  const traceTo = (ip: string) => runTrace(world, { target: ip, port: 8080, protocol: null, from: 'client' });
  t.is(traceTo(secondary).instance.id, named(world, 'old').id);
  apply(world, `detach-network-interface ${eni}`, `attach-network-interface ${eni} new`);
  t.like(world.enis[eni], { privateIp, mac, instanceId: named(world, 'new').id, deviceIndex: 1 });
  t.is(world.enis[eni]!.secondaryIps![0]!.privateIp, secondary);
  for (const ip of [privateIp, secondary]) {
    const trace = traceTo(ip);
    t.is(trace.instance.id, named(world, 'new').id, `${ip} now leads to the new instance`);
    t.true(trace.reached);
    t.regex(trace.hops.find((h) => h.hop === 'eni')!.detail, new RegExp(`found by MAC ${mac}`));
    t.true(trace.hops.find((h) => h.hop === 'source-route')!.detail.includes(`keeps ${ip} inside`));
  }
  t.deepEqual(
    interfacesOf(world, named(world, 'old')).map((e) => e.id),
    [named(world, 'old').eniId],
  );
  apply(world, `detach-network-interface ${eni}`);
  t.throws(() => traceTo(privateIp), { message: /no attached network interface holds/ });
});

test('secondary private addresses stay within the type’s per-interface limit and can carry an Elastic IP', (t) => {
  const { session, world, web } = twoSubnets();
  const eth0 = web.eniId;
  // m6i.large: 10 private IPv4 addresses per interface, the primary included.
  t.regex(
    refusals(apply(world, `assign-private-ip-addresses ${eth0} --secondary-private-ip-address-count 10`))[0]!,
    /PrivateIpAddressLimitExceeded|takes at most 10/,
  );
  t.is(world.enis[eth0]!.secondaryIps, undefined, 'nothing assigned by a refused request');
  apply(world, `assign-private-ip-addresses ${eth0} --secondary-private-ip-address-count 9`);
  t.is(world.enis[eth0]!.secondaryIps!.length, 9);
  t.regex(
    refusals(apply(world, `assign-private-ip-addresses ${eth0} --secondary-private-ip-address-count 1`))[0]!,
    /takes at most 10/,
  );
  const [first, second] = world.enis[eth0]!.secondaryIps!.map((s) => s.privateIp);
  apply(world, `associate-address web --private-ip-address ${second}`);
  run(world, 1);
  t.truthy(world.enis[eth0]!.secondaryIps![1]!.publicIp);
  t.is(world.enis[eth0]!.publicIp, null, 'the primary address keeps none: its subnet assigns none');
  const trace = runTrace(world, { target: 'web', port: null, protocol: null, from: null });
  t.true(trace.reached, 'the internet reaches the instance by its secondary address’s Elastic IP');
  t.regex(trace.hops.find((h) => h.hop === 'edge')!.detail, new RegExp(`to ${second!.replaceAll('.', '\\.')} `));
  t.is(session.world.workloads.shop!.last.healthyMembers, 1);
  const folder = instanceMetadata(session, web) as { 'meta-data': { network: { interfaces: { macs: object } } } };
  const eth0Folder = Object.values(folder['meta-data'].network.interfaces.macs)[0]() as Record<string, unknown>;
  t.is(
    eth0Folder['local-ipv4s'],
    [world.enis[eth0]!.privateIp, ...world.enis[eth0]!.secondaryIps!.map((s) => s.privateIp)].join('\n'),
  );
  t.deepEqual(eth0Folder['ipv4-associations'], { [world.enis[eth0]!.secondaryIps![1]!.publicIp!]: second });
  t.regex(
    refusals(
      apply(world, `unassign-private-ip-addresses ${eth0} --private-ip-addresses ${world.enis[eth0]!.privateIp}`),
    )[0]!,
    /primary/,
  );
  apply(world, `unassign-private-ip-addresses ${eth0} --private-ip-addresses ${first},${second}`);
  t.is(world.enis[eth0]!.secondaryIps!.length, 7);
  t.is(Object.values(world.elasticIps)[0]!.eniId, null, 'the Elastic IP on an unassigned address is disassociated');
  t.regex(
    refusals(apply(world, `associate-address web --private-ip-address ${second}`))[0]!,
    /not a private address of/,
  );
});

// RunInstances, AssociatePublicIpAddress: "overrides the subnet's public IP address attribute";
// unset, the subnet's attribute decides.
test("a launch's public address follows the subnet unless asked for, or refused, in so many words", (t) => {
  const session = testSession({
    vpc: {
      subnets: [
        { name: 'quiet-a', zone: 'use1-az1', cidr: '10.0.1.0/24', publicIp: false },
        { name: 'open-a', zone: 'use1-az1', cidr: '10.0.2.0/24' },
      ],
    },
    fleet: [
      { name: 'level-asked', type: 'm6i.large', zone: 'use1-az1', subnet: 'quiet-a', publicIp: true },
      { name: 'level-quiet', type: 'm6i.large', zone: 'use1-az1', subnet: 'quiet-a' },
    ],
  });
  const { world } = session;
  const address = (name: string) => world.enis[named(world, name).eniId]!.publicIp;
  t.truthy(address('level-asked'));
  t.is(address('level-quiet'), null);
  apply(
    world,
    'launch m6i.large --az use1-az1 --subnet quiet-a --name cmd-quiet',
    'launch m6i.large --az use1-az1 --subnet quiet-a --public-ip --name cmd-asked',
    'launch m6i.large --az use1-az1 --subnet open-a --name cmd-open',
    'launch m6i.large --az use1-az1 --subnet open-a --no-public-ip --name cmd-none',
  );
  session.run(30);
  t.deepEqual(
    ['cmd-quiet', 'cmd-asked', 'cmd-open', 'cmd-none'].map((n) => address(n) !== null),
    [false, true, true, false],
  );
  t.regex(
    refusals(apply(world, 'launch m6i.large --az use1-az1 --public-ip --no-public-ip'))[0]!,
    /give --public-ip or --no-public-ip, not both/,
  );
});

// EC2 User Guide, "Public IPv4 addresses": a released public address is not replaced while the
// instance has more than one network interface, or an Elastic IP on a secondary private address.
test('a released public address is not replaced with two interfaces attached, or an Elastic IP on a secondary address', (t) => {
  const session = testSession({
    fleet: [
      { name: 'two', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'side', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'one', type: 'm6i.large', zone: 'use1-az1' },
    ],
  });
  const { world } = session;
  const address = (name: string) => world.enis[named(world, name).eniId]!.publicIp;
  const eni = eventsOf(apply(world, 'create-network-interface --subnet use1-az1'), 'network-interface-created')[0]!
    .subject;
  apply(world, `attach-network-interface ${eni} two`, 'associate-address two', 'associate-address one');
  apply(world, 'disassociate-address two', 'disassociate-address one');
  t.is(address('two'), null, 'two interfaces: none');
  t.truthy(address('one'), 'one interface: a fresh one');
  const side = named(world, 'side');
  apply(world, `assign-private-ip-addresses ${side.eniId} --secondary-private-ip-address-count 1`);
  const secondary = world.enis[side.eniId]!.secondaryIps![0]!.privateIp;
  apply(world, `associate-address side --private-ip-address ${secondary}`, 'stop side', 'stop two');
  session.run(TICKS.stopping + 1);
  apply(world, 'start side', 'start two');
  session.run(TICKS.pendingToRunning + 1);
  t.is(address('side'), null, 'an Elastic IP on a secondary address: none at the start');
  t.is(address('two'), null, 'two interfaces: none at the start');
});

test("trace refuses to start from the traced instance's own addresses, on any of its interfaces, a port for ICMP, and an address out of form", (t) => {
  const { world, web } = twoSubnets();
  const eth1 = newInterface(world, 'dmz-a');
  apply(
    world,
    `attach-network-interface ${eth1} web`,
    `assign-private-ip-addresses ${eth1} --secondary-private-ip-address-count 1`,
    'allocate-address',
  );
  apply(world, `associate-address web --allocation ${Object.keys(world.elasticIps)[0]!}`);
  const eni = world.enis[eth1]!;
  const own = [
    world.enis[web.eniId]!.privateIp,
    world.enis[web.eniId]!.publicIp!,
    eni.privateIp,
    eni.secondaryIps![0]!.privateIp,
  ];
  for (const ip of own)
    t.throws(() => runTrace(world, parseTraceWords(['web', '--from', ip])), {
      message: new RegExp(
        `^trace --from ${ip.replaceAll('.', '\\.')}: that address is the instance traced to \\(its eni-`,
      ),
    });
  // Another address of its subnet is a peer in the VPC.
  t.true(runTrace(world, parseTraceWords(['web', '--from', '10.0.1.200'])).hops.length > 0);
  t.throws(() => parseTraceWords(['web', '--protocol', 'icmp', '--port', '22']), {
    message: 'trace --port applies to tcp and udp; icmp has no ports',
  });
  t.throws(() => parseTraceWords(['web', '--port', '0443']), { message: /expects a port from 1 to 65535, got '0443'/ });
  // An address no client sends from.
  for (const [ip, block] of [
    ['127.0.0.1', '127.0.0.0/8'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['255.255.255.255', '240.0.0.0/4'],
    ['169.254.169.254', '169.254.0.0/16'],
  ])
    t.throws(() => runTrace(world, parseTraceWords(['web', '--from', ip])), {
      message: new RegExp(
        `^trace --from ${ip.replaceAll('.', '\\.')}: ${block.replaceAll('.', '\\.')} is .*; no client sends from there$`,
      ),
    });
  // Digits and dots that are no address are told so, not looked for as a name.
  for (const [words, what] of [
    [['web', '--from', '10.0.0.256'], 'trace --from 10.0.0.256'],
    [['010.0.1.4'], 'trace 010.0.1.4'],
  ] as const)
    t.throws(() => runTrace(world, parseTraceWords(words)), {
      message: `${what}: expected an IPv4 address such as 10.0.1.5 (four numbers from 0 to 255, without leading zeros)`,
    });
});
