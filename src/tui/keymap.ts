// Every key the dashboard answers to, with its help text: the one table that both binds the keys
// and writes the `?` overlay, so the two cannot disagree.
import { HINT_COST, teaches, type Mode } from '../game/mode.js';

export type Action =
  | 'help'
  | 'hint'
  | 'command'
  | 'filter'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'open'
  | 'next-panel'
  | 'previous-panel'
  | 'zoom'
  | 'pause'
  | 'faster'
  | 'slower'
  | 'back'
  | 'export'
  | 'levels'
  | 'quit'
  | 'force-quit';

export interface Binding<A extends string = Action> {
  keys: readonly string[];
  action: A;
  help: string;
  /** A word or two for the hint line at the bottom, for the keys worth advertising there. */
  hint?: string;
}

export const KEYMAP: readonly Binding[] = [
  { keys: ['?'], action: 'help', help: 'this help, and the command language', hint: 'help' },
  {
    keys: ['H'],
    action: 'hint',
    help: `the next hint, ${HINT_COST} points each in training: H asks, H again takes it (:hint too)`,
    hint: 'hint',
  },
  {
    keys: [':'],
    action: 'command',
    help: 'command prompt: stop web-1, ack INC-1, modify-volume ... (listed below)',
    hint: 'command',
  },
  { keys: ['/'], action: 'filter', help: 'filter the focused list; Esc clears it', hint: 'filter' },
  { keys: ['up', 'k'], action: 'up', help: 'move up' },
  { keys: ['down', 'j'], action: 'down', help: 'move down' },
  { keys: ['left', 'h'], action: 'left', help: 'move left (fleet map)' },
  { keys: ['right', 'l'], action: 'right', help: 'move right (fleet map)' },
  { keys: ['pageup', 'C-b'], action: 'page-up', help: 'page up' },
  { keys: ['pagedown', 'C-f'], action: 'page-down', help: 'page down' },
  { keys: ['home', 'g'], action: 'top', help: 'first row' },
  { keys: ['end', 'G'], action: 'bottom', help: 'last row (a log follows new lines again)' },
  {
    keys: ['enter'],
    action: 'open',
    help: 'open the selected host, rack, zone, instance, volume or incident',
    hint: 'open',
  },
  { keys: ['tab'], action: 'next-panel', help: 'next panel', hint: 'panel' },
  { keys: ['S-tab'], action: 'previous-panel', help: 'previous panel' },
  { keys: ['z'], action: 'zoom', help: 'zoom the focused panel to the whole screen, and back', hint: 'zoom' },
  { keys: ['space'], action: 'pause', help: 'pause or resume the clock', hint: 'pause' },
  { keys: ['+', '='], action: 'faster', help: 'faster clock', hint: 'faster' },
  { keys: ['-', '_'], action: 'slower', help: 'slower clock', hint: 'slower' },
  { keys: ['escape'], action: 'back', help: 'close a view, clear a filter, unzoom' },
  {
    keys: ['E'],
    action: 'export',
    help: 'export the incident report so far (markdown; :export FILE for json or html)',
  },
  { keys: ['L'], action: 'levels', help: 'the level select: the campaign, best scores, briefings', hint: 'levels' },
  { keys: ['q'], action: 'quit', help: 'quit (asks first while the level is running)', hint: 'quit' },
  { keys: ['C-c'], action: 'force-quit', help: 'quit at once' },
];

/** The keys a mode offers: an exam has no hints to ask for. */
export function keymapFor(mode: Mode): readonly Binding[] {
  return teaches(mode) ? KEYMAP : KEYMAP.filter((b) => b.action !== 'hint');
}

const LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  tab: 'Tab',
  'S-tab': 'Shift-Tab',
  space: 'Space',
  escape: 'Esc',
  backspace: 'Backspace',
  delete: 'Delete',
};

/** A key as people write it: Ctrl-C, Shift-Tab, ↑. */
export function keyLabel(name: string): string {
  return LABELS[name] ?? name.replace(/^C-(.)$/, (_, c: string) => `Ctrl-${c.toUpperCase()}`);
}

export function lookup<A extends string>(table: readonly Binding<A>[]): (key: string) => A | undefined {
  const byKey = new Map<string, A>();
  for (const b of table) for (const k of b.keys) byKey.set(k, b.action);
  return (key) => byKey.get(key);
}

interface KeyEvent {
  full?: string;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * One name per key press: the character itself for printable keys (`G`, `?`, `+`), else blessed's
 * name (`up`, `C-c`, `S-tab`). Null for the duplicate `return` blessed sends with each Enter.
 */
export function keyName(ch: string | undefined, key: KeyEvent): string | null {
  if (key.full === 'return') return null;
  if (ch && ch.length === 1 && ch >= ' ' && ch !== '\x7f' && !key.ctrl && !key.meta) return ch === ' ' ? 'space' : ch;
  return key.full ?? null;
}
