// The player's profile, one file for the whole saves folder: campaign progress, best scores,
// the local leaderboard and settings. Every change re-reads the file under the lock, so results
// recorded by two fleetops processes at once are both kept.
import { PROFILE_SCHEMA } from './schemas.js';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../input/input-error.js';
import type { Field } from '../input/fields.js';
import { levelRecordOf, nextRecord, type LevelRecord } from '../game/campaign.js';
import { LEVEL_ID, LEVEL_ID_EXPECTED } from '../game/level-id.js';
import { escapeControls } from '../input/control.js';
import type { Score } from '../game/score.js';
import { DEFAULT_MODE, MODES, type Mode } from '../game/mode.js';
import { driversOf, RESPONDER_SOURCES, type ResponderSource } from '../game/command-log.js';
import type { Session } from '../game/session.js';
import { JsonStore, Unreadable, type SavesFolder } from './json-store.js';
import { checkSettings, DEFAULT_SETTINGS, type Settings } from './settings.js';

export { PROFILE_SCHEMA } from './schemas.js';
/** Entries kept per level: the leaderboard is for comparing, not an archive. */
export const LEADERBOARD_KEEP = 100;
/** Far above any score: ten points per unit of weight, at most 100 a part. */
const MAX_POINTS = 1_000_000;
/** Room for the leaderboards of hundreds of levels; a profile is rewritten whole on every result. */
export const PROFILE_MAX_CHARS = 16_000_000;

type Grade = Score['grade'];
const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'F'];
/**
 * A player's name: 1 to 40 characters, none of them control, format or separator characters (the
 * line and paragraph separators are not in \p{C}, and end a line where a report prints one), and not
 * only spaces. --player, the login name and the saves are all held to it.
 */
export const PLAYER_NAME = /^(?=.*\S)[^\p{C}\u2028\u2029]{1,40}$/u;

export interface LeaderboardEntry {
  player: string;
  level: string;
  score: number;
  grade: Grade;
  won: boolean;
  /** Wall-clock time the play ended, ISO 8601. */
  date: string;
  seed: string;
  /** training or exam: an exam's score was earned without hints. */
  mode: Mode;
  /**
   * Who gave the play's commands (see driversOf): a player at the dashboard, a script, a handler;
   * several for a scripted play finished in the dashboard, none for a level left to run on its own.
   * Absent in a result recorded before it was kept: not known.
   */
  drivenBy?: ResponderSource[];
}

export interface Profile {
  schema: typeof PROFILE_SCHEMA;
  settings: Settings;
  levels: Record<string, LevelRecord>;
  leaderboard: LeaderboardEntry[];
}

function emptyProfile(): Profile {
  return { schema: PROFILE_SCHEMA, settings: { ...DEFAULT_SETTINGS }, levels: {}, leaderboard: [] };
}

function levelRecord(f: Field): LevelRecord {
  f.keys(['plays', 'won', 'bestScore', 'bestGrade']);
  return {
    plays: f.at('plays').int(0, Number.MAX_SAFE_INTEGER),
    won: f.at('won').boolean(),
    bestScore: f.at('bestScore').int(0, MAX_POINTS),
    bestGrade: f.at('bestGrade').oneOf(GRADES),
  };
}

function entry(f: Field): LeaderboardEntry {
  f.keys(['player', 'level', 'score', 'grade', 'won', 'date', 'seed', 'mode', 'drivenBy']);
  const drivenBy = f.at('drivenBy');
  return {
    player: f.at('player').string(PLAYER_NAME, 'a player name'),
    level: f.at('level').string(LEVEL_ID, LEVEL_ID_EXPECTED),
    score: f.at('score').int(0, MAX_POINTS),
    grade: f.at('grade').oneOf(GRADES),
    won: f.at('won').boolean(),
    date: f.at('date').isoTime(),
    seed: f.at('seed').string(/^.{1,4096}$/su, 'a seed of at most 4096 characters (what --seed takes)'),
    // Results from before exams were all training.
    mode: f.at('mode').or(DEFAULT_MODE, (x) => x.oneOf(MODES)),
    ...(drivenBy.present ? { drivenBy: responderList(drivenBy) } : {}),
  };
}

/** A list of responders' sources, each at most once, in RESPONDER_SOURCES order. */
function responderList(f: Field): ResponderSource[] {
  const list = f.items(RESPONDER_SOURCES.length).map((x) => x.oneOf(RESPONDER_SOURCES));
  const ordered = RESPONDER_SOURCES.filter((source) => list.includes(source));
  if (ordered.length !== list.length || ordered.some((source, i) => list[i] !== source))
    f.fail(`each of ${RESPONDER_SOURCES.join(', ')} at most once, in that order`);
  return ordered;
}

function checkProfile(f: Field): Profile {
  f.keys(['schema', 'settings', 'levels', 'leaderboard']);
  const levels: Record<string, LevelRecord> = {};
  const byLevel = f.at('levels');
  for (const id of Object.keys(byLevel.object())) {
    // A key that is no level's id (`__proto__` would set the record's prototype) is no level's record.
    if (!LEVEL_ID.test(id))
      byLevel.fail(`levels' ids as its keys (${LEVEL_ID_EXPECTED})`, escapeControls(JSON.stringify(id)));
    levels[id] = levelRecord(byLevel.at(id));
  }
  return {
    schema: PROFILE_SCHEMA,
    settings: checkSettings(f.at('settings')),
    levels,
    leaderboard: f.at('leaderboard').items().map(entry),
  };
}

function profileStore(folder: SavesFolder): JsonStore<Profile> {
  return new JsonStore(
    join(folder.dir, 'profile.json'),
    { schema: PROFILE_SCHEMA, what: 'a fleetops profile', maxChars: PROFILE_MAX_CHARS, check: checkProfile },
    folder.notify,
  );
}

export function profilePath(folder: SavesFolder): string {
  return profileStore(folder).path;
}

/** The profile as it is now (an empty one before the first play); a bad file is an InputError. */
export async function readProfile(folder: SavesFolder): Promise<Profile> {
  return (await profileStore(folder).read()) ?? emptyProfile();
}

/** The settings to use now; a bad profile is set aside and reported, and the defaults used. */
export async function readSettings(folder: SavesFolder): Promise<Settings> {
  try {
    return (await readProfile(folder)).settings;
  } catch (err) {
    // Only a bad file, now set aside, gives way to the defaults; a folder that cannot be read or a
    // lock that cannot be had is an error, so that nothing is saved with settings not the player's.
    if (!(err instanceof Unreadable)) throw err;
    folder.notify(err.message);
    return { ...DEFAULT_SETTINGS };
  }
}

export async function updateSettings(folder: SavesFolder, change: Partial<Settings>): Promise<Settings> {
  const profile = await profileStore(folder).write((current) => {
    const next = current ?? emptyProfile();
    next.settings = { ...next.settings, ...change };
    return next;
  });
  return profile.settings;
}

export function checkPlayerName(name: string): string {
  if (!PLAYER_NAME.test(name))
    throw new InputError(`player name ${JSON.stringify(name)}: expected 1 to 40 printable characters`);
  return name;
}

/**
 * The name results are recorded under when none is given: the login name ($USER, else the
 * system's), when it is a player name (PLAYER_NAME); else `player`. A container's user may have no
 * entry to look up, and a login name may hold characters a report would print raw.
 */
export function defaultPlayer(): string {
  for (const name of [process.env.USER, systemLoginName()]) if (name && PLAYER_NAME.test(name)) return name;
  return 'player';
}

/** The login name of the process's user; undefined when the system has none (a uid without a passwd entry). */
function systemLoginName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export interface PlayResult {
  level: string;
  seed: string;
  score: Pick<Score, 'points' | 'grade' | 'won'>;
  /** Default: training. */
  mode?: Mode;
  /** Who gave the play's commands (see driversOf); absent: not known, and the entry says so. */
  drivenBy?: readonly ResponderSource[];
  player?: string;
  date?: Date;
}

export interface Recorded {
  entry: LeaderboardEntry;
  /** Place on the level's leaderboard, from 1; null when it did not make the kept list. */
  rank: number | null;
  /** Better than every earlier play of the level. */
  newBest: boolean;
}

const byScore = (a: LeaderboardEntry, b: LeaderboardEntry) => b.score - a.score || a.date.localeCompare(b.date);

/** Records a finished play: progress, the level's best score and a leaderboard entry. */
/** A finished play's result to record, for `player` (default: the login name). */
export function playResultOf(session: Session, player?: string): PlayResult {
  return {
    level: session.level.id,
    seed: session.seed,
    mode: session.mode,
    score: session.score(),
    drivenBy: driversOf(session.log),
    player,
  };
}

export async function recordResult(folder: SavesFolder, result: PlayResult): Promise<Recorded> {
  const player = checkPlayerName(result.player ?? defaultPlayer());
  // The profile holds whole points only: a score that is not one would make the whole file unreadable.
  if (!Number.isSafeInteger(result.score.points))
    throw new InputError(`a score of ${result.score.points} points is not a whole number; the play is not recorded`);
  const entry: LeaderboardEntry = {
    player,
    level: result.level,
    score: result.score.points,
    grade: result.score.grade,
    won: result.score.won === true,
    date: (result.date ?? new Date()).toISOString(),
    seed: result.seed,
    mode: result.mode ?? DEFAULT_MODE,
    ...(result.drivenBy ? { drivenBy: [...result.drivenBy] } : {}),
  };
  let newBest = false;
  const profile = await profileStore(folder).write((current) => {
    const next = current ?? emptyProfile();
    const played = nextRecord(levelRecordOf(next, entry.level), result.score);
    next.levels[entry.level] = played.record;
    newBest = played.newBest;
    const others = next.leaderboard.filter((e) => e.level !== entry.level);
    const kept = [...next.leaderboard.filter((e) => e.level === entry.level), entry]
      .sort(byScore)
      .slice(0, LEADERBOARD_KEEP);
    next.leaderboard = [...others, ...kept];
    return next;
  });
  const place = leaderboard(profile, entry.level, LEADERBOARD_KEEP).indexOf(entry);
  return { entry, rank: place < 0 ? null : place + 1, newBest };
}

/** A level's leaderboard (or every level's, best first), at most `limit` entries each. */
export function leaderboard(profile: Profile, level?: string, limit = 10): LeaderboardEntry[] {
  const levels = level ? [level] : [...new Set(profile.leaderboard.map((e) => e.level))].sort();
  return levels.flatMap((id) =>
    profile.leaderboard
      .filter((e) => e.level === id)
      .sort(byScore)
      .slice(0, limit),
  );
}
