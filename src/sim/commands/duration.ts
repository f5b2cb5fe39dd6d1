// Simulated durations and clock times as players write them: 90, 90s, 5m, 1h30m, 02:30, 01:00:00.

/** Seconds in each unit of a duration such as 1h30m, in the order they are written: d, h, m, s. */
const UNIT_SECONDS = [86400, 3600, 60, 1];

/** A whole number as a command writes one: without leading zeros (`0443`). */
export const WHOLE_NUMBER = /^(?:0|[1-9]\d*)$/;

/**
 * Seconds in a duration, or null if the text is not one. Counts are written as numbers are,
 * without leading zeros (`0443`, `05m`), as everywhere in a command; a clock's fields have two digits.
 */
export function parseDuration(text: string): number | null {
  if (WHOLE_NUMBER.test(text)) return Number(text);
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text);
  if (clock) {
    const [, h, m, s] = clock;
    if (Number(s) > 59 || (h !== undefined && Number(m) > 59)) return null;
    return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s);
  }
  // Each unit at most once, the larger first (1h30m, not 30m1h or 5m5m); after a larger unit, less
  // than one of the unit before it (1h59m, not 1h90m or 1m60s), as a clock's fields are.
  const parts = /^(?:(0|[1-9]\d*)d)?(?:(0|[1-9]\d*)h)?(?:(0|[1-9]\d*)m)?(?:(0|[1-9]\d*)s)?$/.exec(text);
  if (!parts || text === '') return null;
  const counts = parts.slice(1).map((count) => (count === undefined ? null : Number(count)));
  const first = counts.findIndex((count) => count !== null);
  for (let i = first + 1; i < counts.length; i++)
    if (counts[i] !== null && counts[i]! * UNIT_SECONDS[i]! >= UNIT_SECONDS[i - 1]!) return null;
  return UNIT_SECONDS.reduce((total, seconds, i) => total + (counts[i] ?? 0) * seconds, 0);
}

/** A span of simulated seconds as a short label: 45s, 12m05s, 1h05m; never negative. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A tick as a clock from the start of play: 1:02:03, 02:03. */
export function formatClock(ticks: number): string {
  const h = Math.floor(ticks / 3600);
  const m = Math.floor((ticks % 3600) / 60);
  const s = ticks % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A tick as the world's date and time, to the second in UTC: 2026-03-02T09:10:00Z. */
export function formatWorldTime(world: { epochMs: number }, tick: number): string {
  return new Date(world.epochMs + tick * 1000).toISOString().replace('.000Z', 'Z');
}
