// Status checks (system, instance, attached EBS) and simplified automatic recovery.
import test from 'ava';
import { concerns, subjectsOf, type SimEvent, type World } from '../../src/sim/index.js';
import { TICKS } from '../../src/sim/timings.js';
import { apply, dataVolumeOf, eventsOf, named, run, testSession } from '../helpers/world.js';

/** An EBS-only web server and an m6id batch worker with instance store, both past their checks' first minute. */
function settledFleet(): World {
  const { world } = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', volume: { type: 'gp3', size: 20 } },
      { name: 'batch', type: 'm6id.large', zone: 'use1-az1' },
    ],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  return world;
}

/** Three web instances on one host of use1-az1 and a batch instance in use1-az2, their checks settled. */
function webAndBatch(): World {
  const { world } = testSession({
    fleet: [
      { name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1' },
      { name: 'batch', type: 'm6i.large', zone: 'use1-az2' },
    ],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  return world;
}

// EC2 User Guide, "Troubleshoot instance recovery failures": "The automatic recovery process
// attempts to recover your instance for up to three separate failures per day."
test('automatic recovery acts on three failures a day; the fourth is told once and left to its operator, until a day after the first', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const events: SimEvent[] = [];
  const failHere = () => {
    const host = web.hostId!;
    events.push(...apply(world, `fail-host ${host}`), ...run(world, TICKS.recoveryAfter + 1));
    apply(world, `restore-host ${host}`);
    run(world, 600);
    return host;
  };
  const first = world.tick;
  for (let i = 0; i < 3; i++) failHere();
  t.is(eventsOf(events, 'instance-recovered').length, 3);
  t.deepEqual(web.recoveries!.length, 3);
  const stuck = failHere();
  t.is(eventsOf(events, 'instance-recovered').length, 3, 'no fourth recovery');
  const failed = eventsOf(events, 'instance-recovery-failed');
  t.is(failed.length, 1);
  t.regex(
    failed[0]!.message,
    /^i-[0-9a-f]+ \(web\) was not recovered from \S+: 3 recoveries in 24 hours, the daily allowance \(the next from 2026-\S+Z\); stop and start it to move it$/,
  );
  t.is(web.hostId, stuck, 'still on the failed host');
  // A day after the first recovery, the allowance has room again.
  run(world, Math.max(0, first + 24 * 3600 - world.tick));
  failHere();
  t.is(eventsOf(events, 'instance-recovered').length, 4);
  t.is(eventsOf(events, 'instance-recovery-failed').length, 1);
});

test('checks initialise for a minute, then pass', (t) => {
  const { world } = testSession();
  apply(world, 'launch m6i.large --az use1-az1 --name fresh');
  const fresh = named(world, 'fresh');
  run(world, TICKS.pendingToRunning + 1);
  t.is(fresh.checks.system, 'initializing');
  run(world, TICKS.statusChecksInitializing);
  t.like(fresh.checks, { system: 'ok', instance: 'ok', ebs: 'ok' });
});

test('a failed host fails the system check, and recovery moves an EBS-only instance to a new host after the wait', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const oldHost = web.hostId!;
  const privateIp = world.enis[web.eniId]!.privateIp;
  const publicIp = world.enis[web.eniId]!.publicIp;
  const failedAt = world.tick;
  const events = [...apply(world, `fail-host ${oldHost}`), ...run(world, 1)];
  t.is(web.checks.system, 'impaired');
  t.is(web.checks.instance, 'impaired', 'a guest on a dead host cannot answer either');
  t.is(
    eventsOf(events, 'status-check-failed').find((e) => concerns(e, web.id) && e.data?.check === 'system')?.tick,
    failedAt,
  );
  events.push(...run(world, TICKS.recoveryAfter));
  const [recovered] = eventsOf(events, 'instance-recovered');
  t.deepEqual(recovered && subjectsOf(recovered), [web.id]);
  t.is(recovered!.tick, failedAt + TICKS.recoveryAfter);
  t.is(recovered!.data?.from, oldHost);
  t.not(web.hostId, oldHost);
  t.is(world.hosts[web.hostId!]!.health, 'ok');
  t.is(world.hosts[oldHost]!.usedVcpu, 0);
  t.is(world.instances[web.id], web, 'same instance id');
  t.is(world.enis[web.eniId]!.privateIp, privateIp);
  t.is(world.enis[web.eniId]!.publicIp, publicIp);
  t.is(dataVolumeOf(world, web).attachment?.instanceId, web.id, 'volumes stay attached');
  run(world, TICKS.guestRestart + TICKS.statusChecksInitializing + 1);
  t.is(web.state, 'running');
  t.like(web.checks, { system: 'ok', instance: 'ok', ebs: 'ok' });
});

test('an instance with instance store is not recovered', (t) => {
  const world = settledFleet();
  const batch = named(world, 'batch');
  const host = batch.hostId;
  const events = [...apply(world, 'fail-host batch'), ...run(world, TICKS.recoveryAfter * 5)];
  t.deepEqual(eventsOf(events, 'instance-recovered'), []);
  t.is(batch.hostId, host);
  t.is(batch.checks.system, 'impaired');
});

test('an instance with recovery turned off stays on its failed host', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', autoRecovery: false }] });
  const host = named(world, 'web').hostId;
  const events = [...apply(world, 'fail-host web'), ...run(world, TICKS.recoveryAfter * 2)];
  t.deepEqual(eventsOf(events, 'instance-recovered'), []);
  t.is(named(world, 'web').hostId, host);
});

test('a hung guest fails the instance check until a reboot', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const events = [...apply(world, 'hang-guest web'), ...run(world, 600)];
  t.is(web.checks.system, 'ok');
  t.is(web.checks.instance, 'impaired');
  t.is(
    eventsOf(events, 'status-check-failed')
      .filter((e) => e.subject === web.id)
      .map((e) => e.data?.check)
      .join(),
    'instance',
  );
  t.deepEqual(eventsOf(events, 'instance-recovered'), [], "recovery is for AWS's side, not the guest");
  apply(world, 'reboot web');
  const after = run(world, TICKS.guestRestart + TICKS.statusChecksInitializing + 1);
  t.is(web.checks.instance, 'ok');
  t.true(eventsOf(after, 'status-check-passed').some((e) => e.subject === web.id && e.data?.check === 'instance'));
});

test('an impaired volume fails the attached-EBS check until it recovers', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const volume = dataVolumeOf(world, web);
  apply(world, `impair-volume ${volume.id}`);
  run(world, 1);
  t.like(web.checks, { system: 'ok', instance: 'ok', ebs: 'impaired' });
  t.is(named(world, 'batch').checks.ebs, 'ok', 'only the instance the volume is attached to');
  apply(world, `restore-volume ${volume.id}`);
  run(world, 1);
  t.is(web.checks.ebs, 'ok');
});

test('an impaired zone fails the system check of every instance in it', (t) => {
  const world = settledFleet();
  apply(world, 'impair-zone use1-az1');
  run(world, 1);
  t.is(named(world, 'web').checks.system, 'impaired');
  t.is(named(world, 'batch').checks.system, 'impaired');
});

test('a degraded host schedules its instances for retirement, which stops them when the time comes', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const impairedAt = world.tick;
  const events = [...apply(world, 'impair-host web --retire-in 10m'), ...run(world, 601)];
  t.is(eventsOf(events, 'scheduled-event')[0]?.data?.code, 'instance-retirement');
  t.is(eventsOf(events, 'scheduled-event-started')[0]?.tick, impairedAt + 600);
  t.is(web.state, 'stopping');
  run(world, TICKS.stopping + 1);
  t.is(web.state, 'stopped');
});

test('recovery moves a member of a full spread group: its own place does not count against it', (t) => {
  const { world } = testSession({
    placementGroups: [{ name: 'spread', strategy: 'spread' }],
    racks: [{ zone: 'use1-az1', family: 'm6i', racks: 8, hostsPerRack: 1 }],
  });
  apply(world, 'launch m6i.large --az use1-az1 --count 7 --pg spread --name s');
  run(world, TICKS.pendingToRunning + TICKS.statusChecksInitializing + 1);
  const member = named(world, 's-1');
  const oldHost = member.hostId!;
  apply(world, `fail-host ${oldHost}`);
  const events = run(world, TICKS.recoveryAfter + 2);
  t.is(eventsOf(events, 'instance-recovered').length, 1);
  t.not(member.hostId, oldHost);
  const racks = Object.values(world.instances).map((i) => world.hosts[i.hostId!]!.rackId);
  t.is(new Set(racks).size, 7, 'still one rack each');
});

test('an impaired zone fails system checks but does not set automatic recovery shuffling instances inside it', (t) => {
  const world = settledFleet();
  const web = named(world, 'web');
  const host = web.hostId;
  apply(world, 'impair-zone use1-az1');
  const events = run(world, TICKS.recoveryAfter * 3);
  t.is(web.checks.system, 'impaired');
  t.is(eventsOf(events, 'instance-recovered').length, 0);
  t.is(web.hostId, host);
});

test("a zone's impairment is one event for the zone, however many instances' checks it fails; each keeps its own", (t) => {
  const { world } = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 3 },
      { name: 'far', type: 'm6i.large', zone: 'use1-az2' },
    ],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  const failed = [...apply(world, 'impair-zone use1-az1'), ...run(world, 60)];
  t.deepEqual(eventsOf(failed, 'status-check-failed'), []);
  const told = eventsOf(failed, 'status-checks-failed');
  t.is(told.length, 1);
  t.like(told[0], { subject: 'use1-az1', data: { zone: 'use1-az1', instances: 3, system: 3, instance: 3 } });
  t.regex(told[0]!.message, /system and instance status checks failed on 3 instances/);
  const checks = Object.values(world.instances).map((i) => [i.zoneId, i.checks.system, i.checks.instance]);
  t.deepEqual(checks.sort(), [
    ['use1-az1', 'impaired', 'impaired'],
    ['use1-az1', 'impaired', 'impaired'],
    ['use1-az1', 'impaired', 'impaired'],
    ['use1-az2', 'ok', 'ok'],
  ]);
  const zoneChecks = Object.values(world.instances)
    .filter((i) => i.zoneId === 'use1-az1')
    .map((i) => i.checks);
  t.true(
    zoneChecks.every((c) => c === zoneChecks[0]) && Object.isFrozen(zoneChecks[0]),
    "the zone's instances, failing since the same second, share one record",
  );
  t.is(zoneChecks[0]!.systemFailingSince, told[0]!.tick);
  apply(world, 'hang-guest far');
  const passed = [...apply(world, 'restore-zone use1-az1'), ...run(world, 60)];
  t.deepEqual(eventsOf(passed, 'status-check-passed'), []);
  t.like(eventsOf(passed, 'status-checks-passed'), [{ subject: 'use1-az1', data: { instances: 3 } }]);
  t.deepEqual(
    eventsOf(passed, 'status-check-failed').map((e) => [e.subject, e.data?.check]),
    [[named(world, 'far').id, 'instance']],
    'a cause of its own is told for its instance',
  );
});

// One cause, one event: a host's failure fails the checks of every instance on it, told once for
// the host for each check (and once again when it is restored); each instance's checks are its own.
test("a host's failure and restore tell its instances' checks in one event for the host per check", (t) => {
  const { world } = testSession({
    fleet: [{ name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1', autoRecovery: false }],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  const host = named(world, 'web-1').hostId!;
  const onHost = world.hosts[host]!.instanceIds;
  t.true(onHost.length >= 2, 'the fleet shares a host');
  const told = (events: ReturnType<typeof run>, kind: string) =>
    eventsOf(events, kind).map((e) => [e.subject, e.data?.check, e.instanceIds]);
  const failed = [...apply(world, `fail-host ${host}`), ...run(world, 1)];
  t.deepEqual(told(failed, 'status-check-failed'), [
    [host, 'system', onHost],
    [host, 'instance', onHost],
  ]);
  t.regex(
    eventsOf(failed, 'status-check-failed')[0]!.message,
    new RegExp(`^host ${host}: system status check failed on ${onHost.length} instances: i-`),
  );
  const restored = [...apply(world, `restore-host ${host}`), ...run(world, 1)];
  t.deepEqual(told(restored, 'status-check-passed'), [
    [host, 'system', onHost],
    [host, 'instance', onHost],
  ]);
  t.true(onHost.every((id) => world.instances[id]!.checks.system === 'ok'));
});

test("a zone's recovery counts each check apart: a guest hung before the outage still fails its instance check", (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 3 }] });

  run(world, TICKS.statusChecksInitializing + 1);
  apply(world, 'hang-guest web-1');
  run(world, 60);
  apply(world, 'impair-zone use1-az1');
  const failed = eventsOf(run(world, 60), 'status-checks-failed');
  t.regex(failed[0]!.message, /system status check failed on 3 instances, instance status check failed on 2 instances/);
  const back = eventsOf([...apply(world, 'restore-zone use1-az1'), ...run(world, 60)], 'status-checks-passed');
  t.is(back.length, 1);
  t.regex(
    back[0]!.message,
    /: system status check passing again on 3 instances, instance status check passing again on 2 instances, the zone recovered$/,
  );
});

test("a degraded host's retirements, when they come due, are one event for the host per kind; each instance's own event is completed", (t) => {
  const world = webAndBatch();
  const host = named(world, 'web-1').hostId!;
  const onHost = world.hosts[host]!.instanceIds;
  t.true(onHost.length >= 2, 'the fleet shares a host');
  apply(world, `impair-host ${host} --retire-in 10m`);
  // An instance's own scheduled stop, on a healthy host, in the same second: told on its own.
  apply(world, 'schedule-event batch instance-stop --in 10m');
  const due = [...run(world, 600), ...run(world, TICKS.stopping + 1)];
  const told = (kind: string) => eventsOf(due, kind).map((e) => [e.subject, e.instanceIds ?? null]);
  const batch = named(world, 'batch').id;
  for (const kind of ['scheduled-event-started', 'instance-stopping', 'instance-stopped', 'scheduled-event-ended'])
    t.deepEqual(told(kind), [
      [host, onHost],
      [batch, null],
    ]);
  const [started] = eventsOf(due, 'scheduled-event-started');
  t.regex(
    started!.message,
    new RegExp(`^host ${host}: instance-retirement happening now for ${onHost.length} instances: i-`),
  );
  t.regex(
    eventsOf(due, 'scheduled-event-started')[1]!.message,
    /: instance-stop \(instance-event-[0-9a-f]+\) is happening now$/,
  );
  t.true(
    onHost.every((id) => {
      const inst = world.instances[id]!;
      return inst.state === 'stopped' && inst.scheduledEvents.every((ev) => ev.state === 'completed');
    }),
  );
});

test("a degraded host's retirements are told for the host however it fares before they are due; one its user has stopped is told alone, after", (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', count: 3, type: 'm6i.large', zone: 'use1-az1' }] });
  run(world, TICKS.statusChecksInitializing + 1);
  const host = named(world, 'web-1').hostId!;
  t.deepEqual(
    world.hosts[host]!.instanceIds,
    ['web-1', 'web-2', 'web-3'].map((n) => named(world, n).id),
  );
  apply(world, `impair-host ${host} --retire-in 10m`);
  run(world, 540);
  // Restored before they are due: the retirements still come, as EC2 scheduled them.
  apply(world, `restore-host ${host}`);
  run(world, 59);
  // web-1 is still stopping when they are due: its event is met by its own stop, told as its own.
  const due = [...apply(world, 'stop web-1'), ...run(world, 1), ...run(world, TICKS.stopping + 1)];
  const [web1, web2, web3] = ['web-1', 'web-2', 'web-3'].map((n) => named(world, n).id);
  const told = due
    .filter((e) => e.kind.startsWith('scheduled-event') || e.kind.startsWith('instance-stop'))
    .map((e) => [e.kind, e.subject, e.instanceIds ?? null]);
  t.deepEqual(told, [
    ['instance-stopping', web1, null],
    ['scheduled-event-ended', web1, null],
    ['scheduled-event-started', host, [web2, web3]],
    ['instance-stopping', host, [web2, web3]],
    ['scheduled-event-ended', host, [web2, web3]],
    ['instance-stopped', web1, null],
    ['instance-stopped', host, [web2, web3]],
  ]);
});

test('an instance-stop of its own on a degraded host is told as its own', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1' }] });
  run(world, TICKS.statusChecksInitializing + 1);
  const web1 = named(world, 'web-1');
  apply(world, `impair-host ${web1.hostId!} --retire-in 1h`);
  apply(world, 'schedule-event web-1 instance-stop --in 10m');
  const due = [...run(world, 600), ...run(world, TICKS.stopping + 1)];
  t.deepEqual(
    due
      .filter((e) => e.kind.startsWith('scheduled-event-') || e.kind.startsWith('instance-stop'))
      .map((e) => [e.kind, e.subject, e.instanceIds ?? null, e.data?.code ?? null]),
    [
      ['scheduled-event-started', web1.id, null, 'instance-stop'],
      ['instance-stopping', web1.id, null, null],
      ['scheduled-event-ended', web1.id, null, 'instance-stop'],
      // Its stop moves it off the degraded host: its retirement is met too.
      ['scheduled-event-ended', web1.id, null, 'instance-retirement'],
      ['instance-stopped', web1.id, null, null],
    ],
  );
});

test("an instance stopped by its own event in the same second, or stopped and started since its host's notice, is told on its own, as is a retirement of its own", (t) => {
  const world = webAndBatch();
  const [web1, web2, web3, batch] = ['web-1', 'web-2', 'web-3', 'batch'].map((n) => named(world, n).id);
  const host = world.instances[web1]!.hostId!;
  // web-1's own stop is scheduled first, for the second its host's retirements come due.
  const dueAt = world.tick + 600;
  apply(world, 'schedule-event web-1 instance-stop --in 10m');
  apply(world, `impair-host ${host} --retire-in 10m`);
  apply(world, 'schedule-event batch instance-retirement --in 10m');
  // web-2 is stopped and started again on the host: its retirement is met, and its own
  // instance-stop comes due when the retirement would have.
  apply(world, 'stop web-2');
  run(world, TICKS.stopping + 1);
  // The host restored and the zone's others failed, web-2 starts again on it.
  apply(world, `restore-host ${host}`);
  for (const other of Object.values(world.hosts))
    if (other.id !== host && other.zoneId === 'use1-az1') apply(world, `fail-host ${other.id}`);
  apply(world, 'start web-2');
  t.is(world.instances[web2]!.hostId, host);
  apply(world, `schedule-event web-2 instance-stop --in ${dueAt - world.tick}s`);
  const due = run(world, dueAt + TICKS.stopping + 1 - world.tick).filter((e) => e.tick >= dueAt);
  const told = due
    .filter((e) => e.kind.startsWith('scheduled-event-') || e.kind.startsWith('instance-stop'))
    .map((e) => `${e.kind} ${e.subject} ${(e.instanceIds ?? []).join(',')}`);
  const batchHost = named(world, 'batch').hostId ?? '';
  t.deepEqual(told.filter((line) => line.includes(host)).sort(), [
    `instance-stopped ${host} ${web3}`,
    `instance-stopping ${host} ${web3}`,
    `scheduled-event-ended ${host} ${web3}`,
    `scheduled-event-started ${host} ${web3}`,
  ]);
  for (const own of [web1, web2])
    t.deepEqual(
      told.filter((line) => line.includes(own)).map((line) => line.split(' ')[0]),
      ['scheduled-event-started', 'instance-stopping', 'scheduled-event-ended', 'instance-stopped'].flatMap((kind) =>
        // web-1's retirement, no longer carried out, is met as its own stop ends it.
        own === web1 && kind === 'instance-stopped' ? ['scheduled-event-ended', kind] : [kind],
      ),
      own,
    );
  t.is(batchHost, '', 'batch has stopped');
  t.deepEqual(
    told.filter((line) => line.includes(batch)),
    ['scheduled-event-started', 'instance-stopping', 'scheduled-event-ended', 'instance-stopped'].map(
      (kind) => `${kind} ${batch} `,
    ),
  );
});

test("a degraded host's instance moved off it before its retirement is due, by one of its own that came due first, is told on its own", (t) => {
  const world = webAndBatch();
  const [web1, web2, web3] = ['web-1', 'web-2', 'web-3'].map((n) => named(world, n).id);
  const host = world.instances[web1]!.hostId!;
  // web-1's own retirement comes due first; its stop ends as the host's come due.
  apply(world, `schedule-event web-1 instance-retirement --in ${600 - TICKS.stopping}s`);
  apply(world, `impair-host ${host} --retire-in 10m`);
  const dueAt = world.tick + 600;
  const told = run(world, 600 + TICKS.stopping + 1)
    .filter((e) => e.tick >= dueAt - TICKS.stopping && /^(scheduled-event-|instance-stop)/.test(e.kind))
    .map((e) => `${e.tick - dueAt} ${e.kind} ${e.subject} ${(e.instanceIds ?? []).join(',')}`);
  const stop = -TICKS.stopping;
  t.deepEqual(told, [
    `${stop} scheduled-event-started ${web1} `,
    `${stop} instance-stopping ${web1} `,
    `${stop} scheduled-event-ended ${web1} `,
    // Its stop meets the host's retirement of it too, before the host's others come due.
    `0 scheduled-event-ended ${web1} `,
    `0 instance-stopped ${web1} `,
    `0 scheduled-event-started ${host} ${web2},${web3}`,
    `0 instance-stopping ${host} ${web2},${web3}`,
    `0 scheduled-event-ended ${host} ${web2},${web3}`,
    `${TICKS.stopping} instance-stopped ${host} ${web2},${web3}`,
  ]);
});

test("a failed host's automatic recovery is one event for the host, and its instances' checks and guests back one each for the zone; each instance keeps where it went", (t) => {
  const world = webAndBatch();
  const host = named(world, 'web-1').hostId!;
  const onHost = [...world.hosts[host]!.instanceIds];
  const told = [...apply(world, `fail-host ${host}`), ...run(world, TICKS.recoveryAfter + TICKS.guestRestart + 2)];
  const recovered = eventsOf(told, 'instance-recovered');
  t.deepEqual(
    recovered.map((e) => [e.subject, e.instanceIds]),
    [[host, onHost]],
  );
  t.regex(recovered[0]!.message, new RegExp(`^host ${host}: 3 instances recovered to healthy hosts: i-`));
  // On their new hosts their checks pass again the next second, together.
  t.deepEqual(
    eventsOf(told, 'status-check-passed').map((e) => [e.tick - recovered[0]!.tick, e.subject, e.data, e.instanceIds]),
    (['system', 'instance'] as const).map((check) => [
      1,
      'use1-az1',
      { check, after: 'recovery', instances: 3 },
      onHost,
    ]),
  );
  t.regex(
    eventsOf(told, 'status-check-passed')[0]!.message,
    /^use1-az1: system status check passing again on 3 instances after their recovery: i-/,
  );
  t.deepEqual(
    eventsOf(told, 'guest-restarted').map((e) => [e.subject, e.instanceIds, e.data?.after]),
    [['use1-az1', onHost, 'recovery']],
  );
  t.true(onHost.every((id) => world.instances[id]!.hostId !== host && world.instances[id]!.checks.system === 'ok'));
  // A reboot's guest coming back is the instance's own.
  const rebooted = [...apply(world, 'reboot web-1'), ...run(world, TICKS.guestRestart + 2)];
  t.deepEqual(
    eventsOf(rebooted, 'guest-restarted').map((e) => [e.subject, e.instanceIds ?? null]),
    [[onHost[0], null]],
  );
});

// EC2 User Guide, "Troubleshoot instance recovery failures": "Temporary, insufficient capacity of
// replacement hardware" is one cause of a failed recovery.
test("a failed host's instances that no healthy host has room for are told once for the host, and recovered when room frees", (t) => {
  const { world } = testSession({
    racks: [{ zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 3 }],
    fleet: [
      { name: 'big', type: 'm6i.32xlarge', zone: 'use1-az1' },
      { name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1' },
      { name: 'other', type: 'm6i.32xlarge', zone: 'use1-az1' },
    ],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  const webs = ['web-1', 'web-2'].map((n) => named(world, n));
  const host = webs[0]!.hostId!;
  t.is(webs[1]!.hostId, host);
  const events = [...apply(world, `fail-host ${host}`), ...run(world, TICKS.recoveryAfter + 60)];
  const failed = eventsOf(events, 'instance-recovery-failed');
  t.deepEqual(
    failed.map((e) => [e.subject, e.instanceIds, e.data]),
    [[host, webs.map((w) => w.id), { host, reason: 'capacity', instances: 2 }]],
  );
  t.regex(failed[0]!.message, /^host \S+: 2 instances not recovered: no healthy host in the zone has room; /);
  t.deepEqual(eventsOf(events, 'instance-recovered'), []);
  apply(world, 'terminate other');
  const later = run(world, TICKS.shuttingDown + 2);
  t.deepEqual(
    eventsOf(later, 'instance-recovered')[0]?.instanceIds,
    webs.map((w) => w.id),
  );
  t.deepEqual(eventsOf(later, 'instance-recovery-failed'), [], 'told once');
});

test("recovery answers a host's failure two minutes on, even when the zone's impairment had failed the check before", (t) => {
  const { world } = testSession({
    racks: [{ zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 2 }],
    fleet: [
      { name: 'a', type: 'm6i.32xlarge', zone: 'use1-az1' },
      { name: 'b', type: 'm6i.32xlarge', zone: 'use1-az1' },
    ],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  const a = named(world, 'a');
  const host = a.hostId!;
  apply(world, 'impair-zone use1-az1');
  run(world, 240);
  const failedAt = world.tick;
  const events = [...apply(world, `fail-host ${host}`), ...run(world, 30)];
  apply(world, 'restore-zone use1-az1');
  events.push(...run(world, TICKS.recoveryAfter + 30));
  const failed = eventsOf(events, 'instance-recovery-failed');
  t.deepEqual(
    failed.map((e) => [e.tick - failedAt, e.instanceIds]),
    [[TICKS.recoveryAfter, [a.id]]],
  );
  apply(world, 'terminate b');
  const later = run(world, TICKS.shuttingDown + 2);
  t.is(eventsOf(later, 'instance-recovered').length, 1);
});

test("an instance terminated during its retirement's stop ends with the host's others, its store lost in the host's one event", (t) => {
  const { world } = testSession({
    fleet: [{ name: 'c', count: 3, type: 'm6id.large', zone: 'use1-az1', instanceStoreDataGB: 5 }],
  });
  run(world, TICKS.statusChecksInitializing + 1);
  const host = named(world, 'c-1').hostId!;
  t.is(world.hosts[host]!.instanceIds.length, 3);
  apply(world, `impair-host ${host} --retire-in 1m`);
  run(world, 60 + TICKS.stopping - 10);
  const c3 = named(world, 'c-3');
  t.is(c3.state, 'stopping');
  const told = [...apply(world, 'terminate c-3'), ...run(world, TICKS.shuttingDown + 10)];
  const lost = eventsOf(told, 'instance-store-lost');
  t.deepEqual(
    lost.map((e) => [e.subject, e.instanceIds?.length, e.data?.gb]),
    [[host, 3, 15]],
  );
  t.is(world.instances[c3.id]!.state, 'terminated');
});

test('automatic recovery off a degraded host that then fails meets its retirement: EC2 does not stop the instance on its new host', (t) => {
  const { world } = testSession({ fleet: [{ name: 'w', count: 2, type: 'm6i.large', zone: 'use1-az1' }] });
  run(world, TICKS.statusChecksInitializing + 1);
  const host = named(world, 'w-1').hostId!;
  apply(world, `impair-host ${host} --retire-in 10m`);
  run(world, 60);
  const told = [...apply(world, `fail-host ${host}`), ...run(world, 15 * 60)];
  const ids = world.hosts[host]!.instanceIds;
  t.is(ids.length, 0, 'recovery moved them off');
  for (const name of ['w-1', 'w-2']) {
    const inst = named(world, name);
    t.is(inst.state, 'running');
    t.not(inst.hostId, host);
    t.deepEqual(
      inst.scheduledEvents.map((e) => [e.code, e.state]),
      [['instance-retirement', 'completed']],
    );
  }
  t.deepEqual(eventsOf(told, 'scheduled-event-started'), []);
  const ended = eventsOf(told, 'scheduled-event-ended');
  t.deepEqual(
    ended.map((e) => [e.subject, e.instanceIds?.length]),
    [[host, 2]],
  );
});

test("a failed host's instances wait for their impaired zone before recovery moves them, told once for the host and not counted against the day's allowance", (t) => {
  const { world } = testSession({ fleet: [{ name: 'w', count: 2, type: 'm6i.large', zone: 'use1-az1' }] });
  run(world, TICKS.statusChecksInitializing + 1);
  const host = named(world, 'w-1').hostId!;
  apply(world, 'impair-zone use1-az1');
  const failedAt = world.tick;
  const told = [...apply(world, `fail-host ${host}`), ...run(world, 10 * 60)];
  t.deepEqual(
    eventsOf(told, 'instance-recovery-failed').map((e) => [e.tick - failedAt, e.subject, e.data?.reason]),
    [[TICKS.recoveryAfter, host, 'service health event']],
  );
  t.regex(eventsOf(told, 'instance-recovery-failed')[0]!.message, /2 instances not recovered: their zone is impaired/);
  t.deepEqual(eventsOf(told, 'instance-recovered'), []);
  t.is(named(world, 'w-1').hostId, host);
  apply(world, 'restore-zone use1-az1');
  const back = run(world, 2);
  t.is(eventsOf(back, 'instance-recovered').length, 1);
  t.true(['w-1', 'w-2'].every((n) => named(world, n).hostId !== host && named(world, n).recoveries?.length === 1));
});

test("once an impaired zone a failed host's instances waited for is back, a want of room is told; with the day's allowance spent, that is told", (t) => {
  const full = testSession({
    racks: [{ zone: 'use1-az1', family: 'm6i', racks: 1, hostsPerRack: 3 }],
    fleet: [
      { name: 'big', type: 'm6i.32xlarge', zone: 'use1-az1' },
      { name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1' },
      { name: 'other', type: 'm6i.32xlarge', zone: 'use1-az1' },
    ],
  }).world;
  run(full, TICKS.statusChecksInitializing + 1);
  const host = named(full, 'web-1').hostId!;
  apply(full, 'impair-zone use1-az1');
  const told = [...apply(full, `fail-host ${host}`), ...run(full, 5 * 60)];
  apply(full, 'restore-zone use1-az1');
  told.push(...run(full, 60));
  t.deepEqual(
    eventsOf(told, 'instance-recovery-failed').map((e) => e.data?.reason),
    ['service health event', 'capacity'],
  );

  // Three recoveries in the day, then a fourth failure while the zone is impaired.
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  run(world, TICKS.statusChecksInitializing + 1);
  for (let i = 0; i < 3; i++) {
    apply(world, 'fail-host web');
    run(world, TICKS.recoveryAfter + TICKS.guestRestart + 10);
  }
  t.is(named(world, 'web').recoveries?.length, 3);
  apply(world, 'impair-zone use1-az1');
  run(world, 60);
  const fourth = [...apply(world, 'fail-host web'), ...run(world, TICKS.recoveryAfter + 10)];
  t.deepEqual(
    eventsOf(fourth, 'instance-recovery-failed').map((e) => e.data?.reason),
    ['daily allowance'],
  );
});
