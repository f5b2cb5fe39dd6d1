// Tables for the list panels: columns that drop by priority when the panel is narrow, and a
// window over the rows so that only the visible ones are ever formatted.
import { fit, fitByPriority } from './format.js';
import type { Role, Theme } from './theme.js';

export interface Cell {
  text: string;
  role?: Role;
}

export interface Column<T> {
  title: string;
  width: number;
  /** Narrow panels drop the lowest first. */
  priority: number;
  align?: 'left' | 'right';
  /** Takes the width left over (one column per table). */
  grow?: boolean;
  cell: (item: T) => Cell | string;
}

/** The columns that fit in `width`, with the growing one widened to fill it. */
export function fitColumns<T>(columns: readonly Column<T>[], width: number): Column<T>[] {
  const kept = fitByPriority(
    columns,
    width,
    (c) => c.width,
    (c) => c.priority,
  );
  const used = kept.reduce((sum, c) => sum + c.width, 0) + Math.max(0, kept.length - 1);
  const spare = Math.max(0, width - used);
  return kept.map((c) => (c.grow ? { ...c, width: c.width + spare } : c));
}

/** First row to show so that `selected` stays in a window of `visible` rows, moving as little as possible. */
export function scrollTo(selected: number, offset: number, visible: number, total: number): number {
  if (visible <= 0 || total <= visible) return 0;
  let top = Math.min(offset, total - visible);
  if (selected >= 0 && selected < top) top = selected;
  if (selected >= top + visible) top = selected - visible + 1;
  return Math.max(0, top);
}

export interface TableView<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  width: number;
  /** Rows of text available, header included. */
  height: number;
  selected: number;
  offset: number;
  /** Whether to draw the selection (only the focused panel shows its cursor). */
  showCursor: boolean;
}

export function headerLine<T>(columns: readonly Column<T>[], theme: Theme): string {
  return theme.paint('heading', columns.map((c) => fit(c.title, c.width, c.align)).join(' '));
}

export function rowLine<T>(columns: readonly Column<T>[], item: T, theme: Theme, selected: boolean): string {
  const cells = columns.map((c) => {
    const raw = c.cell(item);
    const cell = typeof raw === 'string' ? { text: raw } : raw;
    return theme.paint(selected ? 'plain' : (cell.role ?? 'plain'), fit(cell.text, c.width, c.align));
  });
  const line = cells.join(' ');
  return selected ? `{inverse}${line}{/inverse}` : line;
}

/** The header and the visible rows of a table, and the scroll offset used. */
export function renderTable<T>(view: TableView<T>, theme: Theme): { lines: string[]; offset: number } {
  const columns = fitColumns(view.columns, view.width);
  const visible = Math.max(0, view.height - 1);
  const offset = scrollTo(view.selected, view.offset, visible, view.rows.length);
  const lines = [headerLine(columns, theme)];
  const end = Math.min(view.rows.length, offset + visible);
  for (let i = offset; i < end; i++)
    lines.push(rowLine(columns, view.rows[i]!, theme, view.showCursor && i === view.selected));
  return { lines, offset };
}
