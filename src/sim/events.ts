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

/**
 * The model's systems report here, stamped with the world's tick. What a system writes it marks
 * where it writes (see changes.ts), not through its events: `world` is there for mutators that are
 * handed only the sink.
 */
export class EventSink extends EventLog {
  constructor(readonly world: World) {
    super(world.tick);
  }
}
