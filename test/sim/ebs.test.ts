// EBS: volume-type rules, burst buckets on the volume and on the instance, queueing, Elastic
// Volumes, zones, snapshots and the root volume.
import test from 'ava';
import { currentLimits, volumeSpec } from '../../src/sim/volume-types.js';
import { burstBalancePct, deliverUnit, ebsByteBalancePct, GUEST_QUEUE_DEPTH, ioScratch } from '../../src/sim/ebs-io.js';
import { rosterOf, unitLanes } from '../../src/sim/roster.js';
import { setDemand } from '../../src/sim/volume-io.js';
import { creditsOf, IDLE_IO, ioOf, setCredits } from '../../src/sim/volume-lanes.js';
import {
  worldFingerprint,
  copyWorld,
  parseCommand,
  ParseError,
  VOLUME_TYPES,
  type SimEvent,
  type Volume,
  type World,
} from '../../src/sim/index.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, dataVolumeOf, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';

/** Megabits per second in one MiB per second. */
const MBPS_PER_MIBPS = 8.388608;

function fleetWith(volume: Record<string, unknown>): { world: World; volume: Volume } {
  const { world } = testSession({ fleet: [{ name: 'db', type: 'm6i.large', zone: 'use1-az1', volume }] });
  return { world, volume: dataVolumeOf(world, named(world, 'db')) };
}

/** Puts a steady demand on the volume and lets EBS deliver to its instance for one second. */
function second(world: World, v: Volume, iops: number, kib: number): void {
  const roster = rosterOf(world);
  const unit = roster.unitOf.get(world.instances[v.attachment!.instanceId]!)!;
  const held = unitLanes(roster, unit);
  setDemand(roster.lanes, held[unit.volumes.indexOf(v)]!, iops, (iops * kib) / 1024);
  deliverUnit(unit, roster.lanes, held, ioScratch(world));
}

function refusalOf(events: SimEvent[]): { code: unknown; message: string } | undefined {
  const e = eventsOf(events, 'command-refused')[0];
  return e && { code: e.data?.code, message: e.message };
}

test('gp2 bursts to 3,000 IOPS until its 5.4 million credits are spent, then falls to 3 IOPS per GiB', (t) => {
  const { world, volume } = fleetWith({ type: 'gp2', size: 100 });
  t.is(volume.iops, 300);
  t.is(burstBalancePct(world, volume), 100);
  let burstSeconds = 0;
  for (let s = 0; s < 2500; s++) {
    second(world, volume, 3000, 16);
    if (ioOf(world, volume).deliveredIops === 3000) burstSeconds++;
  }
  // Spending 3,000 a second while earning 300: 5,400,000 / 2,700 = 2,000 seconds.
  t.true(Math.abs(burstSeconds - 2000) <= 1, `burst lasted ${burstSeconds} s`);
  t.is(burstBalancePct(world, volume), 0);
  t.is(ioOf(world, volume).deliveredIops, 300);
  t.is(ioOf(world, volume).limitedBy, 'volume');
});

test('a small gp2 volume falls back to the 100 IOPS floor', (t) => {
  const { world, volume } = fleetWith({ type: 'gp2', size: 20 });
  t.is(volume.iops, 100);
  for (let s = 0; s < 2000; s++) second(world, volume, 3000, 16);
  t.is(ioOf(world, volume).deliveredIops, 100);
});

test('gp2 credits refill at the baseline rate while I/O stays below it', (t) => {
  const { world, volume } = fleetWith({ type: 'gp2', size: 100 });
  setCredits(world, volume, 0);
  for (let s = 0; s < 1000; s++) second(world, volume, 0, 16);
  t.is(creditsOf(world, volume), 300 * 1000);
});

test('an instance delivers its maximum EBS bandwidth for 30 minutes, then only its baseline', (t) => {
  // m6i.large: 650 Mbps baseline, 10,000 Mbps maximum. The io2 volume could move 4,000 MiB/s alone.
  const { world, volume } = fleetWith({ type: 'io2', size: 100, iops: 16000 });
  const db = named(world, 'db');
  let maxSeconds = 0;
  for (let s = 0; s < 2400; s++) {
    second(world, volume, 16000, 256);
    const mbps = ioOf(world, volume).deliveredMiBps * MBPS_PER_MIBPS;
    if (Math.abs(mbps - 10000) < 1) maxSeconds++;
    t.is(ioOf(world, volume).limitedBy, 'instance');
  }
  t.true(Math.abs(maxSeconds - 1800) <= 1, `ran at maximum for ${maxSeconds} s`);
  t.is(ebsByteBalancePct(db), 0);
  t.true(Math.abs(ioOf(world, volume).deliveredMiBps * MBPS_PER_MIBPS - 650) < 0.01);
});

test('an instance earns its EBS burst back only while its volumes ask for less than baseline', (t) => {
  const { world, volume } = fleetWith({ type: 'io2', size: 100, iops: 16000 });
  const db = named(world, 'db');
  for (let s = 0; s < 1800; s++) second(world, volume, 16000, 256);
  t.is(ebsByteBalancePct(db), 0);
  for (let s = 0; s < 600; s++) second(world, volume, 16000, 256);
  t.is(ebsByteBalancePct(db), 0, 'held at baseline by an empty bucket is not under baseline');
  // 1,000 IOPS of 16 KiB is about 131 Mbps, well under the 650 Mbps baseline: half a day refills half.
  for (let s = 0; s < 12 * 3600; s++) second(world, volume, 1000, 16);
  t.true(Math.abs(ebsByteBalancePct(db) - 50) < 0.01, `balance ${ebsByteBalancePct(db)}%`);
});

test('an instance spending its EBS burst or queueing I/O leaves the others as they were, in a copy of the world too', (t) => {
  const { world: original } = testSession({
    fleet: [
      { name: 'db', type: 'm6i.large', zone: 'use1-az1', count: 2, volume: { type: 'io2', size: 100, iops: 16000 } },
    ],
  });
  for (const world of [original, copyWorld(original)]) {
    const [busy, idle] = [named(world, 'db-1'), named(world, 'db-2')];
    for (let s = 0; s < 60; s++) second(world, dataVolumeOf(world, busy), 32000, 256);
    t.true(ebsByteBalancePct(busy) < 100);
    t.true(ioOf(world, dataVolumeOf(world, busy)).queueLength > 0);
    t.is(ebsByteBalancePct(idle), 100);
    t.deepEqual(ioOf(world, dataVolumeOf(world, idle)), IDLE_IO);
  }
});

// EBS User Guide, "Amazon EBS I/O characteristics and monitoring": latency follows queue length
// over IOPS. The guest keeps at most its NVMe queue depth outstanding, so however long a volume is
// saturated, latency stays near depth / IOPS; what does not fit is never taken and fails.
test('queue length and latency rise while demand exceeds delivery, stay bounded by the guest queue, and fall when it eases', (t) => {
  const { world, volume } = fleetWith({ type: 'gp3', size: 100 });
  second(world, volume, 2000, 16);
  t.is(ioOf(world, volume).queueLength, 0);
  t.is(ioOf(world, volume).latencyMs, 1, 'gp3 idles at its single-millisecond latency');
  const queues: number[] = [];
  const latencies: number[] = [];
  for (let s = 0; s < 30; s++) {
    second(world, volume, 4000, 16);
    queues.push(ioOf(world, volume).queueLength);
    latencies.push(ioOf(world, volume).latencyMs);
  }
  t.is(ioOf(world, volume).deliveredIops, 3000);
  t.deepEqual(queues.slice(0, 3), [1000, GUEST_QUEUE_DEPTH, GUEST_QUEUE_DEPTH]);
  t.true(latencies[1]! > latencies[0]! && latencies[0]! > 1);
  const bound = 1 + (1000 * GUEST_QUEUE_DEPTH) / 3000;
  t.true(
    latencies.every((l) => l <= bound),
    `latencies stay within ${bound} ms: ${Math.max(...latencies)}`,
  );
  for (let s = 0; s < 5; s++) second(world, volume, 1000, 16);
  t.is(ioOf(world, volume).queueLength, 0);
  t.is(ioOf(world, volume).latencyMs, 1);
});

test('gp3 gives 3,000 IOPS and 125 MiB/s unless more is provisioned, within its ratios', (t) => {
  const { world } = testSession();
  const create = (flags: string) => apply(world, `create-volume --az use1-az1 --type gp3 ${flags}`);
  const made = (events: SimEvent[]) => world.volumes[eventsOf(events, 'volume-created')[0]!.subject]!;

  const plain = made(create('--size 100'));
  t.is(plain.iops, 3000);
  t.is(plain.throughputMiBps, 125);
  t.is(made(create('--size 10 --iops 5000')).iops, 5000);
  t.regex(refusalOf(create('--size 10 --iops 5001'))!.message, /a 10 GiB gp3 volume takes 3000-5000 IOPS/);
  t.truthy(refusalOf(create('--size 100 --iops 2999')));
  t.is(made(create('--size 100 --iops 4000 --throughput 1000')).throughputMiBps, 1000);
  t.regex(
    refusalOf(create('--size 100 --iops 4000 --throughput 1001'))!.message,
    /takes 125-1000 MiB\/s \(0\.25 MiB\/s per IOPS\)/,
  );
  t.truthy(refusalOf(create('--size 100 --throughput 124')));
  t.is(refusalOf(create('--size 1000 --iops 80001'))?.code, 'InvalidParameterValue');
  t.is(made(create('--size 1000 --iops 80000 --throughput 2000')).throughputMiBps, 2000);
  t.is(
    refusalOf(apply(world, 'create-volume --az use1-az1 --type gp2 --size 100 --iops 3000'))?.code,
    'InvalidParameterCombination',
  );
  t.is(
    refusalOf(apply(world, 'create-volume --az use1-az1 --type io2 --size 100 --iops 3000 --throughput 500'))?.code,
    'InvalidParameterCombination',
  );
});

test('gp2 IOPS scale with size between 100 and 16,000', (t) => {
  const { world } = testSession();
  const iopsOf = (size: number) =>
    world.volumes[
      eventsOf(apply(world, `create-volume --az use1-az1 --type gp2 --size ${size}`), 'volume-created')[0]!.subject
    ]!.iops;
  t.deepEqual([10, 34, 1000, 5334, 10000].map(iopsOf), [100, 102, 3000, 16000, 16000]);
});

// EBS User Guide, "Monitor the progress of volume modifications": while optimizing, performance
// lies between the source and target configurations, and reaches the target at completed.
test('Elastic Volumes: size at optimizing; performance moves from old to new while optimizing and arrives at completed', (t) => {
  const { world, volume } = fleetWith({ type: 'gp3', size: 100 });
  const events = apply(world, `modify-volume ${volume.id} --iops 6000 --size 200`);
  t.is(eventsOf(events, 'volume-modifying').length, 1);
  t.is(currentLimits(volume, creditsOf(world, volume) > 0).iops, 3000, 'the old limit while modifying');
  run(world, TICKS.volumeModifying + 1);
  const mod = volume.modification!;
  t.is(mod.state, 'optimizing');
  t.is(volume.sizeGiB, 200, 'the new size is in effect at optimizing');
  const half = Math.floor((mod.endsAt - world.tick) / 2);
  run(world, half);
  const midway = currentLimits(volume, creditsOf(world, volume) > 0).iops;
  t.true(midway > 3000 && midway < 6000, `between old and new while optimizing, got ${midway}`);
  run(world, mod.endsAt - world.tick + 1);
  t.is(mod.state, 'completed');
  t.is(currentLimits(volume, creditsOf(world, volume) > 0).iops, 6000, 'the target at completed');
});

// API reference, "ModifyVolume": wait for a modification to complete before the next (else
// IncorrectModificationState); up to four modifications in a rolling 24 hours (else
// VolumeModificationRateExceeded, with when to retry).
test('Elastic Volumes: one at a time, four in a rolling 24 hours, and the refusal says when to retry', (t) => {
  const { world, volume } = fleetWith({ type: 'gp3', size: 100 });
  const modify = (flags: string) => refusalOf(apply(world, `modify-volume ${volume.id} ${flags}`));
  t.is(modify('--iops 4000'), undefined);
  const busy = modify('--iops 4500');
  t.is(busy?.code, 'IncorrectModificationState');
  t.regex(busy!.message, /still modifying .*retry once it has completed, in about/);
  const before = worldFingerprint(world);
  t.truthy(modify('--iops 4500'));
  t.is(worldFingerprint(world), before, 'a refusal changes nothing');
  for (const iops of [4500, 5000, 5500]) {
    run(world, 3600);
    t.is(volume.modification!.state, 'completed');
    t.is(modify(`--iops ${iops}`), undefined, `modification at ${world.tick}`);
  }
  run(world, 3600);
  const fifth = modify('--iops 6000');
  t.is(fifth?.code, 'VolumeModificationRateExceeded');
  // The first came at tick 0: the fifth may go 24 hours after it, at 2026-03-03T09:00:00Z.
  t.regex(fifth!.message, /modified 4 times in the last 24 hours.*retry after 2026-03-03T09:00:00Z \(in 20h00m\)/);
  run(world, 24 * 3600 - world.tick - 1);
  t.truthy(modify('--iops 6000'), 'one second short of 24 hours after the first');
  run(world, 1);
  t.is(modify('--iops 6000'), undefined);
  t.regex(modify('')!.message, /needs at least one of/);
});

test('a volume cannot shrink', (t) => {
  const { world, volume } = fleetWith({ type: 'gp3', size: 100 });
  t.regex(
    refusalOf(apply(world, `modify-volume ${volume.id} --size 50`))!.message,
    /cannot shrink from 100 GiB to 50 GiB/,
  );
});

test('a volume attached elsewhere is refused with VolumeInUse, naming where it is', (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'a', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'b', type: 'm6i.large', zone: 'use1-az1' },
    ],
  });
  const a = named(world, 'a');
  const refused = refusalOf(apply(world, `attach-volume ${a.rootVolumeId} b`));
  t.is(refused?.code, 'VolumeInUse');
  t.regex(refused!.message, new RegExp(`is already attached to ${a.id}`));
});

test('a volume attaches only to instances in its own zone', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const far = eventsOf(apply(world, 'create-volume --az use1-az2 --size 10'), 'volume-created')[0]!.subject;
  const near = eventsOf(apply(world, 'create-volume --az use1-az1 --size 10'), 'volume-created')[0]!.subject;
  t.is(refusalOf(apply(world, `attach-volume ${near} web`))?.code, 'IncorrectState', 'still creating');
  run(world, TICKS.volumeCreating + 1);
  const before = worldFingerprint(world);
  const refused = refusalOf(apply(world, `attach-volume ${far} web`));
  t.is(refused?.code, 'InvalidVolume.ZoneMismatch');
  t.regex(refused!.message, /attaches only in its own zone/);
  t.is(worldFingerprint(world), before);
  t.is(refusalOf(apply(world, `attach-volume ${near} web`)), undefined);
  t.is(world.volumes[near]!.attachment?.device, '/dev/sdf');
});

test('a snapshot restores into another zone, even one that is down, and loads lazily; none is taken in a zone that is down', (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'db', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'gp3', size: 100 } },
      { name: 'standby', type: 'm6i.large', zone: 'use1-az2' },
    ],
  });
  const source = dataVolumeOf(world, named(world, 'db'));
  const snap = eventsOf(apply(world, `create-snapshot ${source.id}`), 'snapshot-started')[0]!.subject;
  t.is(
    refusalOf(apply(world, `create-volume --az use1-az2 --snapshot ${snap}`))?.code,
    'IncorrectState',
    'the snapshot is still pending',
  );
  run(world, 101);
  t.is(world.snapshots[snap]!.state, 'completed');
  apply(world, 'impair-zone use1-az1');
  const late = refusalOf(apply(world, `create-snapshot ${source.id}`));
  t.is(late?.code, 'IncorrectState', 'a volume in an impaired zone cannot be read to snapshot');
  t.regex(late!.message, /use1-az1, which is impaired/);
  const restored =
    world.volumes[
      eventsOf(apply(world, `create-volume --az use1-az2 --snapshot ${snap}`), 'volume-created')[0]!.subject
    ]!;
  t.is(restored.zoneId, 'use1-az2');
  t.is(restored.sizeGiB, 100);
  t.deepEqual(restored.lazyLoad, { snapshotId: snap, remainingGiB: 100 });
  run(world, TICKS.volumeCreating + 1);
  apply(world, `attach-volume ${restored.id} standby`);
  second(world, restored, 1000, 16);
  t.is(ioOf(world, restored).latencyMs, 21, 'first reads wait on the regional store');
  t.true(restored.lazyLoad!.remainingGiB < 100);
  run(world, 250);
  t.is(restored.lazyLoad, null);
  second(world, restored, 1000, 16);
  t.is(ioOf(world, restored).latencyMs, 1);
});

test("a running instance's root volume cannot be detached; a stopped one's can", (t) => {
  const { world } = testSession({
    fleet: [{ name: 'db', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'gp3', size: 20 } }],
  });
  const db = named(world, 'db');
  const before = worldFingerprint(world);
  const refused = refusalOf(apply(world, `detach-volume ${db.rootVolumeId}`));
  t.is(refused?.code, 'IncorrectState', 'EC2: "IncorrectState: Unable to detach root volume"');
  t.regex(refused!.message, /root volume .* stop the instance first/);
  t.throws(
    () => parseCommand(`detach-volume ${db.rootVolumeId} --force`),
    { instanceOf: ParseError },
    'no option gets round it',
  );
  t.is(worldFingerprint(world), before);
  t.is(
    refusalOf(apply(world, `detach-volume ${dataVolumeOf(world, db).id}`)),
    undefined,
    'data volumes detach while running',
  );
  apply(world, 'stop db');
  run(world, TICKS.stopping + 1);
  t.is(refusalOf(apply(world, `detach-volume ${db.rootVolumeId}`)), undefined);
  t.is(world.volumes[db.rootVolumeId]!.state, 'available');
});

test('an attached volume cannot be deleted', (t) => {
  const { world, volume } = fleetWith({ type: 'gp3', size: 20 });
  t.is(refusalOf(apply(world, `delete-volume ${volume.id}`))?.code, 'VolumeInUse');
});

test('every volume type grows through Elastic Volumes keeping what it provisions, and is refused only what it does not take', (t) => {
  for (const type of VOLUME_TYPES) {
    const { world } = testSession();
    // io1 and io2 have no default IOPS: CreateVolume requires them.
    const iops = volumeSpec(type).provisioned.iops && volumeSpec(type).iops.baseline === null ? ' --iops 1000' : '';
    const created = apply(world, `create-volume --az use1-az1 --type ${type} --size 500${iops}`);
    const volume = world.volumes[eventsOf(created, 'volume-created')[0]!.subject]!;
    run(world, TICKS.volumeCreating + 1);
    const before = { iops: volume.iops, throughputMiBps: volume.throughputMiBps };
    t.is(refusalOf(apply(world, `modify-volume ${volume.id} --size 600`))?.message, undefined, type);
    t.is(volume.modification?.target.sizeGiB, 600, type);
    const { provisioned } = volumeSpec(type);
    if (provisioned.iops) t.is(volume.modification?.target.iops, before.iops, type);
    if (provisioned.throughput) t.is(volume.modification?.target.throughputMiBps, before.throughputMiBps, type);
  }
  const { world } = testSession();
  const refused = (line: string) => refusalOf(apply(world, line))?.message;
  t.regex(refused('create-volume --az use1-az1 --type st1 --size 500 --iops 600')!, /st1 volumes do not take --iops/);
  t.regex(
    refused('create-volume --az use1-az1 --type io2 --size 500 --throughput 600')!,
    /only gp3 volumes take --throughput/,
  );
});

test("IOPS as EC2 sets them: gp3's 3,000 at any size, io1/io2's required, a change of type to one that provisions them 3,000", (t) => {
  const { world } = testSession({ fleet: [{ name: 'db', type: 'm6i.large', zone: 'use1-az1' }] });
  const created = (line: string) => {
    const volume = world.volumes[eventsOf(apply(world, line), 'volume-created')[0]?.subject ?? '']!;
    run(world, TICKS.volumeCreating + 1);
    return volume;
  };
  const refused = (line: string) => refusalOf(apply(world, line));
  // gp3 includes 3,000 IOPS and 125 MiB/s from 1 GiB ("Amazon EBS General Purpose SSD volumes").
  const tiny = created('create-volume --az use1-az1 --type gp3 --size 1');
  t.like(tiny, { sizeGiB: 1, iops: 3000, throughputMiBps: 125 });
  t.like(created('create-volume --az use1-az1 --type gp3 --size 5 --iops 3000 --throughput 750'), { iops: 3000 });
  t.regex(
    refused('create-volume --az use1-az1 --type gp3 --size 5 --iops 3001')!.message,
    /a 5 GiB gp3 volume takes 3000-3000 IOPS \(3000 included, more at 500 per GiB, at most 80000\), not 3001/,
  );
  t.like(created('create-volume --az use1-az1 --type gp3 --size 10 --iops 5000'), { iops: 5000 });
  // io1 and io2: "This parameter is required for io1 and io2 volumes" (CreateVolume, Iops).
  for (const type of ['io1', 'io2']) {
    const missing = refused(`create-volume --az use1-az1 --type ${type} --size 100`);
    t.is(missing?.code, 'MissingParameter', type);
    t.regex(missing!.message, new RegExp(`: ${type} volumes need --iops: 100-\\d+ for 100 GiB$`));
  }
  t.is(refused('launch m6i.large --az use1-az1 --volume io2:100')?.code, 'MissingParameter');
  // ModifyVolume: "If you change the volume type to io1, io2, or gp3, the default is 3,000."
  const gp2 = created('create-volume --az use1-az1 --type gp2 --size 2000');
  t.is(gp2.iops, 6000);
  apply(world, `modify-volume ${gp2.id} --type io2`);
  t.like(gp2.modification!.target, { type: 'io2', iops: 3000 });
  const small = created('create-volume --az use1-az1 --type gp2 --size 20');
  t.regex(
    refused(`modify-volume ${small.id} --type io1`)!.message,
    /a 20 GiB io1 volume takes 100-1000 IOPS .*not 3000/,
  );
  // Within one type the volume keeps its own.
  const io2 = created('create-volume --az use1-az1 --type io2 --size 100 --iops 20000');
  apply(world, `modify-volume ${io2.id} --size 200`);
  t.like(io2.modification!.target, { iops: 20000 });
});

test('an HDD volume is never a boot volume: a root volume is not changed to st1 or sc1, and an instance does not start from one', (t) => {
  const { world } = testSession({ fleet: [{ name: 'a', type: 'm6i.large', zone: 'use1-az1' }] });
  const a = named(world, 'a');
  const root = world.volumes[a.rootVolumeId]!;
  for (const type of ['st1', 'sc1']) {
    const refused = refusalOf(apply(world, `modify-volume ${root.id} --type ${type} --size 500`));
    t.is(refused?.code, 'InvalidParameterCombination', type);
    t.regex(refused!.message, new RegExp(`is the root volume of ${a.id}: ${type} volumes cannot be boot volumes`));
  }
  t.is(root.modification, null);
  // Detached, it is only a volume; attached again as the root, the instance will not start from it.
  apply(world, 'stop a');
  run(world, TICKS.stopping + 1);
  apply(world, `detach-volume ${root.id}`);
  t.is(refusalOf(apply(world, `modify-volume ${root.id} --type st1 --size 500`)), undefined);
  run(world, 3 * 3600);
  t.is(root.type, 'st1');
  apply(world, `attach-volume ${root.id} a --device /dev/xvda`);
  const start = refusalOf(apply(world, 'start a'));
  t.is(start?.code, 'InvalidParameterCombination');
  t.regex(start!.message, /cannot boot from vol-[0-9a-f]+: st1 volumes cannot be boot volumes/);
  t.is(a.state, 'stopped');
});

test('a volume keeps its burst credits and I/O through a detach and an attach elsewhere, and a copy of the world holds them', (t) => {
  const { world } = testSession({
    fleet: [{ name: 'db', type: 'm6i.large', zone: 'use1-az1', count: 2, volume: { type: 'gp2', size: 100 } }],
  });
  const volume = dataVolumeOf(world, named(world, 'db-1'));
  for (let s = 0; s < 600; s++) second(world, volume, 3000, 16);
  const credits = creditsOf(world, volume);
  t.true(credits < 5_400_000 && credits > 0, `spent some: ${credits}`);
  apply(world, `stop db-1`);
  run(world, TICKS.stopping + 1);
  apply(world, `detach-volume ${volume.id}`);
  run(world, 2);
  t.deepEqual(ioOf(world, volume), IDLE_IO, 'a detached volume does no I/O');
  // Attached to nothing, it earns back credits at its baseline: 300 a second.
  const loose = creditsOf(world, volume);
  t.true(loose > credits);
  run(world, 10);
  t.is(creditsOf(world, volume), loose + 3000);
  apply(world, `attach-volume ${volume.id} db-2`);
  run(world, 1);
  t.true(creditsOf(world, volume) >= loose);
  const copy = copyWorld(world);
  t.is(creditsOf(copy, copy.volumes[volume.id]!), creditsOf(world, volume));
  t.is(worldFingerprint(copy), worldFingerprint(world));
});

// EC2 User Guide, "Instance volume limits" (28 attachments a Nitro instance shares among its EBS
// volumes, network interfaces and instance store volumes) and "Device names on Linux instances".
test('a Nitro instance takes 28 attachments in all, volumes and interfaces together, at device names EC2 takes', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  for (let i = 0; i < 28; i++) apply(world, `create-volume --az use1-az1 --type gp3 --size 1 --name data-vol-${i}`);
  run(world, TICKS.volumeCreating + 1);
  const [banana] = refusals(apply(world, 'attach-volume data-vol-0 web --device banana'));
  t.regex(banana!, /InvalidParameterValue: 'banana' is not a valid EBS device name/);
  // The root volume and eth0 take two: 26 more volumes fit.
  const devices = [...'bcdefghijklmnopqrstuvwxyz'].map((c) => `/dev/sd${c}`).concat('/dev/xvdba');
  devices.forEach((device, i) =>
    t.deepEqual(refusals(apply(world, `attach-volume data-vol-${i} web --device ${device}`)), [], device),
  );
  const [full] = refusals(apply(world, 'attach-volume data-vol-26 web --device /dev/xvdbb'));
  t.regex(full!, /AttachmentLimitExceeded: i-[0-9a-f]+ has 28 attachments .*the 28 a Nitro instance shares/);
  // A network interface counts against the same 28.
  apply(world, 'detach-volume data-vol-25');
  const eni = eventsOf(apply(world, 'create-network-interface --subnet use1-az1'), 'network-interface-created')[0]!
    .subject;
  t.deepEqual(refusals(apply(world, `attach-network-interface ${eni} web`)), []);
  t.regex(refusals(apply(world, 'attach-volume data-vol-25 web --device /dev/xvdba'))[0]!, /AttachmentLimitExceeded/);
});
