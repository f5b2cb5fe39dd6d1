// Control characters in text people give fleetops: echoed to a terminal (a summary, a table, the
// dashboard, a report printed), C0 and C1 control characters and DEL would move its cursor or
// change its colours, bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
// U+2069) reorder what follows them on screen ("Trojan Source", CVE-2021-42574), and the line and
// paragraph separators (U+2028, U+2029) break a line where a terminal or a page draws none; a
// byte-order mark inside text (U+FEFF; one opening a file is dropped as it is read) shows as
// nothing and reads as a space between words; a lone surrogate is no character at all. Inputs
// that may be shown refuse them all.

/** Any control character, a newline or a tab included: one line of text (an argument, a command) holds none. */
// Control characters are exactly what these patterns are for.
export const CONTROL_IN_LINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{d800}-\u{dfff}]/u;

/** Any control character but a newline or a tab, which text of several lines (a briefing) may hold. */
export const CONTROL_IN_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{d800}-\u{dfff}]/u;

const CONTROL_EVERYWHERE = new RegExp(CONTROL_IN_LINE.source, 'gu');

/**
 * `text` with every control character (see CONTROL_IN_LINE) written as its escape (`\u001b`): what
 * fleetops passes on from another program (a handler's output) shows as it is and moves nothing.
 */
export const escapeControls = (text: string) =>
  text.replace(CONTROL_EVERYWHERE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

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
