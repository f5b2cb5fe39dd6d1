// EC2 rules the model follows, each with the AWS documentation page it comes from.
import test from 'ava';
import {
  fleetMicrosPerHour,
  ledgerTotalMicros,
  MINIMUM_BILLED_SECONDS,
  PUBLIC_IPV4_MICROS_PER_HOUR,
} from '../../src/sim/billing.js';
import { GUEST_QUEUE_DEPTH } from '../../src/sim/ebs-io.js';
import { metadataTags } from '../../src/sim/metadata-options.js';
import { PRICE_STEP_PER_MINUTE } from '../../src/sim/spot.js';
import { TICKS } from '../../src/sim/timings.js';
import { parseCommand, ParseError } from '../../src/sim/index.js';
import { apply, dataVolumeOf, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';

const codeOf = (events: ReturnType<typeof apply>) => eventsOf(events, 'command-refused')[0]?.data?.code;

// EC2 User Guide, "Preserve data when an instance is terminated": the root volume is deleted by
// default, other volumes attached at launch are kept unless their DeleteOnTermination is set.
test('terminate deletes the root volume and keeps a data volume attached at launch, unless told otherwise', (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'db', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'gp3', size: 100 } },
      {
        name: 'tmp',
        type: 'm6i.large',
        zone: 'use1-az1',
        volume: { type: 'gp3', size: 100, deleteOnTermination: true },
      },
    ],
  });
  const db = named(world, 'db');
  const [dbRoot, dbData] = [db.rootVolumeId, dataVolumeOf(world, db).id];
  const tmpData = dataVolumeOf(world, named(world, 'tmp')).id;
  t.false(world.volumes[dbData]!.attachment!.deleteOnTermination);
  apply(
    world,
    'launch m6i.large --az use1-az1 --name scratch --volume gp3:10 --delete-on-termination all',
    'launch m6i.large --az use1-az1 --name keepall --delete-on-termination none',
  );
  const scratchData = dataVolumeOf(world, named(world, 'scratch')).id;
  const keepRoot = named(world, 'keepall').rootVolumeId;
  apply(world, 'terminate db', 'terminate tmp', 'terminate scratch', 'terminate keepall');
  run(world, TICKS.shuttingDown + 1);
  t.falsy(world.volumes[dbRoot], 'root deleted');
  t.is(world.volumes[dbData]?.state, 'available', 'data volume kept, detached');
  t.falsy(world.volumes[tmpData]);
  t.falsy(world.volumes[scratchData]);
  t.is(world.volumes[keepRoot]?.state, 'available');
});

// EC2 User Guide, "Automatic instance recovery": simplified automatic recovery excludes bare metal
// (and instances with instance store); such an instance on failed hardware waits for its operator.
test('automatic recovery leaves a bare-metal instance on its failed host', (t) => {
  const { world } = testSession({
    racks: [{ zone: 'use1-az1', family: 'm5', racks: 2, hostsPerRack: 2 }],
    fleet: [{ name: 'metal', type: 'm5.metal', zone: 'use1-az1' }],
  });
  const metal = named(world, 'metal');
  const host = metal.hostId;
  apply(world, `fail-host ${host}`);
  const events = run(world, TICKS.recoveryAfter + 60);
  t.is(metal.hostId, host);
  t.deepEqual(eventsOf(events, 'instance-recovered'), []);
  t.is(metal.checks.system, 'impaired');
});

// EC2 User Guide, "Hibernation prerequisites for EC2 instances" and "Amazon EC2 instance state
// changes" (stopping is billed when hibernating); EC2 API error codes.
test('hibernation must be enabled at launch with an encrypted root on a supported type, and is billed while stopping', (t) => {
  const { world } = testSession({ fleet: [{ name: 'plain', type: 'm6i.large', zone: 'use1-az1' }] });
  t.is(codeOf(apply(world, 'stop plain --hibernate')), 'UnsupportedHibernationConfiguration');
  t.is(
    codeOf(apply(world, 'launch m6i.large --az use1-az1 --hibernation')),
    'UnsupportedHibernationConfiguration',
    'no encrypted root',
  );
  t.is(
    codeOf(apply(world, 'launch m5.metal --az use1-az1 --hibernation --encrypt-root')),
    'UnsupportedHibernationConfiguration',
    'bare metal',
  );
  t.is(
    codeOf(apply(world, 'launch m6i.32xlarge --az use1-az1 --hibernation --encrypt-root')),
    'UnsupportedHibernationConfiguration',
    '512 GiB of memory',
  );
  t.is(codeOf(apply(world, 'launch m6i.large --az use1-az1 --name sleepy --hibernation --encrypt-root')), undefined);
  run(world, TICKS.pendingToRunning + 1);
  const sleepy = named(world, 'sleepy');
  const plain = named(world, 'plain');
  apply(world, 'stop sleepy --hibernate', 'stop plain');
  t.not(sleepy.costMark, null, 'billed while hibernating');
  t.is(plain.costMark, null, 'a plain stop is not billed');
  run(world, TICKS.hibernating + 1);
  t.is(sleepy.state, 'stopped');
  t.is(sleepy.costMark, null);
  t.is(
    codeOf(apply(world, 'modify-instance-type sleepy m6i.4xlarge')),
    'UnsupportedOperation',
    'a hibernated instance keeps its type',
  );
});

// EC2 User Guide, "Scheduled events for your instances": an operator's reboot before the window
// completes an instance-reboot event; a system-reboot stays unless reboot migration moves the
// instance (API reference, "InstanceMaintenanceOptions"); EC2 acts on what is still active;
// termination cancels; ended events stay as history.
test('scheduled events: the reboot each code needs, what completes it, and cancel on terminate', (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'inplace', type: 'm6i.large', zone: 'use1-az1', rebootMigration: 'disabled' },
      { name: 'store', type: 'm6id.large', zone: 'use1-az1' },
      { name: 'gone', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'maint', type: 'm6i.large', zone: 'use1-az1' },
    ],
  });
  apply(
    world,
    'schedule-event inplace system-reboot --in 10m',
    'schedule-event store system-reboot --in 10m',
    'schedule-event gone instance-stop --in 10m',
    'schedule-event maint system-maintenance --in 10m',
  );
  const host = named(world, 'inplace').hostId;
  const rebooted = apply(world, 'reboot inplace', 'reboot store');
  t.is(named(world, 'inplace').hostId, host, 'reboot migration disabled: in place');
  t.falsy(eventsOf(rebooted, 'instance-reboot')[1]!.data?.to, 'instance store: no reboot migration');
  t.deepEqual(
    ['inplace', 'store'].map((n) => named(world, n).scheduledEvents[0]!.state),
    ['active', 'active'],
  );
  apply(world, 'terminate gone');
  const events = run(world, 600 + 1);
  t.is(world.instances[named(world, 'inplace').id]!.scheduledEvents[0]!.state, 'completed');
  t.is(eventsOf(events, 'scheduled-event-started').length, 3, 'inplace, store and maint came due');
  t.deepEqual(
    Object.values(world.instances)
      .find((i) => i.name === 'gone')!
      .scheduledEvents.map((e) => e.state),
    ['canceled'],
  );
  // Power maintenance: "taken offline for a brief period, and then rebooted"; it stays running.
  const maint = named(world, 'maint');
  t.truthy(eventsOf(events, 'instance-reboot').find((e) => e.subject === maint.id && e.tick === 600));
  t.is(maint.state, 'running');
  t.is(maint.scheduledEvents[0]!.state, 'completed');
});

// EC2 User Guide, "Elastic IP addresses" (disassociated when the instance terminates); Amazon VPC
// pricing (public IPv4, $0.005 an hour, in use or idle); "Reboot your Amazon EC2 instance" (each
// start opens a billing period with a one-minute minimum).
test('addresses and billing: an Elastic IP is let go at termination; public IPv4 is billed; each start bills a minute', (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'quiet', type: 'm6i.large', zone: 'use1-az1', publicIp: false },
    ],
  });
  apply(world, 'associate-address web', 'allocate-address');
  const eip = Object.values(world.elasticIps)[0]!;
  t.not(eip.eniId, null);
  const before = world.ledger.publicIpv4Micros;
  run(world, 3600);
  // Two Elastic IPs (one idle), and no auto-assigned address left on web nor one on quiet.
  t.is(Math.round(world.ledger.publicIpv4Micros - before), 2 * PUBLIC_IPV4_MICROS_PER_HOUR);
  apply(world, 'terminate web');
  run(world, TICKS.shuttingDown + 1);
  t.is(eip.eniId, null, 'disassociated, still allocated');
  t.deepEqual(refusals(apply(world, 'launch m6i.large --az use1-az1 --name brief')), []);
  run(world, TICKS.pendingToRunning + 1);
  const brief = named(world, 'brief');
  const total = ledgerTotalMicros(world.ledger);
  apply(world, 'stop brief');
  const perSecond = 96_000 / 3600;
  t.is(
    Math.round(brief.costMicros),
    Math.round(MINIMUM_BILLED_SECONDS * perSecond),
    'one second running, a minute billed',
  );
  t.true(ledgerTotalMicros(world.ledger) - total > 50 * perSecond);
});

// The fleet's hourly cost (a default budget, a projected score) is what the ledger bills: checked
// second by second against the ledger through a launch, a Spot holder, a stop and a start, a
// volume's modification, an Elastic IP and a termination.
test("the fleet's hourly cost is what the ledger adds each second", (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'gp2', size: 500 } },
      { name: 'spot', type: 'm6i.large', zone: 'use1-az1', spot: true },
      { name: 'db', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'io2', size: 100, iops: 3000 } },
    ],
  });
  const commands = [
    'launch m6i.large --az use1-az1 --name extra',
    'allocate-address',
    'associate-address web',
    'stop db',
    `modify-volume ${dataVolumeOf(world, named(world, 'web')).id} --size 900`,
    'start db',
    'terminate extra',
  ];
  for (let second = 1; second < 400; second++) {
    if (second % 50 === 0 && commands.length) t.deepEqual(refusals(apply(world, commands.shift()!)), []);
    const before = ledgerTotalMicros(world.ledger);
    run(world, 1);
    // A second bills the fleet as its changes of state and price leave it.
    const rate = fleetMicrosPerHour(world);
    t.true(Math.abs((ledgerTotalMicros(world.ledger) - before) * 3600 - rate) < 1e-6 * rate, `second ${world.tick}`);
  }
  t.is(commands.length, 0);
});

// API reference, "RunInstances" (MinCount / MaxCount); EC2 User Guide, "Troubleshoot Amazon EC2
// instance launch issues" (InsufficientInstanceCapacity names the zones that have capacity).
test('launch --count N --min-count M launches as many as fit down to M; the capacity error names zones with room', (t) => {
  const { world } = testSession({
    racks: [
      { zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 1 },
      { zone: 'use1-az2', family: 'm6i', racks: 2, hostsPerRack: 2 },
    ],
  });
  // One m6i host holds two m6i.32xlarge.
  const allOrNone = apply(world, 'launch m6i.32xlarge --az use1-az1 --count 3 --name big');
  t.is(codeOf(allOrNone), 'InsufficientInstanceCapacity');
  t.regex(
    eventsOf(allOrNone, 'command-refused')[0]!.message,
    /\(1 of 3 fit\)\. You can currently get m6i\.32xlarge capacity by choosing us-east-1b$/,
  );
  t.is(Object.keys(world.instances).length, 0);
  const some = apply(world, 'launch m6i.32xlarge --az use1-az1 --count 3 --min-count 1 --name big');
  t.is(eventsOf(some, 'instance-launched').length, 1);
  t.regex(eventsOf(some, 'launch-partial')[0]!.message, /launched 1 of 3/);
  t.is(codeOf(apply(world, 'launch m6i.large --az use1-az1 --count 2 --min-count 3')), 'InvalidParameterValue');
});

// API reference, "InstanceMaintenanceOptions": with a system-reboot event pending, a reboot migrates
// the instance to new hardware and clears the event; when that fails, it reboots in place and the
// event stays scheduled.
test('reboot migration moves to another host, never its own; with no other host, in place', (t) => {
  const { world } = testSession({
    racks: [{ zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 2 }],
    fleet: [{ name: 'app', type: 'm6i.large', zone: 'use1-az1' }],
  });
  const first = named(world, 'app').hostId!;
  apply(world, 'schedule-event app system-reboot --in 10m');
  const moved = eventsOf(apply(world, 'reboot app'), 'instance-reboot')[0]!;
  const second = named(world, 'app').hostId!;
  t.not(second, first, 'its own host was healthy and had room, and it still moved');
  t.deepEqual(moved.data, { from: first, to: second });
  t.is(named(world, 'app').scheduledEvents[0]!.state, 'completed');

  // The other host fails: nowhere to go but the host it stands on.
  apply(world, `fail-host ${first}`, 'schedule-event app system-reboot --in 10m');
  const inPlace = eventsOf(apply(world, 'reboot app'), 'instance-reboot')[0]!;
  t.is(named(world, 'app').hostId, second);
  t.is(inPlace.data, undefined);
  t.is(named(world, 'app').scheduledEvents[1]!.state, 'active', 'the event stays scheduled');
});

// API reference, "InstanceMetadataOptionsRequest": HttpEndpoint, HttpTokens, HttpPutResponseHopLimit (1-64, default 1), InstanceMetadataTags.
test("metadata options come from launch flags with EC2's names and defaults", (t) => {
  const { world } = testSession();
  apply(
    world,
    'launch m6i.large --az use1-az1 --name d',
    'launch m6i.large --az use1-az1 --name k --http-tokens optional --http-put-response-hop-limit 2 --instance-metadata-tags enabled --http-endpoint disabled',
  );
  t.deepEqual(named(world, 'd').metadataOptions, {
    httpEndpoint: 'enabled',
    httpTokens: 'required',
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: 'disabled',
  });
  t.deepEqual(named(world, 'k').metadataOptions, {
    httpEndpoint: 'disabled',
    httpTokens: 'optional',
    httpPutResponseHopLimit: 2,
    instanceMetadataTags: 'enabled',
  });
  t.throws(() => parseCommand('launch m6i.large --az use1-az1 --http-put-response-hop-limit 65'), {
    instanceOf: ParseError,
    message: "launch: --http-put-response-hop-limit must be 1-64, not '65'",
  });
  t.is(metadataTags(named(world, 'd')), null, 'tags stay out of the metadata unless allowed');
  t.deepEqual(metadataTags(named(world, 'k')), { Name: 'k' });
  // API reference, "ModifyInstanceMetadataOptions": options change afterwards; what is not given stays.
  apply(world, 'modify-instance-metadata-options d --http-tokens optional --http-put-response-hop-limit 3');
  t.deepEqual(named(world, 'd').metadataOptions, {
    httpEndpoint: 'enabled',
    httpTokens: 'optional',
    httpPutResponseHopLimit: 3,
    instanceMetadataTags: 'disabled',
  });
  t.is(codeOf(apply(world, 'modify-instance-metadata-options d')), 'MissingParameter');
  t.throws(() => parseCommand('modify-instance-metadata-options d --http-put-response-hop-limit 0'), {
    instanceOf: ParseError,
    message: "modify-instance-metadata-options: --http-put-response-hop-limit must be 1-64, not '0'",
  });
});

// EC2 User Guide, "Spot Instance pricing history": prices adjust gradually with long-term supply
// and demand, not with every launch.
test('a Spot price moves in bounded steps once a minute, not at every launch', (t) => {
  const { world } = testSession({ spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 10, volatility: 0 }] });
  const pool = world.spotPools['m6i.large|use1-az1']!;
  run(world, 90);
  const quiet = pool.priceMicros;
  apply(world, 'launch m6i.large --az use1-az1 --spot --count 10');
  const seen: number[] = [];
  for (let i = 0; i < 180; i++) {
    run(world, 1);
    seen.push(pool.priceMicros);
  }
  const changes = seen.filter((p, i) => i > 0 && p !== seen[i - 1]);
  t.is(changes.length, 3, 'one step a minute');
  t.is(seen[0], quiet, 'no jump at the launch');
  t.true(pool.priceMicros - quiet <= 3 * Math.round(pool.onDemandMicros * PRICE_STEP_PER_MINUTE));
  t.true(pool.priceMicros > quiet);
});

// EBS User Guide, "Amazon EBS I/O characteristics and monitoring": latency is queue length over
// IOPS. A guest keeps its NVMe queue depth outstanding at most, so a volume saturated for minutes
// shows bounded latency, and the I/O that does not fit fails to the workload as errors.
test("a saturated volume's latency stays within what the guest's queue gives; the excess fails", (t) => {
  const session = testSession({
    workloads: [{ name: 'db', kind: 'database', demand: { baseRps: 600 } }],
    fleet: [
      {
        name: 'db-1',
        type: 'm6i.large',
        zone: 'use1-az1',
        workload: 'db',
        volume: { type: 'gp2', size: 100, burstBalance: 0 },
      },
    ],
  });
  const wl = session.world.workloads.db!;
  const latencies: number[] = [];
  for (let s = 0; s < 600; s++) {
    session.run(1);
    latencies.push(wl.last.latencyMs);
  }
  // 1,200 IOPS asked of a 300 IOPS baseline: each request waits for two I/Os behind a full queue.
  const bound = 2 /* CPU at low use */ * 20 + 2 * (1 + (1000 * GUEST_QUEUE_DEPTH) / 300);
  t.true(Math.max(...latencies) <= bound, `latency peaked at ${Math.max(...latencies)} ms, bound ${bound}`);
  t.true(Math.abs(latencies[599]! - latencies[60]!) < 1, 'steady, not growing');
  t.true(wl.last.errorRps > 400, `errors ${wl.last.errorRps}`);
});

// EC2 User Guide, "Change the instance type" (same processor architecture; not with hibernation
// enabled) and "Placement groups" (a cluster group takes no burstable performance type).
test('a type change keeps the architecture and is refused with hibernation enabled; a cluster group takes no T type', (t) => {
  const { world } = testSession({
    placementGroups: [{ name: 'close', strategy: 'cluster' }],
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'hib', type: 'm6i.large', zone: 'use1-az1', hibernation: true, root: { encrypted: true } },
    ],
  });
  apply(world, 'stop web', 'stop hib');
  run(world, TICKS.stopping + 1);
  const [arch] = refusals(apply(world, 'modify-instance-type web m7g.large'));
  t.regex(arch!, /InvalidInstanceAttributeValue: .*AMI is for x86_64, and m7g\.large is arm64/);
  t.deepEqual(refusals(apply(world, 'modify-instance-type web c6i.large')), []);
  const [hib] = refusals(apply(world, 'modify-instance-type hib c6i.large'));
  t.regex(hib!, /UnsupportedOperation: .*has hibernation enabled; its type cannot be changed/);
  t.is(named(world, 'hib').type, 'm6i.large');
  const [burst] = refusals(apply(world, 'launch t3.large --az use1-az1 --pg close'));
  t.regex(
    burst!,
    /Unsupported: t3\.large is a burstable performance type, which a cluster placement group does not take/,
  );
});
