// What every dashboard panel offers the frame around it: its lines for a given size, a cursor to
// move, what Enter drills into, and (for lists) a filter.
import type { TraceQuery } from '../../sim/index.js';

export type PanelId = 'map' | 'instances' | 'volumes' | 'charts' | 'incidents' | 'events' | 'imds';

/** The resource views (`:sg`, `:nacl`…) that open over the panels; resources.ts describes each. */
export type ResourceName = 'sg' | 'nacl' | 'rt' | 'subnet' | 'nat' | 'eni' | 'eip' | 'snap';

/** Something a panel row stands for, which Enter opens in the detail view. */
export type Thing = { kind: 'instance' | 'volume' | 'host' | 'rack' | 'zone' | 'incident'; id: string };
/** The instances or volumes a log line tells together (a Spot pool's interruptions, a workload's volume alarms). */
export type Listed = { of: 'instance' | 'volume'; ids: readonly string[] };

/**
 * A log line opens whole, with the instances or volumes it tells together; `about` is the thing it names,
 * which Enter opens from there. A resource
 * view's row opens its detail; a trace is the path to an instance, worked out afresh each frame.
 */
export type Target =
  | Thing
  | { kind: 'message'; text: string; about?: Thing; listed?: Listed }
  | { kind: 'resource'; view: ResourceName; id: string }
  | { kind: 'trace'; query: TraceQuery };

export type Move = 'up' | 'down' | 'left' | 'right' | 'page-up' | 'page-down' | 'top' | 'bottom';

export interface Panel {
  /** A dashboard panel's place, or a resource view (`:sg`…) shown over the panels. */
  readonly id: PanelId | 'resource-view';
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
