// The one-line editor behind the `:` prompt and the `/` filter: readline's usual keys, history
// on ↑/↓, and Tab handed back to the caller for completion.
import { isSurrogatePair } from '../sim/index.js';
import { lookup, type Binding } from './keymap.js';

export type EditAction =
  | 'submit'
  | 'cancel'
  | 'complete'
  | 'history-back'
  | 'history-forward'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'delete-back'
  | 'delete-forward'
  | 'delete-word'
  | 'clear';

export const EDITOR_KEYMAP: readonly Binding<EditAction>[] = [
  { keys: ['enter'], action: 'submit', help: 'run the command (or keep the filter)' },
  { keys: ['escape', 'C-g'], action: 'cancel', help: 'cancel' },
  { keys: ['tab'], action: 'complete', help: 'complete a command, option, id or Name' },
  { keys: ['up', 'C-p'], action: 'history-back', help: 'earlier command' },
  { keys: ['down', 'C-n'], action: 'history-forward', help: 'later command' },
  { keys: ['left', 'C-b'], action: 'left', help: 'cursor left' },
  { keys: ['right', 'C-f'], action: 'right', help: 'cursor right' },
  { keys: ['home', 'C-a'], action: 'home', help: 'start of line' },
  { keys: ['end', 'C-e'], action: 'end', help: 'end of line' },
  { keys: ['backspace', 'C-h'], action: 'delete-back', help: 'delete before the cursor' },
  { keys: ['delete', 'C-d'], action: 'delete-forward', help: 'delete under the cursor' },
  { keys: ['C-w'], action: 'delete-word', help: 'delete the word before the cursor' },
  { keys: ['C-u'], action: 'clear', help: 'clear the line' },
];

const editAction = lookup(EDITOR_KEYMAP);

/** What a key press meant for the caller: nothing more to do, or finish, or complete. */
export type EditOutcome = 'edited' | 'submit' | 'cancel' | 'complete';

export class LineEditor {
  text = '';
  cursor = 0;
  private browsing: number | null = null;
  private draft = '';

  /** `history` is shared and kept by the caller, oldest first. */
  constructor(private readonly history: string[] = []) {}

  reset(text = ''): void {
    this.text = text;
    this.cursor = text.length;
    this.browsing = null;
  }

  replace(text: string, cursor = text.length): void {
    this.text = text;
    this.cursor = cursor;
  }

  /** Remembers a submitted line, skipping repeats of the last one. */
  remember(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
  }

  key(name: string): EditOutcome {
    const action = editAction(name);
    if (!action) {
      if (name.length === 1 || name === 'space') this.insert(name === 'space' ? ' ' : name);
      return 'edited';
    }
    switch (action) {
      case 'submit':
      case 'cancel':
      case 'complete':
        return action;
      case 'history-back':
      case 'history-forward':
        this.browse(action === 'history-back' ? -1 : 1);
        break;
      case 'left':
        this.cursor = this.stepBack();
        break;
      case 'right':
        this.cursor = this.stepForward();
        break;
      case 'home':
        this.cursor = 0;
        break;
      case 'end':
        this.cursor = this.text.length;
        break;
      case 'delete-back':
        if (this.cursor > 0) this.edit(this.stepBack(), this.cursor, '');
        break;
      case 'delete-forward':
        this.edit(this.cursor, this.stepForward(), '');
        break;
      case 'delete-word': {
        const start = this.text.slice(0, this.cursor).replace(/\S+\s*$/, '').length;
        this.edit(start, this.cursor, '');
        break;
      }
      case 'clear':
        this.edit(0, this.text.length, '');
        break;
    }
    return 'edited';
  }

  /**
   * Where the cursor goes one character back or forward: past a whole character, so that an emoji
   * (two UTF-16 units, a surrogate pair) is never cut in half by a move or a delete.
   */
  private stepBack(): number {
    if (this.cursor === 0) return 0;
    const pair =
      this.cursor >= 2 && isSurrogatePair(this.text.charCodeAt(this.cursor - 2), this.text.charCodeAt(this.cursor - 1));
    return this.cursor - (pair ? 2 : 1);
  }

  private stepForward(): number {
    if (this.cursor >= this.text.length) return this.text.length;
    const pair = isSurrogatePair(this.text.charCodeAt(this.cursor), this.text.charCodeAt(this.cursor + 1));
    return this.cursor + (pair ? 2 : 1);
  }

  private insert(text: string): void {
    this.edit(this.cursor, this.cursor, text);
  }

  private edit(from: number, to: number, text: string): void {
    this.text = this.text.slice(0, from) + text + this.text.slice(to);
    this.cursor = from + text.length;
  }

  private browse(step: -1 | 1): void {
    if (this.history.length === 0) return;
    if (this.browsing === null) {
      if (step === 1) return;
      this.draft = this.text;
      this.browsing = this.history.length;
    }
    const next = this.browsing + step;
    if (next < 0) return;
    if (next >= this.history.length) {
      this.browsing = null;
      this.replace(this.draft);
      return;
    }
    this.browsing = next;
    this.replace(this.history[next]!);
  }
}
