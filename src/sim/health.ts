// Status checks and what follows from them. The system check watches AWS's side (host, power,
// network), the instance check the guest, the attached-EBS check the volumes. Simplified automatic
// recovery moves an instance whose system check keeps failing to a new host, except bare metal and
// instances with instance store, as in EC2. Scheduled events act when their window opens.
import type { EventSink } from './events.js';
import { beyondReach, cursor, stillListed, touchChecks, touchedSince, type Touched } from './changes.js';
import { counted } from './counted.js';
import { attachedTo } from './volumes.js';
import {
  canAutoRecover,
  hostFailedFor,
  pruneWatch,
  RECOVERIES_PER_DAY,
  recentRecoveries,
  recoveredAt,
  stillSettling,
  watchOf,
} from './watch.js';
import {
  endScheduledEvent,
  eventStarted,
  AFTER_RECOVERY,
  hostNews,
  instanceLabel,
  migrate,
  retiredFrom,
  scheduledReboot,
  scheduledStop,
  stopsInstance,
  zoneNews,
} from './instances.js';
import { DAY_TICKS, TICKS } from './timings.js';
import { formatWorldTime } from './commands/duration.js';
import type { AvailabilityZone, CheckStatus, EventData, Instance, Volume, World } from './types.js';
import { rows } from './tables.js';
import { statusChecks } from './status-checks.js';

function ebsCheck(volumes: readonly Volume[]): CheckStatus {
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.impaired) return 'impaired';
  return 'ok';
}

const reader = cursor('status checks');

/**
 * Checks follow from hosts, zones, guests and volumes, and a change to any of them touches the
 * instances it concerns, or for a zone the zone itself (see changes.ts). So a second looks at the
 * instances touched since the last, at the running instances of a zone impaired or restored, and at
 * those whose checks are still initializing or waiting for recovery; a world with no history to go
 * on has all of its instances looked at. Each instance whose checks change is marked as such.
 */
export function advanceHealth(world: World, events: EventSink): void {
  const touched = touchedSince(world, reader);
  const watch = watchOf(world);
  const zones = zoneChanges(touched?.zones);
  const due = touched
    ? inFleetOrder(
        inFleetOrder(
          checksMayChange(stillListed(world, beyondReach(touched)), touched),
          stillListed(world, watch.checks),
        ),
        runningIn(world, new Set(zones.keys())),
      )
    : rows(world, 'instances');
  // An indexed loop: on a first look `due` is every instance of the region.
  for (let i = 0; i < due.length; i++) checkInstance(world, due[i]!, events, zones);
  for (const change of zones.values()) tellZoneChecks(change, events);
  // Of those looked at, the ones still settling stay watched; the checks of the rest hold until a touch.
  watch.checks = due.filter((inst) => stillSettling(world, inst));
  runScheduledEvents(world, events);
}

/** Of the touched instances (those touched only in what reaches them already left out), those touched in more than their Spot signals, which no check reads. */
function checksMayChange(listed: readonly Instance[], touched: Touched): readonly Instance[] {
  const only = touched.spotSignalsOnly;
  return only.size ? listed.filter((inst) => !only.has(inst)) : listed;
}

/**
 * The running instances of the zones given by id, in fleet order: the table's. Always given a set
 * (the status checks' zone changes are a map), so the loop sees one kind of collection.
 */
export function runningIn(world: World, zones: ReadonlySet<string>): readonly Instance[] {
  if (zones.size === 0) return [];
  // An indexed loop: it runs once over the whole region, mostly before V8 has optimized it, and an
  // iterator there allocates a record at every step.
  const instances = rows(world, 'instances');
  const found: Instance[] = [];
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (inst.state === 'running' && zones.has(inst.zoneId)) found.push(inst);
  }
  return found;
}

/** Two lists in fleet order as one, each instance once. */
function inFleetOrder(a: readonly Instance[], b: readonly Instance[]): readonly Instance[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Instance[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.launchSeq < y.launchSeq)) out.push(a[i++]!);
    else if (x === undefined || y.launchSeq < x.launchSeq) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  return out;
}

/**
 * A zone impaired or restored in this tick, and the status checks of its instances that changed
 * with it: one cause, told in one event (as AWS Health tells one operational issue with its
 * affected resources), however many instances it reaches. Each instance's own checks are in its
 * record, where the views read them.
 */
interface ZoneChange {
  zone: AvailabilityZone;
  /** How many instances' system and instance checks changed. */
  changed: Record<'system' | 'instance', number>;
}

/** The zones impaired or restored since the checks were last looked at. */
function zoneChanges(zones: Iterable<AvailabilityZone> = []): Map<string, ZoneChange> {
  const changes = new Map<string, ZoneChange>();
  for (const zone of zones) changes.set(zone.zoneId, { zone, changed: { system: 0, instance: 0 } });
  return changes;
}

function tellZoneChecks({ zone, changed }: ZoneChange, events: EventSink): void {
  const instances = Math.max(changed.system, changed.instance);
  if (instances === 0) return;
  const failed = zone.impaired;
  const news = failed ? 'failed' : 'passing again';
  const on = (n: number) => counted(n, 'instance');
  // Each check with its own count: a guest hung before the zone failed keeps failing its instance
  // check once the zone is back, and is not among those passing again.
  const checks =
    changed.system === changed.instance
      ? `system and instance status checks ${news} on ${on(instances)}`
      : [
          changed.system ? `system status check ${news} on ${on(changed.system)}` : '',
          changed.instance ? `instance status check ${news} on ${on(changed.instance)}` : '',
        ]
          .filter(Boolean)
          .join(', ');
  events.emit(
    failed ? 'status-checks-failed' : 'status-checks-passed',
    failed ? 'error' : 'info',
    zone.zoneId,
    `${zone.name} (${zone.zoneId}): ${checks}, ${failed ? 'the zone impaired' : 'the zone recovered'}`,
    { zone: zone.zoneId, instances, system: changed.system, instance: changed.instance },
  );
}

function checkInstance(world: World, inst: Instance, events: EventSink, zones: Map<string, ZoneChange>): void {
  if (inst.state !== 'running') return;
  const initializing = world.tick - inst.stateSince < TICKS.statusChecksInitializing;
  // The system check: the host's hardware and the zone's network.
  const host = world.hosts[inst.hostId!]!;
  const hostFailed = host.health === 'failed';
  const system: CheckStatus = hostFailed || zoneImpaired(world, inst.zoneId) ? 'impaired' : 'ok';
  const instance: CheckStatus = system === 'impaired' || !inst.guestHealthy ? 'impaired' : 'ok';
  const ebs: CheckStatus = initializing ? 'initializing' : ebsCheck(attachedTo(world, inst));
  // On a healthy host, a change of the zone's state is the whole cause of a change of these two; else
  // a host failed or restored in this second is, or EC2's recovery of the instance in the last.
  const byZone = hostFailed ? undefined : zones.get(inst.zoneId);
  const cause =
    byZone ??
    (host.healthSince === world.tick
      ? { subject: host.id, news: HOST_CHECKS }
      : recoveredAt(inst, world.tick - 1)
        ? { subject: inst.zoneId, news: RECOVERED_CHECKS, data: AFTER_RECOVERY }
        : undefined);
  const checks = inst.checks;
  const next = {
    system: checkNews(inst, 'system', initializing && system === 'ok' ? 'initializing' : system, events, cause),
    instance: checkNews(inst, 'instance', initializing && instance === 'ok' ? 'initializing' : instance, events, cause),
    ebs: checkNews(inst, 'ebs', ebs, events),
  };
  const failingSince = system === 'impaired' ? (checks.systemFailingSince ?? world.tick) : null;
  if (
    next.system !== checks.system ||
    next.instance !== checks.instance ||
    next.ebs !== checks.ebs ||
    failingSince !== checks.systemFailingSince
  ) {
    touchChecks(world, inst);
    inst.checks = statusChecks(world, next.system, next.instance, next.ebs, failingSince);
  }
  const failedFor = hostFailed && failingSince !== null ? hostFailedFor(world, host, failingSince) : -1;
  // Its zone back in this second (looked at only for an instance recovery acts on): recovery's
  // first try after waiting for it (see recover).
  if (failedFor >= TICKS.recoveryAfter && canAutoRecover(inst))
    recover(world, inst, events, next, failedFor, zones.has(inst.zoneId) && !zoneImpaired(world, inst.zoneId));
}

/**
 * A failed host's instances that recovery found no healthy host with room for, told once for the
 * host: "temporary, insufficient capacity of replacement hardware" is among the causes EC2 names
 * for a recovery that fails (EC2 User Guide, "Troubleshoot instance recovery failures").
 */
const NO_ROOM = hostNews(
  (inst, data) =>
    `${instanceLabel(inst)} was not recovered from ${String(data?.host)}: no healthy host in ${inst.zoneId} has room for a ${inst.type}; EC2 tries again as room frees`,
  (count) => `${count} not recovered: no healthy host in the zone has room; EC2 tries again as room frees`,
);

/**
 * A failed host's instances that recovery held back while their zone is impaired, told once for
 * the host: "an ongoing Service Health Dashboard event" is among the causes EC2 names for a
 * recovery that fails (EC2 User Guide, "Troubleshoot instance recovery failures").
 */
const ZONE_EVENT = hostNews(
  (inst, data) =>
    `${instanceLabel(inst)} was not recovered from ${String(data?.host)}: ${inst.zoneId} is impaired (a service health event); EC2 tries again once it is back`,
  (count) => `${count} not recovered: their zone is impaired (a service health event); EC2 tries again once it is back`,
);

/**
 * Recovery moves an instance off broken hardware; another host in an impaired zone would be no
 * better, so a zone's impairment alone never triggers it, and a failed host's instances wait for
 * their zone to be back, uncounted against the allowance. Without a healthy host it says so once,
 * when it first tries, and tries again each second. With the day's allowance spent it does not try,
 * and says so once, when it would have.
 */
function recover(
  world: World,
  inst: Instance,
  events: EventSink,
  next: Record<'system' | 'instance' | 'ebs', CheckStatus>,
  failedFor: number,
  zoneBack: boolean,
): void {
  // Its first try, when a failure is told: it tries again each second after. Room is first looked
  // for then, or once an impaired zone it waited for is back.
  const first = failedFor === TICKS.recoveryAfter;
  const recent = recentRecoveries(world, inst);
  if (recent.length >= RECOVERIES_PER_DAY) {
    if (first)
      events.emit(
        'instance-recovery-failed',
        'error',
        inst.id,
        `${instanceLabel(inst)} was not recovered from ${inst.hostId}: ${RECOVERIES_PER_DAY} recoveries in 24 hours, the daily allowance (the next from ${formatWorldTime(world, recent[0]! + DAY_TICKS)}); stop and start it to move it`,
        { host: inst.hostId, reason: 'daily allowance', recoveries: recent.length },
      );
    return;
  }
  const host = inst.hostId!;
  if (zoneImpaired(world, inst.zoneId)) {
    if (first)
      events.emitFor('instance-recovery-failed', 'error', host, inst, ZONE_EVENT, {
        host,
        reason: 'service health event',
      });
    return;
  }
  if (!migrate(world, inst, events)) {
    if (first || zoneBack)
      events.emitFor('instance-recovery-failed', 'error', host, inst, NO_ROOM, { host, reason: 'capacity' });
    return;
  }
  inst.recoveries = [...recent, world.tick];
  inst.checks = statusChecks(world, next.system, next.instance, next.ebs, null);
}

function zoneImpaired(world: World, zoneId: string): boolean {
  for (const z of world.zones) if (z.zoneId === zoneId) return z.impaired;
  return false;
}

/** How a check's news reads: failed, or passing again after a failure. */
const outcome = (failed: boolean) => (failed ? 'failed' : 'passing again');

/** An instance's own check news. */
const checkText = (inst: Instance, check: string, failed: boolean) =>
  `${instanceLabel(inst)}: ${check} status check ${outcome(failed)}`;

/** A check failing (or passing again) on the instances of a host that failed or was restored in the same second. */
const hostChecks = (failed: boolean) =>
  hostNews(
    (inst, data) => checkText(inst, String(data?.check), failed),
    (count, data) => `${String(data?.check)} status check ${outcome(failed)} on ${count}`,
  );

const HOST_CHECKS = { failed: hostChecks(true), passed: hostChecks(false) };

/** A check passing again (or failing) on the instances EC2 recovered in the last second, for their zone. */
const recoveredChecks = (failed: boolean) =>
  zoneNews(
    (inst, data) => checkText(inst, String(data?.check), failed),
    (count, data) => `${String(data?.check)} status check ${outcome(failed)} on ${count} after their recovery`,
  );

const RECOVERED_CHECKS = { failed: recoveredChecks(true), passed: recoveredChecks(false) };

/**
 * Instances whose checks change for one cause in a second, told in one event for it: a host failed
 * or restored, or EC2's recovery of a failed host's instances to healthy ones.
 */
interface CheckCause {
  subject: string;
  news: typeof HOST_CHECKS;
  data?: Readonly<EventData>;
}

/**
 * A check's new status, told when failing, or passing again after a failure, is news: the
 * instance's own; counted in the zone's change when that is its cause; or, when its host's failure
 * or restore is, or its recovery off a failed host, told with the other instances of that cause in
 * one event for it (see CheckCause).
 */
function checkNews(
  inst: Instance,
  check: 'system' | 'instance' | 'ebs',
  next: CheckStatus,
  events: EventSink,
  cause?: ZoneChange | CheckCause,
): CheckStatus {
  const was = inst.checks[check];
  if (was === next || (next !== 'impaired' && was !== 'impaired')) return next;
  const failed = next === 'impaired';
  const level = failed ? 'error' : 'info';
  if (cause && check !== 'ebs') {
    if ('changed' in cause) cause.changed[check] += 1;
    else
      events.emitFor(
        failed ? 'status-check-failed' : 'status-check-passed',
        level,
        cause.subject,
        inst,
        failed ? cause.news.failed : cause.news.passed,
        { check, ...cause.data },
      );
  } else
    events.emit(
      failed ? 'status-check-failed' : 'status-check-passed',
      level,
      inst.id,
      checkText(inst, check, failed),
      { check },
    );
  return next;
}

/**
 * Scheduled events still active when their window opens happen then (EC2 User Guide, "Scheduled
 * events for your instances"): instance-stop and instance-retirement stop the instance,
 * instance-reboot and system-reboot reboot it in place. system-maintenance is power maintenance
 * here, this simulation's choice of EC2's two kinds: "scheduled instances are taken offline for a
 * brief period, and then rebooted"; network maintenance's brief loss of connectivity is not
 * modelled. Each is then completed; one whose instance is no longer running completes with nothing
 * to do.
 */
function runScheduledEvents(world: World, events: EventSink): void {
  for (const inst of watchOf(world).scheduled) {
    for (const ev of [...inst.scheduledEvents]) {
      if (ev.state !== 'active' || ev.notBefore !== world.tick) continue;
      // A degraded host's retirements that EC2 carries out now are told together for the host.
      const host = retiredFrom(inst, ev);
      if (inst.state === 'running') {
        eventStarted(inst, ev, host, events);
        if (stopsInstance(ev.code)) scheduledStop(world, inst, host, events);
        else scheduledReboot(world, inst, events);
      }
      endScheduledEvent(ev, 'completed', events, inst, host);
    }
  }
  pruneWatch(world, 'scheduled');
}
