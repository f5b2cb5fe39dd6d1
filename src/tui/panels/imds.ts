// The instance metadata service's request log: what the fleet's own handlers are asking, e.g. a
// Spot interruption handler polling spot/instance-action.
import type { World } from '../../sim/index.js';
import { instanceLabel, wallClock } from '../labels.js';
import { Scrollback, type Numbered } from '../scrollback.js';
import type { Column } from '../table.js';
import type { ListSource } from './list-panel.js';

/** One request the metadata service answered. */
export interface ImdsRequest {
  instanceId: string;
  method: string;
  path: string;
  status: number;
  tick: number;
}

/** Anything that reports IMDS requests as they are served; returns a function that stops listening. */
export interface ImdsFeed {
  onRequest(listener: (request: ImdsRequest) => void): () => void;
  /** The URL an instance's metadata service answers on, while it does. */
  endpointOf(instanceId: string): string | null;
}

export const IMDS_SCROLLBACK = 500;

export function imdsColumns(world: () => World): Column<Numbered<ImdsRequest>>[] {
  const who = (r: ImdsRequest) => {
    const inst = world().instances[r.instanceId];
    return inst ? instanceLabel(inst) : r.instanceId;
  };
  return [
    { title: 'TIME', width: 8, priority: 7, cell: (r) => ({ text: wallClock(world(), r.tick), role: 'dim' }) },
    { title: 'INSTANCE', width: 10, priority: 8, cell: who },
    { title: 'REQUEST', width: 16, priority: 10, grow: true, cell: (r) => `${r.method} ${r.path}` },
    {
      title: 'STATUS',
      width: 6,
      priority: 9,
      align: 'right',
      // 0: no answer reached the client (a PUT past the hop limit, see ImdsRequestRecord).
      cell: (r) =>
        r.status === 0
          ? { text: 'none', role: 'warn' }
          : { text: String(r.status), role: r.status >= 500 ? 'error' : r.status >= 400 ? 'warn' : 'ok' },
    },
  ];
}

/** `log` is null when no metadata service runs alongside the game. */
export function imdsSource(log: Scrollback<ImdsRequest> | null, world: () => World): ListSource<Numbered<ImdsRequest>> {
  return {
    columns: imdsColumns(world),
    rows: () => log?.entries() ?? [],
    key: (r) => String(r.seq),
    matches: (r, test) =>
      test(r.instanceId) ||
      test(world().instances[r.instanceId]?.name ?? '') ||
      test(`${r.method} ${r.path}`) ||
      test(String(r.status)),
    target: (r) => (world().instances[r.instanceId] ? { kind: 'instance', id: r.instanceId } : null),
    empty: () => (log ? 'no IMDS requests yet' : 'IMDS not running'),
    follow: true,
  };
}
