// A level's id, as a level file gives it and the saves and the profile name a level by: a module
// of its own, so that the profile, which the dashboard reads before the model loads, needs no more.

/** Lower-case letters, digits and hyphens, at most 64: as a file name and a key of the profile take it. */
export const LEVEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const LEVEL_ID_EXPECTED = 'a lower-case id such as 01-first-shift, of at most 64 characters';
