// A class view: many responders' JSON reports of one level (or shift) side by side, for an
// instructor. Per responder: score, grade, how long acknowledgement and mitigation took, data lost,
// cost and hints; the spread of each (min, median, max); and the action items and harmful acts that
// recur across the class. A report of another schema or another level is skipped with its reason.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPORT_SCHEMA, type Report } from './build.js';
import type { ActionItem, Priority } from './action-items.js';
import type { FindingKind } from './causes.js';
import { code, type Block } from './document.js';
import schema from './schema.json' with { type: 'json' };
import { duration } from './time.js';
import { controlIn } from '../input/control.js';
import { depthOf, MAX_JSON_DEPTH } from '../input/fields.js';

export const CLASS_SCHEMA = 'fleetops/class@2';

export interface ClassInput {
  /** The file, as named on the command line. */
  file: string;
  /** Its text; null when it is not UTF-8 text, on `notTextAt` (a line, from 1). */
  text: string | null;
  notTextAt?: number;
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface ClassRow {
  file: string;
  player: string;
  seed: string;
  mode: Report['responder']['mode'];
  points: number;
  max: number;
  grade: string;
  won: boolean;
  finished: boolean;
  incidents: number;
  /** The slowest acknowledgement and mitigation among its incidents, in seconds; null when there were none. */
  slowestAckSeconds: number | null;
  slowestMitigationSeconds: number | null;
  /** Incidents never acknowledged, never mitigated. */
  neverAcknowledged: number;
  neverMitigated: number;
  requestsFailed: number;
  sloSecondsMissed: number;
  dataLostGB: number;
  /** Of dataLostGB, what the responder's own stops, hibernations and terminations lost; the score charges these and what EC2 took after a notice (see chargeableDataLostGB). */
  dataLostByRespondersGB: number;
  costUsd: number;
  hintsUsed: number;
}

/**
 * A measure's min, median and max over the reports. For the slowest acknowledgement and mitigation,
 * null is never: a responder who left an incident unacknowledged (unmitigated) to the end is slower
 * than any time, so such reports sort last instead of being left out.
 */
export interface Spread {
  min: number | null;
  median: number | null;
  max: number | null;
}

const MEASURES = [
  'points',
  'slowestAckSeconds',
  'slowestMitigationSeconds',
  'requestsFailed',
  'sloSecondsMissed',
  'dataLostGB',
  'dataLostByRespondersGB',
  'costUsd',
  'hintsUsed',
] as const;
type Measure = (typeof MEASURES)[number];

export interface ClassView {
  schema: typeof CLASS_SCHEMA;
  level: { id: string; title: string };
  rows: ClassRow[];
  /** Each measure's spread over the reports that have it; null when none does. */
  spread: Record<Measure, Spread | null>;
  recurringActionItems: (Omit<ActionItem, 'incidents' | 'priority'> & { priority: Priority; reports: number })[];
  recurringFindings: { finding: string; reports: number }[];
  skipped: Skipped[];
}

/** Compiled once per process, on first use. */
let validator: ReturnType<Ajv2020['compile']> | null = null;
function validate(doc: unknown): string | null {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    addFormats.default(ajv);
    validator = ajv.compile(schema);
  }
  if (validator(doc)) return null;
  const e = validator.errors?.[0];
  return `does not match ${REPORT_SCHEMA}: ${e ? `${e.instancePath || '/'} ${e.message}` : 'invalid'}`;
}

/** A report, or why it cannot be one of this class. */
function readReport(input: ClassInput): Report | string {
  if (input.text === null) return `not UTF-8 text (line ${input.notTextAt}), which no report fleetops writes is`;
  // Before it is parsed: a check that walks what JSON.parse made would overflow the stack on a file nested thousands deep.
  if (depthOf(input.text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return `nested more than ${MAX_JSON_DEPTH} levels deep, which no report fleetops writes is`;
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch {
    return 'not JSON (a class reads the JSON reports: exercise --report r.json)';
  }
  const declared =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as { schema?: unknown }).schema : undefined;
  if (typeof declared !== 'string' || !declared.startsWith('fleetops/report@'))
    return 'not a fleetops report (no "schema": "fleetops/report@…")';
  if (declared !== REPORT_SCHEMA)
    return `${declared}, not ${REPORT_SCHEMA}: run the exercise again to write the current report`;
  const control = controlIn(doc);
  if (control !== null) return `${control} holds a control character, which no report fleetops writes has`;
  const invalid = validate(doc);
  if (invalid) return invalid;
  const report = doc as Report;
  // Shown as a heading, a list line or a table cell: a line break there would make lines of its own.
  const broken = ONE_LINE.find(([, of]) => /[\n\t]/.test(of(report)));
  if (broken) return `${broken[0]} holds a line break or a tab, which no report fleetops writes has`;
  if (report.score.points > report.score.max)
    return '/score/points is more than /score/max, which no report fleetops writes has';
  return report;
}

/** The text of a report that a class shows on one line. */
const ONE_LINE: [string, (r: Report) => string][] = [
  ['/level/title', (r) => r.level.title],
  ['/responder/player', (r) => r.responder.player],
  ['/seed', (r) => r.seed],
];

const slowest = (values: (number | null)[]) =>
  values.length === 0 ? null : values.some((v) => v === null) ? null : Math.max(...(values as number[]));

function rowOf(file: string, r: Report): ClassRow {
  const acks = r.incidents.map((i) => i.secondsToAcknowledge);
  const mits = r.incidents.map((i) => i.secondsToMitigate);
  return {
    file,
    player: r.responder.player,
    seed: r.seed,
    mode: r.responder.mode,
    points: r.score.points,
    max: r.score.max,
    grade: r.score.grade,
    won: r.score.won === true,
    finished: r.period.finished,
    incidents: r.incidents.length,
    // Never is slower than any time: such a row shows the count instead.
    slowestAckSeconds: slowest(acks.filter((a) => a !== null)),
    slowestMitigationSeconds: slowest(mits.filter((m) => m !== null)),
    neverAcknowledged: acks.filter((a) => a === null).length,
    neverMitigated: mits.filter((m) => m === null).length,
    requestsFailed: r.impact.requestsFailed,
    sloSecondsMissed: r.impact.sloSecondsMissed,
    dataLostGB: r.impact.dataLostGB,
    dataLostByRespondersGB: r.impact.dataLostByRespondersGB,
    costUsd: r.impact.costUsd.total,
    hintsUsed: r.responder.hintsUsed,
  };
}

/** A row's figure for a measure, Infinity for never (see Spread); null when the row has none. */
function figure(r: ClassRow, m: Measure): number | null {
  if (m === 'slowestAckSeconds') return r.neverAcknowledged ? Infinity : r.slowestAckSeconds;
  if (m === 'slowestMitigationSeconds') return r.neverMitigated ? Infinity : r.slowestMitigationSeconds;
  return r[m];
}

/**
 * Min, median and max of `values` (Infinity for never), each rounded alike to 4 decimals: a median
 * rounded more coarsely than the ends could read below the min. Never comes out as null.
 */
function spreadOf(values: number[]): Spread | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const kept = (n: number) => (n === Infinity ? null : Math.round(n * 1e4) / 1e4);
  return { min: kept(sorted[0]!), median: kept(median), max: kept(sorted[sorted.length - 1]!) };
}

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };

/**
 * The class of the inputs: the level most of them are reports of (the first such on a tie), each
 * valid report of it as a row, and every other input skipped with its reason. The view is null when no input is
 * a usable report (the reasons are in `skipped` either way).
 */
export function buildClass(inputs: ClassInput[]): { view: ClassView | null; skipped: Skipped[] } {
  const skipped: Skipped[] = [];
  const reports: { file: string; report: Report }[] = [];
  // A report given twice (the same file, or a copy of it) is one play: counted twice, it would
  // weigh twice in every share and spread of the class.
  const firstWith = new Map<string, string>();
  for (const input of inputs) {
    const first = input.text === null ? undefined : firstWith.get(input.text);
    if (first !== undefined) {
      skipped.push({ file: input.file, reason: `the same report as ${first}; each play counts once` });
      continue;
    }
    if (input.text !== null) firstWith.set(input.text, input.file);
    const r = readReport(input);
    if (typeof r === 'string') skipped.push({ file: input.file, reason: r });
    else reports.push({ file: input.file, report: r });
  }
  const counts = new Map<string, number>();
  for (const { report } of reports) counts.set(report.level.id, (counts.get(report.level.id) ?? 0) + 1);
  const levelId = [...counts.entries()].reduce<[string, number] | null>(
    (best, e) => (!best || e[1] > best[1] ? e : best),
    null,
  )?.[0];
  if (levelId === undefined) return { view: null, skipped };
  const members = reports.filter(({ file, report }) => {
    if (report.level.id === levelId) return true;
    skipped.push({ file, reason: `a report of ${report.level.id}, not ${levelId} like the rest of the class` });
    return false;
  });
  const rows = members
    .map(({ file, report }) => rowOf(file, report))
    .sort(
      (a, b) =>
        b.points - a.points ||
        a.player.localeCompare(b.player) ||
        a.seed.localeCompare(b.seed, 'en', { numeric: true }) ||
        a.file.localeCompare(b.file),
    );
  const spread = Object.fromEntries(
    MEASURES.map((m) => [m, spreadOf(rows.map((r) => figure(r, m)).filter((v): v is number => v !== null))]),
  ) as ClassView['spread'];

  const items = new Map<string, ClassView['recurringActionItems'][number]>();
  const findings = new Map<string, number>();
  for (const { report } of members) {
    // A report may suggest one kind of item for each of its incidents (one per Spot pool, say): it counts once.
    const counted = new Set<string>();
    for (const a of report.actionItems) {
      const seen = items.get(a.id);
      if (!seen)
        items.set(a.id, { id: a.id, text: a.text, kind: a.kind, owner: a.owner, priority: a.priority, reports: 1 });
      else {
        if (!counted.has(a.id)) seen.reports++;
        if (RANK[a.priority] < RANK[seen.priority]) seen.priority = a.priority;
      }
      counted.add(a.id);
    }
    const found = new Set(
      report.incidents.flatMap((i) =>
        i.contributingFactors.filter((f) => f.effect === 'worse' && f.finding).map((f) => f.finding!),
      ),
    );
    for (const f of found) findings.set(f, (findings.get(f) ?? 0) + 1);
  }
  const level = members[0]!.report.level;
  const view: ClassView = {
    schema: CLASS_SCHEMA,
    level: { id: level.id, title: level.title },
    rows,
    spread,
    recurringActionItems: [...items.values()].sort(
      (a, b) => b.reports - a.reports || RANK[a.priority] - RANK[b.priority] || a.id.localeCompare(b.id),
    ),
    recurringFindings: [...findings.entries()]
      .map(([finding, n]) => ({ finding, reports: n }))
      .sort((a, b) => b.reports - a.reports || a.finding.localeCompare(b.finding)),
    skipped,
  };
  return { view, skipped };
}

const FINDINGS: Record<Exclude<FindingKind, 'acted-on-notice'>, string> = {
  'launch-without-security-group': "replacements launched without the workload's security group",
  'stop-lost-instance-store': 'a stop or terminate that lost instance store data',
  'stop-lost-noticed-store': "a stop or terminate that lost instance store data before a copy, under EC2's notice",
  'plain-stop-on-failed-host': 'a plain stop on a failed host, which hung',
  'launch-into-reclaimed-pool': 'a launch into the Spot pool being reclaimed',
  'took-serving-capacity': 'a stop or terminate that took a serving instance away',
  'cut-off-by-network-change': "a network change that cut a workload's instances off",
};

const usd = (n: number) => `$${n.toFixed(2)}`;
const when = (seconds: number | null, never: number) =>
  [seconds === null ? '' : duration(seconds), never ? `${never} never` : ''].filter(Boolean).join(', ') || '—';

const MEASURE_TEXT: Record<Measure, [string, (n: number) => string]> = {
  points: ['score', (n) => String(n)],
  slowestAckSeconds: ['slowest acknowledgement', duration],
  slowestMitigationSeconds: ['slowest mitigation', duration],
  requestsFailed: ['requests failed', (n) => Math.round(n).toLocaleString('en-US')],
  sloSecondsMissed: ['time outside SLO', duration],
  dataLostGB: ['data lost (GB)', (n) => String(n)],
  dataLostByRespondersGB: ['data lost by the responder (GB)', (n) => String(n)],
  costUsd: ['cost', usd],
  hintsUsed: ['hints used', (n) => String(n)],
};

/** The class view as blocks, for Markdown and HTML alike. */
export function classBlocks(c: ClassView): Block[] {
  const n = c.rows.length;
  const modes = [...new Set(c.rows.map((r) => r.mode))].join(' and ');
  return [
    { kind: 'heading', level: 1, text: `Class report: ${c.level.title}` },
    {
      kind: 'facts',
      rows: [
        ['Level', `${code(c.level.id)} (${c.level.title})`],
        ['Reports', `${n} compared${c.skipped.length ? `, ${c.skipped.length} skipped` : ''}; ${modes} mode`],
        ['Won', `${c.rows.filter((r) => r.won).length} of ${n}`],
      ],
    },
    ...(c.skipped.length
      ? [
          { kind: 'heading' as const, level: 2 as const, text: 'Skipped' },
          { kind: 'list' as const, items: c.skipped.map((s) => `${code(s.file)}: ${s.reason}`) },
        ]
      : []),
    { kind: 'heading', level: 2, text: 'Responders' },
    {
      kind: 'table',
      head: [
        'responder',
        'seed',
        'mode',
        'score',
        'grade',
        'won',
        'slowest acknowledgement',
        'slowest mitigation',
        'requests failed',
        'data lost',
        'cost',
        'hints',
      ],
      rows: c.rows.map((r) => [
        r.player || 'unnamed',
        r.seed,
        r.mode,
        `${r.points}/${r.max}`,
        r.grade,
        !r.finished ? 'not finished' : r.won ? 'yes' : 'no',
        when(r.slowestAckSeconds, r.neverAcknowledged),
        when(r.slowestMitigationSeconds, r.neverMitigated),
        r.requestsFailed.toLocaleString('en-US'),
        r.dataLostGB ? `${r.dataLostGB} GB, ${r.dataLostByRespondersGB} GB by the responder` : '0 GB',
        usd(r.costUsd),
        String(r.hintsUsed),
      ]),
    },
    {
      kind: 'para',
      text: 'Slowest acknowledgement and mitigation are each responder\'s longest among their incidents, from detection; "never" counts incidents not acknowledged or mitigated by the end. Data lost by the responder is what their own stops, hibernations and terminations lost; the rest EC2 took (failed hosts, retirements, scheduled stops, Spot interruptions). The score charges all of it but what went in the second a host failed.',
    },
    { kind: 'heading', level: 2, text: 'Spread' },
    {
      kind: 'table',
      head: ['measure', 'min', 'median', 'max'],
      rows: MEASURES.flatMap((m) => {
        const s = c.spread[m];
        const [name, fmt] = MEASURE_TEXT[m];
        const shown = (n: number | null) => (n === null ? 'never' : fmt(n));
        return s ? [[name, shown(s.min), shown(s.median), shown(s.max)]] : [];
      }),
    },
    { kind: 'heading', level: 2, text: 'What made incidents worse, across the class' },
    c.recurringFindings.length
      ? {
          kind: 'table',
          head: ['what happened', 'reports'],
          rows: c.recurringFindings.map((f) => [
            (FINDINGS as Record<string, string | undefined>)[f.finding] ?? f.finding,
            `${f.reports} of ${n}`,
          ]),
        }
      : { kind: 'para', text: "No responder's command made an incident worse." },
    { kind: 'heading', level: 2, text: 'Recurring action items' },
    c.recurringActionItems.length
      ? {
          kind: 'table',
          head: ['action', 'kind', 'priority', 'suggested owner', 'reports'],
          rows: c.recurringActionItems.map((a) => [a.text, a.kind, a.priority, a.owner, `${a.reports} of ${n}`]),
        }
      : { kind: 'para', text: 'No report suggests an action item.' },
  ];
}
