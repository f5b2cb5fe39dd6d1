// The dashboard: a view of one session. It reads the world, the events and the IMDS log, and acts
// only by submitting command text to the session or by driving the clock. Input changes state and
// marks the view stale; frame(), called once per pacer frame, draws if anything changed.
import blessed from 'blessed';
import { sloTargets } from '../game/objectives.js';
import type { Session, Ticket } from '../game/session.js';
import { CommandError, formatClock, parseTraceWords, refusalOf, TRACE_USAGE, type SimEvent } from '../sim/index.js';
import { complete, playerVerbs, worldCandidates, type Candidates } from './completion.js';
import { describe, followUp } from './details.js';
import { fit, percent, wrap } from './format.js';
import { hanging, helpLines, hintLines, levelLines, type HintState } from './help.js';
import { KEYMAP, keyLabel, keymapFor, keyName, lookup, type Action } from './keymap.js';
import { HINT_COST, teaches } from '../game/mode.js';
import { hintChargeText } from '../game/score.js';
import { layout, PANEL_ORDER, sizeWarning, tooSmall, type Rect } from './layout.js';
import { LineEditor } from './line-editor.js';
import { ChartsPanel } from './panels/charts.js';
import { EventsPanelLog, eventsSource } from './panels/events.js';
import { FleetMap } from './panels/fleet-map.js';
import { imdsSource, IMDS_SCROLLBACK, type ImdsFeed, type ImdsRequest } from './panels/imds.js';
import { incidentsSource } from './panels/incidents.js';
import { instancesSource } from './panels/instances.js';
import { ListPanel } from './panels/list-panel.js';
import type { Move, Panel, PanelId, Target } from './panels/panel.js';
import { volumesSource } from './panels/volumes.js';
import { Scrollback } from './scrollback.js';
import { statusLine, type Clock } from './status.js';
import { escapeControls } from '../input/control.js';
import { promptCommand, type PromptLine } from './prompt-commands.js';
import { isResourceName, resourceSource, resourceTitle, type ResourceName } from './resources.js';
import type { Role, Theme } from './theme.js';

/** Where the player goes when they leave a level: out, to the level select, on, or back to its start. */
export type Exit = 'quit' | 'levels' | 'next' | 'retry';

/** What the play around the dashboard does with files; each resolves with a line for the player. */
export interface PlayActions {
  save(slot: string | null): Promise<string>;
  exportReport(path: string | null): Promise<string>;
  /** Where leaving mid-level keeps the play, said in the quit question; null when it is not kept. */
  keptIn: string | null;
}

export interface DashboardOptions {
  session: Session;
  clock: Clock;
  screen: blessed.Widgets.Screen;
  theme: Theme;
  /** The metadata service's requests, when one runs alongside the game. */
  imds?: ImdsFeed;
  /** Saves and reports; without them, :save, :export and E say they are not available. */
  actions?: PlayActions;
  /** The campaign's next level's title, offered when this one ends won. */
  next?: string;
  /** Open on the level's briefing; closing it starts the clock, which the caller has paused. */
  briefing?: boolean;
  /** Show the key hints on the message line when it has nothing else to say. */
  keyHints?: boolean;
  /** Stop the clock while the `:` prompt is open. */
  promptPauses?: boolean;
  /** Called when the player leaves the level (having confirmed, if it was still running). */
  onExit: (exit: Exit) => void;
}

/** A view over the panels; `over` is the one it was opened from, which closing it returns to. */
type Overlay = { scroll: number; over?: Overlay | null } & (
  | { kind: 'help' | 'level-over' | 'briefing' | 'hints' }
  | { kind: 'confirm'; exit: Exit }
  | { kind: 'detail'; target: Target }
  | { kind: 'resources'; list: ListPanel<unknown> }
);

interface Prompt {
  kind: 'command' | 'filter';
  editor: LineEditor;
  /** The filter as it was before `/`, restored by Esc. */
  before: string;
  candidates: string[];
}

interface Notice {
  role: Role;
  text: string;
}

const MOVES: Partial<Record<Action, Move>> = {
  up: 'up',
  down: 'down',
  left: 'left',
  right: 'right',
  'page-up': 'page-up',
  'page-down': 'page-down',
  top: 'top',
  bottom: 'bottom',
};

const actionFor = lookup(KEYMAP);

/**
 * Sets a style in place: blessed's label box keeps the style object it was made with, so a new
 * object would never reach the label.
 */
function restyle(style: Record<string, unknown>, to: object): void {
  for (const key of Object.keys(style)) delete style[key];
  Object.assign(style, to);
}

/** The keys of the level-over view that also answer while the player looks around the finished level. */
const OUTCOME_KEYS: Readonly<Record<string, true>> = Object.freeze({ o: true, n: true, r: true });

/** A line of the score's breakdown up to its detail: name, points and share, in columns. */
const scoreColumns = (name: string, points: number, share: string) =>
  `${name.padEnd(13)} ${String(points).padStart(4)} points ${share.padEnd(6)}  `;

/** The key hints of the message line, for a mode's keys. */
const keyHintsFor = (bindings: typeof KEYMAP) =>
  bindings.filter((b) => b.hint).map((b) => `${keyLabel(b.keys[0]!)} ${b.hint}`);

export class Dashboard {
  private readonly session: Session;
  private readonly clock: Clock;
  private readonly screen: blessed.Widgets.Screen;
  private readonly theme: Theme;
  private readonly panels: Map<PanelId, Panel>;
  private readonly boxes = new Map<PanelId, blessed.Widgets.BoxElement>();
  /** What each box shows now, so unchanged content and labels are not set again. */
  private readonly drawn = new Map<blessed.Widgets.BoxElement, string>();
  private readonly labels = new Map<blessed.Widgets.BoxElement, string>();
  private readonly onExit: (exit: Exit) => void;
  private readonly actions: PlayActions | null;
  private readonly next: string | null;
  private readonly keyHints: boolean;
  private readonly promptPauses: boolean;
  /** The prompt stopped the clock, and closing it starts it again. */
  private pausedForPrompt = false;
  private readonly keyHintLine: string;
  private readonly statusBar: blessed.Widgets.BoxElement;
  private readonly messageLine: blessed.Widgets.BoxElement;
  private readonly popup: blessed.Widgets.BoxElement;
  private readonly overlayBox: blessed.Widgets.BoxElement;
  private readonly sizeBox: blessed.Widgets.BoxElement;
  private readonly log = new EventsPanelLog();
  private readonly imdsLog: Scrollback<ImdsRequest> | null;
  private readonly imds: ImdsFeed | null;
  private readonly candidates: Candidates;
  private readonly history: string[] = [];
  /** Normalised text of the player's commands still waiting for their outcome. */
  /** Tickets of the player's commands still waiting for their outcome. */
  private readonly pending = new Set<Ticket>();
  private readonly unsubscribe: (() => void)[] = [];
  private focused: PanelId = 'instances';
  private zoomed: PanelId | null = null;
  /** The panel each shared layout cell shows, by the cell's panels. */
  private readonly shownInCell = new Map<string, PanelId>();
  private overlay: Overlay | null = null;
  private prompt: Prompt | null = null;
  /**
   * A hint costs points, so H asks first and the next H takes it; any other key lets it go. Text
   * pasted into the dashboard by mistake (a line after the prompt's Enter is read as keys) then
   * never spends points on its own.
   */
  private hintAsked = false;
  /** Whether the key being handled follows an H that asked (see hintAsked). */
  private hintConfirmed = false;
  private notice: Notice | null = null;
  private revision = 0;
  private drawnStamp = '';
  private levelOverShown = false;

  constructor(options: DashboardOptions) {
    const { session, theme, screen } = options;
    this.session = session;
    this.clock = options.clock;
    this.screen = screen;
    this.theme = theme;
    this.onExit = options.onExit;
    this.actions = options.actions ?? null;
    this.next = options.next ?? null;
    this.keyHints = options.keyHints ?? true;
    this.promptPauses = options.promptPauses ?? false;
    this.keyHintLine = keyHintsFor(keymapFor(session.mode)).join('  ');
    const world = () => session.world;
    this.imds = options.imds ?? null;
    this.imdsLog = options.imds ? new Scrollback<ImdsRequest>(IMDS_SCROLLBACK) : null;
    this.candidates = worldCandidates(session.world, () =>
      session.incidents.filter((i) => i.state !== 'resolved').map((i) => i.id),
    );
    const charts = {
      world: session.world,
      sloTargets: sloTargets(session.level.objectives),
      levelSeconds: session.level.duration,
    };
    this.panels = new Map<PanelId, Panel>([
      ['map', new FleetMap(world, () => session.events.length, theme)],
      ['instances', new ListPanel('instances', 'instances', instancesSource(world), theme)],
      ['volumes', new ListPanel('volumes', 'volumes', volumesSource(world), theme)],
      [
        'charts',
        new ChartsPanel(
          () => session.samples,
          () => charts,
          () => Math.max(1, Math.round(this.clock.speed / 30)),
          theme,
        ),
      ],
      [
        'incidents',
        new ListPanel(
          'incidents',
          'incidents',
          incidentsSource(
            () => session.incidents,
            () => session.tick,
          ),
          theme,
        ),
      ],
      ['events', new ListPanel('events', 'events', eventsSource(this.log, world), theme)],
      ['imds', new ListPanel('imds', 'IMDS requests', imdsSource(this.imdsLog, world), theme)],
    ]);

    for (const id of PANEL_ORDER) this.boxes.set(id, this.panelBox(id));
    this.statusBar = blessed.box({
      parent: screen,
      bottom: 1,
      left: 0,
      height: 1,
      width: '100%',
      tags: false,
      style: { inverse: true },
    });
    this.messageLine = blessed.box({
      parent: screen,
      bottom: 0,
      left: 0,
      height: 1,
      width: '100%',
      tags: true,
      wrap: false,
    });
    this.popup = blessed.box({
      parent: screen,
      bottom: 1,
      left: 0,
      height: 3,
      width: 20,
      border: 'line',
      tags: true,
      hidden: true,
      wrap: false,
    });
    this.overlayBox = blessed.box({
      parent: screen,
      top: 0,
      left: 0,
      width: 10,
      height: 5,
      border: 'line',
      tags: true,
      hidden: true,
      wrap: false,
    });
    this.sizeBox = blessed.box({
      parent: screen,
      top: 0,
      left: 0,
      width: '100%',
      height: '100%',
      tags: false,
      hidden: true,
      wrap: true,
    });

    this.log.addEvents(session.events);
    this.unsubscribe.push(session.onEvents((events) => this.onEvents(events)));
    if (options.imds && this.imdsLog) {
      const log = this.imdsLog;
      this.unsubscribe.push(options.imds.onRequest((r) => log.push(r)));
    }
    const onKey = (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) => this.onKey(ch, key);
    const onResize = () => this.touch();
    screen.on('keypress', onKey);
    screen.on('resize', onResize);
    this.unsubscribe.push(
      () => screen.off('keypress', onKey),
      () => screen.off('resize', onResize),
    );
    this.log.note(session.tick, 'info', `${session.level.title}: ${session.level.briefing}`);
    if (options.briefing) this.overlay = { kind: 'briefing', scroll: 0 };
  }

  private panelBox(id: PanelId): blessed.Widgets.BoxElement {
    const box = blessed.box({
      parent: this.screen,
      border: 'line',
      tags: true,
      wrap: false,
      clickable: true,
      hidden: true,
      style: this.theme.frame(false),
    });
    box.on('click', (data: blessed.Widgets.Events.IMouseEventArg) => {
      this.focus(id);
      this.panels.get(id)!.pick(data.y - (box.atop as number) - 1, data.x - (box.aleft as number) - 1);
      this.touch();
    });
    box.on('wheeldown', () => this.movePanel(id, 'down'));
    box.on('wheelup', () => this.movePanel(id, 'up'));
    return box;
  }

  /** Adds a line of the program's own to the event log, e.g. an IMDS endpoint opening. */
  note(level: 'info' | 'warn' | 'error', text: string): void {
    this.log.note(this.session.tick, level, text);
  }

  /** Says something where the player is looking, and keeps it in the event log. */
  announce(role: 'ok' | 'warn' | 'error', text: string): void {
    this.note(role === 'ok' ? 'info' : role, text);
    this.say(role, text);
  }

  /** Stops listening to the session, the IMDS feed and the keys, and takes its boxes off the screen. */
  detach(): void {
    for (const stop of this.unsubscribe) stop();
    for (const box of [
      ...this.boxes.values(),
      this.statusBar,
      this.messageLine,
      this.popup,
      this.overlayBox,
      this.sizeBox,
    ])
      box.destroy();
  }

  private touch(): void {
    this.revision += 1;
  }

  /** Tells the player something on the message line; what they typed in it shows with its control characters escaped. */
  private say(role: Role, text: string): void {
    this.notice = { role, text: escapeControls(text) };
    this.touch();
  }

  // ---- the session's events -------------------------------------------------------------

  private onEvents(events: readonly SimEvent[]): void {
    this.log.addEvents(events);
    for (const e of events) {
      if (e.kind !== 'command-applied' && e.kind !== 'command-refused') continue;
      const ticket = e.data?.ticket;
      if (typeof ticket !== 'number' || !this.pending.delete(ticket)) continue;
      if (e.kind === 'command-applied') this.say('ok', `✓ applied: ${e.message}`);
      // The command was just typed: the answer is the refusal's code and reason, as a refusal at
      // the prompt (a line that does not parse) is its reason.
      else this.say('error', `✗ ${refusalOf(e)}`);
    }
  }

  // ---- keys -----------------------------------------------------------------------------

  private onKey(ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg): void {
    const name = keyName(ch, key);
    if (name === null) return;
    this.hintConfirmed = this.hintAsked;
    this.hintAsked = false;
    if (name === 'C-c') return this.onExit('quit');
    if (tooSmall(this.screen.width as number, this.screen.height as number)) return;
    this.touch();
    if (this.prompt) return this.promptKey(this.prompt, name);
    if (this.overlay) return this.overlayKey(this.overlay, name);
    if (this.session.finished && Object.hasOwn(OUTCOME_KEYS, name)) return this.outcomeKey(name);
    const action = actionFor(name);
    if (action) this.act(action);
  }

  /**
   * A key of the level-over view while the player looks around the finished level: `o` opens the
   * view again, and its own keys (the next level, a retry) answer as they do in it.
   */
  private outcomeKey(name: string): void {
    const view: Overlay = { kind: 'level-over', scroll: 0 };
    if (name === 'o') this.overlay = view;
    else this.overlayKey(view, name);
  }

  private act(action: Action): void {
    const move = MOVES[action];
    if (move) return this.movePanel(this.focused, move);
    switch (action) {
      case 'help':
        this.overlay = { kind: 'help', scroll: 0, over: this.overlay };
        break;
      case 'hint':
        if (this.hintConfirmed || !this.hintCharged()) this.askHint();
        else {
          this.hintAsked = true;
          const { hints } = this.session.level;
          this.say(
            'warn',
            `H again shows hint ${this.session.hintsUsed + 1} of ${hints.length} for ${HINT_COST} points; any other key keeps them`,
          );
        }
        break;
      case 'command':
        this.openPrompt('command');
        break;
      case 'filter':
        this.openPrompt('filter');
        break;
      case 'open': {
        const target = this.panels.get(this.focused)!.target();
        if (target) this.overlay = { kind: 'detail', target, scroll: 0 };
        break;
      }
      case 'next-panel':
      case 'previous-panel': {
        const step = action === 'next-panel' ? 1 : PANEL_ORDER.length - 1;
        this.focus(PANEL_ORDER[(PANEL_ORDER.indexOf(this.focused) + step) % PANEL_ORDER.length]!);
        break;
      }
      case 'zoom':
        this.zoomed = this.zoomed ? null : this.focused;
        break;
      case 'pause':
        this.clock.togglePause();
        break;
      case 'faster':
      case 'slower':
        if (action === 'faster') this.clock.faster();
        else this.clock.slower();
        this.say('plain', `speed ${this.clock.speed}x`);
        break;
      case 'back':
        this.back();
        break;
      case 'export':
        this.exportReport(null);
        break;
      case 'quit':
      case 'levels':
        this.leave(action);
        break;
      case 'force-quit':
        this.onExit('quit');
        break;
    }
  }

  private get hintState(): HintState {
    return { mode: this.session.mode, used: this.session.hintsUsed };
  }

  /** Whether the next hint would be charged: training mode, with hints not yet shown. */
  private hintCharged(): boolean {
    return teaches(this.session.mode) && this.session.hintsUsed < this.session.level.hints.length;
  }

  /**
   * H and :hint: the next hint, charged, shown with the ones before it; once all are shown they are
   * shown again for free. An exam says it has none.
   */
  private askHint(): void {
    if (!teaches(this.session.mode)) return this.say('warn', 'exam mode: no hints');
    const { hints } = this.session.level;
    if (this.hintCharged()) {
      this.log.note(this.session.tick, 'info', '› hint');
      this.session.enqueue('hint', 'player');
      this.say('warn', `hint ${this.session.hintsUsed} of ${hints.length} shown: -${HINT_COST} points`);
    } else {
      this.say(
        'plain',
        hints.length
          ? `all ${hints.length} hints shown already; no charge to read them again`
          : 'this level has no hints',
      );
    }
    const from = this.overlay;
    this.overlay = { kind: 'hints', scroll: Infinity, over: from?.kind === 'hints' ? from.over : from };
  }

  /** Leaves the level, asking first while it is still running. */
  private leave(exit: Exit): void {
    if (this.session.finished) this.onExit(exit);
    else this.overlay = { kind: 'confirm', exit, scroll: 0 };
  }

  private exportReport(path: string | null): void {
    if (!this.actions) return this.say('warn', 'reports cannot be written from here');
    this.follow(this.actions.exportReport(path));
  }

  /** Shows how a save or an export went, when it has. */
  private follow(work: Promise<string>): void {
    work.then(
      (line) => this.announce('ok', line),
      (err: unknown) => this.announce('error', `✗ ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** Esc: undo the most recent thing that narrows the view. */
  private back(): void {
    const panel = this.panels.get(this.focused)!;
    if (panel.filter) panel.filter = '';
    else if (this.zoomed) this.zoomed = null;
    else this.notice = null;
  }

  private focus(id: PanelId): void {
    this.focused = id;
    if (this.zoomed) this.zoomed = id;
    this.touch();
  }

  private movePanel(id: PanelId, move: Move): void {
    this.panels.get(id)!.move(move);
    this.touch();
  }

  private overlayKey(overlay: Overlay, name: string): void {
    if (overlay.kind === 'confirm') {
      if (name === 'y' || name === 'Y' || name === 'enter' || actionFor(name) === overlay.exit)
        this.onExit(overlay.exit);
      else if (name === 'n' || name === 'N' || name === 'escape') this.overlay = null;
      return;
    }
    const action = actionFor(name);
    if (overlay.kind === 'resources') return this.resourcesKey(overlay, action);
    if (overlay.kind === 'briefing' && (name === 'enter' || action === 'pause')) {
      this.overlay = null;
      if (this.clock.paused) this.clock.togglePause();
      return;
    }
    if (overlay.kind === 'briefing' && (action === 'quit' || action === 'levels')) return this.leave(action);
    if (overlay.kind === 'level-over') {
      if ((name === 'n' || name === 'enter') && this.nextOpen()) return this.onExit('next');
      // The next level opens with a win: say so rather than leave the key unanswered.
      if (name === 'n' && this.next !== null)
        return this.say('plain', `${this.next} opens once this level is won: r retries it`);
      if (name === 'r') return this.onExit('retry');
      if (action === 'quit' || action === 'levels') return this.onExit(action);
      if (action === 'export') return this.exportReport(null);
      // Closed to look around: the message line gives the keys that bring it back, not the last news.
      if (action === 'back') {
        this.overlay = null;
        this.notice = null;
        return;
      }
    }
    if (action === 'hint' && overlay.kind !== 'level-over') return this.act(action);
    if (
      action === 'command' ||
      action === 'pause' ||
      action === 'faster' ||
      action === 'slower' ||
      action === 'export' ||
      (action === 'help' && overlay.kind !== 'help')
    )
      return this.act(action);
    // Scrolling past either end is clamped when the overlay is drawn.
    const scroll: Partial<Record<Action, number>> = {
      up: -1,
      down: 1,
      'page-up': -10,
      'page-down': 10,
      top: -Infinity,
      bottom: Infinity,
    };
    const next = action === 'open' && overlay.kind === 'detail' ? followUp(this.session.world, overlay.target) : null;
    if (action && scroll[action] !== undefined) overlay.scroll = Math.max(0, overlay.scroll + scroll[action]!);
    else if (next) this.overlay = { kind: 'detail', target: next, scroll: 0, over: overlay };
    else if (
      action === 'back' ||
      action === 'quit' ||
      action === 'open' ||
      (action === 'help' && overlay.kind === 'help')
    )
      this.overlay = overlay.over ?? null;
  }

  /** A resource view: the keys of a list panel, Enter opening a row's detail over it. */
  private resourcesKey(overlay: Extract<Overlay, { kind: 'resources' }>, action: Action | undefined): void {
    const move = action && MOVES[action];
    if (move) return overlay.list.move(move);
    switch (action) {
      case 'filter':
      case 'command':
      case 'help':
      case 'hint':
      case 'pause':
      case 'faster':
      case 'slower':
      case 'export':
        return this.act(action);
      case 'open': {
        const target = overlay.list.target();
        if (target) this.overlay = { kind: 'detail', target, scroll: 0, over: overlay };
        return;
      }
      case 'back':
        if (overlay.list.filter) overlay.list.filter = '';
        else this.overlay = overlay.over ?? null;
        return;
      case 'quit':
        this.overlay = overlay.over ?? null;
        return;
    }
  }

  /** Opens a resource view (`:sg`…) over whatever is showing. */
  private openResources(name: ResourceName): void {
    const list = new ListPanel<unknown>(
      'resource-view',
      resourceTitle(name),
      resourceSource(name, () => this.session.world),
      this.theme,
    );
    this.overlay = { kind: 'resources', list, scroll: 0, over: this.overlay };
  }

  /** The list `/` filters: an open resource view's, else the focused panel's. */
  private filterPanel(): Panel {
    return this.overlay?.kind === 'resources' ? this.overlay.list : this.panels.get(this.focused)!;
  }

  // ---- the prompt -----------------------------------------------------------------------

  private openPrompt(kind: Prompt['kind']): void {
    const panel = this.filterPanel();
    if (kind === 'filter' && panel.filter === undefined) {
      this.say('warn', `${panel.label().split(' ')[0]} has no filter; Tab to a list first`);
      return;
    }
    const editor = new LineEditor(kind === 'command' ? this.history : []);
    editor.reset(kind === 'filter' ? panel.filter : '');
    this.prompt = { kind, editor, before: panel.filter ?? '', candidates: [] };
    if (kind === 'command' && this.promptPauses && !this.clock.paused) {
      this.clock.togglePause();
      this.pausedForPrompt = true;
    }
  }

  private closePrompt(): void {
    this.prompt = null;
    if (this.pausedForPrompt && this.clock.paused) this.clock.togglePause();
    this.pausedForPrompt = false;
  }

  private promptKey(prompt: Prompt, name: string): void {
    const outcome = prompt.editor.key(name);
    const panel = this.filterPanel();
    prompt.candidates = [];
    if (outcome === 'complete' && prompt.kind === 'command') {
      const done = complete(prompt.editor.text, prompt.editor.cursor, this.candidates, playerVerbs(this.session.mode));
      prompt.editor.replace(done.line, done.cursor);
      prompt.candidates = done.candidates;
    }
    if (prompt.kind === 'filter') panel.filter = outcome === 'cancel' ? prompt.before : prompt.editor.text.trim();
    if (outcome === 'cancel' || outcome === 'submit') this.closePrompt();
    if (outcome === 'submit' && prompt.kind === 'command') this.run(prompt.editor.text.trim(), prompt.editor);
  }

  /** Runs a line from the prompt; its outcome reaches the log (and the message line) as events. */
  private run(line: string, editor: LineEditor): void {
    if (!line) return;
    editor.remember(line);
    const own = promptCommand(line);
    if (own) return this.runOwn(own);
    if (/^hint\s*$/i.test(line)) return this.askHint();
    this.log.note(this.session.tick, 'info', `› ${line}`);
    const ticket = this.session.enqueue(line, 'player');
    const refusal = this.session.outcome(ticket);
    // Refused at once (it does not parse): the reason goes where the player is looking.
    if (refusal) return this.say('error', `✗ ${refusal.message}`);
    this.pending.add(ticket);
    this.say(
      'plain',
      this.clock.paused ? `queued: ${line} (paused: Space runs it; its outcome shows then)` : `queued: ${line}`,
    );
  }

  private runOwn({ command, word, args }: PromptLine): void {
    if (args.length > command.maxArgs)
      return this.say('error', `✗ ${word}: expected ${command.name === 'trace' ? TRACE_USAGE : command.usage}`);
    const [arg = null] = args;
    switch (command.name) {
      case 'view':
        if (isResourceName(word)) this.openResources(word);
        return;
      case 'trace':
        try {
          const query = parseTraceWords(args);
          this.overlay = { kind: 'detail', target: { kind: 'trace', query }, scroll: 0, over: this.overlay };
        } catch (err) {
          if (!(err instanceof CommandError)) throw err;
          this.say('error', `✗ ${err.message}`);
        }
        return;
      case 'help':
        this.overlay = { kind: 'help', scroll: 0, over: this.overlay };
        return;
      case 'export':
        return this.exportReport(arg);
      case 'save':
        if (!this.actions) return this.say('warn', 'plays cannot be saved from here');
        return this.follow(this.actions.save(arg));
    }
  }

  // ---- drawing --------------------------------------------------------------------------

  /** Called once per pacer frame: draws and renders only if something changed since the last. */
  frame(): void {
    if (this.session.finished && !this.levelOverShown) {
      this.levelOverShown = true;
      if (!this.prompt) this.overlay = { kind: 'level-over', scroll: 0 };
    }
    const stamp = `${this.session.tick}:${this.revision}:${this.log.count}:${this.imdsLog?.count ?? 0}:${this.clock.paused}:${this.clock.speed}`;
    if (stamp === this.drawnStamp) return;
    this.drawnStamp = stamp;
    this.draw();
    this.screen.render();
  }

  private setContent(box: blessed.Widgets.BoxElement, content: string): void {
    if (this.drawn.get(box) === content) return;
    this.drawn.set(box, content);
    box.setContent(content);
  }

  private setLabel(box: blessed.Widgets.BoxElement, label: string): void {
    if (this.labels.get(box) === label) return;
    this.labels.set(box, label);
    box.setLabel(label);
  }

  private place(box: blessed.Widgets.BoxElement, rect: Rect): void {
    if (box.left !== rect.left) box.left = rect.left;
    if (box.top !== rect.top) box.top = rect.top;
    if (box.width !== rect.width) box.width = rect.width;
    if (box.height !== rect.height) box.height = rect.height;
  }

  private draw(): void {
    const cols = this.screen.width as number;
    const rows = this.screen.height as number;
    const small = tooSmall(cols, rows);
    for (const box of [...this.boxes.values(), this.statusBar, this.messageLine, this.popup, this.overlayBox])
      box.hidden = small;
    this.sizeBox.hidden = !small;
    if (small) {
      this.setContent(this.sizeBox, sizeWarning(cols, rows));
      return;
    }
    const { rects, sharing } = layout(cols, rows, (choices) => this.shownIn(choices), this.zoomed);
    for (const id of PANEL_ORDER) this.drawPanel(id, rects.get(id), sharing.get(id) ?? []);
    this.setContent(this.statusBar, statusLine(this.session, this.clock, cols));
    this.drawMessageLine(cols);
    this.drawPopup(cols, rows);
    this.drawOverlay(cols, rows);
  }

  private shownIn(choices: readonly PanelId[]): PanelId {
    const key = choices.join(',');
    if (choices.includes(this.focused)) this.shownInCell.set(key, this.focused);
    return this.shownInCell.get(key) ?? choices[0]!;
  }

  private drawPanel(id: PanelId, rect: Rect | undefined, sharing: readonly PanelId[]): void {
    const box = this.boxes.get(id)!;
    if (!rect) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    this.place(box, rect);
    const focused = id === this.focused;
    const panel = this.panels.get(id)!;
    const lines = panel.render(rect.width - 2, rect.height - 2, focused);
    this.setContent(box, lines.join('\n'));
    const frame = this.theme.frame(focused);
    restyle(box.style.border, frame.border);
    restyle(box.style.label, frame.label);
    const others = this.zoomed ? [] : sharing;
    const text = `${focused ? '▸ ' : ''}${panel.label()}${others.length ? ` · Tab: ${others.join(', ')}` : ''}`;
    this.setLabel(box, ` ${fit(text, Math.max(1, rect.width - 6)).trimEnd()} `);
  }

  private drawMessageLine(cols: number): void {
    const p = this.prompt;
    if (p) {
      const { text, cursor } = p.editor;
      const sigil = p.kind === 'command' ? ':' : '/';
      // Keep the cursor on screen when the line is longer than the terminal.
      const start = Math.max(0, cursor - (cols - 3));
      const shown = text.slice(start, start + cols - 2);
      const at = cursor - start;
      const caret = `{inverse}${blessed.escape(shown[at] ?? ' ')}{/inverse}`;
      this.setContent(
        this.messageLine,
        `${sigil}${blessed.escape(shown.slice(0, at))}${caret}${blessed.escape(shown.slice(at + 1))}`,
      );
      return;
    }
    if (this.notice) {
      this.setContent(this.messageLine, this.theme.paint(this.notice.role, fit(this.notice.text, cols).trimEnd()));
      return;
    }
    const hints = this.session.finished ? this.outcomeHintLine() : this.keyHintLine;
    this.setContent(this.messageLine, this.keyHints ? this.theme.paint('dim', fit(hints, cols).trimEnd()) : '');
  }

  private drawPopup(cols: number, rows: number): void {
    const list = this.prompt?.candidates ?? [];
    this.popup.hidden = list.length === 0;
    if (!list.length) return;
    const cell = Math.min(40, Math.max(...list.map((c) => c.length)) + 2);
    const perRow = Math.max(1, Math.floor((cols - 2) / cell));
    const lines: string[] = [];
    for (let i = 0; i < list.length; i += perRow)
      lines.push(
        list
          .slice(i, i + perRow)
          .map((c) => fit(c, cell))
          .join(''),
      );
    const height = Math.min(lines.length, Math.max(1, Math.floor(rows / 3)));
    const shown = lines.slice(0, height);
    if (lines.length > height)
      shown[height - 1] = fit(`... and ${list.length - (height - 1) * perRow} more: type more letters`, cols - 2);
    // Just above the status bar, which stays in view.
    this.place(this.popup, {
      left: 0,
      top: rows - 2 - (height + 2),
      width: Math.min(cols, Math.max(20, Math.min(perRow, list.length) * cell + 2)),
      height: height + 2,
    });
    this.setContent(this.popup, shown.map((l) => blessed.escape(l)).join('\n'));
  }

  /** Title and lines of an overlay `width` columns inside. */
  private overlayContent(overlay: Overlay, width: number, height: number): { title: string; lines: string[] } {
    const t = this.theme;
    switch (overlay.kind) {
      case 'resources': {
        const lines = overlay.list.render(width, height, true);
        return {
          title: `${overlay.list.label()} · / filter  Enter open  Esc back`,
          lines,
        };
      }
      case 'help':
        return { title: 'help', lines: helpLines(t, this.session.level, width, this.hintState) };
      case 'hints':
        return {
          title: 'hints',
          lines: [
            ...hintLines(t, this.session.level, width, this.hintState),
            ...this.keyLines(
              [
                ['H', 'next hint'],
                ['Esc', 'close'],
              ],
              width,
            ),
          ],
        };
      case 'confirm': {
        const verb = overlay.exit === 'quit' ? 'quit' : 'leave for the level select';
        const kept = this.actions?.keptIn;
        return {
          title: `${overlay.exit === 'quit' ? 'quit' : 'leave'}?`,
          lines: [
            t.paint(
              'plain',
              `The level is still running (${formatClock(this.session.tick)} of ${formatClock(this.session.level.duration)}).`,
            ),
            t.paint('plain', kept ? `The play so far is kept in ${kept}.` : 'Leaving now ends this play.'),
            '',
            `${t.paint('key', 'y')} ${verb}    ${t.paint('key', 'n')} keep playing`,
          ],
        };
      }
      case 'level-over':
        return { title: 'level over', lines: this.levelOverLines(width) };
      case 'briefing':
        return {
          title: `briefing · ${teaches(this.session.mode) ? 'training' : 'exam, no hints'}`,
          lines: this.briefingLines(width),
        };
      case 'detail': {
        const detail = describe(overlay.target, {
          world: this.session.world,
          incidents: this.session.incidents,
          theme: t,
          width,
          imdsEndpoint: this.imds ? (id) => this.imds!.endpointOf(id) : undefined,
        });
        const what = 'id' in overlay.target ? `${overlay.target.kind} ${overlay.target.id}` : overlay.target.kind;
        return detail ?? { title: what, lines: [t.paint('dim', `${what} no longer exists`)] };
      }
    }
  }

  private levelOverLines(width: number): string[] {
    const t = this.theme;
    const score = this.session.score();
    return [
      t.paint(
        'heading',
        `${this.session.level.title}: ${score.points} of ${score.max} points, grade ${score.grade}${score.won ? ', won' : ''}`,
      ),
      // The keys first: at 80x24 the breakdown below runs past the first screen.
      ...this.levelOverKeys(width),
      '',
      ...score.components.flatMap((c) =>
        hanging(
          t,
          ['plain', scoreColumns(c.name, Math.round(c.points), `(${percent(c.value)})`)],
          ['dim', c.detail],
          width,
        ),
      ),
      ...(score.hints.used
        ? hanging(
            t,
            ['warn', scoreColumns('hints', -score.hints.points, '')],
            ['dim', hintChargeText(score.hints)],
            width,
          )
        : []),
      '',
      ...score.objectives.flatMap((o) =>
        hanging(
          t,
          [o.met ? 'ok' : 'error', o.met ? '✓ met     ' : '✗ missed  '],
          ['plain', `${o.text}: ${o.detail}`],
          width,
        ),
      ),
      '',
      ...(teaches(this.session.mode) && this.session.level.lesson
        ? [
            t.paint('heading', 'What this level teaches'),
            ...wrap(this.session.level.lesson, width - 2).map((l) => `  ${t.paint('plain', l)}`),
            '',
          ]
        : []),
    ];
  }

  private briefingLines(width: number): string[] {
    const training = teaches(this.session.mode);
    const keys: [string, string][] = [
      ['Enter', 'start the clock'],
      ['?', 'help'],
      ...(training ? [['H', `a hint (-${HINT_COST} points each)`] as [string, string]] : []),
      ['L', 'level select'],
      ['q', 'quit'],
    ];
    return [...levelLines(this.theme, this.session.level, width, this.session.mode), ...this.keyLines(keys, width)];
  }

  /** The next level is offered once this one is won: the campaign opens it no sooner. */
  private nextOpen(): boolean {
    return this.next !== null && this.session.score().won === true;
  }

  /** What the player can do from the level-over view. */
  private levelOverKeys(width: number): string[] {
    const keys: [string, string][] = [
      ...(this.nextOpen() ? [['n', `next level: ${this.next}`] as [string, string]] : []),
      ['r', 'retry'],
      ['L', 'level select'],
      ['E', 'export the report'],
      ['q', 'quit'],
      ['Esc', 'look around (o brings this back)'],
    ];
    return this.keyLines(keys, width);
  }

  /** The message line's keys once the level is over and the player looks around it. */
  private outcomeHintLine(): string {
    return [
      'level over:',
      'o outcome',
      ...(this.nextOpen() ? ['n next level'] : []),
      'r retry',
      'L levels',
      'q quit',
    ].join('  ');
  }

  /** Keys and what they do, as many to a line as fit in `width`. */
  private keyLines(keys: readonly [string, string][], width: number): string[] {
    const lines: string[] = [];
    let line = '';
    let used = 0;
    for (const [key, what] of keys) {
      const size = key.length + 1 + what.length;
      if (used && used + 3 + size > width) {
        lines.push(line);
        [line, used] = ['', 0];
      }
      line += `${used ? '   ' : ''}${this.theme.paint('key', key)} ${this.theme.paint('plain', what)}`;
      used += (used ? 3 : 0) + size;
    }
    return [...lines, line];
  }

  private drawOverlay(cols: number, rows: number): void {
    const overlay = this.overlay;
    this.overlayBox.hidden = !overlay;
    if (!overlay) return;
    // Narrow terminals give an overlay all they have: its lines are what the player is reading.
    const width = cols < 100 ? cols - 2 : Math.max(60, Math.floor(cols * 0.8));
    // Prose keeps a column from the border on each side, where it would read as cut; a table,
    // whose columns end in their own gaps, keeps the width for its columns.
    const margin = overlay.kind === 'detail' || overlay.kind === 'resources' ? '' : ' ';
    const content = this.overlayContent(overlay, width - 2 - 2 * margin.length, rows - 5);
    const { title } = content;
    const lines = content.lines.map((line) => margin + line);
    const height = Math.min(rows - 3, lines.length + 2);
    const inner = height - 2;
    overlay.scroll = Math.max(0, Math.min(overlay.scroll, lines.length - inner));
    const more =
      lines.length > inner ? ` (${overlay.scroll + 1}-${overlay.scroll + inner} of ${lines.length}, ↑↓ scroll)` : '';
    this.place(this.overlayBox, {
      left: Math.floor((cols - width) / 2),
      top: Math.max(0, Math.floor((rows - 2 - height) / 2)),
      width,
      height,
    });
    this.setLabel(this.overlayBox, ` ${title}${more} `);
    this.setContent(this.overlayBox, lines.slice(overlay.scroll, overlay.scroll + inner).join('\n'));
    this.overlayBox.setFront();
  }
}
