// The clock speeds a play may run at, in simulated seconds per real second: the dashboard steps
// through them with + and -, and settings and options are bounded by the fastest.
export const SPEEDS = [1, 2, 5, 10, 30, 60, 300] as const;
export const MAX_SPEED = Math.max(...SPEEDS);
