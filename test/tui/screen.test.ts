// The terminal the dashboard draws on: the terminfo entry blessed is given decides how many colours
// it uses, and with 8 the theme's grey (borders, times, hints) is drawn black.
import test from 'ava';
import blessed from 'blessed';
import { PassThrough } from 'node:stream';
import { openScreen, terminfoName } from '../../src/tui/screen.js';

/** The escape sequence blessed puts before a word drawn in grey on a terminal of this name. */
function greyOn(terminal: string): string | undefined {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true, columns: 20, rows: 3, setRawMode: () => {} });
  const output = tty();
  let drawn = '';
  output.on('data', (chunk: Buffer) => (drawn += chunk.toString('latin1')));
  const screen = openScreen({ input: tty(), output, terminal });
  blessed.text({ parent: screen, content: 'word', style: { fg: 'gray' } });
  screen.render();
  screen.destroy();
  // eslint-disable-next-line no-control-regex
  return /(\x1b\[[0-9;]*m)word/.exec(drawn)?.[1];
}

test('grey is bright black on tmux and screen, whose terminfo blessed cannot read, as on xterm', (t) => {
  for (const terminal of ['xterm-256color', 'tmux-256color', 'screen-256color'])
    t.is(greyOn(terminal), '\x1b[90m', terminal);
});

test('a terminal blessed reads keeps its own entry; one it cannot read keeps its name unless it has many colours', (t) => {
  t.is(terminfoName('xterm-256color', {}), 'xterm-256color');
  t.is(terminfoName('screen', {}), 'screen');
  t.is(terminfoName('tmux-256color', {}), 'xterm-256color');
  t.is(terminfoName('alacritty', { COLORTERM: 'truecolor' }), 'xterm-256color');
  t.is(terminfoName('alacritty', {}), 'alacritty');
  t.is(terminfoName(undefined, { TERM: 'screen-256color' }), 'xterm-256color');
  t.is(terminfoName(undefined, { TERM: 'xterm-256color' }), undefined, '$TERM as it is: blessed reads it itself');
});
