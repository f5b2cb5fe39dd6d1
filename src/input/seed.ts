// A run's seed, wherever it is given: a level's own, `--seed` on the command line. Kept apart from
// the level reader so that the command line can check a seed before the model is loaded.

/** The longest seed, in characters. */
export const SEED_MAX_CHARS = 100;

/**
 * A seed as a level or a save holds it: one line (no newline or tab) of at most SEED_MAX_CHARS
 * characters, with no space at either end, as `--seed` is: a summary and the saves' list show it
 * bare on a line of their own, where ` 7` and `7` (two worlds) would look alike, and only spaces
 * would look like no seed.
 */
export const SEED = new RegExp(`^(?=\\S)(?=[\\s\\S]*\\S$)[^\\n\\t]{1,${SEED_MAX_CHARS}}$`, 'u');
export const SEED_EXPECTED = `a seed of at most ${SEED_MAX_CHARS} characters on one line (no space at either end)`;
