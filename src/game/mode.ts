// Training and exam: one level, two ways to sit it. Training opens on the briefing, teaches the
// lesson and gives hints on request, each one charged to the score; an exam gives the situation only.

export const MODES = ['training', 'exam'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'training';

/** Points a shown hint takes off the score (out of the usual 1000): a nudge, not a grade. */
export const HINT_COST = 25;

/** Whether a mode shows the level's hints and lesson. */
export const teaches = (mode: Mode): boolean => mode === 'training';
