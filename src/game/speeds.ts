// The clock speeds a play may run at, in simulated seconds per real second: the dashboard steps
// through them with + and -, and settings and options are bounded by the fastest.
export const SPEEDS = [1, 2, 5, 10, 30, 60, 300] as const;
export const MAX_SPEED = Math.max(...SPEEDS);
/**
 * The slowest pace a play may start at (--speed, the speed setting), in simulated seconds per real
 * second: a simulated second every ten real ones. Slower serves no drill (a 40-minute level would
 * take more than a real hour a minute).
 */
export const MIN_SPEED = 0.1;
