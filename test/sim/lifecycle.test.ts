// Instance lifecycle: the states, their timings, what a stop gives back and what a start takes.
import test from 'ava';
import { worldFingerprint } from '../../src/sim/index.js';
import { TICKS } from '../../src/sim/timings.js';
import { whyNotServing } from '../../src/sim/serving.js';
import { apply, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';

function oneWebServer() {
  const session = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  return { world: session.world, web: named(session.world, 'web') };
}

test('a launched instance is pending, then running once the launch completes', (t) => {
  const { world } = testSession();
  apply(world, 'launch m6i.large --az use1-az1 --name fresh');
  const fresh = named(world, 'fresh');
  t.is(fresh.state, 'pending');
  t.truthy(fresh.hostId, 'a pending instance already holds its host');
  t.true(Object.is(fresh.costMicros, 0), 'its cost is 0, not the -0 it is made with (see launch)');
  const events = run(world, TICKS.pendingToRunning);
  t.is(fresh.state, 'pending');
  events.push(...run(world, 1));
  t.is(fresh.state, 'running');
  t.deepEqual(
    eventsOf(events, 'instance-running').map((e) => e.tick),
    [TICKS.pendingToRunning],
  );
});

test('a stop passes through stopping and gives the host its vCPUs and memory back', (t) => {
  const { world, web } = oneWebServer();
  const host = world.hosts[web.hostId!]!;
  t.is(host.usedVcpu, 2);
  t.is(host.usedMemoryMiB, 8192);
  apply(world, 'stop web');
  t.is(web.state, 'stopping');
  run(world, TICKS.stopping);
  t.is(web.state, 'stopping');
  t.is(host.usedVcpu, 2, 'the host is held until the stop completes');
  run(world, 1);
  t.is(web.state, 'stopped');
  t.is(web.hostId, null);
  t.is(host.usedVcpu, 0);
  t.is(host.usedMemoryMiB, 0);
  t.false(host.instanceIds.includes(web.id));
});

test('a start may land on another host, keeping the private address', (t) => {
  const { world, web } = oneWebServer();
  const firstHost = web.hostId;
  const privateIp = world.enis[web.eniId]!.privateIp;
  apply(world, 'stop web');
  run(world, TICKS.stopping + 1);
  // While it is stopped, someone else takes the whole host it stood on.
  apply(world, 'launch m6i.32xlarge --az use1-az1 --name big');
  t.is(named(world, 'big').hostId, firstHost);
  const events = apply(world, 'start web');
  t.is(web.state, 'pending');
  t.not(web.hostId, firstHost);
  t.is(eventsOf(events, 'instance-starting')[0]?.data?.host, web.hostId);
  t.is(world.enis[web.eniId]!.privateIp, privateIp);
  run(world, TICKS.pendingToRunning + 1);
  t.is(web.state, 'running');
});

test('the auto-assigned public address is released on stop and a new one given on start', (t) => {
  const { world, web } = oneWebServer();
  const eni = world.enis[web.eniId]!;
  const before = eni.publicIp;
  t.truthy(before);
  apply(world, 'stop web');
  run(world, TICKS.stopping + 1);
  t.is(eni.publicIp, null);
  apply(world, 'start web');
  t.truthy(eni.publicIp);
  t.not(eni.publicIp, before);
});

test('an Elastic IP keeps the public address across a stop and start', (t) => {
  const { world, web } = oneWebServer();
  const eni = world.enis[web.eniId]!;
  apply(world, 'associate-address web');
  const elastic = world.elasticIps[eni.allocationId!]!.publicIp;
  t.is(eni.publicIp, elastic);
  apply(world, 'stop web');
  run(world, TICKS.stopping + 1);
  t.is(eni.publicIp, elastic);
  apply(world, 'start web');
  run(world, TICKS.pendingToRunning + 1);
  t.is(eni.publicIp, elastic);
});

// EC2 User Guide, "Amazon EC2 instance state changes" and "Reboot your Amazon EC2 instance": six
// states and no `rebooting`; an instance stays running through a reboot and keeps its host and addresses.
test('a reboot keeps the instance running, on its host, with its public address; only the guest is away', (t) => {
  const { world, web } = oneWebServer();
  const host = web.hostId;
  const ip = world.enis[web.eniId]!.publicIp;
  const events = apply(world, 'reboot web');
  t.is(web.state, 'running');
  t.not(web.guestRestartUntil, null, 'the guest is restarting');
  events.push(...run(world, TICKS.guestRestart + 1));
  t.false(events.some((e) => e.kind.startsWith('instance-') && /rebooting\b/.test(e.kind)));
  t.deepEqual(
    eventsOf(events, 'guest-restarted').map((e) => e.tick),
    [TICKS.guestRestart],
  );
  t.is(web.guestRestartUntil, null);
  t.is(web.state, 'running');
  t.is(web.hostId, host);
  t.is(world.enis[web.eniId]!.publicIp, ip);
});

test('a member rebooting is out of service as booting, not as failing a check its guest still passes', (t) => {
  const { world } = testSession({
    workloads: [{ name: 'shop', kind: 'web', demand: { baseRps: 50 } }],
    fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1', workload: 'shop' }],
  });
  const web = named(world, 'web');
  apply(world, 'reboot web');
  t.is(web.checks.instance, 'ok');
  t.is(whyNotServing(world, web), 'its guest is booting (a reboot or a recovery)');
  run(world, TICKS.guestRestart + 1);
  t.is(whyNotServing(world, web), null);
});

test('terminate shuts down, frees the host and deletes the root volume', (t) => {
  const { world, web } = oneWebServer();
  const host = world.hosts[web.hostId!]!;
  const root = web.rootVolumeId;
  apply(world, 'terminate web');
  t.is(web.state, 'shutting-down');
  run(world, TICKS.shuttingDown + 1);
  t.is(web.state, 'terminated');
  t.is(web.hostId, null);
  t.is(host.usedVcpu, 0);
  t.false(root in world.volumes);
});

test('terminated is final: start, stop and reboot are refused, a terminate again is answered as done, and nothing changes', (t) => {
  const { world, web } = oneWebServer();
  apply(world, 'terminate web');
  t.deepEqual(
    refusals(apply(world, `terminate ${web.id}`)),
    [],
    'TerminateInstances is idempotent while shutting down',
  );
  run(world, TICKS.shuttingDown + 1);
  const before = worldFingerprint(world);
  for (const verb of ['start', 'stop', 'reboot']) {
    const events = apply(world, `${verb} ${web.id}`);
    t.is(eventsOf(events, 'command-refused')[0]?.data?.code, 'IncorrectInstanceState', verb);
    t.regex(refusals(events)[0]!, /it is terminated/);
  }
  t.deepEqual(refusals(apply(world, `terminate ${web.id}`)), [], 'and once terminated');
  t.is(worldFingerprint(world), before);
  t.is(web.state, 'terminated');
});

test('a terminated instance leaves the listings after about an hour', (t) => {
  const { world, web } = oneWebServer();
  apply(world, 'terminate web');
  run(world, TICKS.shuttingDown + 1 + TICKS.terminatedVisible - 10);
  t.true(web.id in world.instances);
  run(world, 20);
  t.false(web.id in world.instances);
  t.false(web.eniId in world.enis);
});

test('the state rules refuse what EC2 refuses', (t) => {
  const { world, web } = oneWebServer();
  t.deepEqual(refusals(apply(world, 'start web')), [], 'StartInstances is idempotent');
  apply(world, 'stop web');
  t.deepEqual(refusals(apply(world, 'stop web')), [], 'StopInstances is idempotent');
  t.regex(refusals(apply(world, 'reboot web'))[0]!, /cannot reboot .*: it is stopping/);
  t.regex(
    refusals(apply(world, 'modify-instance-type web m6i.4xlarge'))[0]!,
    /cannot change the type of .*: it is stopping/,
  );
  run(world, TICKS.stopping + 1);
  t.deepEqual(refusals(apply(world, 'modify-instance-type web m6i.4xlarge')), []);
  apply(world, 'start web');
  t.is(world.hosts[web.hostId!]!.usedVcpu, 16, 'the new size is what the host gives up');
});

test('a stop on a failed host hangs until it is forced', (t) => {
  const { world, web } = oneWebServer();
  apply(world, 'fail-host web', 'stop web');
  run(world, TICKS.stopping * 2);
  t.is(web.state, 'stopping');
  apply(world, 'stop web --force');
  run(world, TICKS.stopping + 1);
  t.is(web.state, 'stopped');
});

test('an instance without its root volume cannot start', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const web = named(world, 'web');
  apply(world, 'stop web');
  run(world, TICKS.stopping + 1);
  apply(world, `detach-volume ${web.rootVolumeId}`);
  const before = worldFingerprint(world);
  // EC2: "InvalidParameterValue: Invalid value 'i-…' for instanceId. Instance does not have a volume attached at root".
  t.regex(refusals(apply(world, 'start web'))[0] ?? '', /: InvalidParameterValue: .*no root volume attached/);
  t.is(worldFingerprint(world), before);
});

test('forcing a stop already under way never makes it longer, and it stays the stop that was begun', (t) => {
  const { world, web } = oneWebServer();
  apply(world, 'stop web');
  run(world, TICKS.stopping - 5);
  const since = web.stateSince;
  apply(world, 'stop web --force');
  t.is(web.stopReason, 'user');
  t.is(web.stateSince, since);
  run(world, 6);
  t.is(web.state, 'stopped', 'within the stop begun, not TICKS.stopping after the force');
});
