// A dashboard on a headless terminal, driven key by key and frame by frame.
import type { ExecutionContext } from 'ava';
import { Session } from '../../src/game/session.js';
import { Pacer } from '../../src/runtime/pacer.js';
import { Dashboard, type Exit, type PlayActions } from '../../src/tui/dashboard.js';
import { openHeadless } from '../../src/tui/headless.js';
import type { ImdsFeed } from '../../src/tui/panels/imds.js';
import { createTheme } from '../../src/tui/theme.js';
import { testLevel, type LevelPatch } from '../helpers/world.js';

export const FLEET: LevelPatch = {
  fleet: [
    { name: 'web-1', type: 'm6i.large', zone: 'use1-az1' },
    { name: 'web-2', type: 'm6i.large', zone: 'use1-az2' },
    { name: 'db-1', type: 'r6i.large', zone: 'use1-az1', volume: { type: 'gp2', size: 100 } },
  ],
};

export interface Driven {
  session: Session;
  pacer: Pacer;
  dashboard: Dashboard;
  /** Types keys, lets blessed read them, and draws a frame. */
  press(keys: string): Promise<void>;
  /** Advances the clock n ticks, drawing after each. */
  tick(n?: number): void;
  resize(cols: number, rows: number): Promise<void>;
  text(): string;
  /** Each cell's blessed attribute, for checking colours. */
  attrs(): number[];
  /** Where the player has asked to go, in order. */
  exits(): Exit[];
  /** Lets the dashboard go; also done when the test ends, passed or failed, so that no clock or server outlives it. */
  close(): void;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

export interface DriveOptions {
  cols?: number;
  rows?: number;
  patch?: LevelPatch;
  noColor?: boolean;
  /** A feed, or one made for the session, e.g. a real metadata server. */
  imds?: ImdsFeed | ((session: Session) => ImdsFeed);
  actions?: PlayActions;
  next?: string;
  /** Open on the briefing, with the clock paused as a play starts it. */
  briefing?: boolean;
  promptPauses?: boolean;
}

export function drive(t: ExecutionContext, options: DriveOptions = {}): Driven {
  const session = new Session(testLevel(options.patch ?? FLEET), 'tui');
  const term = openHeadless(options.cols ?? 120, options.rows ?? 40);
  const pacer = new Pacer(session, { paused: options.briefing ?? false });
  const exits: Exit[] = [];
  const dashboard = new Dashboard({
    session,
    clock: pacer,
    screen: term.screen,
    theme: createTheme(options.noColor ?? false),
    imds: typeof options.imds === 'function' ? options.imds(session) : options.imds,
    actions: options.actions,
    next: options.next,
    briefing: options.briefing,
    promptPauses: options.promptPauses,
    onExit: (exit) => exits.push(exit),
  });
  dashboard.frame();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    dashboard.detach();
    term.screen.destroy();
  };
  t.teardown(close);
  return {
    session,
    pacer,
    dashboard,
    async press(keys) {
      term.type(keys);
      await settle();
      dashboard.frame();
    },
    tick(n = 1) {
      for (let i = 0; i < n; i++) {
        session.advance();
        dashboard.frame();
      }
    },
    async resize(cols, rows) {
      term.resize(cols, rows);
      // blessed waits out a burst of resizes (its resizeTimeout) before it acts on one.
      await new Promise((resolve) => setTimeout(resolve, 150));
      dashboard.frame();
    },
    text: () => term.text().join('\n'),
    attrs: () =>
      (term.screen as unknown as { lines: [number, string][][] }).lines.flatMap((row) => row.map((cell) => cell[0])),
    exits: () => exits,
    close,
  };
}
