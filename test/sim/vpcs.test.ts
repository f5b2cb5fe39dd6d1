// Several VPCs: each with its own block, which another may reuse; an address means something only
// inside its VPC, so the same 10.0.1.4 in two VPCs is two hosts and no packet crosses between them.
import test from 'ava';
import { instanceMetadata } from '../../src/imds/metadata.js';
import { runTrace } from '../../src/sim/index.js';
import { servingSplit } from '../../src/sim/serving.js';
import { vpcsOf } from '../../src/sim/vpc.js';
import { apply, named, refusals, run, testLevel, testSession, type LevelPatch } from '../helpers/world.js';

const app = { protocol: 'tcp', port: 8080, cidr: '10.0.0.0/16' };
const allowAll = [{ rule: 100, protocol: 'all', cidr: '0.0.0.0/0', action: 'allow' }];

/** Two VPCs on the same 10.0.0.0/16, each with a 10.0.1.0/24 in use1-az1; blue's ACL lets nothing in. */
function twoVpcs() {
  const session = testSession({
    vpcs: [
      { name: 'red', subnets: [{ name: 'red-a', zone: 'use1-az1', cidr: '10.0.1.0/24' }] },
      {
        name: 'blue',
        networkAcls: [{ name: 'shut', inbound: [], outbound: allowAll }],
        subnets: [{ name: 'blue-a', zone: 'use1-az1', cidr: '10.0.1.0/24', networkAcl: 'shut' }],
      },
    ],
    securityGroups: [
      { name: 'default', ingress: [app] },
      { name: 'blue-app', vpc: 'blue', ingress: [app] },
    ],
    workloads: [{ name: 'api', kind: 'web', public: false, port: 8080, demand: { baseRps: 50 } }],
    fleet: [
      { name: 'red-api', type: 'm6i.large', zone: 'use1-az1', subnet: 'red-a', workload: 'api' },
      { name: 'red-client', type: 'm6i.large', zone: 'use1-az1', subnet: 'red-a' },
      {
        name: 'blue-api',
        type: 'm6i.large',
        zone: 'use1-az1',
        subnet: 'blue-a',
        workload: 'api',
        securityGroups: ['blue-app'],
      },
    ],
  });
  return { session, world: session.world };
}

test('two VPCs may use the same addresses: the same private IP is another host in each', (t) => {
  const { world } = twoVpcs();
  const [red, blue] = vpcsOf(world);
  t.is(red!.cidr, blue!.cidr);
  t.not(red!.id, blue!.id);
  const ip = (name: string) => world.enis[named(world, name).eniId]!.privateIp;
  t.is(ip('red-api'), '10.0.1.4');
  t.is(ip('blue-api'), '10.0.1.4');
  const trace = runTrace(world, { target: 'blue-api', port: 8080, protocol: null, from: 'red-client' });
  t.false(trace.reached);
  const drop = trace.hops.find((h) => !h.ok)!;
  t.is(drop.hop, 'source-route');
  t.regex(drop.detail, /keeps 10\.0\.1\.4 inside vpc-\w+ \(red\), where it is i-\w+ \(red-api\); VPCs share no path/);
  const there = runTrace(world, { target: '10.0.1.4', port: 8080, protocol: null, from: 'red-client' });
  t.is(there.instance.id, named(world, 'red-api').id, 'traced from red, the address is red’s host');
  t.true(there.reached);
  t.throws(() => runTrace(world, { target: '10.0.1.4', port: 8080, protocol: null, from: null }), {
    message: /2 VPCs each have an instance at that address/,
  });
});

test('what a member serves is judged inside its own VPC: blue’s closed ACL stops blue’s member only', (t) => {
  const { session, world } = twoVpcs();
  run(world, 2);
  const split = servingSplit(world, 'api');
  t.deepEqual(
    split.serving.map((i) => i.name),
    ['red-api'],
  );
  t.regex(split.idle.find((i) => i.instance.name === 'blue-api')!.why, /does not let tcp\/8080 in/);
  t.is(session.world.workloads.api!.last.healthyMembers, 1);
  const folder = instanceMetadata(session, named(world, 'blue-api')) as {
    'meta-data': { network: { interfaces: { macs: Record<string, () => Record<string, string>> } } };
  };
  const mac = Object.values(folder['meta-data'].network.interfaces.macs)[0]!();
  t.is(mac['vpc-id'], vpcsOf(world)[1]!.id);
  t.is(mac['subnet-ipv4-cidr-block'], '10.0.1.0/24');
});

test('a security group belongs to one VPC: a launch or interface mixing VPCs is refused', (t) => {
  const { world } = twoVpcs();
  t.regex(
    refusals(apply(world, 'launch m6i.large --az use1-az1 --subnet blue-a --sg default'))[0]!,
    /security group sg-\w+ \(default\) is in vpc-\w+ and subnet subnet-\w+ in vpc-\w+: they belong to different networks/,
  );
  t.regex(
    refusals(apply(world, 'create-network-interface --subnet red-a --sg blue-app'))[0]!,
    /belong to different networks/,
  );
  t.deepEqual(refusals(apply(world, 'launch m6i.large --az use1-az1 --subnet blue-a --sg blue-app')), []);
});

test('a VPC’s block is a level field: /16 to /28, canonical, default 10.0.0.0/16', (t) => {
  const { world } = testSession({
    vpc: { cidr: '172.16.0.0/16', subnets: [{ name: 'a', zone: 'use1-az1', cidr: '172.16.8.0/24' }] },
    workloads: [{ name: 'api', kind: 'web', public: false, port: 8080, demand: { baseRps: 50 } }],
    securityGroups: [{ name: 'default', ingress: [{ protocol: 'tcp', port: 8080, cidr: '172.16.0.0/16' }] }],
    fleet: [{ name: 'api', type: 'm6i.large', zone: 'use1-az1', workload: 'api' }],
  });
  t.is(world.enis[named(world, 'api').eniId]!.privateIp, '172.16.8.4');
  t.is(
    vpcsOf(world)[0]!.routeTables[Object.keys(vpcsOf(world)[0]!.routeTables)[0]!]!.routes[0]!.destination,
    '172.16.0.0/16',
  );
  run(world, 2);
  t.is(world.workloads.api!.last.healthyMembers, 1, 'its clients sit inside its block');
  t.deepEqual(servingSplit(world, 'api').idle, []);
  t.regex(
    runTrace(world, { target: 'api', port: null, protocol: null, from: null }).fromText,
    /a client inside the VPC \(172\.16\.255\.10\)/,
  );
  const refusal = (patch: LevelPatch) => {
    try {
      testLevel(patch);
      return 'accepted';
    } catch (err) {
      return (err as Error).message;
    }
  };
  const subnets = [{ name: 'a', zone: 'use1-az1', cidr: '10.0.1.0/24' }];
  t.regex(
    refusal({ vpc: { cidr: '10.0.0.0/8', subnets } }),
    /vpc\.cidr: expected a \/16 to a \/28, as AWS allows a VPC/,
  );
  t.regex(
    refusal({ vpc: { cidr: '10.0.0.7/16', subnets } }),
    /vpc\.cidr: expected .*its address the first of its block/,
  );
  t.regex(
    refusal({ vpc: { cidr: '10.1.0.0/16', subnets } }),
    /subnets\[0\]\.cidr: expected a block inside the VPC's 10\.1\.0\.0\/16/,
  );
  t.regex(refusal({ vpc: { subnets }, vpcs: [{ name: 'b', subnets }] }), /vpcs: expected no vpcs beside vpc/);
  t.regex(
    refusal({
      vpcs: [
        { name: 'x', subnets },
        { name: 'y', subnets },
      ],
    }),
    /vpcs\[1\]\.subnets\[0\]\.name: expected a subnet name of its own across the level's VPCs \('a' is vpcs\[0\]\.subnets\[0\]\.name\)/,
  );
  t.regex(refusal({ vpcs: [{ subnets }] }), /vpcs\[0\]\.name: expected/);
  t.regex(
    refusal({ vpcs: [{ name: 'x', subnets }], securityGroups: [{ name: 'g', vpc: 'z', ingress: [] }] }),
    /securityGroups\[0\]\.vpc: expected no vpc: the level has one VPC/,
  );
  t.regex(
    refusal({
      vpcs: [
        { name: 'x', subnets },
        { name: 'y', subnets: [{ ...subnets[0], name: 'b' }] },
      ],
      fleet: [{ type: 'm6i.large', zone: 'use1-az1', subnet: 'b' }],
    }),
    /fleet\[0\]\.securityGroups: expected groups of the subnet's VPC y \(none: give the VPC its own groups with `vpc`\); default is in x/,
  );
});

test('a launch with no free address in its subnet fails as EC2’s does, in the default VPC too, and hands out nothing', (t) => {
  const { world } = testSession({ fleet: [] });
  // The default VPC's use1-az1 subnet is 10.0.0.0/20: 4,091 addresses past the reserved ones.
  world.counters['ip:use1-az1'] = 4089;
  t.regex(
    refusals(apply(world, 'launch m6i.large --az use1-az1 --count 3'))[0]!,
    /InsufficientFreeAddressesInSubnet|has 2 free addresses, not 3/,
  );
  t.is(world.counters['ip:use1-az1'], 4089, 'nothing handed out');
  apply(world, 'launch m6i.large --az use1-az1 --count 2 --name last');
  t.deepEqual(
    Object.values(world.instances).map((i) => world.enis[i.eniId]!.privateIp),
    ['10.0.15.253', '10.0.15.254'],
    'the last addresses inside the /20, never one outside the VPC',
  );
  t.regex(refusals(apply(world, 'launch m6i.large --az use1-az1'))[0]!, /has 0 free addresses/);
  const eni = named(world, 'last-1').eniId;
  t.regex(
    refusals(apply(world, `assign-private-ip-addresses ${eni} --secondary-private-ip-address-count 1`))[0]!,
    /has 0 free addresses/,
  );
  const small = testSession({
    vpc: { subnets: [{ name: 'tiny', zone: 'use1-az1', cidr: '10.0.1.0/28' }] },
    fleet: [{ type: 'm6i.large', zone: 'use1-az1', count: 11 }],
  }).world;
  t.is(Object.keys(small.instances).length, 11, 'a /28 holds 16 addresses, 11 past the reserved');
  t.regex(refusals(apply(small, 'launch m6i.large --az use1-az1'))[0]!, /10\.0\.1\.0\/28\) has 0 free addresses/);
});
