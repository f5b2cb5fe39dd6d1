import type { EventData, EventLevel, SimEvent, World } from './types.js';

/** Collects the events of one tick; systems push to it instead of returning lists. */
export class EventSink {
  readonly events: SimEvent[] = [];

  constructor(private readonly world: World) {}

  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    const event: SimEvent = { tick: this.world.tick, kind, level, subject, message };
    if (data) event.data = data;
    this.events.push(event);
  }
}
