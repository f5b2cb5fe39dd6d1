// What goes wrong on AWS's side. A level's injects and an instructor's exercise script call these;
// players cannot. Each returns nothing and reports through events.
import { touchEverything, touchInstance, touchVolume, touchZone } from './changes.js';
import { zoneHoldsNat } from './nat.js';
import { counted } from './counted.js';
import type { EventSink } from './events.js';
import { refuse } from './errors.js';
import { newId } from './ids.js';
import { hostNews, inSpotPool, instanceLabel, loseInstanceStore, stopsInstance } from './instances.js';
import { rows } from './tables.js';
import type { Host, Instance, ScheduledEvent, ScheduledEventCode, Volume, World } from './types.js';

/** A host's health is read through its instances' checks: each of them has changed. */
function touchHost(world: World, host: Host): void {
  for (const id of host.instanceIds) touchInstance(world, world.instances[id]!);
}

export function failHost(world: World, host: Host, events: EventSink): void {
  if (host.health === 'failed') refuse('IncorrectState', `${host.id} has already failed`);
  host.health = 'failed';
  host.healthSince = world.tick;
  touchHost(world, host);
  events.emit(
    'host-failed',
    'error',
    host.id,
    `host ${host.id} failed (${counted(host.instanceIds.length, 'instance')} on it)`,
    { instances: host.instanceIds.length },
  );
  for (const id of host.instanceIds) loseInstanceStore(world.instances[id]!, 'host failure', events, host.id);
}

/** Degraded hardware: it keeps running, and EC2 schedules its instances for retirement. */
export function impairHost(world: World, host: Host, retireAfter: number, events: EventSink): void {
  if (host.health !== 'ok') refuse('IncorrectState', `${host.id} is already ${host.health}`);
  host.health = 'impaired';
  host.healthSince = world.tick;
  touchHost(world, host);
  events.emit('host-impaired', 'warn', host.id, `host ${host.id} degraded; its instances are scheduled for retirement`);
  for (const id of host.instanceIds) {
    scheduleEvent(
      world,
      world.instances[id]!,
      'instance-retirement',
      world.tick + retireAfter,
      'The instance is running on degraded hardware',
      events,
      host,
    );
  }
}

export function restoreHost(world: World, host: Host, events: EventSink): void {
  if (host.health === 'ok') refuse('IncorrectState', `${host.id} is healthy`);
  host.health = 'ok';
  host.healthSince = world.tick;
  touchHost(world, host);
  events.emit('host-restored', 'info', host.id, `host ${host.id} healthy again`);
}

export function setZoneImpaired(world: World, zoneId: string, impaired: boolean, events: EventSink): void {
  const zone = world.zones.find((z) => z.zoneId === zoneId || z.name === zoneId);
  if (!zone) refuse('InvalidParameterValue', `no zone ${zoneId}`);
  zone.impaired = impaired;
  // The status checks look at the zone's instances (see touchZone). A NAT gateway there is the way
  // out of subnets in every zone: whether each instance's traffic gets out is looked at again.
  touchZone(world, zone);
  if (zoneHoldsNat(world, zone.zoneId)) for (const inst of rows(world, 'instances')) touchInstance(world, inst);
  events.emit(
    impaired ? 'zone-impaired' : 'zone-restored',
    impaired ? 'error' : 'info',
    zone.zoneId,
    impaired
      ? `${zone.name} (${zone.zoneId}) impaired: connectivity and launches fail there`
      : `${zone.name} (${zone.zoneId}) recovered`,
  );
}

export function setVolumeImpaired(volume: Volume, impaired: boolean, events: EventSink): void {
  volume.impaired = impaired;
  touchVolume(events.world, volume);
  events.emit(
    impaired ? 'volume-impaired' : 'volume-restored',
    impaired ? 'error' : 'info',
    volume.id,
    impaired ? `${volume.id}: I/O stalled` : `${volume.id}: I/O flowing again`,
  );
}

/** The guest stops answering (kernel panic, memory exhaustion): the instance check fails until a reboot. */
export function hangGuest(instance: Instance, events: EventSink): void {
  instance.guestHealthy = false;
  touchInstance(events.world, instance);
  events.emit('guest-hung', 'error', instance.id, `${instanceLabel(instance)}: guest OS stopped responding`);
}

export function setSpotCapacity(world: World, poolKey: string, capacity: number, events: EventSink): void {
  const pool = world.spotPools[poolKey];
  if (!pool) refuse('InvalidParameterValue', `no Spot pool ${poolKey}`);
  pool.capacity = capacity;
  pool.meanCapacity = capacity;
  events.emit('spot-capacity-changed', 'info', poolKey, `${inSpotPool(pool)} now holds ${capacity}`);
}

/** Bounds of a demand surge: a multiple of the workload's demand, for a while. */
export const SURGE_FACTOR_MAX = 10;
export const SURGE_SECONDS_MAX = 86400;

/** Demand for a workload multiplies by `factor` for `seconds` (a sale, a news link, a retry storm). */
export function surgeDemand(world: World, name: string, factor: number, seconds: number, events: EventSink): void {
  const workload = world.workloads[name];
  if (!workload)
    refuse(
      'InvalidParameterValue',
      `no workload ${name} (workloads: ${Object.keys(world.workloads).join(', ') || 'none'})`,
    );
  if (!(factor >= 1 && factor <= SURGE_FACTOR_MAX))
    refuse('InvalidParameterValue', `a surge factor runs from 1 to ${SURGE_FACTOR_MAX}, not ${factor}`);
  if (!(seconds >= 1 && seconds <= SURGE_SECONDS_MAX))
    refuse('InvalidParameterValue', `a surge lasts from 1 second to 24 hours`);
  workload.surge = { factor, untilTick: world.tick + seconds };
  // A workload's demand reaches every member of it.
  touchEverything(world);
  events.emit(
    'demand-surge',
    'warn',
    name,
    `${name}: demand surges to ${factor}x for ${Math.round(seconds / 60)} min`,
    { factor, seconds },
  );
}

const DESCRIPTIONS: Record<ScheduledEventCode, string> = {
  'instance-stop': 'The instance is scheduled to stop',
  'instance-retirement': 'The instance is running on degraded hardware',
  'instance-reboot': 'scheduled reboot',
  'system-reboot': 'scheduled reboot',
  'system-maintenance': 'scheduled maintenance',
};

/** A degraded host's retirement notices, told in one event for the host (see hostNews). */
const RETIREMENT_NEWS = hostNews(
  (inst, data) => `${instanceLabel(inst)}: ${String(data?.code)} scheduled`,
  (count, data) => `${String(data?.code)} scheduled for ${count}`,
);

/**
 * Schedules an event for an instance (EC2 User Guide, "Scheduled events for your instances"): each
 * instance holds its own, which its IMDS lists at events/maintenance/scheduled. `cause`: the
 * degraded host that scheduled it, kept on the event, whose instances' notices of one second are
 * told in one event listing them, as EC2's stops of them are when due; without one, the event is
 * the instance's own.
 */
export function scheduleEvent(
  world: World,
  instance: Instance,
  code: ScheduledEventCode,
  notBefore: number,
  description: string | null,
  events: EventSink,
  cause: Host | null = null,
): void {
  const ev: ScheduledEvent = {
    id: newId(world, 'instance-event', null),
    code,
    description: description ?? DESCRIPTIONS[code],
    notBefore,
    // EC2 windows are about a quarter of an hour for reboots; retirement has none.
    notAfter: notBefore + (stopsInstance(code) ? 0 : 1000),
    state: 'active',
  };
  if (cause) ev.degradedHostId = cause.id;
  instance.scheduledEvents = [...instance.scheduledEvents, ev];
  touchInstance(world, instance);
  if (cause) events.emitFor('scheduled-event', 'warn', cause.id, instance, RETIREMENT_NEWS, { code, notBefore });
  else
    events.emit('scheduled-event', 'warn', instance.id, `${instanceLabel(instance)}: ${code} scheduled (${ev.id})`, {
      code,
      notBefore,
    });
}
