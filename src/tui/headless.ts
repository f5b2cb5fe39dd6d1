// A terminal with nothing behind it: blessed draws into memory, for the frame benchmark and for
// tests that drive the dashboard without a real terminal. Keys are written to its input; the
// screen's text is read back from blessed's own cell buffer.
import type blessed from 'blessed';
import { PassThrough } from 'node:stream';
import { openScreen } from './screen.js';

type FakeTty = PassThrough & { isTTY: boolean; columns: number; rows: number; setRawMode: () => void };

function fakeTty(cols: number, rows: number): FakeTty {
  return Object.assign(new PassThrough(), { isTTY: true, columns: cols, rows, setRawMode: () => {} });
}

export interface Headless {
  screen: blessed.Widgets.Screen;
  /** Types keys as a terminal would send them, e.g. `:stop web-1\r`, `\x1b` for Esc. */
  type(keys: string): void;
  resize(cols: number, rows: number): void;
  /** The screen's rows as text, as drawn by the last render. */
  text(): string[];
}

export function openHeadless(cols: number, rows: number): Headless {
  const input = fakeTty(cols, rows);
  const output = fakeTty(cols, rows);
  output.resume(); // discard the escape codes; nothing reads them
  const screen = openScreen({ input, output, terminal: 'xterm-256color' });
  const lines = () => (screen as unknown as { lines: [unknown, string][][] }).lines;
  return {
    screen,
    type: (keys) => input.write(keys),
    resize(c, r) {
      output.columns = c;
      output.rows = r;
      output.emit('resize');
    },
    text: () => lines().map((row) => row.map((cell) => cell[1]).join('')),
  };
}
