// The report as one self-contained HTML page: inline styles, inline SVG charts, no scripts.
import { formatClock } from '../sim/index.js';
import type { Report } from './build.js';
import { htmlTable } from './html-table.js';
import { escapeXml as esc, lineChart } from './svg-chart.js';

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #111827; max-width: 980px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #e5e7eb; }
.meta { color: #6b7280; } code { background: #f3f4f6; padding: 0 .25rem; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { background: #f9fafb; } .grade { font-size: 2.2rem; font-weight: 700; } .won { color: #15803d; } .lost { color: #b91c1c; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; } svg { width: 100%; height: auto; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; } .card { border: 1px solid #e5e7eb; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.3rem; }
`;

function list(items: string[], empty: string): string {
  return items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : `<p>${esc(empty)}</p>`;
}

export function renderHtml(r: Report): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const ticks = r.series.tick;
  const workloadSeries = Object.entries(r.series.workloads).flatMap(([name, s]) => [
    { name: `${name} served`, values: s.servedRps },
    { name: `${name} errors`, values: s.errorRps },
  ]);
  const capacitySeries = [{ name: 'running instances', values: r.series.running }, ...Object.entries(r.series.spotCapacity).map(([key, values]) => ({ name: `Spot ${key.replace('|', ' ')}`, values }))];
  const when = (m: { clock: string } | null) => (m ? m.clock : '—');
  const body = [
    `<h1>Incident report: ${esc(r.level.title)}</h1>`,
    `<p class="meta">Level <code>${esc(r.level.id)}</code>, seed <code>${esc(r.seed)}</code>, simulated ${esc(r.period.start)} to ${esc(r.period.end)}, world hash <code>${esc(r.worldHash)}</code></p>`,
    '<h2>Summary</h2>',
    `<p>${esc(r.summary)}</p>`,
    `<div class="cards"><div class="card">Score<b>${r.score.points}/${r.score.max}</b></div><div class="card">Grade<b class="${!r.period.finished ? 'open' : r.score.won ? 'won' : 'lost'}">${r.score.grade}</b></div><div class="card">SLO minutes missed<b>${r.impact.sloMinutesMissed}</b></div><div class="card">Requests failed<b>${r.impact.requestsFailed}</b></div><div class="card">Data lost<b>${r.impact.dataLostGB} GB</b></div><div class="card">Cost<b>${usd(r.impact.costUsd.total)}</b>of ${usd(r.impact.costUsd.budget)}</div></div>`,
    '<h2>Impact</h2>',
    htmlTable(['workload', 'kind', 'served', 'time within SLO', 'requests failed'], r.impact.workloads.map((w) => [w.name, w.kind, `${w.servedPct.toFixed(2)}%`, `${w.sloAttainmentPct.toFixed(2)}%`, String(w.requestsFailed)])),
    `<p>Cost: on-demand ${usd(r.impact.costUsd.onDemand)}, Spot ${usd(r.impact.costUsd.spot)}, EBS ${usd(r.impact.costUsd.ebs)}, public IPv4 ${usd(r.impact.costUsd.publicIpv4)}.</p>`,
    lineChart('Requests: served and failed', 'requests per second', ticks, workloadSeries, formatClock),
    lineChart('Capacity: running instances and Spot pools', 'instances', ticks, capacitySeries, formatClock),
    lineChart('EBS: throughput delivered', 'MiB/s', ticks, [{ name: 'delivered', values: r.series.ebsMiBps }], formatClock),
    lineChart('EBS: deepest volume queue', 'outstanding I/Os', ticks, [{ name: 'queue length', values: r.series.ebsQueue }], formatClock),
    '<h2>Incidents</h2>',
    r.incidents.length
      ? htmlTable(['id', 'severity', 'what', 'detected', 'acknowledged', 'mitigated', 'resolved'], r.incidents.map((i) => [i.id, i.severity, i.title, when(i.detected), when(i.acknowledged), when(i.mitigated), when(i.resolved)]))
      : '<p>No incidents.</p>',
    '<h2>Root cause and trigger</h2>',
    list(r.incidents.map((i) => `${i.id}: ${i.rootCause}${i.trigger ? ` Trigger: ${i.trigger}.` : ''}`), 'Nothing went wrong.'),
    '<h2>Timeline</h2>',
    htmlTable(['time', 'simulated', 'event'], r.timeline.map((t) => [t.clock, t.time, t.text])),
    '<h2>What the responders did</h2>',
    r.actions.length ? htmlTable(['time', 'by', 'command', 'outcome'], r.actions.map((a) => [a.clock, a.source, a.command, a.outcome === 'applied' ? 'applied' : `refused: ${a.detail}`])) : '<p>No commands were issued.</p>',
    '<h2>What went well</h2>',
    list(r.wentWell, 'Nothing stood out.'),
    '<h2>What went badly</h2>',
    list(r.wentBadly, 'Nothing stood out.'),
    '<h2>Action items</h2>',
    list(r.actionItems, 'None.'),
    '<h2>Score</h2>',
    htmlTable(['component', 'points', 'weight', 'detail'], r.score.components.map((c) => [c.name, `${c.points}/${c.weight * 10}`, String(c.weight), c.detail])),
    htmlTable(['objective', 'met', 'detail'], r.score.objectives.map((o) => [o.text, o.met ? 'yes' : 'no', o.detail])),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(`fleetops report: ${r.level.title}`)}</title><style>${STYLE}</style></head><body>${body.join('\n')}</body></html>\n`;
}
