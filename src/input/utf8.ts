// Text files people give fleetops (levels, scripts, saves, reports) are UTF-8. Bytes that are not
// are refused rather than read with replacement characters: a command, a name or an id would
// otherwise be taken for another text than the one written, and a save written back would differ
// from the file read.
import { InputError } from './input-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A file that is not UTF-8 text: `line` (from 1) holds its first byte sequence that is not. */
export class NotUtf8 extends InputError {
  constructor(
    source: string,
    readonly line: number,
  ) {
    super(`${source}:${line}: not UTF-8 text; save the file as UTF-8`);
  }
}

/** `bytes` as UTF-8 text, a leading byte order mark dropped; null when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * `bytes` as text (see decodeUtf8); a NotUtf8 (an InputError) naming `source` and the line where
 * the first byte that is not UTF-8 lies.
 */
export function utf8Text(bytes: Uint8Array, source: string): string {
  const text = decodeUtf8(bytes);
  if (text === null) throw new NotUtf8(source, lineOfBadByte(bytes));
  return text;
}

/** The line (from 1) of the first byte sequence that is not UTF-8, found by decoding line by line. */
function lineOfBadByte(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    if (decodeUtf8(bytes.subarray(start, i)) === null) return line;
    line++;
    start = i + 1;
  }
  return line;
}
