// An instance's status checks as a record. Almost every instance of a fleet holds one of a few
// combinations (all passing, all initializing), so those with no failure running are shared: one
// frozen record per combination, made once, which an instance points at instead of holding a copy.
// A check changes by taking another record (statusChecks), never by writing into one, and a world
// restored from JSON, whose records are its own, works alike.
import { derived, derivedKind } from './derived.js';
import { CHECK_STATUSES, type CheckStatus, type StatusChecks, type Tick, type World } from './types.js';

const index = (s: CheckStatus) => CHECK_STATUSES.indexOf(s);

/** A combination's place in SHARED (and in FAILING's records). */
function place(system: CheckStatus, instance: CheckStatus, ebs: CheckStatus): number {
  const n = CHECK_STATUSES.length;
  return (index(system) * n + index(instance)) * n + index(ebs);
}

const SHARED: readonly StatusChecks[] = Object.freeze(
  CHECK_STATUSES.flatMap((system) =>
    CHECK_STATUSES.flatMap((instance) =>
      CHECK_STATUSES.map((ebs) => Object.freeze({ system, instance, ebs, systemFailingSince: null })),
    ),
  ),
);

/**
 * Records with a system check failure running, made for the tick it began in, by combination: a
 * zone's outage fails the checks of tens of thousands of instances in one second, and they share a
 * record for each combination instead of holding one each. Kept with the world's derived data (a
 * save gives each instance its own); a failure that began in another tick starts the list afresh.
 */
const FAILING = derivedKind('failing status checks', () => ({ since: -1 as Tick, records: [] as StatusChecks[] }));

/** The record of these checks: a shared one (see SHARED and FAILING). */
export function statusChecks(
  world: World,
  system: CheckStatus,
  instance: CheckStatus,
  ebs: CheckStatus,
  systemFailingSince: Tick | null,
): StatusChecks {
  const at = place(system, instance, ebs);
  if (systemFailingSince === null) return SHARED[at]!;
  const failing = derived(world, FAILING);
  if (failing.since !== systemFailingSince) {
    failing.since = systemFailingSince;
    failing.records = [];
  }
  return (failing.records[at] ??= Object.freeze({ system, instance, ebs, systemFailingSince }));
}

/** The checks of an instance starting (`initializing`) or of a fleet already running when play begins (`ok`). */
export const startingChecks = (status: 'initializing' | 'ok'): StatusChecks => SHARED[place(status, status, status)]!;
