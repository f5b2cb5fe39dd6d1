import test from 'ava';
import { CHROME_ROWS, layout, PANEL_ORDER, type Rect } from '../../src/tui/layout.js';
import type { PanelId } from '../../src/tui/panels/panel.js';

const first = (choices: readonly PanelId[]) => choices[0]!;
const cells = (r: Rect) => {
  const out: string[] = [];
  for (let y = r.top; y < r.top + r.height; y++) for (let x = r.left; x < r.left + r.width; x++) out.push(`${x},${y}`);
  return out;
};

for (const [cols, rows] of [
  [80, 24],
  [120, 40],
  [200, 60],
  [133, 37],
] as const) {
  test(`at ${cols}x${rows} the panels tile the area above the status and prompt lines exactly`, (t) => {
    const { rects, sharing } = layout(cols, rows, first, null);
    const covered = [...rects.values()].flatMap(cells);
    t.is(covered.length, cols * (rows - CHROME_ROWS));
    t.is(new Set(covered).size, covered.length, 'no overlap');
    // Every panel is on screen or shares a cell with one that is.
    for (const id of PANEL_ORDER) t.true(rects.has(id) || [...(sharing.get(id) ?? [])].some((o) => rects.has(o)), id);
    for (const r of rects.values()) t.true(r.width >= 20 && r.height >= 5, JSON.stringify(r));
  });
}

test('a shared cell shows the panel chosen for it; zoom gives one panel everything', (t) => {
  const imds = layout(80, 24, (c) => (c.includes('imds') ? 'imds' : c[0]!), null);
  t.true(imds.rects.has('imds'));
  t.false(imds.rects.has('events'));
  const zoomed = layout(80, 24, first, 'volumes');
  t.deepEqual([...zoomed.rects.keys()], ['volumes']);
  t.deepEqual(zoomed.rects.get('volumes'), { left: 0, top: 0, width: 80, height: 22 });
});
