// Time as a report writes it: moments on the simulated wall clock, spans as durations. A reader
// never has to guess whether "02:30" is half past two or two and a half minutes.

/** A moment of the run: seconds since the level started and the simulated wall-clock time (ISO 8601, UTC). */
export interface Moment {
  tick: number;
  at: string;
}

/** The moment `tick` seconds after `epochMs` (the level's start, milliseconds since 1970). */
export function momentAt(epochMs: number, tick: number): Moment {
  return { tick, at: new Date(epochMs + tick * 1000).toISOString().replace('.000Z', 'Z') };
}

/** `2026-03-03T08:08:00Z` → `08:08:00`. */
export const clockOf = (at: string) => at.slice(11, 19);
/** `2026-03-03T08:08:00Z` → `2026-03-03`. */
export const dateOf = (at: string) => at.slice(0, 10);

/** A span in seconds as people say it: `45 s`, `2 min 30 s`, `1 h 5 min`; never negative. */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || total === 0 ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/**
 * Writes moments in reading order, giving the date with the first one and wherever it changes
 * (`2026-03-03 23:59:50`, then `23:59:58`, then `2026-03-04 00:00:05`). One writer per list or table.
 */
export function clockWriter(): (m: Moment | null) => string {
  let lastDate = '';
  return (m) => {
    if (!m) return '—';
    const date = dateOf(m.at);
    const shown = date === lastDate ? clockOf(m.at) : `${date} ${clockOf(m.at)}`;
    lastDate = date;
    return shown;
  };
}

/** A clock time with its date only when it differs from `onDate`: for prose about one run. */
export function clockOn(onDate: string, m: Moment): string {
  return dateOf(m.at) === onDate ? clockOf(m.at) : `${dateOf(m.at)} ${clockOf(m.at)}`;
}
