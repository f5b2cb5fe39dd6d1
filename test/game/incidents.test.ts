// Incidents are opened for causes, not for every instance a cause reaches: an impaired zone is one
// incident however many instances fail their checks in it, while a guest that hangs on healthy
// hardware is an incident of its own.
import test from 'ava';
import { testSession } from '../helpers/world.js';

function played(injects: { at: string; command: string }[]) {
  const session = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 6 },
      { name: 'api', type: 'm6i.large', zone: 'use1-az2', count: 2 },
    ],
    injects,
  });
  session.run(180);
  return session.incidents.map((i) => [i.kind, i.severity, i.instances.length]);
}

test('an impaired zone opens one incident for the zone, not one for each instance failing its checks', (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'impair-zone use1-az1' }]), [['zone-impaired', 'SEV1', 6]]);
});

test('a guest hung on healthy hardware opens an instance-check incident', (t) => {
  t.deepEqual(played([{ at: '01:00', command: 'hang-guest web-2' }]), [['instance-check', 'SEV3', 1]]);
});
