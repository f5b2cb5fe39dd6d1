// An event log keeps one event per cause: instances one cause reaches in a second are told
// together, the message written from all of them whenever the log is read.
import test from 'ava';
import { concerns, concernsAny, EventLog, firstFew, type Describe, type Instance } from '../../src/sim/index.js';

const instance = (id: string) => ({ id }) as Instance;
const describe: Describe = (instances, data) => `${String(data?.action)}: ${firstFew(instances, (i) => i.id, 2)}`;

test('instances of one kind, subject and data in a second are one event, in the place of the first', (t) => {
  const log = new EventLog(7);
  log.emitFor('spot-interrupted', 'error', 'pool-a', instance('i-1'), describe, { action: 'stop' });
  log.emit('zone-impaired', 'error', 'use1-az1', 'use1-az1 impaired');
  log.emitFor('spot-interrupted', 'error', 'pool-a', instance('i-2'), describe, { action: 'stop' });
  log.emitFor('spot-interrupted', 'error', 'pool-a', instance('i-3'), describe, { action: 'terminate' });
  log.emitFor('spot-interrupted', 'error', 'pool-b', instance('i-4'), describe, { action: 'stop' });
  t.deepEqual(
    log.events.map((e) => [e.tick, e.subject, e.message, e.data, e.instanceIds]),
    [
      [7, 'pool-a', 'stop: i-1, i-2', { action: 'stop', instances: 2 }, ['i-1', 'i-2']],
      [7, 'use1-az1', 'use1-az1 impaired', undefined, undefined],
      [7, 'pool-a', 'terminate: i-3', { action: 'terminate', instances: 1 }, ['i-3']],
      [7, 'pool-b', 'stop: i-4', { action: 'stop', instances: 1 }, ['i-4']],
    ],
  );
});

test('an instance joining after the log was read is in the message next read', (t) => {
  const log = new EventLog(0);
  for (const id of ['i-1', 'i-2']) log.emitFor('instance-stopped', 'info', 'pool', instance(id), describe);
  t.is(log.events[0]!.message, 'undefined: i-1, i-2');
  for (const id of ['i-3', 'i-4']) log.emitFor('instance-stopped', 'info', 'pool', instance(id), describe);
  t.is(log.events.length, 1);
  t.is(log.events[0]!.message, 'undefined: i-1, i-2 and 2 more');
  t.deepEqual(log.events[0]!.data, { instances: 4 });
});

test('an event concerns its subject and every instance it lists, and nothing else', (t) => {
  const log = new EventLog(0);
  for (const id of ['i-1', 'i-2']) log.emitFor('spot-interrupted', 'error', 'pool', instance(id), describe);
  const [told] = log.events;
  t.true(concerns(told!, 'pool') && concerns(told!, 'i-2') && !concerns(told!, 'i-3'));
  t.true(concernsAny(told!, new Set(['i-3', 'i-1'])));
  t.true(concernsAny(told!, new Set(['pool'])));
  t.false(concernsAny(told!, new Set(['i-3'])));
});

test("figures summed over a group's instances are added up to one decimal place and do not split it", (t) => {
  const log = new EventLog(0);
  const gbs: [string, number][] = [
    ['i-1', 0.1],
    ['i-2', 0.2],
    ['i-3', 40],
  ];
  for (const [id, gb] of gbs)
    log.emitFor('instance-store-lost', 'warn', 'h-1', instance(id), describe, { why: 'x' }, { gb });
  t.deepEqual(
    log.events.map((e) => [e.data, e.instanceIds]),
    [[{ why: 'x', gb: 40.3, instances: 3 }, ['i-1', 'i-2', 'i-3']]],
  );
});
