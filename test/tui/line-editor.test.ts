import test from 'ava';
import { LineEditor } from '../../src/tui/line-editor.js';

const type = (e: LineEditor, text: string) => [...text].forEach((c) => e.key(c === ' ' ? 'space' : c));

test('typing, moving and deleting', (t) => {
  const e = new LineEditor();
  type(e, 'stop web-1');
  e.key('C-a');
  e.key('right');
  e.key('delete');
  t.is(e.text, 'sop web-1');
  e.key('end');
  e.key('backspace');
  t.is(e.text, 'sop web-');
  e.key('C-w');
  t.is(e.text, 'sop ');
  e.key('C-u');
  t.is(e.text, '');
  t.is(e.key('enter'), 'submit');
  t.is(e.key('escape'), 'cancel');
  t.is(e.key('tab'), 'complete');
});

test('history goes back and forth and returns to the draft', (t) => {
  const history: string[] = [];
  const e = new LineEditor(history);
  e.remember('stop web-1');
  e.remember('stop web-1');
  e.remember('reboot web-2');
  t.deepEqual(history, ['stop web-1', 'reboot web-2']);
  type(e, 'ack');
  e.key('up');
  t.is(e.text, 'reboot web-2');
  e.key('up');
  e.key('up');
  t.is(e.text, 'stop web-1');
  e.key('down');
  e.key('down');
  t.is(e.text, 'ack');
});

test('an emoji is one character to move over and delete, though a terminal sends its halves one by one', (t) => {
  const e = new LineEditor();
  // As blessed delivers a character outside the BMP: one key press per UTF-16 unit.
  const units = (text: string) => text.split('');
  for (const unit of units('note 日😀')) e.key(unit === ' ' ? 'space' : unit);
  t.is(e.text, 'note 日😀');
  e.key('backspace');
  t.is(e.text, 'note 日');
  for (const unit of units('😀x')) e.key(unit);
  e.key('left');
  e.key('left');
  t.is(e.cursor, 'note 日'.length);
  e.key('delete');
  t.is(e.text, 'note 日x');
  e.key('right');
  t.is(e.cursor, e.text.length);
});
