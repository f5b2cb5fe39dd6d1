// A list panel: a table over rows that a source supplies each frame, with a cursor that stays on
// the same row (by key) as rows come and go, a `/` filter, and a window so that only the rows on
// screen are formatted however many there are. The cursor moves over the rows as last drawn: what
// the player sees is what they pick.
import { renderTable, scrollTo, type Column } from '../table.js';
import type { Theme } from '../theme.js';
import type { Move, Panel, Target } from './panel.js';

export interface ListSource<T> {
  columns: readonly Column<T>[];
  rows(): readonly T[];
  key(row: T): string;
  /** Whether any of the row's searchable fields passes `test` (no strings built: lists can be long). */
  matches(row: T, test: (field: string) => boolean): boolean;
  target(row: T): Target | null;
  /** Said when there are no rows, e.g. `IMDS not running`. */
  empty(): string;
  /** A log: with no row chosen the cursor follows the newest (last) row. */
  follow?: boolean;
}

export class ListPanel<T> implements Panel {
  filter = '';
  private selectedKey: string | null = null;
  private offset = 0;
  private lastHeight = 10;
  private shown: readonly T[] = [];
  private total = 0;

  constructor(
    readonly id: Panel['id'],
    private readonly title: string,
    private readonly source: ListSource<T>,
    private readonly theme: Theme,
  ) {}

  private filtered(): readonly T[] {
    const rows = this.source.rows();
    this.total = rows.length;
    if (!this.filter) return rows;
    const re = new RegExp(this.filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    const test = (field: string) => re.test(field);
    return rows.filter((r) => this.source.matches(r, test));
  }

  private indexIn(rows: readonly T[]): number {
    if (rows.length === 0) return -1;
    if (this.selectedKey !== null) {
      const i = rows.findIndex((r) => this.source.key(r) === this.selectedKey);
      if (i >= 0) return i;
    }
    return this.source.follow ? rows.length - 1 : 0;
  }

  label(): string {
    const count = this.filter ? `${this.shown.length}/${this.total}` : String(this.total);
    return `${this.title} ${count}${this.filter ? ` /${this.filter}` : ''}`;
  }

  render(width: number, height: number, focused: boolean): string[] {
    const rows = this.filtered();
    this.shown = rows;
    this.lastHeight = height;
    if (rows.length === 0) {
      const why = this.total > 0 ? `nothing matches /${this.filter}` : this.source.empty();
      return [this.theme.paint('dim', why.slice(0, width))];
    }
    const selected = this.indexIn(rows);
    const { lines, offset } = renderTable(
      { columns: this.source.columns, rows, width, height, selected, offset: this.offset, showCursor: focused },
      this.theme,
    );
    this.offset = offset;
    return lines;
  }

  move(move: Move): void {
    const rows = this.shown;
    if (rows.length === 0) return;
    const page = Math.max(1, this.lastHeight - 2);
    const current = this.indexIn(rows);
    const next: Record<Move, number> = {
      up: current - 1,
      down: current + 1,
      left: current,
      right: current,
      'page-up': current - page,
      'page-down': current + page,
      top: 0,
      bottom: rows.length - 1,
    };
    const index = Math.min(rows.length - 1, Math.max(0, next[move]));
    // Reaching the end of a log goes back to following it.
    this.selectedKey = this.source.follow && index === rows.length - 1 ? null : this.source.key(rows[index]!);
    this.offset = scrollTo(index, this.offset, this.lastHeight - 1, rows.length);
  }

  pick(line: number): void {
    const rows = this.shown;
    const index = this.offset + line - 1; // line 0 is the header
    if (line < 1 || index >= rows.length) return;
    this.selectedKey = this.source.follow && index === rows.length - 1 ? null : this.source.key(rows[index]!);
  }

  target(): Target | null {
    const rows = this.shown;
    const i = this.indexIn(rows);
    return i >= 0 ? this.source.target(rows[i]!) : null;
  }
}
