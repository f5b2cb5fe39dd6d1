import { noteChange } from './changes.js';
import type { EventData, EventLevel, SimEvent, World } from './types.js';

/** Collects the events of one tick, stamped with the tick it was opened on; systems push to it. Every event marks the world changed (see changes.ts). */
export class EventSink {
  readonly events: SimEvent[] = [];
  readonly tick: number;

  constructor(private readonly world: World) {
    this.tick = world.tick;
  }

  emit(kind: string, level: EventLevel, subject: string, message: string, data?: EventData): void {
    const event: SimEvent = { tick: this.tick, kind, level, subject, message };
    if (data) event.data = data;
    this.events.push(event);
    noteChange(this.world);
  }
}
