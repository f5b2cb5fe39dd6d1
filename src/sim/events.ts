import type { EventData, EventLevel, SimEvent, World } from './types.js';

/** Collects the events of one tick, stamped with the tick it was opened on; systems push to it. */
export class EventSink {
  readonly events: SimEvent[] = [];
  readonly tick: number;

  constructor(world: World) {
    this.tick = world.tick;
  }

  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    const event: SimEvent = { tick: this.tick, kind, level, subject, message };
    if (data) event.data = data;
    this.events.push(event);
  }
}
