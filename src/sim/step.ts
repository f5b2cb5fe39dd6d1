// One tick, in fixed stages: apply the tick's commands, then advance every system in a set order.
// Events carry the tick they happened on; the world's clock moves on at the end.
import { applyCommand } from './commands/apply.js';
import { trimJournal } from './changes.js';
import type { Command } from './commands/parse.js';
import { CommandError } from './errors.js';
import { EventSink } from './events.js';
import { advanceHealth } from './health.js';
import { advanceLifecycles } from './instances.js';
import { advanceSpot } from './spot.js';
import { billSecond } from './billing.js';
import type { SimEvent, World } from './types.js';
import { advanceVolumes } from './volumes.js';
import { runWorkloads } from './workloads.js';

/** Applies one command; a refusal becomes an error event and leaves the world unchanged. */
export function submit(world: World, cmd: Command, events: EventSink): boolean {
  try {
    applyCommand(world, cmd, events);
    events.emit('command-applied', 'info', cmd.verb, cmd.text);
    return true;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    events.emit('command-refused', 'error', cmd.verb, `${cmd.text}: ${err.message}`, { code: err.code, command: cmd.text });
    return false;
  }
}

export function step(world: World, commands: readonly Command[] = []): SimEvent[] {
  trimJournal(world);
  const events = new EventSink(world);
  for (const cmd of commands) submit(world, cmd, events);
  advanceLifecycles(world, events);
  advanceVolumes(world, events);
  advanceSpot(world, events);
  advanceHealth(world, events);
  runWorkloads(world);
  billSecond(world);
  world.tick += 1;
  return events.events;
}
