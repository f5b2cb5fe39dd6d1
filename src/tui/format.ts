// Plain-text formatting for cells: fitting to a width, compact numbers and bars. Widths are
// counted in terminal columns (see src/text/width.ts).
import { columns, firstGrapheme, head, pad } from '../text/width.js';

export { clip, columns, pad } from '../text/width.js';

/** Cuts text to `width` columns (ending in an ellipsis when cut) and pads it to exactly `width`. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = columns(text) > width ? (width === 1 ? head(text, 1) : `${head(text, width - 1)}…`) : text;
  return pad(cut, width, align);
}

/** 950, 1.2k, 34k, 5.6M: a number in at most five columns. */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return abs < 10 && !Number.isInteger(n) ? n.toFixed(1) : String(Math.round(n));
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [div, unit] = units.find(([d]) => abs >= d)!;
  const v = n / div;
  return `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)}${unit}`;
}

/** The label column of a detail's rows: the longest label ('Provisioned', 'Network ACL') and a space before the value. */
export const LABEL_WIDTH = 12;

/** A detail row's label, padded to LABEL_WIDTH and never run into its value. */
export const fieldLabel = (name: string): string => `${name.padEnd(LABEL_WIDTH - 1)} `;

export const percent = (fraction: number): string => `${Math.round(100 * fraction)}%`;

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `width` columns filled to `fraction`, in eighths of a column. */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8]!;
  return ('█'.repeat(full) + partial).padEnd(width).slice(0, width);
}

/** The items that fit in `width` (with `gap` columns between), taking the highest priority first; order is kept. */
export function fitByPriority<T>(
  items: readonly T[],
  width: number,
  widthOf: (item: T) => number,
  priorityOf: (item: T) => number,
  gap = 1,
): T[] {
  const kept = new Set<T>();
  let used = -gap;
  for (const item of [...items].sort((a, b) => priorityOf(b) - priorityOf(a))) {
    const need = widthOf(item) + gap;
    if (used + need > width && kept.size > 0) continue;
    kept.add(item);
    used += need;
  }
  return items.filter((item) => kept.has(item));
}

/** Text broken into lines of at most `width` columns, at spaces where it can be. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      for (let w = word; w;) {
        const room = line ? width - columns(line) - 1 : width;
        if (columns(w) <= room) {
          line = line ? `${line} ${w}` : w;
          w = '';
        } else if (line) {
          lines.push(line);
          line = '';
        } else {
          // A word wider than a line is cut between graphemes; at least one goes on each line.
          const part = head(w, width) || firstGrapheme(w);
          lines.push(part);
          w = w.slice(part.length);
        }
      }
    }
    lines.push(line);
  }
  return lines;
}
