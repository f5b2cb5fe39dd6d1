// Bringing a saved play back to life. Replaying the level with the saved commands must land on the
// saved world hash, and a snapshot must be the world the hash names; anything else is reported,
// never accepted, and the save is left as it was. The saves (store/slots.ts) only keep what this
// needs; whether it still describes a play of this level is decided here.
import { InputError } from '../input/input-error.js';
import { counted, fingerprint, parseCommand, ParseError, type Command } from '../sim/index.js';
import { responders, type LoggedCommand, type Reaction, type RefusedLine, type Source } from './command-log.js';
import { levelHash, type Level } from './level.js';
import { teaches, type Mode } from './mode.js';
import { attachScript } from './script.js';
import { ScenarioDeparture, Session, type SessionSnapshot } from './session.js';

/** What a save must hold for its play to be brought back (store/slots.ts's SaveSlot is one). */
export interface SavedPlay {
  level: string;
  /** The level's fingerprint when saved: a snapshot is only trusted for the same level. */
  levelHash: string;
  seed: string;
  mode: Mode;
  /** The tick (simulated seconds) the play was saved at, and the world's hash there. */
  tick: number;
  hash: string;
  /** Commands applied so far, and those queued for later ticks, except the level's own. */
  commands: LoggedCommand[];
  pending: LoggedCommand[];
  /** Lines refused as they were submitted, in the order they were (none in saves from before they were kept). */
  refused: RefusedLine[];
  /** A script's `on` reactions, which go on reacting after a load. */
  reactions: Reaction[];
  /** How often they had fired, of the run's budget (Session.reactionsFired). */
  reactionsFired: number;
  /**
   * Hints shown so far, each charged to the score; null in saves from before the count was kept.
   * A hint changes no world, so the world's hash cannot tell a save of hints left out from the play.
   */
  hintsUsed: number | null;
  snapshot: SessionSnapshot | null;
}

/** The level this save is for must be the one it was made with for its snapshot to be used. */
export function sameLevel(save: Pick<SavedPlay, 'levelHash'>, level: Level): boolean {
  return save.levelHash === levelHash(level);
}

export type ResumeMode = 'replay' | 'snapshot';

export interface Resumed {
  session: Session;
  /** How it was brought back: a snapshot is used only when asked for, present and for the same level. */
  how: ResumeMode;
}

/**
 * Why a replay does not come out as saved, and what still brings the play back: a changed level
 * (the fingerprint saved is of the level as fleetops read it, defaults filled in, so a fleetops
 * that reads it otherwise counts too), else a fleetops whose model has changed since, or an edited
 * file; a snapshot of the same level is the world as it was, whatever the model does now.
 */
function changed(save: SavedPlay, level: Level): string {
  if (!sameLevel(save, level))
    return 'the level, or how fleetops reads it, has changed since it was saved; the save is left as it was';
  // --fast is offered only where the snapshot agrees with the save: else it too would be refused.
  const fast =
    save.snapshot && snapshotMismatch(save, level) === null
      ? '; load --fast (or report --fast) restores its snapshot instead'
      : '';
  return `fleetops has changed since it was saved, or the file was edited; the save is left as it was${fast}`;
}

function parseSaved(save: SavedPlay, level: Level, where: string, c: LoggedCommand): Command {
  try {
    return parseCommand(c.text);
  } catch (err) {
    if (err instanceof ParseError)
      throw new InputError(
        `${where}: saved command '${c.text}' at ${c.tick} s no longer parses (${err.message}); ${changed(save, level)}`,
      );
    throw err;
  }
}

/** The first of `lines` (refused, or settled: see Settled) out of order or past `tick`; undefined when all are in their places. */
function misplaced<T extends { tick: number }>(lines: readonly T[], tick: number): T | undefined {
  let last = 0;
  return lines.find((line) => {
    const out = line.tick < last || line.tick > tick;
    last = line.tick;
    return out;
  });
}

/** `what` (a line refused, a hint answered, at its second) told out of order or past the save's `tick`. */
const outOfPlace = (where: string, what: string, tick: number) =>
  `${where}: ${what} is out of order or past the save's ${tick} s`;

const refusedAt = (r: RefusedLine) => `a line refused at ${r.tick} s`;

/** A line a play settled as it came in, between two seconds: refused, or a hint answered at once. */
type Settled = { tick: number; refused: RefusedLine } | { tick: number; hint: LoggedCommand };

/**
 * The save's lines settled as they came in, in the order the play told them: each hint answered at
 * once after the refusals it came after (LoggedCommand.refusedBefore). Throws an InputError naming
 * `where` when that order goes back in time or past the save, or a hint comes after more refusals
 * than the save keeps.
 */
function settledInOrder(save: SavedPlay, level: Level, where: string): Settled[] {
  const hints = save.commands.filter((c) => c.refusedBefore !== undefined);
  const settled: Settled[] = [];
  let h = 0;
  const hintsAfter = (refusals: number) => {
    for (; h < hints.length && hints[h]!.refusedBefore! <= refusals; h++)
      settled.push({ tick: hints[h]!.tick, hint: hints[h]! });
  };
  save.refused.forEach((refused, i) => {
    hintsAfter(i);
    settled.push({ tick: refused.tick, refused });
  });
  hintsAfter(save.refused.length);
  // A hint after more refusals than the save keeps has no place among them.
  const out: Settled | undefined =
    misplaced(settled, save.tick) ?? (h < hints.length ? { tick: hints[h]!.tick, hint: hints[h]! } : undefined);
  if (out) {
    const what = 'hint' in out ? `a hint answered at ${out.tick} s` : refusedAt(out.refused);
    throw new InputError(`${outOfPlace(where, what, save.tick)}; ${changed(save, level)}`);
  }
  return settled;
}

/** Answers again, at once, a hint the play answered as it was asked for; only a hint is answered so. */
function answerAgain(session: Session, save: SavedPlay, level: Level, where: string, c: LoggedCommand): void {
  if (parseSaved(save, level, where, c).verb !== 'hint')
    throw new InputError(
      `${where}: saved command '${c.text}' at ${c.tick} s is kept as answered at once, as only a hint is; ${changed(save, level)}`,
    );
  session.enqueueAt(c.tick, c.text, c.source);
}

/** Replays the level from its start with the saved commands, up to the saved tick. */
function replay(save: SavedPlay, level: Level, where: string): Session {
  const settled = settledInOrder(save, level, where);
  const session = new Session(level, save.seed, undefined, save.mode);
  for (const c of [...save.commands, ...save.pending])
    if (c.refusedBefore === undefined) session.schedule(c.tick, parseSaved(save, level, where, c), c.source);
  // A line settled as it came in was told before the next second's commands were applied.
  for (const line of settled) {
    session.run(line.tick - session.tick);
    if ('hint' in line) answerAgain(session, save, level, where, line.hint);
    else session.retellRefusal(line.refused);
  }
  session.run(save.tick - session.tick);
  const hash = session.hash();
  if (hash !== save.hash)
    throw new InputError(
      `${where}: replaying the saved commands to ${save.tick} s gives world ${hash}, not the saved ${save.hash}; ${changed(save, level)}`,
    );
  if (save.hintsUsed !== null && session.hintsUsed !== save.hintsUsed)
    throw new InputError(
      `${where}: replaying the saved commands in ${save.mode} mode shows ${counted(session.hintsUsed, 'hint')}, not the saved ${save.hintsUsed}; ${changed(save, level)}`,
    );
  return session;
}

/** Whether a saved line asks for a hint: the verb decides, however the line is spaced or cased. */
function asksForHint(c: LoggedCommand): boolean {
  if (!/hint/i.test(c.text)) return false;
  try {
    return parseCommand(c.text).verb === 'hint';
  } catch {
    return false;
  }
}

/** The hints a play of `save`'s commands shows: each asked for while the level has one left, none in an exam. */
function hintsShownBy(save: SavedPlay, level: Level): number {
  return teaches(save.mode) ? Math.min(save.commands.filter(asksForHint).length, level.hints.length) : 0;
}

/**
 * Why a snapshot does not describe the play its save does, or null: its world (by the saved hash,
 * tick and seed), its command log, queue and refused lines (as the save lists them beside it, and
 * in order), each checked, as a replay of the save would check them.
 */
function snapshotMismatch(save: SavedPlay, level: Level): string | null {
  const snapshot = save.snapshot!;
  const hash = fingerprint(snapshot.world);
  if (hash !== save.hash || snapshot.world.tick !== save.tick)
    return `the snapshot holds world ${hash} at ${snapshot.world.tick} s, not the saved ${save.hash} at ${save.tick} s`;
  if (snapshot.world.seed !== save.seed) return `the snapshot's world has another seed than the save's`;
  if (save.hintsUsed !== null && snapshot.hintsUsed !== save.hintsUsed)
    return `the snapshot has shown ${counted(snapshot.hintsUsed, 'hint')}, not the saved ${save.hintsUsed}`;
  // What the save lists beside the snapshot is the snapshot's own, the scenario's left out.
  const same = <T extends { source: Source }>(all: readonly T[], kept: readonly T[]) =>
    JSON.stringify(responders(all)) === JSON.stringify(kept);
  if (!same(snapshot.log, save.commands)) return "the snapshot's command log is not the save's commands";
  if (!same(snapshot.queued, save.pending)) return "the snapshot's queued commands are not the save's pending ones";
  // A hint changes no world, so the hash cannot vouch for the count: the commands can.
  const shown = hintsShownBy(save, level);
  if (snapshot.hintsUsed !== shown)
    return `the snapshot has shown ${counted(snapshot.hintsUsed, 'hint')}, but its commands show ${shown}`;
  // A snapshot from before refused lines were kept reads them from its events (see Session).
  if (snapshot.refused) {
    if (!same(snapshot.refused, save.refused)) return "the snapshot's refused lines are not the save's";
    const out = misplaced(snapshot.refused, save.tick);
    if (out) return outOfPlace('the snapshot', refusedAt(out), save.tick);
  }
  return null;
}

function fromSnapshot(save: SavedPlay, level: Level, where: string): Session {
  const snapshot = save.snapshot!;
  const mismatch = snapshotMismatch(save, level);
  // The snapshot alone may be what is damaged: the commands replay without it.
  const damaged = `the save's snapshot is damaged and left as it was; without --fast its commands are replayed instead`;
  if (mismatch) throw new InputError(`${where}: ${mismatch}; ${damaged}`);
  try {
    return Session.fromSnapshot(level, snapshot, save.mode);
  } catch (err) {
    if (err instanceof ScenarioDeparture) throw new InputError(`${where}: ${err.message}; ${damaged}`);
    if (err instanceof ParseError)
      throw new InputError(
        `${where}: a command queued in the snapshot no longer parses (${err.message}); fleetops has changed since it was saved; the save is left as it was`,
      );
    throw err;
  }
}

/** The session a save describes, checked against its hash; `where` names the save in errors. */
export function resume(save: SavedPlay, level: Level, where: string, mode: ResumeMode = 'replay'): Resumed {
  if (save.level !== level.id) throw new InputError(`${where}: this save is for level ${save.level}, not ${level.id}`);
  const how = mode === 'snapshot' && save.snapshot && sameLevel(save, level) ? 'snapshot' : 'replay';
  const session = how === 'snapshot' ? fromSnapshot(save, level, where) : replay(save, level, where);
  // Only now: what the reactions did before the save is in its commands already.
  session.reactionsFired = save.reactionsFired;
  attachScript(session, { source: where, timed: [], reactions: save.reactions });
  return { session, how };
}
