import type { EventData, EventLevel, SimEvent, World } from './types.js';

/** Collects the events of one tick, stamped with the tick it was opened on. */
export class EventLog {
  readonly events: SimEvent[] = [];

  constructor(readonly tick: number) {}

  /**
   * Keeps an event. Its message is made flat at once: one built from parts is kept as a tree of
   * them until read whole, some twice the memory, and a log holds a hundred thousand. Its data is
   * written with the rest of the record and taken out again when there is none: a field added to
   * a finished record would cost a separate block of fields.
   */
  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    message.charCodeAt(0);
    const event: SimEvent = { tick: this.tick, kind, level, subject, message, data };
    if (!data) delete event.data;
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
