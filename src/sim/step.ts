// One tick, in fixed stages: apply the tick's commands, then advance every system in a set order.
// Events carry the tick they happened on; the world's clock moves on at the end.
import { applyCommand } from './commands/registry.js';
import { shownCommand } from './commands/echo.js';
import { trimJournal } from './changes.js';
import type { Command } from './commands/spec.js';
import { CommandError, refusalText } from './errors.js';
import { EventSink } from './events.js';
import { advanceHealth } from './health.js';
import { advanceLifecycles } from './instances.js';
import { advanceNatGateways } from './nat.js';
import { advanceSpot } from './spot.js';
import { billSecond } from './billing.js';
import type { SimEvent, World } from './types.js';
import { advanceVolumes } from './volumes.js';
import { runWorkloads } from './workloads.js';

/**
 * What the submitter of a command is told in its outcome event's data, so each submitter finds its
 * own outcome by ticket rather than by the command's text (two submitters may send the same text).
 */
export interface CommandOrigin {
  ticket: number;
  source: string;
}

/** Applies one command; a refusal becomes an error event and leaves the world unchanged. */
export function applyNow(world: World, cmd: Command, events: EventSink, origin?: CommandOrigin): boolean {
  try {
    applyCommand(world, cmd, events);
    events.emit('command-applied', 'info', cmd.verb, cmd.text, { command: cmd.text, ...origin });
    return true;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    events.emit(
      'command-refused',
      'error',
      cmd.verb,
      `${shownCommand(cmd.text)}: ${refusalText(err.message, err.code)}`,
      {
        code: err.code,
        reason: err.message,
        command: cmd.text,
        ...origin,
      },
    );
    return false;
  }
}

/** One second of the world; `origins[i]`, when given, is told in the outcome event of `commands[i]`. */
export function step(
  world: World,
  commands: readonly Command[] = [],
  origins: readonly CommandOrigin[] = [],
): SimEvent[] {
  trimJournal(world);
  const events = new EventSink(world);
  commands.forEach((cmd, i) => applyNow(world, cmd, events, origins[i]));
  advanceLifecycles(world, events);
  advanceNatGateways(world, events);
  advanceVolumes(world, events);
  advanceSpot(world, events);
  advanceHealth(world, events);
  runWorkloads(world);
  billSecond(world);
  world.tick += 1;
  return events.events;
}
