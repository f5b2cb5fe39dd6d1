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

/**
 * `bytes` as text, a leading byte order mark dropped; a NotUtf8 (an InputError) naming `source` and
 * the line where the first byte that is not UTF-8 lies.
 */
export function utf8Text(bytes: Uint8Array, source: string): string {
  try {
    return UTF8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new NotUtf8(source, lineOfBadByte(bytes));
  }
}

/** The line (from 1) of the first byte sequence that is not UTF-8, found by decoding line by line. */
function lineOfBadByte(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      UTF8.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return line;
}
