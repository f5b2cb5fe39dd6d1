// A file's size against the characters it may hold, checked before it is read: a file far past its
// bound would cost its whole length in memory only to be refused.

/**
 * The refusal of a UTF-8 file of `bytes` bytes that surely holds more than `maxChars` characters,
 * or null when it may fit. A character (a UTF-16 unit, as JavaScript counts them) takes at most 3
 * bytes in UTF-8 (a pair of surrogates, 2 characters, takes 4), so past 3 bytes a character even
 * the best case is too long. The line names the file, its size and the bound.
 */
export function sizeRefusal(path: string, bytes: number, maxChars: number, what: string): string | null {
  if (bytes <= 3 * maxChars) return null;
  return `${path}: ${bytes.toLocaleString('en-US')} bytes is more than ${what} may hold (at most ${maxChars.toLocaleString('en-US')} characters)`;
}
