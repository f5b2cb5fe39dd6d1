// Turns a session into a postmortem: who responded and how, impact in numbers, each incident's
// detection and response as clock times and durations, root cause and contributing factors from
// the model's record, what went well and badly (customer impact first), derived action items and
// the score. Everything comes from the session (simulated time only), so the same run always
// gives the same report.
import {
  type SimEvent,
  type World,
  commandInput,
  commandsFirst,
  counted,
  shownCommand,
  subjectsOf,
  firstFew,
  instanceLabel,
  lostByResponder,
} from '../sim/index.js';
import {
  BURN_TICKS,
  MITIGATION_HOLD,
  SATURATION_TICKS,
  memberName,
  saturatedVolumes,
  type Incident,
  type IncidentKind,
} from '../game/incidents.js';
import type { Mode } from '../game/mode.js';
import type { HandlerGrade } from '../game/handler-grade.js';
import type { Score } from '../game/score.js';
import { ACK_TARGET, MITIGATE_TARGET } from '../game/score.js';
import { commandsBySource, responders, type ResponderSource, type Source } from '../game/command-log.js';
import type { Session } from '../game/session.js';
import { outcome, summarize, type CostUsd, type Summary } from '../game/summary.js';
import pkg from '../../package.json' with { type: 'json' };
import { actionItemsOf, baseCause, type ActionItem, type IncidentOutcome } from './action-items.js';
import { actsOf, refusedOnSubmission, type Act } from './acts.js';
import { analyse, incidentWorkloads, scenarioActBehind, type Factor } from './causes.js';
import { harmOutsideIncidents, outsideTexts, type HarmOutside } from './harm-outside.js';
import { surgeCapacityKept, type SurgeCapacityKept } from './surge-capacity.js';
import { harmBetween, sloPoints, type SloPoint } from './slo-series.js';
import { clockOn, dateOf, duration, momentAt, type Moment } from './time.js';

export const REPORT_SCHEMA = 'fleetops/report@2';

export type { Moment } from './time.js';
export type { ActionItem } from './action-items.js';

export interface ReportFactor extends Omit<Factor, 'tick' | 'about'> {
  at: Moment;
}

export interface ReportSignal {
  signal: string;
  at: Moment | null;
  leadSeconds: number | null;
  text: string;
}

export interface ReportIncident {
  id: string;
  kind: IncidentKind;
  severity: string;
  title: string;
  subject: string;
  state: string;
  /** An EBS saturation's volumes, in the order they saturated (see Incident.volumes); absent for other kinds. */
  volumes?: ReportResource[];
  /** The instances it reached, in the order it reached them; none for a workload's SLO burn. */
  instances: ReportResource[];
  /** When the harm began: the condition the incident was opened on first held. */
  started: Moment;
  detected: Moment;
  acknowledged: Moment | null;
  mitigated: Moment | null;
  resolved: Moment | null;
  /** Detection is measured from the start; acknowledgement, mitigation and resolution from detection. */
  secondsToDetect: number;
  secondsToAcknowledge: number | null;
  secondsToMitigate: number | null;
  secondsToResolve: number | null;
  rootCause: string;
  /** The command that set the incident off, and who gave it (the scenario or a responder). */
  trigger: { at: Moment; command: string; source: Source } | null;
  contributingFactors: ReportFactor[];
  signals: ReportSignal[];
}

export interface ReportAction extends Moment {
  source: Source;
  command: string;
  outcome: 'applied' | 'refused';
  /** EC2's error code of a refusal (`VolumeModificationRateExceeded`); null when applied or refused by fleetops itself. */
  code: string | null;
  /** A refusal's code and reason (see refusalText); '' when applied. */
  detail: string;
}

export interface TimelineEntry extends Moment {
  kind: string;
  text: string;
  /** The ids of the instances an event told together (a Spot pool's interruptions): its text names the first few. */
  instances?: string[];
  /** The ids of the volumes an event told together (a workload's volume alarms of a minute): its text names the first few. */
  volumes?: string[];
}

/**
 * An instance or a volume an incident reached: its id, and its Name tag (null for none); an
 * instance's as it had when it joined (see memberName).
 */
export interface ReportResource {
  id: string;
  name: string | null;
}

export interface ReportNote extends Moment {
  source: Source;
  text: string;
}

/** Who responded and with what: shown at the top of a report and compared by `fleetops class`. */
export interface Responder {
  player: string;
  mode: Mode;
  hintsUsed: number;
  /** The file name of the script the exercise ran (without its folder), or null. */
  script: string | null;
  /** The handler program that acted through the control endpoint, as given, or null. */
  handler: string | null;
  /** Commands each kind of responder issued (notes included). */
  commands: Record<ResponderSource, number>;
}

/** What the front end knows about a run that the session does not: the files it was driven by. */
export interface RunContext {
  script?: string | null;
  handler?: string | null;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  fleetops: { version: string };
  level: { id: string; title: string };
  seed: string;
  responder: Responder;
  worldHash: string;
  /** levelSeconds is the level's length; a report of unfinished play covers less of it. */
  period: { start: Moment; end: Moment; seconds: number; levelSeconds: number; finished: boolean };
  summary: string;
  impact: {
    /** Seconds the workloads were outside their SLOs, summed over workloads. */
    sloSecondsMissed: number;
    requestsFailed: number;
    dataLostGB: number;
    /** Of dataLostGB: what responders' own stops, hibernations and terminations lost; the rest EC2 took (see lostByResponder). */
    dataLostByRespondersGB: number;
    /** The bill by what it paid for (see CostUsd), and the level's budget. */
    costUsd: CostUsd & { budget: number };
    workloads: {
      name: string;
      kind: string;
      servedPct: number;
      sloAttainmentPct: number;
      sloSecondsMissed: number;
      requestsFailed: number;
    }[];
    /** Stretches a workload was out of its SLO with no incident about it open; absent in reports from before it was kept. */
    outsideIncidents?: HarmOutside[];
  };
  incidents: ReportIncident[];
  timeline: TimelineEntry[];
  actions: ReportAction[];
  notes: ReportNote[];
  wentWell: string[];
  wentBadly: string[];
  actionItems: ActionItem[];
  score: Score;
  /** Present when a real-time exercise graded an outside handler. */
  handler?: HandlerGrade;
  series: {
    tick: number[];
    running: number[];
    ebsMiBps: number[];
    ebsQueue: number[];
    workloads: Record<string, { servedRps: number[]; errorRps: number[]; latencyMs: number[] }>;
    spotCapacity: Record<string, number[]>;
  };
}

/**
 * Events worth a line in the timeline: scenario actions, incidents, notes, scheduled maintenance
 * coming due and ending, a reboot that moved the instance to new hardware, what a command or a
 * restoration came to (an instance stopped or running again, a zone, host or volume healthy again,
 * checks passing, a volume's change done), and anything at warn or above.
 */
const TIMELINE_KINDS = new Set([
  'instance-stopped',
  'instance-running',
  'instance-terminated',
  'guest-restarted',
  'status-checks-passed',
  'zone-restored',
  'host-restored',
  'volume-restored',
  'volume-modified',
  'incident-opened',
  'incident-acknowledged',
  'incident-mitigated',
  'incident-resolved',
  'command-applied',
  'command-refused',
  'note-added',
  'scheduled-event-started',
  'scheduled-event-ended',
]);
const worthALine = (e: SimEvent) =>
  (TIMELINE_KINDS.has(e.kind) || e.level !== 'info' || (e.kind === 'instance-reboot' && e.data?.to !== undefined)) &&
  // A note's command-applied repeats the note itself.
  !(e.kind === 'command-applied' && e.subject === 'note');

/** Sustained conditions are held this long before their incident opens; the harm began that much earlier. */
const HOLD_TICKS: Partial<Record<IncidentKind, number>> = {
  'ebs-saturation': SATURATION_TICKS,
  'slo-burn': BURN_TICKS,
};

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const thousands = (n: number) => n.toLocaleString('en-US');
const requests = (n: number) => `${thousands(n)} ${n === 1 ? 'request' : 'requests'}`;

/**
 * The report of a session as far as it has gone. `context` names the script or handler that drove
 * it; the responder's name is the session's `player`, the mode and hints come from its summary.
 */
export function buildReport(session: Session, context: RunContext = {}): Report {
  const s = summarize(session);
  const epochMs = session.world.epochMs;
  const moment = (tick: number) => momentAt(epochMs, tick);
  const maybe = (tick: number | null) => (tick === null ? null : moment(tick));
  const startDate = dateOf(moment(0).at);
  const at = (tick: number) => clockOn(startDate, moment(tick));
  const acts = actsOf(session);
  const handler = session.handlerGrade();

  const points = sloPoints(session);
  const outcomes: IncidentOutcome[] = session.incidents.map((inc) => {
    const analysis = analyse({ session, acts, at, holdTicks: HOLD_TICKS }, inc, baseCause(inc));
    const ack = inc.acknowledgedAt === null ? null : inc.acknowledgedAt - inc.detectedAt;
    return {
      incident: inc,
      analysis,
      hurt: hurtWhileOpen(session, points, inc, analysis.onset),
      slowAck: ack === null || ack > ACK_TARGET,
    };
  });
  const incidents = outcomes.map(({ incident: inc, analysis }) =>
    reportIncident(inc, analysis, acts, moment, maybe, session.world),
  );

  // Lines refused as they came in are actions too. They and the hints answered at once were told
  // between two seconds, in the order they came (refusal i after the hints that came after i
  // refusals), before the commands applied in the next second.
  const SECOND = Number.MAX_SAFE_INTEGER;
  const actions = [
    ...responders(refusedOnSubmission(session)).map((r, i) => ({
      ...r,
      outcome: 'refused' as const,
      code: null,
      told: i + 0.5,
    })),
    ...responders(acts).map((a) => ({ ...a, command: a.command.text, told: a.refusedBefore ?? SECOND })),
  ]
    .sort((a, b) => a.tick - b.tick || a.told - b.told)
    .map((a) => ({
      ...moment(a.tick),
      source: a.source,
      command: a.command,
      outcome: a.outcome,
      code: a.code,
      detail: a.detail,
    }));
  const notes = acts.flatMap((a) => {
    const note = commandInput(a.command, 'note');
    return note ? [{ ...moment(a.tick), source: a.source, text: note.text }] : [];
  });

  const score = s.score;
  const sloSecondsMissed = s.workloads.reduce((a, w) => a + (w.measuredSeconds - w.sloGoodSeconds), 0);
  const requestsFailed = s.workloads.reduce((a, w) => a + w.failedRequests, 0);
  const dataLostByRespondersGB = round(
    session.events
      .filter((e) => e.kind === 'instance-store-lost' && lostByResponder(e.data?.why))
      .reduce((a, e) => a + Number(e.data?.gb ?? 0), 0),
    1,
  );
  const outsideIncidents = harmOutsideIncidents(
    session,
    points,
    outcomes.map(({ incident, analysis }) => ({ incident, onset: analysis.onset })),
    acts,
    moment,
  );
  const impact = { sloSecondsMissed, requestsFailed, dataLostGB: s.dataLostGB, dataLostByRespondersGB };
  const overBudget = s.costUsd.total > session.budgetUsd ? surgeCapacityKept(session, acts) : [];
  const { wentWell, wentBadly } = assess(
    s,
    incidents,
    actions,
    { ...impact, outsideIncidents },
    score,
    { usd: session.budgetUsd, surgeCapacityKept: overBudget },
    at,
  );

  return {
    schema: REPORT_SCHEMA,
    fleetops: { version: pkg.version },
    level: { id: s.level, title: s.title },
    seed: s.seed,
    responder: responderOf(session, s, context),
    worldHash: s.hash,
    period: {
      start: moment(0),
      end: moment(s.ticks),
      seconds: s.ticks,
      levelSeconds: s.levelSeconds,
      finished: s.finished,
    },
    summary: summaryLine(s, incidents, sloSecondsMissed, requestsFailed),
    impact: {
      ...impact,
      costUsd: { ...s.costUsd, budget: round(session.budgetUsd, 4) },
      workloads: s.workloads.map((w) => ({
        name: w.name,
        kind: w.kind,
        servedPct: w.servedPct,
        sloAttainmentPct: w.measuredSeconds ? round((100 * w.sloGoodSeconds) / w.measuredSeconds, 2) : 100,
        sloSecondsMissed: w.measuredSeconds - w.sloGoodSeconds,
        requestsFailed: w.failedRequests,
      })),
      outsideIncidents,
    },
    incidents,
    timeline: timelineOf(session.events, session.incidents, moment, session.world),
    actions,
    notes,
    wentWell,
    wentBadly,
    actionItems: actionItemsOf(session, outcomes, outsideIncidents, (m) => at(m.tick), overBudget),
    score,
    ...(handler ? { handler } : {}),
    series: seriesOf(session),
  };
}

function responderOf(session: Session, s: Summary, context: RunContext): Responder {
  const commands = commandsBySource(session.log);
  return {
    player: s.player,
    mode: s.mode,
    hintsUsed: s.hintsUsed,
    script: context.script ?? null,
    handler: context.handler ?? null,
    commands,
  };
}

function reportIncident(
  inc: Incident,
  analysis: ReturnType<typeof analyse>,
  acts: Act[],
  moment: (t: number) => Moment,
  maybe: (t: number | null) => Moment | null,
  world: World,
): ReportIncident {
  const since = (tick: number | null, from: number) => (tick === null ? null : tick - from);
  return {
    id: inc.id,
    kind: inc.kind,
    severity: inc.severity,
    title: inc.title,
    subject: inc.subject,
    state: inc.state,
    // A volume's Name tag is read from the world: a volume, unlike an instance, stays listed until
    // it is deleted, and a deleted one is named by its id alone.
    ...(inc.kind === 'ebs-saturation'
      ? { volumes: saturatedVolumes(inc).map((id) => ({ id, name: world.volumes[id]?.name ?? null })) }
      : {}),
    instances: inc.instances.map((id, i) => ({ id, name: memberName(world, inc, i) })),
    started: moment(analysis.onset),
    detected: moment(inc.detectedAt),
    acknowledged: maybe(inc.acknowledgedAt),
    mitigated: maybe(inc.mitigatedAt),
    resolved: maybe(inc.resolvedAt),
    secondsToDetect: inc.detectedAt - analysis.onset,
    secondsToAcknowledge: since(inc.acknowledgedAt, inc.detectedAt),
    secondsToMitigate: since(inc.mitigatedAt, inc.detectedAt),
    secondsToResolve: since(inc.resolvedAt, inc.detectedAt),
    rootCause: analysis.rootCause,
    trigger: triggerOf(inc, acts, moment, analysis.triggeredBy),
    contributingFactors: analysis.factors.map(({ tick, about: _about, ...f }) => ({ ...f, at: moment(tick) })),
    signals: analysis.signals.map(({ tick, ...sig }) => ({ ...sig, at: maybe(tick) })),
  };
}

/**
 * Whether the incident's workloads failed requests or were out of their SLOs from its start to its
 * mitigation (or the end): a span between two of the SLO's points that meets that stretch counts,
 * as the points cannot tell its seconds apart (see harmOutsideIncidents).
 */
function hurtWhileOpen(session: Session, points: readonly SloPoint[], inc: Incident, onset: number): boolean {
  const workloads = incidentWorkloads(session.world, inc);
  const until = inc.mitigatedAt ?? session.tick;
  let failed = 0;
  for (let i = 1; i < points.length; i++) {
    const [before, after] = [points[i - 1]!, points[i]!];
    if (after.tick < onset || before.tick >= until) continue;
    for (const w of workloads) {
      const harm = harmBetween(before, after, w);
      if (harm && harm.missed > 0) return true;
      failed += harm?.failed ?? 0;
    }
  }
  // A whole request: the counts carry fractions of one.
  return Math.round(failed) > 0;
}

/**
 * An incident's steps are placed at the ticks its record holds, the ones the incident table shows:
 * mitigation is dated from when the harm stopped, though it is announced only once that has held.
 */
const INCIDENT_STEPS: Partial<Record<string, (inc: Incident) => number | null>> = {
  'incident-opened': (inc) => inc.detectedAt,
  'incident-acknowledged': (inc) => inc.acknowledgedAt,
  'incident-mitigated': (inc) => inc.mitigatedAt,
  'incident-resolved': (inc) => inc.resolvedAt,
};

function timelineOf(
  events: readonly SimEvent[],
  incidents: readonly Incident[],
  moment: (tick: number) => Moment,
  world: World,
): TimelineEntry[] {
  const entries = commandsFirst(events)
    .filter(worthALine)
    .map((e) => {
      const step = INCIDENT_STEPS[e.kind];
      const inc = step && incidents.find((i) => i.id === e.subject);
      const entry: TimelineEntry = {
        ...moment((inc && step(inc)) ?? e.tick),
        kind: e.kind,
        text: timelineText(e, inc),
      };
      if (e.instanceIds) entry.instances = [...e.instanceIds];
      if (e.volumeIds) entry.volumes = [...e.volumeIds];
      return entry;
    });
  // Stable: entries at one tick keep the order they happened in.
  return togetherByState(
    entries.sort((a, b) => a.tick - b.tick),
    events,
    world,
  );
}

/** Instance states the model tells one instance at a time, and how a line telling several reads. */
const STATE_LINES: Record<string, string> = {
  'instance-running': 'running',
  'instance-stopped': 'stopped',
  'instance-terminated': 'terminated',
};

/**
 * Entries of one second telling the same state of several instances (a launch of six all
 * running) as one line, listing them as a grouped event's does: the model tells each instance's
 * state on its own, and a launch of a hundred would be a hundred lines.
 */
function togetherByState(entries: TimelineEntry[], events: readonly SimEvent[], world: World): TimelineEntry[] {
  const key = (tick: number, kind: string) => `${tick}:${kind}`;
  // The events of each second and state; one of them may itself tell several instances (a Spot
  // pool's stops), whose subject is the pool, not an instance.
  const together = new Map<string, SimEvent[]>();
  for (const e of events)
    if (STATE_LINES[e.kind]) {
      const at = key(e.tick, e.kind);
      const same = together.get(at);
      if (same) same.push(e);
      else together.set(at, [e]);
    }
  const told = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const entry of entries) {
    const state = STATE_LINES[entry.kind];
    const at = key(entry.tick, entry.kind);
    const same = state ? together.get(at) : undefined;
    if (!same || same.length < 2) out.push(entry);
    else if (!told.has(at)) {
      told.add(at);
      const ids = same.flatMap((e) => subjectsOf(e));
      // Named as the model's own messages name them; one purged since (an hour after it
      // terminated) by its id alone.
      const named = firstFew(ids, (id) => (world.instances[id] ? instanceLabel(world.instances[id]) : id));
      out.push({ ...entry, text: `${ids.length} instances ${state}: ${named}`, instances: ids });
    }
  }
  return out;
}

/**
 * A timeline line's text; `inc` is the incident an incident step is about. A command says who
 * gave it (the scenario, the player, a script or a handler), as the commands table does: the
 * scenario's faults and the response read alike otherwise.
 */
function timelineText(e: SimEvent, inc: Incident | undefined): string {
  const by = typeof e.data?.source === 'string' ? `${e.data.source}: ` : '';
  if (e.kind === 'command-applied') return `${by}${e.message}`;
  if (e.kind === 'command-refused') return `${by}refused: ${e.message}`;
  if (e.kind === 'incident-mitigated')
    return inc !== undefined && inc.mitigatedAt === inc.detectedAt
      ? `${e.message} (service held from the second it opened, confirmed ${duration(MITIGATION_HOLD)} later)`
      : `${e.message} (harm stopped here, confirmed ${duration(MITIGATION_HOLD)} later)`;
  if (e.kind === 'note-added') return `note by the ${e.subject}: ${e.message}`;
  return e.message;
}

/** Won, lost, or not finished yet (with how far play went, as durations). */
export function reportOutcome(r: Report): string {
  if (!r.period.finished)
    return `level not finished (${duration(r.period.seconds)} of ${duration(r.period.levelSeconds)})`;
  return outcome({ finished: true, ticks: r.period.seconds, levelSeconds: r.period.levelSeconds, score: r.score });
}

/**
 * What set an incident off: the command its analysis found (`found`, a network change that cut a
 * workload off), else the latest scenario command up to its detection whose own events were about
 * what the incident is about (its subject or one of its instances), else the latest scenario
 * command of all. Two injects in the same second each trigger their own incident.
 */
function triggerOf(
  inc: Incident,
  acts: Act[],
  moment: (t: number) => Moment,
  found: Act | null,
): ReportIncident['trigger'] {
  // A burn's analysis names what set it off, or nothing did: the last scenario command before it
  // may be a surge long over, or another incident's.
  const lastBefore = () => acts.filter((a) => a.source === 'scenario' && a.tick <= inc.detectedAt).at(-1);
  const act = inc.kind === 'slo-burn' ? found : (found ?? scenarioActBehind(acts, inc) ?? lastBefore());
  return act ? { at: moment(act.tick), command: act.command.text, source: act.source } : null;
}

type Impact = Pick<
  Report['impact'],
  'sloSecondsMissed' | 'requestsFailed' | 'dataLostGB' | 'dataLostByRespondersGB' | 'outsideIncidents'
>;

/**
 * What went well and badly, customer impact first. Loss no responder could have prevented is
 * impact, told once, not a failing; a responder's act that made things worse is named blamelessly.
 * `budget`: what the level allows the fleet to cost, and the surge capacity kept to the end of a
 * run over it (see surge-capacity.ts).
 */
function assess(
  s: Summary,
  incidents: ReportIncident[],
  actions: ReportAction[],
  impact: Impact,
  score: Score,
  budget: { usd: number; surgeCapacityKept: readonly SurgeCapacityKept[] },
  at: (tick: number) => string,
): { wentWell: string[]; wentBadly: string[] } {
  const wentWell: string[] = [];
  const wentBadly: string[] = [];
  const hurt = s.workloads.filter((w) => w.failedRequests > 0 || w.measuredSeconds > w.sloGoodSeconds);
  if (hurt.length) {
    const each = hurt.map((w) => {
      const out = w.measuredSeconds - w.sloGoodSeconds;
      return [
        w.failedRequests > 0 ? `${w.name} failed ${requests(w.failedRequests)}` : `${w.name} failed no requests but`,
        out > 0 ? `was out of its SLO for ${duration(out)}` : 'stayed within its SLO',
      ].join(w.failedRequests > 0 ? ' and ' : ' ');
    });
    wentBadly.push(`Customers were hurt: ${each.join('; ')}.`);
    wentBadly.push(...outsideTexts(impact.outsideIncidents ?? [], (m) => at(m.tick)));
  } else wentWell.push('No customer impact: no request failed and every workload stayed within its SLO.');
  // Data that went with a failed host or reclaimed capacity is impact (see Impact), not a failing.
  if (impact.dataLostByRespondersGB > 0)
    wentBadly.push(
      `${impact.dataLostByRespondersGB} GB of instance store data was lost to stops, hibernations or terminations that a copy first (or, without a notice from EC2, a reboot) would have spared.`,
    );
  if (impact.dataLostGB === 0) wentWell.push('No data was lost.');
  const cost = s.costUsd.total;
  const { usd } = budget;
  // Where the money went, where the record shows it: capacity launched for a surge and kept.
  const kept = budget.surgeCapacityKept.map(
    (k) =>
      `${k.workload} ended with ${k.kept} more ${k.kept === 1 ? 'instance' : 'instances'} than before its surge (${k.surge.factor} times its demand, ${at(k.surge.from)} to ${at(k.surge.to)}), launched during it and kept ${duration(k.keptSeconds)} after it`,
  );
  if (cost > usd)
    wentBadly.push(
      `The fleet cost $${cost.toFixed(2)}, ${Math.ceil(((cost - usd) / usd) * 100)}% over its $${usd.toFixed(2)} budget${kept.length ? `: ${kept.join('; ')}` : ''}.`,
    );
  for (const inc of incidents) {
    const ack = inc.secondsToAcknowledge;
    if (ack === null) wentBadly.push(`${inc.id} was never acknowledged.`);
    else if (ack <= ACK_TARGET)
      wentWell.push(
        `${inc.id} acknowledged ${duration(ack)} after it opened, within the ${duration(ACK_TARGET)} target.`,
      );
    else wentBadly.push(`${inc.id} took ${duration(ack)} to acknowledge (target ${duration(ACK_TARGET)}).`);
    const mit = inc.secondsToMitigate;
    if (mit === null) wentBadly.push(`${inc.id} was never mitigated.`);
    // Calm from its first second, as when a pool's hibernated instances served no workload: nothing
    // was mitigated, and saying so in seconds would credit a response no one made.
    else if (mit === 0) wentWell.push(`${inc.id} needed no mitigation: service held from the second it opened.`);
    else if (mit <= MITIGATE_TARGET) wentWell.push(`${inc.id} mitigated ${duration(mit)} after it opened.`);
    else wentBadly.push(`${inc.id} took ${duration(mit)} to mitigate (target ${duration(MITIGATE_TARGET)}).`);
  }
  // A factor that bore on several incidents is told once, naming them all.
  const factors = new Map<string, { effect: string; ids: string[] }>();
  for (const inc of incidents)
    for (const f of inc.contributingFactors)
      factors.set(f.text, { effect: f.effect, ids: [...(factors.get(f.text)?.ids ?? []), inc.id] });
  for (const [text, f] of factors) (f.effect === 'worse' ? wentBadly : wentWell).push(`${f.ids.join(', ')}: ${text}`);
  const refused = actions.filter((a) => a.outcome === 'refused');
  if (refused.length)
    wentBadly.push(
      `${counted(refused.length, 'command')} ${refused.length > 1 ? 'were' : 'was'} refused (first: ${shownCommand(refused[0]!.command)}: ${refused[0]!.detail}).`,
    );
  for (const o of score.objectives)
    (o.met ? wentWell : wentBadly).push(`Objective "${o.text}" ${o.met ? 'met' : 'missed'}: ${o.detail}.`);
  return { wentWell: [...new Set(wentWell)], wentBadly: [...new Set(wentBadly)] };
}

function summaryLine(s: Summary, incidents: ReportIncident[], sloSeconds: number, failed: number): string {
  const sev = incidents.length
    ? `${counted(incidents.length, 'incident')} (${incidents.map((i) => `${i.id} ${i.severity}`).join(', ')})`
    : 'no incidents';
  const { score } = s;
  // With none set, "all objectives were met" would read as praise beside any grade.
  const judged = !score.objectives.length
    ? `the level ${s.finished ? 'set' : 'sets'} no objectives`
    : !s.finished
      ? `so far ${score.objectives.every((o) => o.met) ? 'all objectives are met' : 'some objectives are missed'}`
      : score.won
        ? 'all objectives were met'
        : 'some objectives were missed';
  const outcome = s.finished
    ? judged[0]!.toUpperCase() + judged.slice(1)
    : `Play stopped ${duration(s.ticks)} into the level's ${duration(s.levelSeconds)}; ${judged}`;
  return `During "${s.title}" the fleet had ${sev}. Workloads spent ${duration(sloSeconds)} outside their SLOs, ${requests(failed)} failed and ${s.dataLostGB} GB of data was lost. ${outcome}: ${score.points}/${score.max} points, grade ${score.grade}.`;
}

function seriesOf(session: Session): Report['series'] {
  const samples = session.samples;
  const workloads: Report['series']['workloads'] = {};
  for (const name of Object.keys(session.world.workloads)) {
    workloads[name] = {
      servedRps: samples.map((x) => x.workloads[name]?.servedRps ?? 0),
      errorRps: samples.map((x) => x.workloads[name]?.errorRps ?? 0),
      latencyMs: samples.map((x) => x.workloads[name]?.latencyMs ?? 0),
    };
  }
  const spotCapacity: Record<string, number[]> = {};
  for (const key of Object.keys(session.world.spotPools))
    spotCapacity[key] = samples.map((x) => x.spot[key]?.capacity ?? 0);
  return {
    tick: samples.map((x) => x.tick),
    running: samples.map((x) => x.running),
    ebsMiBps: samples.map((x) => x.ebs.deliveredMiBps),
    ebsQueue: samples.map((x) => x.ebs.maxQueue),
    workloads,
    spotCapacity,
  };
}
