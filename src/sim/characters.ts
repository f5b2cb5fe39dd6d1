// How long text is, as every "at most N characters" bound of fleetops counts it.

/**
 * The characters `text` holds: Unicode code points, so that an emoji, two UTF-16 units in a
 * JavaScript string, is one, as its writer counts it (a letter and a combining accent are two).
 */
export function characterCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if (!isSurrogatePair(text.charCodeAt(i), text.charCodeAt(i + 1))) continue;
    n--;
    i++;
  }
  return n;
}

/** Whether two UTF-16 units are a high and a low surrogate: together one character. */
export const isSurrogatePair = (high: number, low: number): boolean =>
  high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
