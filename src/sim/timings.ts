// How long the model's transitions take, in ticks (simulated seconds). Chosen to match what EC2
// users typically see, not documented guarantees.
import type { Tick } from './types.js';
export const TICKS = {
  pendingToRunning: 20,
  statusChecksInitializing: 60,
  stopping: 30,
  /** A stop on a failed host hangs this long unless forced. */
  stuckStopping: 600,
  hibernating: 60,
  shuttingDown: 20,
  /** A guest's restart after a reboot or a recovery; the instance stays running meanwhile. */
  guestRestart: 30,
  /** Terminated instances stay visible for about an hour, as in EC2. */
  terminatedVisible: 3600,
  volumeCreating: 5,
  /** A failing system check must persist this long before automatic recovery acts. */
  recoveryAfter: 120,
  /** Spot: two minutes' notice before a stop or terminate; a hibernate starts at the notice (EC2 User Guide, "Spot Instance interruption notices"). */
  spotNotice: 120,
  volumeModifying: 60,
  /** Snapshot and lazy-load rates, GiB per tick. */
  snapshotGiBPerTick: 1,
  hydrateGiBPerTick: 0.5,
} as const;

export const SECONDS_PER_HOUR = 3600;

/** The rolling day EC2's daily allowances are counted over (Elastic Volumes modifications, automatic recoveries). */
export const DAY_TICKS = 24 * SECONDS_PER_HOUR;

/** Of the ticks something happened at, those within the rolling day before `now` (see DAY_TICKS). */
export const withinDay = (ticks: readonly Tick[], now: Tick): Tick[] => ticks.filter((t) => now - t < DAY_TICKS);
