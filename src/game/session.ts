// A session: one play of a level. It owns the world, the queue of commands waiting for their
// tick, the record of every command with who issued it, and the stream of events.
import {
  ledgerTotalMicros,
  CommandError,
  createWorld,
  EventLog,
  listedIn,
  worldFingerprint,
  parseCommand,
  ParseError,
  step,
  writeLanes,
  VERB_TABLE,
  answerGameVerb,
  shownCommand,
  type Command,
  type GameVerbHandlers,
  type CommandOrigin,
  type SimEvent,
  type World,
} from '../sim/index.js';
import { evaluateAlarms } from './alarms.js';
import {
  REFUSED_LINE_CHARS,
  responders,
  SOURCES,
  type LoggedCommand,
  type Reaction,
  type RefusedLine,
  type Source,
} from './command-log.js';
import {
  acknowledge,
  detectFromEvents,
  detectFromState,
  newTracker,
  progressIncidents,
  restoredTracker,
  savedTracker,
  type Incident,
  type IncidentTracker,
  type SavedTracker,
} from './incidents.js';
import { planScenario, scenarioDeparture } from './inject-plan.js';
import { escapeControls } from '../input/control.js';
import { InputError } from '../input/input-error.js';
import { levelLabel, type Level } from './level.js';
import { fleetCostUsd } from './fleet-cost.js';
import { sample, SAMPLE_EVERY, type Sample } from './metrics.js';
import { gradeHandler, type HandlerGrade, type HandlerRequest } from './handler-grade.js';
import { scoreOutcome, withHandler, type Score } from './score.js';
import { noticeMistakes, noticeUnserved, servingCounts } from './mistakes.js';
import { DEFAULT_MODE, HINT_COST, type Mode } from './mode.js';

interface Queued {
  command: Command;
  source: Source;
  ticket: number;
}

/**
 * A submitted command's receipt: its `command-applied` or `command-refused` event carries the same
 * number in `data.ticket`, so each submitter learns its own command's outcome even when another
 * submitter sent the same text in the same second. A queued command's ticket is its place in the
 * queue of the tick it is due at (`tick * TICKETS_PER_TICK + place`), so a replay of the same
 * commands hands out the same tickets; a command refused at once gets -1, -2, ...
 */
export type Ticket = number;

/** Requests of an outside handler kept for its grade (a handler polling 100 instances every 5 s for a day stays under it). */
export const MAX_HANDLER_REQUESTS = 2_000_000;

/** Commands one tick's queue may hold; a further one is refused. */
export const TICKETS_PER_TICK = 2 ** 21;

/**
 * Everything a session is at one tick, as plain JSON, to carry on exactly where it stopped. Not
 * included: listeners such as a script's reactions, which are code and must be attached again.
 */
export interface SessionSnapshot {
  world: World;
  events: SimEvent[];
  log: LoggedCommand[];
  /** Lines refused as they were submitted; absent in saves from before they were kept. */
  refused?: RefusedLine[];
  samples: Sample[];
  /** Commands waiting for a later tick, in the order they will be applied. */
  queued: LoggedCommand[];
  tracker: SavedTracker;
  dataLostGB: number;
  /** Hints shown so far (training mode). */
  hintsUsed: number;
  /** Of dataLostGB, what was lost before any response was possible. */
  unavoidableDataLostGB: number;
  /** Events dropped from the front of the log to keep it within EVENT_LOG_LIMIT; absent when none were. */
  eventsDropped?: number;
}

/**
 * Data lost in the very second its host failed: the instance store went with the hardware before
 * any alarm could fire. (A Spot interruption gives two minutes' notice; a stop is the responder's.)
 */
const unavoidable = (e: SimEvent) => e.data?.why === 'host failure';

/**
 * The lines refused as they came in, read from a snapshot's events, for saves from before they
 * were kept apart: each refusal settled at once (a negative ticket) but a hint's, which is in the
 * command log.
 */
function refusalsIn(events: readonly SimEvent[]): RefusedLine[] {
  return events
    .filter(
      (e) =>
        e.kind === 'command-refused' &&
        (e.data?.ticket as number) < 0 &&
        e.subject !== 'hint' &&
        SOURCES.includes(e.data?.source as Source),
    )
    .map((e) => ({
      tick: e.tick,
      source: e.data!.source as Source,
      subject: e.subject,
      text: keptText(String(e.data!.command)),
      reason: keptText(typeof e.data!.reason === 'string' ? e.data!.reason : e.message),
    }));
}

/**
 * A refused line or its reason as the session keeps it: shown in the log and the report and kept
 * by a save, so one line with what would move the terminal escaped, to REFUSED_LINE_CHARS.
 */
const keptText = (text: string) => escapeControls(text).slice(0, REFUSED_LINE_CHARS);

/** A level without a budget allows its starting fleet's cost plus this share. */
const BUDGET_HEADROOM = 1.25;

/**
 * The most events a session's event log keeps (this simulation's choice): past it, the oldest are
 * dropped, a tenth of the limit at a time so the log is trimmed rarely, and counted. An event
 * telling many instances or volumes together (a Spot pool's interruptions, see EventLog.emitFor) weighs more
 * by the ids it lists (see LISTED_PER_EVENT), so that what the log holds stays bounded however many
 * instances one cause reaches. A level's play stays far below it; a region-sized fleet played for
 * days keeps its latest events in bounded memory.
 */
export const EVENT_LOG_LIMIT = 100_000;

/**
 * Listed instance ids that take the memory of one event: in Node 20 an event with its message and
 * data holds about 216 bytes, an id in a list 8 (the id itself is the instance's own string).
 */
const LISTED_PER_EVENT = 27;

/** A snapshot whose scenario is not its level's (see scenarioDeparture): the message says how. */
export class ScenarioDeparture extends Error {}

/** What an event weighs against EVENT_LOG_LIMIT, in events. */
const entriesOf = (e: SimEvent) => 1 + (listedIn(e)?.length ?? 0) / LISTED_PER_EVENT;

export class Session {
  readonly world: World;
  readonly events: SimEvent[] = [];
  /** Every command accepted into the queue, in the order applied: the save's command log. */
  readonly log: LoggedCommand[] = [];
  /** Every line refused as it was submitted, in order: a save keeps them with its command log. */
  readonly refused: RefusedLine[] = [];
  /** The world every SAMPLE_EVERY ticks, for charts and reports. */
  readonly samples: Sample[] = [];
  private readonly queue = new Map<number, Queued[]>();
  private handlerRequests: HandlerRequest[] | null = null;
  private graded: { tick: number; grade: HandlerGrade } | null = null;
  /** The next ticket of a command refused at once. */
  private nextRefusal: Ticket = -1;
  /** The outcome event of each settled ticket. */
  private readonly outcomes = new Map<Ticket, SimEvent>();
  private readonly tracker: IncidentTracker;
  private lostGB = 0;
  private unavoidableGB = 0;
  private hintsShown = 0;
  private dropped = 0;
  /** What the event log holds, in events (see EVENT_LOG_LIMIT). */
  private entries = 0;
  readonly budgetUsd: number;
  private readonly listeners = new Set<(events: SimEvent[]) => void>();
  private readonly consequenceListeners = new Set<(events: SimEvent[]) => void>();
  /** Who is responding, for the report and the leaderboard; set by the front end, '' when unnamed. */
  player = '';
  /** A script's `on` reactions, attached to this play: a save keeps them, as it keeps its commands. */
  readonly reactions: Reaction[] = [];
  /**
   * How many times this play's reactions have fired, against the run's budget
   * (SCRIPT_BOUNDS.reactionsPerRun): a save keeps the count, so that a load goes on from it.
   */
  reactionsFired = 0;

  /**
   * A new play of `level`; or, given a snapshot (see fromSnapshot), the play it was taken from.
   * `mode`: training (hints on request, each costing HINT_COST points) or exam (no hints).
   */
  constructor(
    readonly level: Level,
    readonly seed: string,
    resume?: SessionSnapshot,
    readonly mode: Mode = DEFAULT_MODE,
  ) {
    let created: ReturnType<typeof createWorld>;
    try {
      created = createWorld({ ...level.world, seed });
    } catch (err) {
      if (err instanceof CommandError) throw new InputError(`${levelLabel(level)}: ${err.message}`);
      throw err;
    }
    // The budget comes from the starting fleet, also when resuming.
    this.budgetUsd = level.budgetUsd ?? BUDGET_HEADROOM * fleetCostUsd(created.world, level.duration);
    if (resume) {
      // The plan is drawn from the world as the level builds it, as a play drew it at its start.
      const departure = scenarioDeparture(
        planScenario(created.world, levelLabel(level), level.injects, level.processes),
        resume.log,
        resume.queued,
      );
      if (departure) throw new ScenarioDeparture(`the snapshot's scenario ${departure}`);
      const state = structuredClone(resume);
      this.world = state.world;
      this.events = state.events;
      for (const e of this.events) this.entries += entriesOf(e);
      this.log = state.log;
      this.refused = state.refused ?? refusalsIn(this.events);
      this.samples = state.samples;
      this.tracker = restoredTracker(state.tracker);
      this.lostGB = state.dataLostGB;
      this.hintsShown = state.hintsUsed;
      this.unavoidableGB = state.unavoidableDataLostGB;
      this.dropped = state.eventsDropped ?? 0;
      // Tickets settled at once go on from where the play stopped, so an outcome never answers to
      // two tickets and a replay gives the same: one for each refused line and each hint answered
      // at once. A snapshot from before hints were counted so has them in its events, unless the
      // log has dropped them since (see EVENT_LOG_LIMIT).
      const answered = this.log.filter((c) => c.refusedBefore !== undefined).length;
      this.nextRefusal = -1 - this.refused.length - answered;
      for (const e of this.events)
        if (typeof e.data?.ticket === 'number') this.nextRefusal = Math.min(this.nextRefusal, e.data.ticket - 1);
      for (const q of state.queued) this.schedule(q.tick, parseCommand(q.text), q.source);
      return;
    }
    this.world = created.world;
    this.record(created.events);
    this.tracker = newTracker();
    for (const planned of planScenario(this.world, levelLabel(level), level.injects, level.processes))
      this.schedule(planned.tick, planned.command, 'scenario');
  }

  static fromSnapshot(level: Level, snapshot: SessionSnapshot, mode: Mode = DEFAULT_MODE): Session {
    return new Session(level, snapshot.world.seed, snapshot, mode);
  }

  /** Commands queued for later ticks, in the order they will be applied. */
  queuedCommands(): LoggedCommand[] {
    return [...this.queue.entries()]
      .sort(([a], [b]) => a - b)
      .flatMap(([tick, list]) => list.map(({ command, source }) => ({ tick, source, text: command.text })));
  }

  toSnapshot(): SessionSnapshot {
    const queued = this.queuedCommands();
    writeLanes(this.world);
    return structuredClone({
      world: this.world,
      events: this.events,
      log: this.log,
      refused: this.refused,
      samples: this.samples,
      queued,
      tracker: savedTracker(this.tracker),
      dataLostGB: this.lostGB,
      hintsUsed: this.hintsShown,
      unavoidableDataLostGB: this.unavoidableGB,
      ...(this.dropped ? { eventsDropped: this.dropped } : {}),
    });
  }

  get tick(): number {
    return this.world.tick;
  }

  get finished(): boolean {
    return this.world.tick >= this.level.duration;
  }

  /** Queues a command for a future tick (scripts, injects); returns its ticket. */
  schedule(tick: number, command: Command, source: Source): Ticket {
    const at = Math.max(tick, this.world.tick);
    let list = this.queue.get(at);
    if (!list) this.queue.set(at, (list = []));
    if (list.length >= TICKETS_PER_TICK)
      return this.refuseNow(
        command.verb,
        `${command.text}: more than ${TICKETS_PER_TICK} commands in one second`,
        command.text,
        source,
      );
    const queued = { command, source, ticket: at * TICKETS_PER_TICK + list.length };
    list.push(queued);
    return queued.ticket;
  }

  /**
   * Queues a line of the command language for the current tick (the next step applies it), and
   * returns its ticket. A line that does not parse, or a scenario command from a player, is refused at once: its
   * `command-refused` event is emitted before this returns (see outcome()).
   */
  enqueue(line: string, source: Source): Ticket {
    return this.enqueueAt(this.world.tick, line, source);
  }

  /** As enqueue, for a later tick (a script's reaction). */
  enqueueAt(tick: number, line: string, source: Source): Ticket {
    let command: Command;
    try {
      command = parseCommand(line, source === 'player' ? 'prompt' : 'elsewhere');
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      return this.refuseNow('parse', err.message, line.trim(), source);
    }
    const scope = VERB_TABLE.get(command.verb)!.scope;
    if (scope === 'fault' && (source === 'player' || source === 'handler')) {
      return this.refuseNow(
        command.verb,
        `${command.verb} is a scenario command; players cannot issue it`,
        command.text,
        source,
      );
    }
    // A hint asked for now is shown now, paused or not; its place in the log is this tick, after the
    // lines refused before it, where a replay shows it again. Settled at once, it takes a ticket as
    // a refusal does.
    if (command.verb === 'hint' && tick === this.world.tick) {
      const events = new EventLog(this.world.tick);
      const ticket = this.nextRefusal--;
      this.log.push({ tick, source, text: command.text, refusedBefore: responders(this.refused).length });
      this.applyGameCommand(command, source, events, { ticket, source });
      this.emit(events.events);
      return ticket;
    }
    return this.schedule(tick, command, source);
  }

  private refuseNow(subject: string, reason: string, line: string, source: Source): Ticket {
    return this.tellRefusal({ tick: this.world.tick, source, subject, text: keptText(line), reason: keptText(reason) });
  }

  /**
   * Tells again a line refused as it was submitted, in a replay of a save that kept it (see
   * RefusedLine): at its own tick, as the play being replayed told it then. Throws a RangeError at
   * any other tick.
   */
  retellRefusal(refused: RefusedLine): Ticket {
    if (refused.tick !== this.world.tick)
      throw new RangeError(`a refusal of ${refused.tick} s retold at ${this.world.tick} s`);
    return this.tellRefusal({ ...refused });
  }

  private tellRefusal(refused: RefusedLine): Ticket {
    const ticket = this.nextRefusal--;
    const { tick, source, subject, text, reason } = refused;
    this.refused.push(refused);
    this.emit([
      {
        tick,
        kind: 'command-refused',
        level: 'error',
        subject,
        message: reason,
        data: { command: text, reason, ticket, source },
      },
    ]);
    return ticket;
  }

  /** The `command-applied` or `command-refused` event of a ticket, once its command has been dealt with. */
  outcome(ticket: Ticket): SimEvent | undefined {
    return this.outcomes.get(ticket);
  }

  /**
   * Calls `listener` with each batch of events. Listeners of the `consequences` phase (the IMDS,
   * whose endpoints open and close because of what happened) are called after every listener of
   * the events themselves, whichever subscribed first: a view showing both shows each cause before
   * what it caused.
   */
  onEvents(listener: (events: SimEvent[]) => void, phase: 'events' | 'consequences' = 'events'): () => void {
    const set = phase === 'events' ? this.listeners : this.consequenceListeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Appends without spreading into arguments: a large fleet's tick can hold more events than a call may take. */
  private record(events: readonly SimEvent[]): void {
    for (const e of events) {
      this.events.push(e);
      this.entries += entriesOf(e);
    }
    if (this.entries > EVENT_LOG_LIMIT * 1.1) {
      // The newest event stays, however many instances it tells.
      let drop = 0;
      while (this.entries > EVENT_LOG_LIMIT && drop < this.events.length - 1)
        this.entries -= entriesOf(this.events[drop++]!);
      this.events.splice(0, drop);
      this.dropped += drop;
    }
  }

  /** Events dropped from the front of the log to keep it within EVENT_LOG_LIMIT. */
  get eventsDropped(): number {
    return this.dropped;
  }

  private emit(events: SimEvent[]): void {
    this.record(events);
    for (const e of events) {
      const ticket = e.data?.ticket;
      if (typeof ticket === 'number' && (e.kind === 'command-applied' || e.kind === 'command-refused'))
        this.outcomes.set(ticket, e);
    }
    for (const listener of this.listeners) listener(events);
    for (const listener of this.consequenceListeners) listener(events);
  }

  /** Advances one tick, applying the commands queued for it. */
  advance(): SimEvent[] {
    const due = this.queue.get(this.world.tick) ?? [];
    this.queue.delete(this.world.tick);
    const worldCommands: Command[] = [];
    const origins: CommandOrigin[] = [];
    // Acknowledgements are told before the world's events of the same second: a responder acks,
    // then acts, and the log and the report read in that order.
    const ackEvents = new EventLog(this.world.tick);
    const gameEvents = new EventLog(this.world.tick);
    for (const { command, source, ticket } of due) {
      this.log.push({ tick: this.world.tick, source, text: command.text });
      if (VERB_TABLE.get(command.verb)!.scope === 'game')
        this.applyGameCommand(command, source, ackEvents, { ticket, source });
      else {
        worldCommands.push(command);
        origins.push({ ticket, source });
      }
    }
    const responded = due
      .filter(({ command, source }) => source !== 'scenario' && VERB_TABLE.get(command.verb)!.scope === 'world')
      .map(({ command }) => command.text);
    const servingBefore = responded.length ? servingCounts(this.world) : null;
    const worldEvents = step(this.world, worldCommands, origins);
    for (const e of worldEvents) {
      if (e.kind !== 'instance-store-lost') continue;
      const gb = Number(e.data?.gb ?? 0);
      this.lostGB += gb;
      if (unavoidable(e)) this.unavoidableGB += gb;
    }
    noticeMistakes(this.world, worldEvents, gameEvents);
    if (servingBefore) noticeUnserved(this.world, servingBefore, responded, gameEvents);
    detectFromEvents(this.tracker, this.world, worldEvents, gameEvents);
    detectFromState(this.tracker, this.world, gameEvents);
    progressIncidents(this.tracker, this.world, gameEvents);
    evaluateAlarms(this.tracker, this.world, gameEvents);
    if (this.world.tick % SAMPLE_EVERY === 0) this.samples.push(sample(this.world, this.samples.at(-1)));
    const events = [...ackEvents.events, ...worldEvents, ...gameEvents.events];
    this.emit(events);
    return events;
  }

  /** What each game verb does to the session; a returned text is the reason it was refused. */
  private readonly gameVerbs: GameVerbHandlers<[events: EventLog, source: Source]> = {
    ack: ({ incident }, events) => {
      const refusal = acknowledge(this.tracker, incident, events.tick);
      if (refusal) return refusal;
      const id = incident.toUpperCase();
      events.emit('incident-acknowledged', 'info', id, `${id} acknowledged`);
      return null;
    },
    hint: (_input, events) => this.showHint(events),
    // The responder's reasoning, kept in the event stream as a scribe would keep it.
    note: ({ text }, events, source) => {
      events.emit('note-added', 'info', source, text, { source });
      return null;
    },
  };

  /** Game commands act on the session rather than the world; each is answered by its entry in gameVerbs. */
  private applyGameCommand(command: Command, source: Source, events: EventLog, origin: CommandOrigin): void {
    const refusal = answerGameVerb(this.gameVerbs, command, events, source);
    if (refusal)
      events.emit('command-refused', 'error', command.verb, `${shownCommand(command.text)}: ${refusal}`, {
        command: command.text,
        reason: refusal,
        ...origin,
      });
    else events.emit('command-applied', 'info', command.verb, command.text, { command: command.text, ...origin });
  }

  /** The level's next hint, charged to the score; refused in an exam and once all are shown. */
  private showHint(events: EventLog): string | null {
    const hints = this.level.hints;
    if (this.mode === 'exam') return 'hints are off in exam mode';
    if (this.hintsShown >= hints.length)
      return hints.length ? `no more hints: all ${hints.length} shown (? lists them)` : 'this level has no hints';
    const n = ++this.hintsShown;
    events.emit(
      'hint-shown',
      'info',
      `hint ${n}`,
      `Hint ${n}/${hints.length} (-${HINT_COST} points): ${hints[n - 1]}`,
      { hint: n, of: hints.length, cost: HINT_COST },
    );
    return null;
  }

  /** Hints shown so far; always 0 in an exam. */
  get hintsUsed(): number {
    return this.hintsShown;
  }

  get incidents(): readonly Incident[] {
    return this.tracker.incidents;
  }

  /** Instance-store data lost so far, in GB. */
  get dataLostGB(): number {
    return this.lostGB;
  }

  /** Of dataLostGB, what was gone before any response was possible: impact, not charged. */
  get unavoidableDataLostGB(): number {
    return this.unavoidableGB;
  }

  get costUsd(): number {
    return ledgerTotalMicros(this.world.ledger) / 1e6;
  }

  /** The score as things stand, as if the level ended now; at the end of play, the final one. */
  score(): Score {
    return this.scoreWith(0, 0);
  }

  /**
   * The score projected to the level's end: the seconds still to play counted within SLO and the
   * fleet as it runs now billed for them. At the end of play, the final score.
   */
  projectedScore(): Score {
    const remaining = Math.max(0, this.level.duration - this.world.tick);
    return this.scoreWith(remaining, remaining && fleetCostUsd(this.world, remaining));
  }

  private scoreWith(remainingSeconds: number, extraCostUsd: number): Score {
    const outcome = {
      world: this.world,
      incidents: this.tracker.incidents,
      dataLostGB: this.lostGB,
      unavoidableDataLostGB: this.unavoidableGB,
      costUsd: this.costUsd + extraCostUsd,
      remainingSeconds,
      ended: this.finished,
    };
    const score = scoreOutcome(
      outcome,
      this.level.objectives,
      this.level.scoring,
      this.budgetUsd,
      this.level.dataLossToleranceGB,
      this.hintsShown,
    );
    // A graded handler's points are part of the score.
    const handler = this.handlerGrade();
    if (!handler) return score;
    const met = handler.checks.filter((c) => c.value !== null);
    return withHandler(
      score,
      handler.value,
      `${met.filter((c) => c.value === 1).length} of ${met.length} handler checks met (${handler.requests.imds} IMDS requests, ${handler.requests.control} control requests)`,
    );
  }

  /**
   * From now on, the requests of an outside handler (a real-time exercise's) are recorded with
   * recordHandlerRequest, and the handler is graded as part of the score.
   */
  gradeHandler(): void {
    this.handlerRequests ??= [];
  }

  /** One request the outside handler made; past MAX_HANDLER_REQUESTS, further ones are not kept. */
  recordHandlerRequest(request: HandlerRequest): void {
    if (this.handlerRequests && this.handlerRequests.length < MAX_HANDLER_REQUESTS) {
      this.handlerRequests.push(request);
      this.graded = null;
    }
  }

  /** The handler's grade, when it is graded; worked out again only after new requests or ticks. */
  handlerGrade(): HandlerGrade | null {
    if (!this.handlerRequests) return null;
    if (this.graded?.tick !== this.world.tick) this.graded = null;
    this.graded ??= {
      tick: this.world.tick,
      grade: gradeHandler({ requests: this.handlerRequests, events: this.events, log: this.log, world: this.world }),
    };
    return this.graded.grade;
  }

  run(ticks: number): void {
    for (let i = 0; i < ticks; i++) this.advance();
  }

  hash(): string {
    return worldFingerprint(this.world);
  }
}
