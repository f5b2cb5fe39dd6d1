// What every dashboard panel offers the frame around it: its lines for a given size, a cursor to
// move, what Enter drills into, and (for lists) a filter.
export type PanelId = 'map' | 'instances' | 'volumes' | 'charts' | 'incidents' | 'events' | 'imds';

/** Something a panel row stands for, which Enter opens in the detail view. */
export type Thing = { kind: 'instance' | 'volume' | 'host' | 'rack' | 'zone' | 'incident'; id: string };
/** A log line opens whole; `about` is the thing it names, which Enter opens from there. */
export type Target = Thing | { kind: 'message'; text: string; about?: Thing };

export type Move = 'up' | 'down' | 'left' | 'right' | 'page-up' | 'page-down' | 'top' | 'bottom';

export interface Panel {
  readonly id: PanelId;
  /** The box's label: title and counts, e.g. `instances 3/12`. */
  label(): string;
  render(width: number, height: number, focused: boolean): string[];
  move(move: Move): void;
  /** Selects what is drawn at this line and column of the panel's content (a mouse click). */
  pick(line: number, col: number): void;
  target(): Target | null;
  /** Lists can be filtered; other panels leave these out. */
  filter?: string;
}
