// Save slots: one file per slot under <saves>/slots/, holding what replays the play exactly
// (level, seed, the commands players and scripts gave) and, optionally, a snapshot to load fast.
import { SAVE_SCHEMA } from './schemas.js';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../input/input-error.js';
import { LEVEL_BOUNDS, levelHash } from '../game/level.js';
import { LEVEL_ID, LEVEL_ID_EXPECTED } from '../game/level-id.js';
import type { Field } from '../input/fields.js';
import { checkReaction, SCRIPT_BOUNDS } from '../game/script.js';
import { DEFAULT_MODE, MODES } from '../game/mode.js';
import {
  REFUSED_LINE_CHARS,
  responders,
  SOURCES,
  type LoggedCommand,
  type Reaction,
  type RefusedLine,
} from '../game/command-log.js';
import type { Session, SessionSnapshot } from '../game/session.js';
import type { SavedPlay } from '../game/replay.js';
import { formatClock, MAX_COMMAND_CHARS, parseCommand, ParseError, VERB_TABLE, type World } from '../sim/index.js';
import { osTrouble } from './os-errors.js';
import { notAFolder } from './folder.js';
import { JsonStore, setAsideFrom, TooLarge, type SavesFolder } from './json-store.js';
import { SEED, SEED_EXPECTED } from '../input/seed.js';
import { PLAYER_NAME } from './profile.js';
import { checkSettings, type Settings } from './settings.js';

export { SAVE_SCHEMA } from './schemas.js';
export const SAVE_KINDS = ['manual', 'auto'] as const;
/** The slot the dashboard saves to on its own. */
export const AUTOSAVE_SLOT = 'autosave';
/**
 * A save holds a command log and, at most, one snapshot of the world: room for a world of some
 * 80,000 instances (a snapshot takes about 3,100 characters an instance, with its volumes,
 * interface and events). A larger world is saved as its commands, which a load replays.
 */
export const SAVE_MAX_CHARS = 256_000_000;
/**
 * Fewer characters than any world's snapshot takes per instance (3,094 to 3,179 measured on the
 * benchmark's fleets): a world with more instances than SAVE_MAX_CHARS over this is saved without
 * a snapshot at once, not after copying and writing out a world of a million instances first.
 */
const SNAPSHOT_MIN_CHARS_PER_INSTANCE = 2_000;

/** A save slot's file: the play a load brings back (SavedPlay), and what the store adds around it. */
export interface SaveSlot extends SavedPlay {
  schema: typeof SAVE_SCHEMA;
  slot: string;
  kind: (typeof SAVE_KINDS)[number];
  /** Wall-clock time of saving, ISO 8601. */
  savedAt: string;
  /** Who played it, as its report names the responder; null in saves from before it was kept. */
  player: string | null;
  settings: Settings;
}

const SLOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const COMMAND_TEXT = new RegExp(`^.{1,${MAX_COMMAND_CHARS}}$`, 's');
/** A refused line and its reason are kept as one line (see RefusedLine): no newline or tab. */
const REFUSED_TEXT = new RegExp(`^[^\\n\\t]{1,${REFUSED_LINE_CHARS}}$`);
const REACTION_TEXT = new RegExp(`^.{1,${SCRIPT_BOUNDS.lineChars}}$`, 's');

export function checkSlotName(name: string): string {
  if (!SLOT_NAME.test(name))
    throw new InputError(
      `slot '${name}': a slot name is 1 to 40 letters, digits, - or _, starting with a letter or digit`,
    );
  return name;
}

/** A command of the log or the queue; `answered` says whether one may be a hint answered at once (LoggedCommand.refusedBefore), which only the log holds. */
function command(f: Field, answered: boolean): LoggedCommand {
  f.keys(answered ? ['tick', 'source', 'text', 'refusedBefore'] : ['tick', 'source', 'text']);
  const entry: LoggedCommand = {
    tick: f.at('tick').int(0, LEVEL_BOUNDS.durationSeconds),
    source: f.at('source').oneOf(SOURCES),
    text: f
      .at('text')
      .string(COMMAND_TEXT, `a command of at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters`),
  };
  const refusedBefore = f.at('refusedBefore').or(undefined, (x) => x.int(0, Number.MAX_SAFE_INTEGER));
  return refusedBefore === undefined ? entry : { ...entry, refusedBefore };
}

/**
 * A command of the save's own log or queue, which keep the responders' commands only (the level
 * brings back the scenario's): never a scenario's, however its verb is quoted, as the prompt, a
 * script and a handler are all refused one.
 */
function responderCommand(f: Field, answered: boolean): LoggedCommand {
  const entry = command(f, answered);
  if (entry.source === 'scenario')
    f.at('source').fail("a responder's (player, script or handler): a save keeps no scenario command", '"scenario"');
  const verb = verbOf(entry.text);
  if (verb !== null && VERB_TABLE.get(verb)?.scope === 'fault')
    f.at('text').fail(`a responder's command (${verb} is a scenario command, which no ${entry.source} can issue)`);
  return entry;
}

/** The verb of a saved command as the command line reads it (quotes taken off), or null when it does not parse. */
function verbOf(text: string): string | null {
  try {
    return parseCommand(text).verb;
  } catch (err) {
    if (err instanceof ParseError) return null;
    throw err;
  }
}

const logged = (f: Field) => command(f, true);
const queued = (f: Field) => command(f, false);

/** A line refused as it was submitted (see RefusedLine); a replay tells it again. */
function refusedLine(f: Field): RefusedLine {
  f.keys(['tick', 'source', 'subject', 'text', 'reason']);
  const chars = `at most ${REFUSED_LINE_CHARS.toLocaleString('en-US')} characters`;
  return {
    tick: f.at('tick').int(0, LEVEL_BOUNDS.durationSeconds),
    source: f.at('source').oneOf(SOURCES),
    subject: f.at('subject').string(/^[a-z][a-z-]{0,39}$/, '`parse` or a verb'),
    // A line of white space alone is refused as an empty command, and kept empty.
    text: f.at('text').value === '' ? '' : f.at('text').string(REFUSED_TEXT, `one line of ${chars}`),
    reason: f.at('reason').string(REFUSED_TEXT, `one line of ${chars}`),
  };
}

/** A script's reaction kept in a save, checked as the script's own line was (see checkReaction). */
function reaction(f: Field): Reaction {
  f.keys(['event', 'delay', 'template', 'line']);
  const kept = {
    event: f.at('event').string(),
    delay: f.at('delay').int(0, LEVEL_BOUNDS.durationSeconds),
    template: f
      .at('template')
      .string(REACTION_TEXT, `a command of at most ${SCRIPT_BOUNDS.lineChars.toLocaleString('en-US')} characters`),
    line: f.at('line').int(1, SCRIPT_BOUNDS.lines),
  };
  checkReaction(`${f.source}: ${f.path}`, kept.event, kept.template);
  return kept;
}

/** A snapshot's outline is checked here; its world is vouched for by the save's hash when loading. */
function snapshot(f: Field): SessionSnapshot {
  f.keys([
    'world',
    'events',
    'log',
    'refused',
    'samples',
    'queued',
    'tracker',
    'dataLostGB',
    'hintsUsed',
    'unavoidableDataLostGB',
    'eventsDropped',
  ]);
  const world = f.at('world');
  world.at('seed').string();
  world.at('tick').int(0, LEVEL_BOUNDS.durationSeconds);
  f.at('events')
    .items()
    .forEach((e) => e.object());
  f.at('samples')
    .items()
    .forEach((s) => s.object());
  const tracker = f.at('tracker');
  tracker.keys(['incidents', 'streaks', 'calm']);
  tracker
    .at('incidents')
    .items()
    .forEach((i) => i.object());
  tracker.at('streaks').object();
  tracker.at('calm').object();
  return {
    world: world.object() as unknown as World,
    events: f.at('events').value as unknown as SessionSnapshot['events'],
    log: f.at('log').items().map(logged),
    // Saves from before refused lines were kept have them only in the events (see Session).
    refused: f.at('refused').or(undefined, (x) => x.items().map(refusedLine)),
    samples: f.at('samples').value as unknown as SessionSnapshot['samples'],
    queued: f.at('queued').items().map(queued),
    tracker: tracker.value as unknown as SessionSnapshot['tracker'],
    dataLostGB: f.at('dataLostGB').number(0, 1e12),
    // Saves from before hints were charged showed none.
    hintsUsed: f.at('hintsUsed').or(0, (x) => x.int(0, 50)),
    // Saves from before unavoidable loss was told apart charged all of it.
    unavoidableDataLostGB: f.at('unavoidableDataLostGB').or(0, (x) => x.number(0, 1e12)),
    // Saves of plays that never outgrew the event log carry no count.
    eventsDropped: f.at('eventsDropped').or(0, (x) => x.int(0, 1e15)),
  };
}

function checkSave(f: Field): SaveSlot {
  f.keys([
    'schema',
    'slot',
    'kind',
    'savedAt',
    'level',
    'levelHash',
    'seed',
    'mode',
    'player',
    'tick',
    'hash',
    'commands',
    'pending',
    'refused',
    'reactions',
    'reactionsFired',
    'hintsUsed',
    'settings',
    'snapshot',
  ]);
  return {
    schema: SAVE_SCHEMA,
    slot: f.at('slot').string(SLOT_NAME, 'a slot name'),
    kind: f.at('kind').oneOf(SAVE_KINDS),
    savedAt: f.at('savedAt').isoTime(),
    level: f.at('level').string(LEVEL_ID, LEVEL_ID_EXPECTED),
    levelHash: f.at('levelHash').string(/^[0-9a-f]{16}$/, 'a 16-digit hex hash'),
    seed: f.at('seed').string(SEED, SEED_EXPECTED),
    // Saves from before exams were all training.
    mode: f.at('mode').or(DEFAULT_MODE, (x) => x.oneOf(MODES)),
    // Saves from before the player was kept name none.
    player: f.at('player').or(null, (x) => x.string(PLAYER_NAME, 'a player name')),
    tick: f.at('tick').int(0, LEVEL_BOUNDS.durationSeconds),
    hash: f.at('hash').string(/^[0-9a-f]{16}$/, 'a 16-digit hex hash'),
    commands: f
      .at('commands')
      .items()
      .map((x) => responderCommand(x, true)),
    pending: f
      .at('pending')
      .items()
      .map((x) => responderCommand(x, false)),
    // Saves from before refused lines were kept have none.
    refused: f.at('refused').optionalItems().map(refusedLine),
    // Saves from before reactions were kept have none.
    // A script of one reaction a line holds no more.
    reactions: f.at('reactions').optionalItems(SCRIPT_BOUNDS.lines).map(reaction),
    // Saves from before the count was kept start it again.
    reactionsFired: f.at('reactionsFired').or(0, (x) => x.int(0, SCRIPT_BOUNDS.reactionsPerRun)),
    // Saves from before the count was kept are checked without it.
    hintsUsed: f.at('hintsUsed').or(null, (x) => x.int(0, LEVEL_BOUNDS.hints)),
    settings: checkSettings(f.at('settings')),
    snapshot: f.at('snapshot').or(null, snapshot),
  };
}

export function slotsDir(folder: SavesFolder): string {
  return join(folder.dir, 'slots');
}

function slotStore(folder: SavesFolder, slot: string): JsonStore<SaveSlot> {
  return new JsonStore(
    join(slotsDir(folder), `${checkSlotName(slot)}.json`),
    { schema: SAVE_SCHEMA, what: 'a fleetops save', maxChars: SAVE_MAX_CHARS, check: checkSave },
    folder.notify,
  );
}

export function slotPath(folder: SavesFolder, slot: string): string {
  return slotStore(folder, slot).path;
}

export interface SaveOptions {
  kind?: SaveSlot['kind'];
  settings: Settings;
  /** Also store the whole session state, to load without replaying. */
  snapshot?: boolean;
  now?: Date;
  /** Told the save the slot held, readable, before this one took its place. */
  replacing?: (previous: SaveSlot) => void;
}

/** A save as its replacement tells it: `01-first-shift at 10:00, saved 2026-12-03 09:40 UTC`. */
export function describeSave(save: Pick<SaveSlot, 'level' | 'tick' | 'savedAt'>): string {
  return `${save.level} at ${formatClock(save.tick)}, saved ${save.savedAt.slice(0, 16).replace('T', ' ')} UTC`;
}

/** What a save kept without the snapshot asked for says of itself, after its slot. */
export const COMMANDS_ONLY = 'its commands only: the world is too large for a snapshot, so a load replays them';

/** Whether a snapshot of the session's world may fit a save (see SNAPSHOT_MIN_CHARS_PER_INSTANCE). */
function snapshotMayFit(session: Session): boolean {
  return Object.keys(session.world.instances).length * SNAPSHOT_MIN_CHARS_PER_INSTANCE <= SAVE_MAX_CHARS;
}

/**
 * A save of `session` as it stands, as it would be written to a slot. The snapshot asked for is
 * left out (null) when the world is too large for one; the save then replays its commands.
 */
export function saveRecord(slot: string, session: Session, options: SaveOptions): SaveSlot {
  return {
    schema: SAVE_SCHEMA,
    slot: checkSlotName(slot),
    kind: options.kind ?? 'manual',
    savedAt: (options.now ?? new Date()).toISOString(),
    level: session.level.id,
    levelHash: levelHash(session.level),
    seed: session.seed,
    mode: session.mode,
    player: session.player || null,
    tick: session.tick,
    hash: session.hash(),
    commands: responders(session.log),
    pending: responders(session.queuedCommands()),
    refused: responders(session.refused),
    reactions: [...session.reactions],
    reactionsFired: session.reactionsFired,
    hintsUsed: session.hintsUsed,
    settings: options.settings,
    snapshot: options.snapshot && snapshotMayFit(session) ? session.toSnapshot() : null,
  };
}

/**
 * Saves `session` to a slot, replacing what the slot held (a bad file there is set aside first).
 * A snapshot that would take the save past SAVE_MAX_CHARS is left out and the save written without
 * it: `snapshot` in what is returned says which was kept.
 */
export async function saveSession(
  folder: SavesFolder,
  slot: string,
  session: Session,
  options: SaveOptions,
): Promise<SaveSlot> {
  const record = saveRecord(slot, session, options);
  const store = slotStore(folder, slot);
  // Told once the save is written: a write that finds the save too large is tried again.
  let previous = null as SaveSlot | null;
  const replace = (current: SaveSlot | null) => {
    previous = current;
    return record;
  };
  const written = await writeSave(store, record, replace);
  if (previous) options.replacing?.(previous);
  return written;
}

/** Writes `record` through `replace`, without its snapshot when that takes it past SAVE_MAX_CHARS. */
async function writeSave(
  store: JsonStore<SaveSlot>,
  record: SaveSlot,
  replace: (current: SaveSlot | null) => SaveSlot,
): Promise<SaveSlot> {
  try {
    return await store.write(replace);
  } catch (err) {
    if (!(err instanceof TooLarge) || record.snapshot === null) throw err;
    return store.write((previous) => ({ ...replace(previous), snapshot: null }));
  }
}

/** Reads a slot; a bad file is set aside and reported as an InputError. */
export async function readSlot(folder: SavesFolder, slot: string): Promise<SaveSlot> {
  const save = await slotStore(folder, slot).read();
  if (!save) {
    const aside = setAsideSlots(folder).filter((f) => setAsideFrom(f) === `${slot}.json`);
    throw new InputError(
      aside.length
        ? `no save called '${slot}' in ${slotsDir(folder)}: it was set aside as unreadable (${aside.join(', ')}), and is kept there`
        : `no save called '${slot}' in ${slotsDir(folder)}; fleetops saves lists them`,
    );
  }
  // A save is named by its file, as load finds it: one copied by hand under another name is that name.
  return save.slot === slot ? save : { ...save, slot };
}

/** The names of the files in the slots folder, sorted; none when there is no folder yet. */
function slotsFolderFiles(folder: SavesFolder): string[] {
  const dir = slotsDir(folder);
  try {
    return readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    const trouble = notAFolder(dir);
    throw new InputError(trouble ? `${dir}: ${trouble}` : osTrouble(dir, 'list the saves', err));
  }
}

/** Every readable slot, newest first; bad files are set aside and reported through folder.notify. */
export async function listSlots(folder: SavesFolder): Promise<SaveSlot[]> {
  const files = slotsFolderFiles(folder).filter((f) => f.endsWith('.json') && SLOT_NAME.test(basename(f, '.json')));
  const slots: SaveSlot[] = [];
  for (const file of files) {
    try {
      slots.push(await readSlot(folder, basename(file, '.json')));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      folder.notify(err.message);
    }
  }
  return slots.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** The files of saves set aside as unreadable (`<slot>.json.corrupt-<n>`), by name, sorted: kept for their owner to look into, never loaded. */
export function setAsideSlots(folder: SavesFolder): string[] {
  return slotsFolderFiles(folder).filter((f) => {
    const was = setAsideFrom(f);
    return was !== null && was.endsWith('.json') && SLOT_NAME.test(basename(was, '.json'));
  });
}
