// The scheduler: hardware family, zone, capacity, bare metal and placement-group rules, and EC2's
// InsufficientInstanceCapacity when nothing fits.
import test from 'ava';
import { worldFingerprint, type Instance, type SimEvent, type World } from '../../src/sim/index.js';
import { SPREAD_LIMIT_PER_ZONE } from '../../src/sim/placement.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';

/** Eight m6i racks in use1-az1 (more than a spread group may use), three in use1-az2, and small c6i and m5 pools. */
function region(): World {
  return testSession({
    racks: [
      { zone: 'use1-az1', family: 'm6i', racks: 8, hostsPerRack: 2 },
      { zone: 'use1-az2', family: 'm6i', racks: 3, hostsPerRack: 2 },
      { zone: 'use1-az1', family: 'c6i', racks: 1, hostsPerRack: 2 },
      { zone: 'use1-az1', family: 'm5', racks: 1, hostsPerRack: 2 },
    ],
  }).world;
}

function refusal(events: SimEvent[]): { code: unknown; message: string } | undefined {
  const e = eventsOf(events, 'command-refused')[0];
  return e && { code: e.data?.code, message: e.message };
}

function inGroup(world: World, group: string): Instance[] {
  return Object.values(world.instances).filter((i) => i.placementGroup === group && i.hostId !== null);
}

const rackOf = (world: World, i: Instance) => world.hosts[i.hostId!]!.rackId;

test('a spread group puts each instance on its own rack', (t) => {
  const world = region();
  apply(
    world,
    'create-placement-group s --strategy spread',
    `launch m6i.large --az use1-az1 --pg s --count ${SPREAD_LIMIT_PER_ZONE}`,
  );
  const members = inGroup(world, 's');
  t.is(members.length, 7);
  t.is(new Set(members.map((i) => rackOf(world, i))).size, 7);
});

test('an eighth spread instance in one zone is refused, while one in another zone is placed', (t) => {
  const world = region();
  apply(world, 'create-placement-group s --strategy spread', 'launch m6i.large --az use1-az1 --pg s --count 7');
  const before = worldFingerprint(world);
  const refused = refusal(apply(world, 'launch m6i.large --az use1-az1 --pg s'));
  t.is(refused?.code, 'InsufficientInstanceCapacity');
  t.regex(refused!.message, /spread group s already has 7 running instances in use1-az1/);
  t.is(worldFingerprint(world), before);
  t.is(refusal(apply(world, 'launch m6i.large --az use1-az2 --pg s --name other-zone')), undefined);
  t.is(named(world, 'other-zone').zoneId, 'use1-az2');
});

test('the spread limit counts running instances: a stopped member frees its place', (t) => {
  const world = region();
  apply(
    world,
    'create-placement-group s --strategy spread',
    'launch m6i.large --az use1-az1 --pg s --count 7 --name s',
  );
  run(world, TICKS.pendingToRunning + 1);
  apply(world, 'stop s-1');
  run(world, TICKS.stopping + 1);
  t.is(refusal(apply(world, 'launch m6i.large --az use1-az1 --pg s --name late')), undefined);
  t.is(refusal(apply(world, 'start s-1'))?.code, 'InsufficientInstanceCapacity');
});

test('a spread group cannot stand two instances on one rack even when racks run short', (t) => {
  const world = region();
  apply(world, 'create-placement-group s --strategy spread', 'launch m6i.large --az use1-az2 --pg s --count 3');
  const refused = refusal(apply(world, 'launch m6i.large --az use1-az2 --pg s'));
  t.is(refused?.code, 'InsufficientInstanceCapacity');
  t.regex(refused!.message, /for placement group s/);
});

test('partitions never share a rack', (t) => {
  const world = region();
  apply(
    world,
    'create-placement-group p --strategy partition --partitions 3',
    'launch m6i.large --az use1-az1 --pg p --count 9',
    'launch m6i.large --az use1-az1 --pg p --partition 2 --count 4',
  );
  const racksByPartition = new Map<number, Set<string>>();
  for (const i of inGroup(world, 'p')) {
    const racks = racksByPartition.get(i.partition!) ?? new Set();
    racks.add(rackOf(world, i));
    racksByPartition.set(i.partition!, racks);
  }
  t.deepEqual([...racksByPartition.keys()].sort(), [1, 2, 3]);
  t.is(inGroup(world, 'p').filter((i) => i.partition === 2).length, 7);
  const all = [...racksByPartition.values()].flatMap((s) => [...s]);
  t.is(new Set(all).size, all.length, 'no rack appears under two partitions');
});

test('a partition that would have to share a rack is refused', (t) => {
  const world = region();
  // use1-az2 has three racks: a fourth partition has nowhere of its own to go.
  apply(
    world,
    'create-placement-group p --strategy partition --partitions 4',
    'launch m6i.large --az use1-az2 --pg p --count 3',
  );
  t.is(
    refusal(apply(world, 'launch m6i.large --az use1-az2 --pg p --partition 4'))?.code,
    'InsufficientInstanceCapacity',
  );
  t.regex(
    refusal(apply(world, 'launch m6i.large --az use1-az2 --pg p --partition 5'))!.message,
    /partition 5 does not exist in p \(1-4\)/,
  );
});

test('a cluster group stays in one zone and packs its members together', (t) => {
  const world = region();
  apply(world, 'create-placement-group c --strategy cluster', 'launch m6i.4xlarge --az use1-az1 --pg c --count 4');
  const refused = refusal(apply(world, 'launch m6i.large --az use1-az2 --pg c'));
  t.is(refused?.code, 'InvalidPlacementGroup.InUse');
  t.regex(refused!.message, /has instances in use1-az1/);
  const members = inGroup(world, 'c');
  t.true(members.every((i) => i.zoneId === 'use1-az1'));
  t.is(new Set(members.map((i) => rackOf(world, i))).size, 1);
});

test('launch --count is all or none', (t) => {
  const world = region();
  // Two c6i hosts of 128 vCPU and 256 GiB hold exactly 64 c6i.xlarge (4 vCPU, 8 GiB).
  const before = worldFingerprint(world);
  const refused = refusal(apply(world, 'launch c6i.xlarge --az use1-az1 --count 65'));
  t.is(refused?.code, 'InsufficientInstanceCapacity');
  t.is(worldFingerprint(world), before, 'not one of the 65 was launched');
  t.is(eventsOf(apply(world, 'launch c6i.xlarge --az use1-az1 --count 64'), 'instance-launched').length, 64);
  const hosts = Object.values(world.hosts).filter((h) => h.family === 'c6i');
  t.true(hosts.every((h) => h.usedVcpu === h.vcpu && h.usedMemoryMiB === h.memoryMiB));
});

test('InsufficientInstanceCapacity when no host of the family has room', (t) => {
  const world = region();
  const noFamily = refusal(apply(world, 'launch c6i.large --az use1-az2'));
  t.is(noFamily?.code, 'InsufficientInstanceCapacity');
  t.regex(noFamily!.message, /no c6i host in use1-az2 has room for a c6i\.large/);
  apply(world, 'launch c6i.xlarge --az use1-az1 --count 64');
  t.is(refusal(apply(world, 'launch c6i.large --az use1-az1'))?.code, 'InsufficientInstanceCapacity');
});

test('instances land only on hosts of their own family', (t) => {
  const world = region();
  apply(world, 'launch c6i.large --az use1-az1 --name c', 'launch m6i.large --az use1-az1 --name m');
  t.is(world.hosts[named(world, 'c').hostId!]!.family, 'c6i');
  t.is(world.hosts[named(world, 'm').hostId!]!.family, 'm6i');
});

test('bare metal takes a whole empty host and shares it with nothing', (t) => {
  const world = region();
  apply(world, 'launch m5.large --az use1-az1 --name small');
  const smallHost = named(world, 'small').hostId;
  apply(world, 'launch m5.metal --az use1-az1 --name metal');
  const metal = named(world, 'metal');
  const host = world.hosts[metal.hostId!]!;
  t.not(host.id, smallHost);
  t.deepEqual(host.instanceIds, [metal.id]);
  t.is(host.usedVcpu, host.vcpu);
  t.is(
    refusal(apply(world, 'launch m5.metal --az use1-az1'))?.code,
    'InsufficientInstanceCapacity',
    'the other host is not empty',
  );
  apply(world, 'launch m5.large --az use1-az1 --name second');
  t.is(named(world, 'second').hostId, smallHost);
});

test('hosts that are not healthy take no new instances', (t) => {
  const world = region();
  apply(world, 'launch m5.large --az use1-az1 --name a');
  apply(world, 'fail-host a');
  apply(world, 'launch m5.large --az use1-az1 --name b');
  t.not(named(world, 'b').hostId, named(world, 'a').hostId);
  t.is(refusal(apply(world, 'launch m5.metal --az use1-az1'))?.code, 'InsufficientInstanceCapacity');
});

test('an impaired zone accepts no launches', (t) => {
  const world = region();
  apply(world, 'impair-zone use1-az2');
  t.is(refusal(apply(world, 'launch m6i.large --az us-east-1b'))?.code, 'InsufficientInstanceCapacity');
});

// RunInstances, Placement.PartitionNumber: a partition number only for a partition placement group.
test('--partition goes with a partition placement group, not alone nor with another kind', (t) => {
  const { world } = testSession();
  apply(world, 'create-placement-group apart --strategy spread');
  const refused = (line: string) => refusals(apply(world, line))[0];
  t.regex(
    refused('launch m6i.large --az use1-az1 --partition 3')!,
    /InvalidParameterCombination: --partition goes with --pg naming a partition placement group/,
  );
  t.regex(
    refused('launch m6i.large --az use1-az1 --pg apart --partition 2')!,
    /InvalidParameterCombination: --partition goes with a partition placement group, and apart is not one/,
  );
});
