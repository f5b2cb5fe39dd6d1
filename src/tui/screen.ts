// The terminal under the dashboard: one blessed screen, and the guarantee that the terminal is
// given back (raw mode off, cursor shown, normal buffer) however the program ends — a quit, a
// signal or a crash.
import blessed from 'blessed';

export interface Terminal {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** terminfo name; blessed reads $TERM when absent. */
  terminal?: string;
}

/**
 * blessed's tables of wide characters (Unicode 7) know CJK but not emoji, which terminals draw two
 * columns wide, as string-width (and so fit()) counts them: add the emoji, so blessed keeps a cell
 * for the second column instead of letting the emoji eat the next character.
 */
function teachEmojiWidths(): void {
  const { chars } = (blessed as unknown as { unicode: { chars: { wide: RegExp; all: RegExp } } }).unicode;
  chars.all = new RegExp(
    String.raw`([\u{20000}-\u{2FFFD}\u{30000}-\u{3FFFD}]|${chars.wide.source.slice(1, -1)}|\p{Emoji_Presentation})`,
    'gu',
  );
}
teachEmojiWidths();

/**
 * The terminfo entry blessed is to use. blessed reads only the older terminfo format, and for a
 * terminal whose entry it cannot read (Debian's tmux-256color and screen-256color among them) it
 * falls back to plain `xterm`, 8 colours, where the theme's grey comes out black. A terminal that
 * says it has 256 colours or more (by its name, or COLORTERM) gets blessed's own xterm-256color
 * entry instead, whose sequences tmux and screen understand.
 */
export function terminfoName(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = requested ?? env.TERM;
  // Only a terminal with more colours than blessed's fallback has anything to gain: only it is looked up.
  const manyColours = !!name && (/256col/.test(name) || /^(truecolor|24bit)$/.test(env.COLORTERM ?? ''));
  return manyColours && !readsEntry(name) ? 'xterm-256color' : requested;
}

/**
 * Whether blessed uses the terminal's own entry rather than falling back to `xterm`. blessed writes
 * the code of a capability it fails to compile to stderr (the terminal) as it falls back: kept off
 * it while it looks.
 */
function readsEntry(name: string): boolean {
  const tput = (blessed as unknown as { tput(options: { terminal: string }): { terminal: string } }).tput;
  const write = console.error;
  console.error = () => {};
  try {
    return tput({ terminal: name }).terminal === name;
  } finally {
    console.error = write;
  }
}

export function openScreen(terminal: Terminal = {}): blessed.Widgets.Screen {
  const options = {
    ...terminal,
    terminal: terminfoName(terminal.terminal),
    smartCSR: true,
    fullUnicode: true,
    forceUnicode: true,
    autoPadding: false,
    warnings: false,
    resizeTimeout: 100,
    title: 'fleetops',
  };
  // @types/blessed has the input and output stream types swapped and lacks `terminal`.
  return blessed.screen(options as unknown as blessed.Widgets.IScreenOptions);
}

/**
 * Restores the terminal on every way out. Returns the teardown, safe to call more than once;
 * a crash is still reported (with its trace, as a bug should be) after the terminal is back.
 */
export function guardTerminal(screen: blessed.Widgets.Screen, beforeExit: () => void = () => {}): () => void {
  let done = false;
  const teardown = () => {
    if (done) return;
    done = true;
    process.off('exit', teardown);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    beforeExit();
    screen.destroy();
  };
  const crash = (err: unknown) => {
    teardown();
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(70);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    teardown();
    process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 1));
  };
  process.on('exit', teardown);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return teardown;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGTERM: 15 };
