// The report as Markdown, in the shape SREs write postmortems.
import { reportStanding, type Report } from './build.js';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const when = (m: { clock: string } | null) => (m ? m.clock : '—');

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function renderMarkdown(r: Report): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const lines = [
    `# Incident report: ${r.level.title}`,
    '',
    `Level \`${r.level.id}\`, seed \`${r.seed}\`, simulated ${r.period.start} to ${r.period.end}. World hash \`${r.worldHash}\`.`,
    '',
    '## Summary',
    '',
    r.summary,
    '',
    '## Impact',
    '',
    `- SLO minutes missed: ${r.impact.sloMinutesMissed}`,
    `- Requests failed: ${r.impact.requestsFailed}`,
    `- Data lost: ${r.impact.dataLostGB} GB`,
    `- Cost: ${usd(r.impact.costUsd.total)} of a ${usd(r.impact.costUsd.budget)} budget (on-demand ${usd(r.impact.costUsd.onDemand)}, Spot ${usd(r.impact.costUsd.spot)}, EBS ${usd(r.impact.costUsd.ebs)}, public IPv4 ${usd(r.impact.costUsd.publicIpv4)})`,
    '',
    ...table(
      ['workload', 'kind', 'served', 'time within SLO', 'requests failed'],
      r.impact.workloads.map((w) => [w.name, w.kind, `${w.servedPct.toFixed(2)}%`, `${w.sloAttainmentPct.toFixed(2)}%`, String(w.requestsFailed)]),
    ),
    '',
    '## Incidents',
    '',
    ...(r.incidents.length
      ? table(
          ['id', 'severity', 'what', 'detected', 'acknowledged', 'mitigated', 'resolved'],
          r.incidents.map((i) => [i.id, i.severity, i.title, when(i.detected), when(i.acknowledged), when(i.mitigated), when(i.resolved)]),
        )
      : ['No incidents.']),
    '',
    '## Root cause and trigger',
    '',
    ...(r.incidents.length ? r.incidents.flatMap((i) => [`- **${i.id}**: ${i.rootCause}${i.trigger ? ` Trigger: ${i.trigger}.` : ''}`]) : ['Nothing went wrong.']),
    '',
    '## Timeline',
    '',
    ...table(['time', 'simulated', 'event'], r.timeline.map((t) => [t.clock, t.time, t.text])),
    '',
    '## What the responders did',
    '',
    ...(r.actions.length
      ? table(['time', 'by', 'command', 'outcome'], r.actions.map((a) => [a.clock, a.source, `\`${a.command}\``, a.outcome === 'applied' ? 'applied' : `refused: ${a.detail}`]))
      : ['No commands were issued.']),
    '',
    '## What went well',
    '',
    ...(r.wentWell.length ? r.wentWell.map((x) => `- ${x}`) : ['- Nothing stood out.']),
    '',
    '## What went badly',
    '',
    ...(r.wentBadly.length ? r.wentBadly.map((x) => `- ${x}`) : ['- Nothing stood out.']),
    '',
    '## Action items',
    '',
    ...(r.actionItems.length ? r.actionItems.map((x) => `- [ ] ${x}`) : ['- None.']),
    '',
    '## Score',
    '',
    `**${r.score.points}/${r.score.max}, grade ${r.score.grade}**: ${reportStanding(r)}`,
    '',
    ...table(['component', 'points', 'weight', 'detail'], r.score.components.map((c) => [c.name, `${c.points}/${c.weight * 10}`, String(c.weight), c.detail])),
    '',
    ...table(['objective', 'met', 'detail'], r.score.objectives.map((o) => [o.text, o.met ? 'yes' : 'no', o.detail])),
    '',
  ];
  return lines.join('\n');
}
