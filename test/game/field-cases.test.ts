// Field cases: small levels and scripts from what people who run EC2 have reported, each on a rule
// fleetops once got wrong. Each runs as `fleetops exercise <level> --script <script>` does, and
// must come out as EC2 behaves.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseLevel } from '../../src/game/level.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { tokenResponseReaches } from '../../src/sim/metadata-options.js';
import { TICKS } from '../../src/sim/timings.js';
import { eventsOf, named } from '../helpers/world.js';

function exercise(name: string): Session {
  const dir = `test/fixtures/field-cases/${name}`;
  const level = parseLevel(readFileSync(`${dir}/level.json`, 'utf8'), `${dir}/level.json`);
  const session = new Session(level, level.defaultSeed);
  attachScript(session, parseScript(readFileSync(`${dir}/script.txt`, 'utf8'), `${dir}/script.txt`));
  session.run(level.duration);
  return session;
}

const refusedAt = (s: Session) => eventsOf(s.events, 'command-refused').map((e) => [e.tick, e.data?.code]);

// API reference, "ModifyVolume": up to four modifications in a rolling 24 hours, each once the
// previous one has completed; the fifth is refused with VolumeModificationRateExceeded.
test('01: four modifications 15 minutes apart go through; the fifth is refused and says when to retry', (t) => {
  const s = exercise('01-ebs-modify-rate');
  t.is(eventsOf(s.events, 'volume-modifying').length, 4);
  t.deepEqual(refusedAt(s), [[3600, 'VolumeModificationRateExceeded']]);
  // The operator sees the code, as the AWS CLI shows it, not only the reason.
  t.regex(
    eventsOf(s.events, 'command-refused')[0]!.message,
    /: VolumeModificationRateExceeded: vol-\S+ has been modified 4 times .*retry after 2026-03-04T09:01:00Z/,
  );
  t.is(eventsOf(s.events, 'volume-modified').length, 4, 'each completed before the next began');
});

// EC2 User Guide, "Spot Instance interruption notices": hibernate gets no two-minute warning.
test('13: the hibernating Spot instance hibernates at its notice; the terminating one keeps two minutes', (t) => {
  const s = exercise('13-spot-hibernate-notice');
  const tick = (kind: string, name: string) =>
    eventsOf(s.events, kind).find((e) => e.message.includes(`(${name})`))?.tick;
  t.is(tick('spot-interruption-notice', 'spot-h'), 120);
  t.is(tick('spot-interrupted', 'spot-h'), 120);
  t.is(tick('spot-interruption-notice', 'spot-t'), 120);
  t.is(tick('spot-interrupted', 'spot-t'), 120 + TICKS.spotNotice);
  t.is(named(s.world, 'spot-h').state, 'stopped');
});

// API reference, "InstanceMetadataOptionsRequest": metadata options per instance.
test('14: a level with a metadata hop limit loads, and a token request from beyond the limit gets no answer', (t) => {
  const s = exercise('14-imds-hop-limit');
  const node = named(s.world, 'node-1');
  t.deepEqual(node.metadataOptions, {
    httpEndpoint: 'enabled',
    httpTokens: 'required',
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: 'disabled',
  });
  t.true(tokenResponseReaches(node.metadataOptions, 0), 'a process on the instance itself');
  t.false(tokenResponseReaches(node.metadataOptions, 1), 'a container one hop beyond it');
});

// EC2 User Guide, "Scheduled events for your instances"; API reference, "InstanceMaintenanceOptions".
test("15: the operator's reboots complete both events; app-1 moves by reboot migration; nothing fires at 20 minutes", (t) => {
  const s = exercise('15-reboot-clears-event');
  for (const name of ['app-1', 'app-2']) {
    const inst = named(s.world, name);
    t.deepEqual(
      inst.scheduledEvents.map((e) => e.state),
      ['completed'],
      name,
    );
  }
  t.deepEqual(
    eventsOf(s.events, 'scheduled-event-ended').map((e) => e.tick),
    [120, 120],
  );
  t.deepEqual(eventsOf(s.events, 'scheduled-event-started'), []);
  const migration = eventsOf(s.events, 'instance-reboot').find((e) => e.message.includes('(app-1)'));
  t.truthy(migration?.data?.to, 'app-1 moved to new hardware');
  t.not(migration?.data?.to, migration?.data?.from, 'to another host, though its own was healthy and had room');
  t.is(migration?.data?.to, named(s.world, 'app-1').hostId);
  t.falsy(
    eventsOf(s.events, 'instance-reboot').find((e) => e.message.includes('(app-2)'))?.data?.to,
    'app-2 rebooted in place',
  );
});
