// Line charts as inline SVG, so an HTML report needs no scripts or network. Each series has its
// own dash pattern as well as colour, so the chart reads in grey too.

export interface Series {
  name: string;
  values: number[];
}

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'];
const W = 720;
const H = 220;
const LEGEND_PER_ROW = 4;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function niceMax(n: number): number {
  if (n <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  // Multiples whose quarters are round too, since the grid has four bands.
  const step = [1, 2, 4, 8, 10].find((m) => m * magnitude >= n)!;
  return step * magnitude;
}

const fmt = (n: number) => (n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(Math.round(n * 10) / 10));

export function lineChart(title: string, unit: string, ticks: number[], series: Series[], clock: (tick: number) => string): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const first = ticks[0] ?? 0;
  const span = Math.max(1, (ticks[ticks.length - 1] ?? 1) - first);
  const x = (t: number) => PAD.left + ((t - first) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = max * f;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`;
  });
  const xLabels = [0, 0.5, 1].map((f) => {
    const t = Math.round(first + f * span);
    return `<text x="${x(t)}" y="${H - 8}" text-anchor="${f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}">${clock(t)}</text>`;
  });
  const lines = series.map((s, i) => {
    const points = s.values.map((v, j) => `${x(ticks[j]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.8" stroke-dasharray="${DASHES[i % DASHES.length]}" points="${points}"><title>${escapeXml(s.name)}</title></polyline>`;
  });
  const legend = series.map((s, i) => {
    const lx = PAD.left + (i % LEGEND_PER_ROW) * 170;
    const ly = Math.floor(i / LEGEND_PER_ROW) * 16;
    return `<g transform="translate(${lx},${ly})"><line x1="0" x2="24" y1="8" y2="8" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2" stroke-dasharray="${DASHES[i % DASHES.length]}"/><text x="30" y="12">${escapeXml(s.name)}</text></g>`;
  });
  const legendHeight = Math.ceil(series.length / LEGEND_PER_ROW) * 16 + 4;
  return [
    `<figure><figcaption>${escapeXml(title)} (${escapeXml(unit)})</figcaption>`,
    `<svg viewBox="0 0 ${W} ${H + legendHeight}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif" font-size="11" fill="#374151">`,
    `<g transform="translate(0,${legendHeight})">${grid.join('')}${xLabels.join('')}${lines.join('')}</g>`,
    `<g>${legend.join('')}</g>`,
    '</svg></figure>',
  ].join('');
}
