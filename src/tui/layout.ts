// Where each panel goes for a terminal size. Layouts are data: rows of cells sharing the height
// by weight, cells sharing a row's width by weight. A cell listing several panels shows one at a
// time (the one last focused), which is how a small terminal still reaches every panel.
import type { PanelId } from './panels/panel.js';

export const MIN_COLS = 80;
export const MIN_ROWS = 24;
/** Lines under the panels: the status bar and the prompt / message line. */
export const CHROME_ROWS = 2;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Cell {
  panels: readonly PanelId[];
  weight: number;
}

interface Row {
  weight: number;
  cells: readonly Cell[];
}

const COMPACT: readonly Row[] = [
  {
    weight: 4,
    cells: [
      { panels: ['map'], weight: 2 },
      { panels: ['instances'], weight: 5 },
    ],
  },
  {
    weight: 3,
    cells: [
      { panels: ['volumes'], weight: 5 },
      { panels: ['charts'], weight: 3 },
    ],
  },
  {
    weight: 3,
    cells: [
      { panels: ['incidents'], weight: 3 },
      { panels: ['events', 'imds'], weight: 5 },
    ],
  },
];

const WIDE: readonly Row[] = [
  {
    weight: 5,
    cells: [
      { panels: ['map'], weight: 3 },
      { panels: ['instances'], weight: 5 },
    ],
  },
  {
    weight: 4,
    cells: [
      { panels: ['volumes'], weight: 5 },
      { panels: ['charts'], weight: 3 },
    ],
  },
  {
    weight: 4,
    cells: [
      { panels: ['incidents'], weight: 3 },
      { panels: ['events'], weight: 3 },
      { panels: ['imds'], weight: 2 },
    ],
  },
];

/** Every panel in Tab order. */
export const PANEL_ORDER: readonly PanelId[] = ['map', 'instances', 'volumes', 'charts', 'incidents', 'events', 'imds'];

export const tooSmall = (cols: number, rows: number): boolean => cols < MIN_COLS || rows < MIN_ROWS;

/** What a screen too small to use says instead. */
export const sizeWarning = (cols: number, rows: number): string =>
  `fleetops needs a terminal of at least ${MIN_COLS}x${MIN_ROWS}; this one is ${cols}x${rows}.\nEnlarge it, or press Ctrl-C to quit.`;

/** Splits `total` into parts proportional to `weights`, exactly (the last part takes the rounding). */
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let used = 0;
  return weights.map((w, i) => {
    const size = i === weights.length - 1 ? total - used : Math.round((total * w) / sum);
    used += size;
    return size;
  });
}

export interface Layout {
  /** Panels on screen and where; panels sharing a cell with the shown one are absent. */
  rects: Map<PanelId, Rect>;
  /** For each panel, the others in its cell (a hint for the box label). */
  sharing: Map<PanelId, readonly PanelId[]>;
}

/**
 * The layout for a terminal of `cols` x `rows`. `shown` picks the visible panel of a shared cell;
 * `zoomed` gives one panel the whole area.
 */
export function layout(
  cols: number,
  rows: number,
  shown: (choices: readonly PanelId[]) => PanelId,
  zoomed: PanelId | null,
): Layout {
  const area = { left: 0, top: 0, width: cols, height: rows - CHROME_ROWS };
  const rects = new Map<PanelId, Rect>();
  const sharing = new Map<PanelId, readonly PanelId[]>();
  if (zoomed) {
    rects.set(zoomed, area);
    return { rects, sharing };
  }
  const table = cols >= 150 && rows >= 40 ? WIDE : COMPACT;
  const heights = split(
    area.height,
    table.map((r) => r.weight),
  );
  let top = 0;
  table.forEach((row, r) => {
    const widths = split(
      cols,
      row.cells.map((c) => c.weight),
    );
    let left = 0;
    row.cells.forEach((cell, c) => {
      const id = shown(cell.panels);
      rects.set(id, { left, top, width: widths[c]!, height: heights[r]! });
      for (const p of cell.panels)
        sharing.set(
          p,
          cell.panels.filter((o) => o !== p),
        );
      left += widths[c]!;
    });
    top += heights[r]!;
  });
  return { rects, sharing };
}
