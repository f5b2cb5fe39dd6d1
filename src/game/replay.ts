// Bringing a saved play back to life. Replaying the level with the saved commands must land on the
// saved world hash, and a snapshot must be the world the hash names; anything else is reported,
// never accepted, and the save is left as it was. The saves (store/slots.ts) only keep what this
// needs; whether it still describes a play of this level is decided here.
import { InputError } from '../input/input-error.js';
import { fingerprint, parseCommand, ParseError, type Command } from '../sim/index.js';
import type { LoggedCommand, Reaction, RefusedLine } from './command-log.js';
import { levelHash, type Level } from './level.js';
import type { Mode } from './mode.js';
import { attachScript } from './script.js';
import { Session, type SessionSnapshot } from './session.js';

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
  const fast = save.snapshot ? '; load --fast restores its snapshot instead' : '';
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

/** Replays the level from its start with the saved commands, up to the saved tick. */
function replay(save: SavedPlay, level: Level, where: string): Session {
  const session = new Session(level, save.seed, undefined, save.mode);
  for (const c of [...save.commands, ...save.pending])
    session.schedule(c.tick, parseSaved(save, level, where, c), c.source);
  // A refusal was told as its line came in, before the next second's commands were applied.
  for (const r of save.refused) {
    if (r.tick < session.tick || r.tick > save.tick)
      throw new InputError(
        `${where}: a line refused at ${r.tick} s is out of order or past the save's ${save.tick} s; ${changed(save, level)}`,
      );
    session.run(r.tick - session.tick);
    session.retellRefusal(r);
  }
  session.run(save.tick - session.tick);
  const hash = session.hash();
  if (hash !== save.hash)
    throw new InputError(
      `${where}: replaying the saved commands to ${save.tick} s gives world ${hash}, not the saved ${save.hash}; ${changed(save, level)}`,
    );
  return session;
}

function fromSnapshot(save: SavedPlay, level: Level, where: string): Session {
  const snapshot = save.snapshot!;
  const hash = fingerprint(snapshot.world);
  if (hash !== save.hash || snapshot.world.tick !== save.tick)
    throw new InputError(
      `${where}: the snapshot holds world ${hash} at ${snapshot.world.tick} s, not the saved ${save.hash} at ${save.tick} s; the save is damaged and left as it was`,
    );
  try {
    return Session.fromSnapshot(level, snapshot, save.mode);
  } catch (err) {
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
  attachScript(session, { source: where, timed: [], reactions: save.reactions });
  return { session, how };
}
