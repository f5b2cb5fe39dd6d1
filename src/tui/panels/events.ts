// The event log: the model's events and the outcome of every command, newest at the bottom, as
// a tail that keeps following until the operator scrolls up.
import {
  commandsFirst,
  isOutcome,
  listedIn,
  VERB_TABLE,
  type EventLevel,
  type SimEvent,
  type World,
} from '../../sim/index.js';
import { escapeControls } from '../../input/control.js';
import { wallClock } from '../labels.js';
import { Scrollback, type Numbered } from '../scrollback.js';
import type { Column } from '../table.js';
import type { Role } from '../theme.js';
import type { ListSource } from './list-panel.js';
import type { Listed, Target, Thing } from './panel.js';

export interface LogEntry {
  tick: number;
  level: EventLevel;
  text: string;
  /** The id the entry is about, if any: Enter opens it. */
  subject: string | null;
  /** The instances or volumes an event told together, which the opened line lists. */
  listed?: Listed;
}

export const LOG_SCROLLBACK = 2000;

const LEVELS: Record<EventLevel, { text: string; role: Role }> = {
  info: { text: 'info', role: 'dim' },
  warn: { text: 'WARN', role: 'warn' },
  error: { text: 'ERR', role: 'error' },
};

/** How an event reads in the log; a command's outcome says so first. */
export function describeEvent(e: SimEvent): string {
  if (e.kind === 'command-applied') return `applied: ${e.message}`;
  if (e.kind === 'command-refused') return `refused: ${e.message}`;
  return e.message;
}

/**
 * A command of the level's scenario: a fault only it can issue (`fail-host`, `hang-guest`…) or a
 * change someone else makes (`revoke-ingress` on the web tier's group). The responder must find
 * the trouble by its symptoms, so the command itself is not shown, applied or refused (a host
 * failure on a host already down is refused, and would tell of it); nor would it read as theirs.
 * An outcome says who sent its command; one from before outcomes did is the scenario's when its
 * verb is a fault's. A responder's own try at a fault's verb is theirs, and its refusal shown.
 */
const isScenario = (e: SimEvent) =>
  isOutcome(e) &&
  (e.data?.source === undefined ? VERB_TABLE.get(e.subject)?.scope === 'fault' : e.data.source === 'scenario');

export class EventsPanelLog extends Scrollback<LogEntry> {
  constructor() {
    super(LOG_SCROLLBACK);
  }

  /** Logs `events` (a tick's, or a session's), each command ahead of what it did (see commandsFirst). */
  addEvents(events: readonly SimEvent[]): void {
    for (const e of commandsFirst(events))
      if (!isScenario(e)) {
        const entry: LogEntry = { tick: e.tick, level: e.level, text: describeEvent(e), subject: e.subject };
        // An event telling several instances or volumes together lists them, and goes on to the first.
        const ids = listedIn(e);
        if (ids) {
          entry.subject = ids[0] ?? e.subject;
          entry.listed = { of: e.instanceIds ? 'instance' : 'volume', ids };
        }
        this.push(entry);
      }
  }

  /** A line of the dashboard's own (an echo of what was typed, a save's outcome), its control characters escaped. */
  note(tick: number, level: EventLevel, text: string): void {
    this.push({ tick, level, text: escapeControls(text), subject: null });
  }
}

/** The thing a log line's subject names, if it still exists. */
function aboutOf(world: World, subject: string): Thing | undefined {
  if (world.instances[subject]) return { kind: 'instance', id: subject };
  if (world.volumes[subject]) return { kind: 'volume', id: subject };
  if (world.hosts[subject]) return { kind: 'host', id: subject };
  if (world.zones.some((z) => z.zoneId === subject)) return { kind: 'zone', id: subject };
  if (/^INC-\d+$/.test(subject)) return { kind: 'incident', id: subject };
  return undefined;
}

/** A log line opened: the line itself in full, and what it is about to go on to. */
export function targetOf(world: World, entry: LogEntry): Target {
  const about = aboutOf(world, entry.subject ?? '');
  const message: Target = { kind: 'message', text: entry.text };
  if (entry.listed) message.listed = entry.listed;
  if (about) message.about = about;
  return message;
}

export function eventColumns(world: () => World): Column<Numbered<LogEntry>>[] {
  return [
    { title: 'TIME', width: 8, priority: 8, cell: (e) => ({ text: wallClock(world(), e.tick), role: 'dim' }) },
    { title: 'LVL', width: 4, priority: 7, cell: (e) => LEVELS[e.level] },
    {
      title: 'MESSAGE',
      width: 20,
      priority: 10,
      grow: true,
      cell: (e) => ({ text: e.text, role: e.level === 'info' ? 'plain' : LEVELS[e.level].role }),
    },
  ];
}

/**
 * Whether an instance or volume a line tells together matches, by id or Name tag: its text names
 * only the first few, and a responder looking for one of the others would find nothing.
 */
function listedMatch(world: World, e: LogEntry, test: (field: string) => boolean): boolean {
  if (!e.listed) return false;
  const table = e.listed.of === 'instance' ? world.instances : world.volumes;
  return e.listed.ids.some((id) => test(id) || test(table[id]?.name ?? ''));
}

export function eventsSource(log: EventsPanelLog, world: () => World): ListSource<Numbered<LogEntry>> {
  return {
    columns: eventColumns(world),
    rows: () => log.entries(),
    key: (e) => String(e.seq),
    matches: (e, test) => test(LEVELS[e.level].text) || test(e.text) || listedMatch(world(), e, test),
    target: (e) => targetOf(world(), e),
    empty: () => 'no events yet',
    follow: true,
  };
}
