// How a message repeats what it was given: cut short, so that a reference, a value or a command of
// a thousand characters does not fill the line it is refused in; the rest is counted.

/** The first `chars` characters of `text`, and how many more it has. */
export function cut(text: string, chars: number): { shown: string; more: number } {
  return text.length <= chars ? { shown: text, more: 0 } : { shown: text.slice(0, chars), more: text.length - chars };
}

/** `text` cut at `chars` as a message shows it: `abc… (1,234 more characters)`. */
export function clipped(text: string, chars: number): string {
  const { shown, more } = cut(text, chars);
  return more ? `${shown}… (${more.toLocaleString('en-US')} more characters)` : shown;
}

/** The most characters of a value a refusal repeats in quotes. */
const QUOTED_CHARS = 64;

/** A value a refusal repeats: in single quotes, cut at QUOTED_CHARS (`'abc…' (1,234 more characters)`). */
export function quoted(text: string): string {
  const { shown, more } = cut(text, QUOTED_CHARS);
  return more ? `'${shown}…' (${more.toLocaleString('en-US')} more characters)` : `'${text}'`;
}

/** The most characters of a command a refusal's message repeats; the event's data keeps it whole. */
export const REFUSED_COMMAND_CHARS = 200;
