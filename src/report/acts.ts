// The responders' commands paired with what each did in the model: its outcome and the events it
// caused at once (an instance launched, a stop begun). Read from the session's own record, the
// command log and the event stream, never from the wording of events.
import {
  isOutcome,
  parseCommand,
  ParseError,
  refusalCode,
  refusalOf,
  subjectsOf,
  type Command,
  type SimEvent,
  VERB_TABLE,
} from '../sim/index.js';
import type { Source } from '../game/command-log.js';
import type { Session } from '../game/session.js';

export interface Act {
  tick: number;
  source: Source;
  command: Command;
  outcome: 'applied' | 'refused';
  /** The refusal's code and reason (`InvalidParameterValue: no instance matches 'x'`, see refusalText), or '' when applied. */
  detail: string;
  /** The model's error code of a refusal, e.g. InsufficientInstanceCapacity. */
  code: string | null;
  /** Events the command itself caused, in order, before its outcome was told. */
  effects: SimEvent[];
  /** A hint answered as it was asked for: how many lines had been refused as they came in before it (see LoggedCommand). */
  refusedBefore?: number;
}

const outcomeText = (e: SimEvent) => (e.kind === 'command-applied' ? e.message : String(e.data?.command ?? ''));

/**
 * Every command the session applied or refused (the level's injects included, with source
 * 'scenario'), with its effects. Within a tick the session applies game commands (ack, note) first,
 * then the world's in queue order, and each command's events precede its outcome event.
 */
export function actsOf(session: Session): Act[] {
  const acts: Act[] = [];
  const byTick = new Map<number, typeof session.log>();
  for (const c of session.log) byTick.set(c.tick, [...(byTick.get(c.tick) ?? []), c]);
  const queue = new Map<number, typeof session.log>();
  for (const [tick, list] of byTick) {
    const scope = (text: string) => (VERB_TABLE.get(text.split(' ')[0]!)?.scope === 'game' ? 0 : 1);
    queue.set(
      tick,
      [...list].sort((a, b) => scope(a.text) - scope(b.text)),
    );
  }
  let pending: SimEvent[] = [];
  let pendingTick = -1;
  for (const e of session.events) {
    if (e.tick !== pendingTick) {
      pending = [];
      pendingTick = e.tick;
    }
    if (!isOutcome(e)) {
      pending.push(e);
      continue;
    }
    const waiting = queue.get(e.tick);
    const logged = waiting?.[0];
    // A line that never parsed was refused on submission and never logged: it has no act.
    if (logged && logged.text === outcomeText(e)) {
      waiting!.shift();
      const command = commandOf(logged.text);
      if (command) {
        acts.push({
          tick: e.tick,
          source: logged.source,
          command,
          outcome: e.kind === 'command-applied' ? 'applied' : 'refused',
          detail: e.kind === 'command-refused' ? refusalOf(e) : '',
          code: refusalCode(e),
          effects: pending,
          ...(logged.refusedBefore === undefined ? {} : { refusedBefore: logged.refusedBefore }),
        });
      }
    }
    pending = [];
  }
  return acts;
}

/**
 * Lines refused as they were submitted, which never reached the command log: one that does not
 * parse, a scenario command sent by a player. Each with when, by whom, as written, and why. A hint
 * refused at once is not among them: it is in the log, and an act.
 */
export function refusedOnSubmission(
  session: Session,
): { tick: number; source: Source; command: string; detail: string }[] {
  return session.refused.map((r) => ({ tick: r.tick, source: r.source, command: r.text, detail: r.reason }));
}

function commandOf(text: string): Command | null {
  try {
    return parseCommand(text);
  } catch (err) {
    if (err instanceof ParseError) return null;
    throw err;
  }
}

/** The instances an act touched at once: launched, stopped, started, rebooted, terminated. */
export const actInstances = (act: Act) => [
  ...new Set(act.effects.filter((e) => e.kind.startsWith('instance-')).flatMap(subjectsOf)),
];
