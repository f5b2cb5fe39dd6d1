// The session's event log is bounded: past EVENT_LOG_LIMIT the oldest events are dropped and
// counted, a save carries the count, and what is kept is the newest, in order.
import test from 'ava';
import { EVENT_LOG_LIMIT, Session } from '../../src/game/session.js';
import type { SimEvent } from '../../src/sim/index.js';
import { testLevel } from '../helpers/world.js';

test('past its limit the log keeps the newest events, counts those dropped, and a save carries the count', (t) => {
  const session = new Session(testLevel({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] }), '1');
  const start = session.events.length;
  const flood: SimEvent[] = Array.from({ length: EVENT_LOG_LIMIT }, (_, i) => ({
    tick: 0,
    kind: 'note-added',
    level: 'info',
    subject: 'player',
    message: `note ${i}`,
  }));
  // Events reach the log as a tick's do: through the session's one way in.
  const record = (events: SimEvent[]) => (session as unknown as { record(e: SimEvent[]): void }).record(events);
  record(flood);
  t.is(session.events.length, start + EVENT_LOG_LIMIT, 'within a tenth over the limit nothing is dropped');
  t.is(session.eventsDropped, 0);
  record(flood.slice(0, EVENT_LOG_LIMIT / 10));
  t.is(session.events.length, EVENT_LOG_LIMIT);
  t.is(session.eventsDropped, start + EVENT_LOG_LIMIT / 10);
  t.is(session.events.at(-1)!.message, `note ${EVENT_LOG_LIMIT / 10 - 1}`);
  session.run(5);
  t.true(session.events.length <= EVENT_LOG_LIMIT * 1.1);
  const snapshot = session.toSnapshot();
  t.is(snapshot.eventsDropped, start + EVENT_LOG_LIMIT / 10);
  t.is(Session.fromSnapshot(session.level, snapshot).eventsDropped, snapshot.eventsDropped!);
  t.false('eventsDropped' in new Session(session.level, '1').toSnapshot(), 'a play within the limit saves no count');
});

test('an event telling many instances together weighs more by the ids it lists, 27 to an event', (t) => {
  const session = new Session(testLevel(), '1');
  const start = session.events.length;
  // Only how many ids an event lists counts against the limit: 27 of them weigh one event.
  const listing = (n: number) => new Array<string>(27 * n);
  const told = (n: number, weight = 30_000): SimEvent => ({
    tick: 0,
    kind: 'spot-interrupted',
    level: 'error',
    subject: 'm6i.large|use1-az1',
    message: `interruptions ${n}`,
    data: { action: 'stop', instances: 27 * weight },
    instanceIds: listing(weight),
  });
  const record = (events: SimEvent[]) => (session as unknown as { record(e: SimEvent[]): void }).record(events);
  record([told(1), told(2), told(3)]);
  t.is(session.eventsDropped, 0, 'three events of 30,001 and the start are within the limit');
  record([told(4)]);
  t.deepEqual(
    session.events.map((e) => e.message),
    ['interruptions 2', 'interruptions 3', 'interruptions 4'],
  );
  t.is(session.eventsDropped, start + 1);
  record([told(5, 200_000)]);
  t.deepEqual(
    session.events.map((e) => e.message),
    ['interruptions 5'],
    'the newest event stays, however many it tells',
  );
});

test('a play restored after its log dropped its refusals and hints goes on with the tickets the unbroken play gives', (t) => {
  const session = new Session(testLevel({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] }), '1');
  session.run(2);
  const early = [session.enqueue('blorp', 'player'), session.enqueue('hint', 'player')];
  t.true(
    early.every((ticket) => ticket < 0),
    'settled at once, each takes a ticket of its own',
  );
  session.run(2);
  // As a long play's log would have dropped them: the events of both outcomes are gone.
  const snapshot = JSON.parse(JSON.stringify(session.toSnapshot())) as ReturnType<Session['toSnapshot']>;
  snapshot.events = snapshot.events.filter((e) => typeof e.data?.ticket !== 'number');
  const restored = Session.fromSnapshot(session.level, snapshot);
  t.is(restored.enqueue('blorp again', 'player'), session.enqueue('blorp again', 'player'));
  t.is(restored.enqueue('hint', 'player'), session.enqueue('hint', 'player'));
});
