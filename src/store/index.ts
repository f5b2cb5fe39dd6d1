// The saves folder's public face, for the command line and the dashboard.
export type { SavesFolder } from './json-store.js';
export { checkWritable, makeFolder, noFilesAdvice, notAFolder } from './folder.js';
export { LockError } from './lock.js';
export { writeWhole } from './write-whole.js';
export {
  AUTOSAVE_SLOT,
  checkSlotName,
  COMMANDS_ONLY,
  describeSave,
  listSlots,
  readSlot,
  saveRecord,
  saveSession,
  setAsideSlots,
  slotPath,
  type SaveOptions,
  type SaveSlot,
} from './slots.js';
export {
  checkPlayerName,
  defaultPlayer,
  LEADERBOARD_KEEP,
  leaderboard,
  profilePath,
  readProfile,
  readSettings,
  playResultOf,
  recordResult,
  updateSettings,
  type LeaderboardEntry,
  type PlayResult,
  type Profile,
  type Recorded,
} from './profile.js';
export { COLOUR_MODES, DEFAULT_SETTINGS, type Settings } from './settings.js';
export { snapshotProblem } from './snapshot-check.js';
