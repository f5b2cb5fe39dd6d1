// An instance's status checks as a record. Almost every instance of a fleet holds one of a few
// combinations (all passing, all initializing), so those with no failure running are shared: one
// frozen record per combination, made once, which an instance points at instead of holding a copy.
// A check changes by taking another record (statusChecks), never by writing into one, and a world
// restored from JSON, whose records are its own, works alike.
import { CHECK_STATUSES, type CheckStatus, type StatusChecks, type Tick } from './types.js';

const index = (s: CheckStatus) => CHECK_STATUSES.indexOf(s);

const SHARED: readonly StatusChecks[] = Object.freeze(
  CHECK_STATUSES.flatMap((system) =>
    CHECK_STATUSES.flatMap((instance) =>
      CHECK_STATUSES.map((ebs) => Object.freeze({ system, instance, ebs, systemFailingSince: null })),
    ),
  ),
);

/** The record of these checks: a shared one while no system check failure is running, else a new one. */
export function statusChecks(
  system: CheckStatus,
  instance: CheckStatus,
  ebs: CheckStatus,
  systemFailingSince: Tick | null,
): StatusChecks {
  if (systemFailingSince !== null) return { system, instance, ebs, systemFailingSince };
  const n = CHECK_STATUSES.length;
  return SHARED[(index(system) * n + index(instance)) * n + index(ebs)]!;
}

/** The checks of an instance starting (`initializing`) or of a fleet already running when play begins (`ok`). */
export const startingChecks = (status: 'initializing' | 'ok'): StatusChecks =>
  statusChecks(status, status, status, null);
