// How a message repeats what it was given: cut short, so that a reference, a value or a command of
// a thousand characters does not fill the line it is refused in; the rest is counted.

/**
 * `text` cut at `chars` as a message shows it, `show` dressing the part shown (quotes, a code
 * span): `abc… (1,234 more characters)`; whole when it fits.
 */
function clipped(text: string, chars: number, show: (part: string) => string = (part) => part): string {
  if (text.length <= chars) return show(text);
  return `${show(`${text.slice(0, chars)}…`)} (${(text.length - chars).toLocaleString('en-US')} more characters)`;
}

/** The most characters of a value a refusal repeats in quotes. */
const QUOTED_CHARS = 64;

/** A value a refusal repeats: in single quotes, cut at QUOTED_CHARS (`'abc…' (1,234 more characters)`). */
export const quoted = (text: string): string => clipped(text, QUOTED_CHARS, (part) => `'${part}'`);

/** The most characters of a command a message or a report shows; the event's data and the JSON report keep it whole. */
const SHOWN_COMMAND_CHARS = 200;

/** A command as a message or a report repeats it: cut at SHOWN_COMMAND_CHARS, `show` dressing the part shown. */
export const shownCommand = (text: string, show?: (part: string) => string): string =>
  clipped(text, SHOWN_COMMAND_CHARS, show);
