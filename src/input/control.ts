// Control characters in text people give fleetops: echoed to a terminal (a summary, a table, the
// dashboard, a report printed), C0 and C1 control characters and DEL would move its cursor or
// change its colours, so inputs that may be shown refuse them.

/** Any control character, a newline or a tab included: one line of text (an argument, a command) holds none. */
// Control characters are exactly what these patterns are for.
// eslint-disable-next-line no-control-regex
export const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f]/;

/** Any control character but a newline or a tab, which text of several lines (a briefing) may hold. */
// eslint-disable-next-line no-control-regex
export const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The JSON pointer of the first string in `value` holding a control character (see CONTROL_IN_TEXT), or null. */
export function controlIn(value: unknown, pointer = ''): string | null {
  if (typeof value === 'string') return CONTROL_IN_TEXT.test(value) ? pointer || '/' : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = controlIn(inner, `${pointer}/${key}`);
    if (found !== null) return found;
  }
  return null;
}
