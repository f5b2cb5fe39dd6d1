// The campaign's rule: levels are played in order, the first is always open, each next one opens
// once the one before it has been won, and a won level stays won. The player's records come from
// the saves (store/profile.ts keeps them); what they mean for the campaign is decided here.
import type { Level } from './level.js';
import type { Score } from './score.js';

type Grade = Score['grade'];

/** What the saves remember of one level: plays, whether it was ever won, and the best result. */
export interface LevelRecord {
  plays: number;
  won: boolean;
  bestScore: number;
  bestGrade: Grade;
}

/** One level's place in the campaign, as the level select and `fleetops levels` show it. */
export interface LevelProgress {
  id: string;
  /** The first level always; each next one once the one before it has been won. */
  unlocked: boolean;
  won: boolean;
  plays: number;
  bestScore: number | null;
  bestGrade: Grade | null;
}

/** A level's status in the campaign: won, open to play, or locked behind the level before it. */
export type LevelStatus = 'won' | 'open' | 'locked';

export const levelStatus = (p: LevelProgress): LevelStatus => (p.won ? 'won' : p.unlocked ? 'open' : 'locked');

/**
 * The campaign for levels in play order, from the player's records by level id. `unlockAll` opens
 * every level (an instructor running a class through any of them).
 */
/**
 * The record of level `id`, or undefined: looked for among the records' own keys, so that a level
 * called `constructor` finds no record inherited from Object.
 */
export const levelRecordOf = (records: { levels: Readonly<Record<string, LevelRecord>> }, id: string) =>
  Object.hasOwn(records.levels, id) ? records.levels[id] : undefined;

export function campaignProgress(
  records: { levels: Readonly<Record<string, LevelRecord>> },
  levelIds: readonly string[],
  { unlockAll = false } = {},
): LevelProgress[] {
  return levelIds.map((id, i) => {
    const record = levelRecordOf(records, id);
    const previous = i === 0 ? undefined : levelRecordOf(records, levelIds[i - 1]!);
    return {
      id,
      unlocked: unlockAll || i === 0 || (previous?.won ?? false),
      won: record?.won ?? false,
      plays: record?.plays ?? 0,
      bestScore: record?.bestScore ?? null,
      bestGrade: record?.bestGrade ?? null,
    };
  });
}

/** Why the campaign's level at `index` is locked: the level before it has not been won. */
export function lockedBecause(campaign: readonly Level[], index: number): string {
  return `${campaign[index]!.title} is locked: win ${campaign[index - 1]?.title ?? 'the level before it'} first`;
}

/**
 * A level's record after one more play: won once stays won, and the best score (with its grade)
 * is replaced only by a higher one. `newBest` says whether this play set it.
 */
export function nextRecord(
  before: LevelRecord | undefined,
  play: Pick<Score, 'points' | 'grade' | 'won'>,
): { record: LevelRecord; newBest: boolean } {
  const newBest = !before || play.points > before.bestScore;
  return {
    record: {
      plays: (before?.plays ?? 0) + 1,
      won: (before?.won ?? false) || play.won === true,
      bestScore: newBest ? play.points : before.bestScore,
      bestGrade: newBest ? play.grade : before.bestGrade,
    },
    newBest,
  };
}
