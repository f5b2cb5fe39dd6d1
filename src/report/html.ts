// The report as one self-contained HTML page: inline styles, inline SVG charts, no scripts, and a
// print stylesheet so it prints as cleanly as it reads on screen.
import type { Report } from './build.js';
import { reportBlocks, type Block } from './document.js';
import { escapeXml as esc, lineChart, type Marker } from './svg-chart.js';
import { duration } from './time.js';

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #111827; max-width: 1000px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .4rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #e5e7eb; } h3 { margin-bottom: .3rem; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 0 .25rem; border-radius: 3px; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; color: #374151; } dl.facts dt { font-weight: 600; }  dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: .5rem 0; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { background: #f9fafb; } td:first-child { white-space: nowrap; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; } .card { border: 1px solid #e5e7eb; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.3rem; } .won { color: #15803d; } .lost { color: #b91c1c; }
figure { margin: 1.2rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; } figcaption .unit { font-weight: 400; color: #6b7280; }
svg { width: 100%; height: auto; } p.flat { color: #4b5563; font-size: 13px; margin: .2rem 0; }
@media print {
  @page { margin: 14mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; } figure, tr, .card, li { break-inside: avoid; }
  th { background: none; } code { background: none; padding: 0; }
}
`;

/** Text with its inline marks (`code`, **strong**, \\-escapes) as HTML. */
export function inline(text: string): string {
  const marks = /\\([\\`*])|`` (.+?) ``|`([^`]+)`|\*\*(.+?)\*\*/g;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(marks)) {
    out += esc(text.slice(last, m.index));
    if (m[1] !== undefined) out += esc(m[1]);
    else if (m[2] !== undefined || m[3] !== undefined) out += `<code>${esc(m[2] ?? m[3]!)}</code>`;
    else out += `<strong>${inline(m[4]!)}</strong>`;
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${inline(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

function cards(r: Report): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  // A level that sets no objectives is won by any play: its grade is not coloured as a win.
  const outcome = !r.period.finished || !r.score.objectives.length ? 'open' : r.score.won ? 'won' : 'lost';
  const card = (label: string, value: string, extra = '', cls = '') =>
    `<div class="card">${esc(label)}<b${cls ? ` class="${cls}"` : ''}>${esc(value)}</b>${esc(extra)}</div>`;
  return `<div class="cards">${[
    card('Score', `${r.score.points}/${r.score.max}`),
    card('Grade', r.score.grade, '', outcome),
    card('Requests failed', r.impact.requestsFailed.toLocaleString('en-US')),
    card('Outside SLO', duration(r.impact.sloSecondsMissed)),
    card('Data lost', `${r.impact.dataLostGB} GB`),
    card('Cost', usd(r.impact.costUsd.total), `of ${usd(r.impact.costUsd.budget)}`),
  ].join('')}</div>`;
}

function charts(r: Report): string {
  const ticks = r.series.tick;
  const startEpochSeconds = Date.parse(r.period.start.at) / 1000;
  const markers: Marker[] = r.incidents.flatMap((i) => [
    { tick: i.started.tick, name: i.id, kind: 'start' as const },
    ...(i.mitigated ? [{ tick: i.mitigated.tick, name: i.id, kind: 'mitigated' as const }] : []),
  ]);
  const base = { ticks, markers, startEpochSeconds };
  const workloads = Object.entries(r.series.workloads);
  return [
    lineChart({
      ...base,
      title: 'Requests served',
      unit: 'requests per second',
      series: workloads.map(([name, s]) => ({ name, values: s.servedRps })),
    }),
    lineChart({
      ...base,
      title: 'Requests failed',
      unit: 'requests per second',
      series: workloads.map(([name, s]) => ({ name, values: s.errorRps })),
    }),
    lineChart({
      ...base,
      title: 'Running instances',
      unit: 'instances',
      integer: true,
      series: [{ name: 'running instances', values: r.series.running }],
    }),
    lineChart({
      ...base,
      title: 'Spot capacity pools',
      unit: 'instances the pool can hold',
      integer: true,
      series: Object.entries(r.series.spotCapacity).map(([key, values]) => ({
        name: key.replace('|', ' in '),
        values,
      })),
    }),
    lineChart({
      ...base,
      title: 'EBS throughput delivered',
      unit: 'MiB/s',
      series: [{ name: 'delivered', values: r.series.ebsMiBps }],
    }),
    lineChart({
      ...base,
      title: 'EBS: deepest volume queue',
      unit: 'outstanding I/Os',
      series: [{ name: 'queue length', values: r.series.ebsQueue }],
    }),
  ].join('\n');
}

/** One block as HTML; `placeholder` draws what only the HTML has (the report's charts and cards). */
function block(b: Block, placeholder: (kind: 'charts' | 'cards') => string): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    case 'para':
      return `<p>${inline(b.text)}</p>`;
    case 'facts':
      return `<dl class="facts">${b.rows.map(([k, v]) => `<dt>${inline(k)}</dt><dd>${inline(v)}</dd>`).join('')}</dl>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`;
    case 'table':
      return table(b.head, b.rows);
    case 'charts':
    case 'cards':
      return placeholder(b.kind);
  }
}

/** Blocks as one self-contained HTML page titled `title`. */
export function htmlPage(
  title: string,
  blocks: Block[],
  placeholder: (kind: 'charts' | 'cards') => string = () => '',
): string {
  const body = blocks.map((b) => block(b, placeholder));
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

export function renderHtml(r: Report): string {
  return htmlPage(`fleetops report: ${r.level.title}`, reportBlocks(r), (kind) =>
    kind === 'charts' ? charts(r) : cards(r),
  );
}
