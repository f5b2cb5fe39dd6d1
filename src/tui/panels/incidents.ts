// Open incidents first, worst first, with how long each has been open: the on-call view.
import type { Column } from '../table.js';
import type { Role } from '../theme.js';
import { formatSpan } from '../../sim/index.js';
import type { ListSource } from './list-panel.js';

export type Severity = 'SEV1' | 'SEV2' | 'SEV3';
export type IncidentState = 'detected' | 'acknowledged' | 'mitigated' | 'resolved';

/** The part of an incident the dashboard shows. */
export interface IncidentView {
  id: string;
  title: string;
  severity: Severity;
  state: IncidentState;
  detectedAt: number;
  resolvedAt?: number | null;
  /** The instances it reached, in the order it reached them. */
  instances?: readonly string[];
  /** Their Name tags as they joined it, index for index (see Incident). */
  instanceNames?: readonly (string | null)[];
  /** An EBS saturation's volumes, in the order they saturated (see Incident). */
  volumes?: readonly string[];
}

const SEVERITY_ROLES: Record<Severity, Role> = { SEV1: 'error', SEV2: 'warn', SEV3: 'accent' };
const STATE_ROLES: Record<IncidentState, Role> = {
  detected: 'error',
  acknowledged: 'warn',
  mitigated: 'accent',
  resolved: 'dim',
};

export function incidentColumns(now: () => number): Column<IncidentView>[] {
  return [
    { title: 'ID', width: 6, priority: 9, cell: (i) => i.id },
    {
      title: 'SEV',
      width: 4,
      priority: 8,
      cell: (i) => ({ text: i.severity, role: i.state === 'resolved' ? 'dim' : SEVERITY_ROLES[i.severity] }),
    },
    { title: 'STATE', width: 12, priority: 7, cell: (i) => ({ text: i.state, role: STATE_ROLES[i.state] }) },
    {
      title: 'AGE',
      width: 6,
      priority: 6,
      align: 'right',
      cell: (i) => formatSpan((i.resolvedAt ?? now()) - i.detectedAt),
    },
    { title: 'TITLE', width: 10, priority: 10, grow: true, cell: (i) => i.title },
  ];
}

/** Open ones first, worst and oldest first; then the resolved, latest first. */
export function incidentOrder(a: IncidentView, b: IncidentView): number {
  const closed = (i: IncidentView) => Number(i.state === 'resolved');
  if (closed(a) !== closed(b)) return closed(a) - closed(b);
  return closed(a) ? b.detectedAt - a.detectedAt : a.severity.localeCompare(b.severity) || a.detectedAt - b.detectedAt;
}

/** `incidents` returns null when this build of the game tracks no incidents. */
export function incidentsSource(
  incidents: () => readonly IncidentView[] | null,
  now: () => number,
): ListSource<IncidentView> {
  return {
    columns: incidentColumns(now),
    rows: () => [...(incidents() ?? [])].sort(incidentOrder),
    key: (i) => i.id,
    matches: (i, test) => test(i.id) || test(i.severity) || test(i.state) || test(i.title),
    target: (i) => ({ kind: 'incident', id: i.id }),
    empty: () => (incidents() === null ? 'incidents are not tracked yet' : 'no incidents: all quiet'),
  };
}
