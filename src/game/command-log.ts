// What a session records about commands, shared by the session, scripts, saves and reports: who
// issued each command and when (the command log a save replays), and the event-triggered reactions
// a script leaves running. Kept apart from the session so that the modules the session uses can
// speak of its log without importing the session back.

/** Who issued a command: the player at the prompt, a script, the level's scenario or an outside handler. */
export const SOURCES = ['player', 'script', 'scenario', 'handler'] as const;
export type Source = (typeof SOURCES)[number];

/**
 * Of commands or refused lines, the responders' (a player's, a script's, a handler's): what a save
 * keeps, as the level brings back the scenario's own.
 */
export const responders = <T extends { source: Source }>(list: readonly T[]): T[] =>
  list.filter((c) => c.source !== 'scenario');

/** The responders' sources, in the order a report and the leaderboard name them. */
export const RESPONDER_SOURCES = ['player', 'script', 'handler'] as const;
export type ResponderSource = (typeof RESPONDER_SOURCES)[number];

/** How many commands (notes included) each responder issued in a play's log. */
export function commandsBySource(log: readonly LoggedCommand[]): Record<ResponderSource, number> {
  const counts = { player: 0, script: 0, handler: 0 };
  for (const c of log) if (c.source !== 'scenario') counts[c.source]++;
  return counts;
}

/** Who drove a play: the responders that issued any command in its log, in RESPONDER_SOURCES order. */
export function driversOf(log: readonly LoggedCommand[]): ResponderSource[] {
  const counts = commandsBySource(log);
  return RESPONDER_SOURCES.filter((source) => counts[source] > 0);
}

/** One command as applied: the tick (simulated seconds from the start) it ran in, its source and its text. */
export interface LoggedCommand {
  tick: number;
  source: Source;
  text: string;
  /**
   * Only for a hint answered as it was asked for, between two seconds rather than in one (see
   * Session.enqueueAt): how many of the responders' lines had been refused as they came in before
   * it. Refusals and such hints are told in the order they came, and a replay tells them again in
   * that order.
   */
  refusedBefore?: number;
}

/**
 * A line refused as it was submitted, before it could reach the command log: one that does not
 * parse, a scenario command from a player, one past a second's queue. A save keeps these with its
 * commands, so that a replay tells each refusal again where it was told.
 */
export interface RefusedLine {
  tick: number;
  source: Source;
  /** What the refusal is about: `parse`, or the command's verb. */
  subject: string;
  /** The line as submitted, trimmed, its control characters escaped (`\u001b`), to its first REFUSED_LINE_CHARS characters. */
  text: string;
  /** Why it was refused, escaped and cut alike. */
  reason: string;
}

/**
 * How much of a refused line, and of its reason, is kept: as much as a control request's body may
 * hold. A line typed at the prompt has no bound of its own, and a refusal's record must have one
 * for a save to hold it.
 */
export const REFUSED_LINE_CHARS = 4096;

/** A script's `on <event> [after <delay>] <command>` line, kept running by the session. */
export interface Reaction {
  /** The event kind it waits for (one of reaction-events.ts's REACTION_EVENTS). */
  event: string;
  /** Ticks after the event, on top of the one-second reaction time. */
  delay: number;
  /** The command with its placeholders still in place. */
  template: string;
  /** The script line it came from, for messages. */
  line: number;
}
