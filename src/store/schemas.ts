// The `schema` each document of a saves folder carries first, apart from the code that reads it: a
// command that only needs to tell a save or a profile when it meets one (see cli/output-path.ts)
// loads nothing else.

/** A save slot's document (see slots.ts). */
export const SAVE_SCHEMA = 'fleetops/save@1';

/** The profile's document (see profile.ts). */
export const PROFILE_SCHEMA = 'fleetops/profile@1';
