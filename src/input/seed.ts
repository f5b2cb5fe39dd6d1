// A run's seed, wherever it is given: a level's own, `--seed` on the command line. Kept apart from
// the level reader so that the command line can check a seed before the model is loaded.

/** The longest seed, in characters. */
export const SEED_MAX_CHARS = 100;
