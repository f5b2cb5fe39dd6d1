// Text measured as a terminal draws it: a CJK character or an emoji takes two columns, a combining
// mark none (string-width), and text is cut between grapheme clusters, never inside one. Shared by
// the dashboard's cells and the CLI's tables, which must agree on where a column ends.
import stringWidth from 'string-width';

/** How many terminal columns `text` takes. */
export const columns = (text: string): number => stringWidth(text);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The longest start of `text` that takes at most `width` columns, cut between graphemes. */
export function head(text: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    used += w;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** The first grapheme of `text` ('' for none). */
export const firstGrapheme = (text: string): string =>
  graphemes.segment(text)[Symbol.iterator]().next().value?.segment ?? '';

/** Pads `text` with spaces to `width` columns (text already wider is left as it is). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const room = Math.max(0, width - columns(text));
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/** The start of `text` that fits in `width` columns, cut between graphemes, not padded. */
export const clip = (text: string, width: number): string => (columns(text) > width ? head(text, width) : text);
