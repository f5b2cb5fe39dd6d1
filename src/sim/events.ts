import { touchEverything, touchInstance, touchSnapshot, touchVolume } from './changes.js';
import { rows } from './tables.js';
import type { EventData, EventLevel, SimEvent, World } from './types.js';

/** Collects the events of one tick, stamped with the tick it was opened on. */
export class EventLog {
  readonly events: SimEvent[] = [];

  constructor(readonly tick: number) {}

  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    const event: SimEvent = { tick: this.tick, kind, level, subject, message };
    if (data) event.data = data;
    this.events.push(event);
  }
}

/** The model's systems report here: each event also touches its subject (see changes.ts). */
export class EventSink extends EventLog {
  constructor(private readonly world: World) {
    super(world.tick);
  }

  override emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    super.emit(kind, level, subject, message, data);
    touchSubject(this.world, kind, subject);
  }
}

/**
 * An event is about its subject, and what derived data must look at again follows from it: an
 * instance, volume or snapshot itself, a host's or a zone's instances. A command's own effects
 * report themselves; Elastic IP allocations, Spot pools and placement groups feed nothing derived.
 * Anything else (a security group's rules) may reach any instance.
 */
function touchSubject(world: World, kind: string, subject: string): void {
  if (kind === 'command-applied' || kind === 'command-refused') return;
  const inst = world.instances[subject];
  if (inst) return touchInstance(world, inst);
  const volume = world.volumes[subject];
  if (volume) return touchVolume(world, volume);
  const snapshot = world.snapshots[subject];
  if (snapshot) return touchSnapshot(world, snapshot);
  const host = world.hosts[subject];
  if (host) {
    for (const id of host.instanceIds) touchInstance(world, world.instances[id]!);
    return;
  }
  if (world.zones.some((z) => z.zoneId === subject)) {
    for (const i of rows(world.instances)) if (i.zoneId === subject) touchInstance(world, i);
    return;
  }
  if (subject in world.elasticIps || subject in world.spotPools || subject in world.placementGroups) return;
  touchEverything(world);
}
