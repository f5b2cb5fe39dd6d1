// Who drove a play, as the leaderboard and a report's "Driven by" tell it.
import test from 'ava';
import { commandsBySource, driversOf, type LoggedCommand } from '../../src/game/command-log.js';

const logged = (...sources: LoggedCommand['source'][]): LoggedCommand[] =>
  sources.map((source, tick) => ({ tick, source, text: 'note x' }));

test("the responders that gave a play's commands, in one order; the scenario's own are no one's", (t) => {
  const log = logged('script', 'scenario', 'player', 'script');
  t.deepEqual(commandsBySource(log), { player: 1, script: 2, handler: 0 });
  t.deepEqual(driversOf(log), ['player', 'script']);
  t.deepEqual(driversOf(logged('scenario')), []);
  t.deepEqual(driversOf(logged('handler', 'player')), ['player', 'handler']);
});
