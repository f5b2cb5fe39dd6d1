// The report's text as one sequence of blocks, written once and rendered as Markdown or HTML. Text
// carries two inline marks only: `code` for commands and identifiers, **strong** for emphasis.
// Times are wall-clock (the date with the first time of a table, and wherever it changes); spans
// are durations.
import { counted, firstFew, instanceLabel, percentText, shownCommand } from '../sim/index.js';
import { hintChargeText } from '../game/score.js';
import { costPartsText } from '../game/summary.js';
import type { HandlerGrade } from '../game/handler-grade.js';
import type { ActionItem } from './action-items.js';
import { reportOutcome, type Report, type ReportIncident, type ReportResource } from './build.js';
import { uncovered, type HarmOutside } from './harm-outside.js';
import { clockOn, clockWriter, dateOf, duration, momentAt, type Moment } from './time.js';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** A place for the HTML's charts; Markdown leaves them out. */
  | { kind: 'charts' }
  | { kind: 'cards' };

/** A code span that survives backticks inside it. */
export const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** Text written by a person (a note), shown as they wrote it: no inline marks are read in it. */
export const plain = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('*', '\\*');

const usd = (n: number) => `$${n.toFixed(2)}`;
/** A time to an incident's next step; one that never came is 'never' once the level has ended. */
/** Whose doing the data lost was: the responders' own stops, and what EC2 took (see lostByResponder). */
function dataLostBy({ dataLostGB, dataLostByRespondersGB }: Report['impact']): string {
  if (dataLostGB === 0) return '';
  const own = "by responders' stops, hibernations and terminations";
  const ec2 = 'taken by EC2: failed hosts, retirements, scheduled stops, Spot interruptions';
  if (dataLostByRespondersGB >= dataLostGB) return ` (all ${own})`;
  if (dataLostByRespondersGB === 0) return ` (all ${ec2})`;
  return ` (${dataLostByRespondersGB} GB ${own}, the rest ${ec2})`;
}

const sinceOr = (s: number | null, ended: boolean) => (s === null ? (ended ? 'never' : 'not yet') : duration(s));
const SOURCE = { player: 'player', script: 'script', handler: 'handler', scenario: 'scenario' } as const;

function responderLine(r: Report): string {
  const { responder: p } = r;
  const hints = p.hintsUsed === 0 ? 'no hints used' : `${p.hintsUsed} ${p.hintsUsed === 1 ? 'hint' : 'hints'} used`;
  return `**${p.player || 'unnamed'}**, ${p.mode} mode, ${hints}`;
}

function drivenBy(r: Report): string {
  const { responder: p } = r;
  const parts: string[] = [];
  if (p.script) parts.push(`script ${code(p.script)} (${counted(p.commands.script, 'command')})`);
  else if (p.commands.script) parts.push(`a script (${counted(p.commands.script, 'command')})`);
  if (p.handler) parts.push(`handler ${code(p.handler)} (${counted(p.commands.handler, 'command')})`);
  else if (p.commands.handler)
    parts.push(`a handler through the control endpoint (${counted(p.commands.handler, 'command')})`);
  if (p.commands.player) parts.push(`the dashboard (${counted(p.commands.player, 'command')})`);
  return parts.join(', ') || 'no commands: the level ran on its own';
}

function incidentTables(incidents: ReportIncident[], ended: boolean): Block[] {
  const when = clockWriter();
  return [
    {
      kind: 'table',
      head: ['id', 'severity', 'what', 'started', 'detected', 'acknowledged', 'mitigated', 'resolved'],
      rows: incidents.map((i) => [
        i.id,
        i.severity,
        i.title,
        when(i.started),
        when(i.detected),
        when(i.acknowledged),
        when(i.mitigated),
        when(i.resolved),
      ]),
    },
    {
      kind: 'para',
      text: 'Time to detect runs from the start of the harm; time to acknowledge, mitigate and resolve run from detection.',
    },
    {
      kind: 'table',
      head: ['id', 'time to detect', 'time to acknowledge', 'time to mitigate', 'time to resolve'],
      rows: incidents.map((i) => [
        i.id,
        duration(i.secondsToDetect),
        sinceOr(i.secondsToAcknowledge, ended),
        sinceOr(i.secondsToMitigate, ended),
        sinceOr(i.secondsToResolve, ended),
      ]),
    },
  ];
}

/** The most instances or volumes an incident's section names; the JSON report lists them all. */
const MEMBERS_NAMED = 50;

/** `3: i-… (web-1), i-… (web-2), …`: how many, and the first MEMBERS_NAMED of them. */
function membersText(members: readonly ReportResource[]): string {
  const named = firstFew(members, instanceLabel, MEMBERS_NAMED);
  return `${members.length}: ${named}${members.length > MEMBERS_NAMED ? ' (the JSON report lists them all)' : ''}.`;
}

function causeBlocks(r: Report, at: (m: Moment) => string): Block[] {
  if (!r.incidents.length) return [{ kind: 'para', text: 'Nothing went wrong.' }];
  return r.incidents.flatMap((i): Block[] => {
    const factors = i.contributingFactors.map(
      (f) =>
        `**${f.effect === 'worse' ? 'Made it worse' : 'Helped'}${f.by === 'system' ? ' (EC2)' : ''}** at ${at(f.at)}: ${f.text}`,
    );
    return [
      { kind: 'heading', level: 3, text: `${i.id} ${i.severity}: ${i.title}` },
      { kind: 'para', text: `**Root cause.** ${i.rootCause}` },
      ...(i.volumes ? [{ kind: 'para' as const, text: `**Volumes.** ${membersText(i.volumes)}` }] : []),
      ...(i.instances.length ? [{ kind: 'para' as const, text: `**Instances.** ${membersText(i.instances)}` }] : []),
      ...(i.trigger
        ? [
            {
              kind: 'para' as const,
              text: `**Trigger.** At ${at(i.trigger.at)} the ${SOURCE[i.trigger.source]} ran ${code(i.trigger.command)}.`,
            },
          ]
        : []),
      ...(factors.length
        ? [
            { kind: 'para' as const, text: '**Contributing factors.**' },
            { kind: 'list' as const, items: factors },
          ]
        : []),
      // A signal read the second the incident opened told nothing sooner: it is one to watch.
      {
        kind: 'para',
        text: i.signals.some((s) => (s.leadSeconds ?? 0) > 0)
          ? '**Signals that could have told sooner.**'
          : '**Signals to watch for it.**',
      },
      { kind: 'list', items: i.signals.map((s) => `${code(s.signal)}: ${s.text}`) },
    ];
  });
}

/** Harm no incident covered (see harm-outside.ts), when there was some: a table under the workloads'. */
function outsideBlocks(harm: readonly HarmOutside[], at: (m: Moment) => string): Block[] {
  if (!harm.length) return [];
  return [
    { kind: 'para', text: 'Out of SLO with no incident open:' },
    {
      kind: 'table',
      head: ['workload', 'from', 'to', 'time outside SLO', 'requests failed', 'why no incident'],
      rows: harm.map((h) => [
        h.workload,
        at(h.from),
        at(h.to),
        duration(h.sloSecondsMissed),
        h.requestsFailed.toLocaleString('en-US'),
        h.surge ? `demand surge (${h.surge.factor}x), ${uncovered(h)}` : uncovered(h),
      ]),
    },
  ];
}

/** What an action item follows from: its incidents, the harm no incident covered, the cost over budget, or a Trusted Advisor check. */
function itemSource(a: ActionItem): string {
  const from = [
    ...a.incidents,
    ...(a.outside ?? []).map((o) => `${o} (no incident)`),
    ...(a.overBudget ? ['cost over budget'] : []),
  ];
  return from.join(', ') || `Trusted Advisor: ${a.advisorCheck}`;
}

/** The whole report as blocks, in the order of a postmortem. */
export function reportBlocks(r: Report): Block[] {
  const startDate = dateOf(r.period.start.at);
  const at = (m: Moment) => clockOn(startDate, m);
  const timelineWhen = clockWriter();
  const actionWhen = clockWriter();
  const noteWhen = clockWriter();
  const { impact } = r;
  return [
    { kind: 'heading', level: 1, text: `Incident report: ${r.level.title}` },
    {
      kind: 'facts',
      rows: [
        ['Responder', responderLine(r)],
        ['Level', `${code(r.level.id)} (${r.level.title}), seed ${code(r.seed)}`],
        ['Driven by', drivenBy(r)],
        [
          'Simulated',
          `${startDate} ${at(r.period.start)} to ${at(r.period.end)} UTC (${duration(r.period.seconds)}${r.period.finished ? '' : ` of the level's ${duration(r.period.levelSeconds)}`})`,
        ],
        ['Generated by', `fleetops ${r.fleetops.version}, world hash ${code(r.worldHash)}`],
      ],
    },
    { kind: 'heading', level: 2, text: 'Summary' },
    { kind: 'para', text: r.summary },
    { kind: 'cards' },
    { kind: 'heading', level: 2, text: 'Impact' },
    {
      kind: 'list',
      items: [
        `Requests failed: ${impact.requestsFailed.toLocaleString('en-US')}`,
        `Time outside SLO: ${duration(impact.sloSecondsMissed)} (summed over workloads)`,
        `Data lost: ${impact.dataLostGB} GB${dataLostBy(impact)}`,
        `Cost: ${usd(impact.costUsd.total)} of a ${usd(impact.costUsd.budget)} budget (${costPartsText(impact.costUsd)})`,
      ],
    },
    {
      kind: 'table',
      head: ['workload', 'kind', 'served', 'time within SLO', 'time outside SLO', 'requests failed'],
      rows: impact.workloads.map((w) => [
        w.name,
        w.kind,
        percentText(w.servedPct, 2),
        percentText(w.sloAttainmentPct, 2),
        duration(w.sloSecondsMissed),
        w.requestsFailed.toLocaleString('en-US'),
      ]),
    },
    ...outsideBlocks(impact.outsideIncidents ?? [], at),
    { kind: 'charts' },
    { kind: 'heading', level: 2, text: 'Incidents' },
    ...(r.incidents.length
      ? incidentTables(r.incidents, r.period.finished)
      : [{ kind: 'para' as const, text: 'No incidents.' }]),
    { kind: 'heading', level: 2, text: 'Root cause, trigger and contributing factors' },
    ...causeBlocks(r, at),
    { kind: 'heading', level: 2, text: 'Timeline' },
    {
      kind: 'table',
      head: ['time', 'event'],
      rows: r.timeline.map((t) => [timelineWhen(t), t.kind === 'note-added' ? plain(t.text) : t.text]),
    },
    { kind: 'heading', level: 2, text: "The responder's notes" },
    r.notes.length
      ? {
          kind: 'table',
          head: ['time', 'by', 'note'],
          rows: r.notes.map((n) => [noteWhen(n), SOURCE[n.source], plain(n.text)]),
        }
      : { kind: 'para', text: `No notes were taken (${code('note <text>')} adds one).` },
    { kind: 'heading', level: 2, text: 'What the responders did' },
    r.actions.length
      ? {
          kind: 'table',
          head: ['time', 'by', 'command', 'outcome'],
          rows: r.actions.map((a) => [
            actionWhen(a),
            SOURCE[a.source],
            shownCommand(a.command, code),
            a.outcome === 'applied' ? 'applied' : `refused: ${a.detail}`,
          ]),
        }
      : { kind: 'para', text: 'No commands were issued.' },
    { kind: 'heading', level: 2, text: 'What went well' },
    r.wentWell.length ? { kind: 'list', items: r.wentWell } : { kind: 'para', text: 'Nothing stood out.' },
    { kind: 'heading', level: 2, text: 'What went badly' },
    r.wentBadly.length ? { kind: 'list', items: r.wentBadly } : { kind: 'para', text: 'Nothing stood out.' },
    { kind: 'heading', level: 2, text: 'Action items' },
    r.actionItems.length
      ? {
          kind: 'table',
          head: ['priority', 'kind', 'action', 'suggested owner', 'from'],
          rows: r.actionItems.map((a) => [a.priority, a.kind, a.text, a.owner, itemSource(a)]),
        }
      : { kind: 'para', text: 'None: the run shows the follow-ups in place.' },
    {
      kind: 'para',
      text: "P1: this run's customer impact came through the gap. P2: it would have shortened this run's incidents. P3: good practice the run touched on.",
    },
    { kind: 'heading', level: 2, text: 'Score' },
    { kind: 'para', text: `**${r.score.points}/${r.score.max}, grade ${r.score.grade}**: ${reportOutcome(r)}` },
    {
      kind: 'table',
      head: ['component', 'points', 'weight', 'detail'],
      rows: [
        ...r.score.components.map((c) => [c.name, `${c.points}/${c.weight * 10}`, String(c.weight), c.detail]),
        ...(r.score.hints.used ? [['hints', `−${r.score.hints.points}`, '', hintChargeText(r.score.hints)]] : []),
      ],
    },
    {
      kind: 'table',
      head: ['objective', 'met', 'detail'],
      rows: r.score.objectives.map((o) => [o.text, o.met ? 'yes' : 'no', o.detail]),
    },
    ...(r.handler
      ? handlerBlocks(r.handler, (tick) =>
          at(momentAt(Date.parse(r.period.start.at) - r.period.start.tick * 1000, tick)),
        )
      : []),
  ];
}

/** How the outside handler did, check by check, then notice by notice. */
function handlerBlocks(h: HandlerGrade, at: (tick: number) => string): Block[] {
  const n = h.requests;
  return [
    { kind: 'heading', level: 2, text: 'The handler' },
    {
      kind: 'para',
      text: `${Math.round(h.value * 100)}% of its checks met, from ${n.imds} IMDS requests (${n.tokens} token requests, ${n.metadataReads} reads) and ${n.control} control requests.`,
    },
    {
      kind: 'table',
      head: ['check', 'met', 'weight', 'detail'],
      rows: h.checks.map((c) => [
        c.name,
        c.value === null ? 'n/a' : `${Math.round(c.value * 100)}%`,
        String(c.weight),
        c.detail,
      ]),
    },
    ...(h.notices.length
      ? [
          {
            kind: 'table' as const,
            head: [
              'instance',
              'notice',
              'interruption',
              'first action after',
              'first action',
              'replaced in time',
              'repeats',
            ],
            rows: h.notices.map((x) => [
              code(x.instanceId),
              at(x.notice),
              at(x.interruption),
              x.secondsToAct === null ? 'never' : duration(x.secondsToAct),
              x.firstAction ? code(x.firstAction) : '',
              x.replacedInTime ? 'yes' : 'no',
              String(x.duplicates),
            ]),
          },
        ]
      : []),
  ];
}
