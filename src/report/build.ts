// Turns a session into a postmortem-shaped report: summary, impact, timeline, root causes, what
// the player did, what went well and badly, action items and the score. Everything comes from the
// session (simulated time only), so the same run always gives the same report.
import { formatClock } from '../sim/index.js';
import type { SimEvent } from '../sim/types.js';
import { MITIGATION_HOLD, type Incident, type IncidentKind } from '../game/incidents.js';
import type { Score } from '../game/score.js';
import { ACK_TARGET, MITIGATE_TARGET } from '../game/score.js';
import type { Session, Source } from '../game/session.js';
import { simulatedTime, standing, summarize, type Summary } from '../game/summary.js';
import { counted } from '../sim/index.js';
import kindsData from './data/incident-kinds.json' with { type: 'json' };

export const REPORT_SCHEMA = 'fleetops/report@1';

const KINDS = (kindsData as unknown as { kinds: Record<IncidentKind, { rootCause: string; actionItems: string[] }> }).kinds;

export interface Moment {
  tick: number;
  clock: string;
  time: string;
}

export interface ReportIncident {
  id: string;
  kind: IncidentKind;
  severity: string;
  title: string;
  state: string;
  detected: Moment;
  acknowledged: Moment | null;
  mitigated: Moment | null;
  resolved: Moment | null;
  secondsToAcknowledge: number | null;
  secondsToMitigate: number | null;
  rootCause: string;
  trigger: string | null;
}

export interface ReportAction extends Moment {
  source: Source;
  command: string;
  outcome: 'applied' | 'refused';
  detail: string;
}

export interface TimelineEntry extends Moment {
  kind: string;
  text: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  level: { id: string; title: string };
  seed: string;
  worldHash: string;
  /** levelSeconds is the level's length; a report of unfinished play covers less of it. */
  period: { start: string; end: string; seconds: number; levelSeconds: number; finished: boolean };
  summary: string;
  impact: {
    sloMinutesMissed: number;
    requestsFailed: number;
    dataLostGB: number;
    costUsd: { total: number; onDemand: number; spot: number; ebs: number; publicIpv4: number; budget: number };
    workloads: { name: string; kind: string; servedPct: number; sloAttainmentPct: number; requestsFailed: number }[];
  };
  incidents: ReportIncident[];
  timeline: TimelineEntry[];
  actions: ReportAction[];
  wentWell: string[];
  wentBadly: string[];
  actionItems: string[];
  score: Score;
  series: {
    tick: number[];
    running: number[];
    ebsMiBps: number[];
    ebsQueue: number[];
    workloads: Record<string, { servedRps: number[]; errorRps: number[]; latencyMs: number[] }>;
    spotCapacity: Record<string, number[]>;
  };
}

/** Events worth a line in the timeline: scenario actions, incidents, and anything at warn or above. */
const TIMELINE_KINDS = new Set(['incident-opened', 'incident-acknowledged', 'incident-mitigated', 'incident-resolved', 'command-applied', 'command-refused']);

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

export function buildReport(session: Session): Report {
  const s = summarize(session);
  const moment = (tick: number): Moment => ({ tick, clock: formatClock(tick), time: simulatedTime(session, tick) });
  const maybe = (tick: number | null) => (tick === null ? null : moment(tick));
  const injects = session.log.filter((c) => c.source === 'scenario');

  const incidents: ReportIncident[] = session.incidents.map((inc) => ({
    id: inc.id,
    kind: inc.kind,
    severity: inc.severity,
    title: inc.title,
    state: inc.state,
    detected: moment(inc.detectedAt),
    acknowledged: maybe(inc.acknowledgedAt),
    mitigated: maybe(inc.mitigatedAt),
    resolved: maybe(inc.resolvedAt),
    secondsToAcknowledge: inc.acknowledgedAt === null ? null : inc.acknowledgedAt - inc.detectedAt,
    secondsToMitigate: inc.mitigatedAt === null ? null : inc.mitigatedAt - inc.detectedAt,
    rootCause: KINDS[inc.kind].rootCause.replaceAll('{subject}', inc.subject.replace('|', ' in ')),
    trigger: triggerOf(inc, injects),
  }));

  const actions = session.log
    .filter((c) => c.source !== 'scenario')
    .map((c) => ({ ...moment(c.tick), source: c.source, command: c.text, ...outcomeOf(session.events, c.tick, c.text) }));

  const timeline = timelineOf(session.events, session.incidents, moment);

  const score = s.score;
  const sloMinutesMissed = round(s.workloads.reduce((a, w) => a + (w.measuredSeconds - w.sloGoodSeconds), 0) / 60, 1);
  const requestsFailed = s.workloads.reduce((a, w) => a + w.failedRequests, 0);
  const { wentWell, wentBadly } = assess(incidents, actions, s.dataLostGB, score);
  const actionItems = [...new Set(incidents.flatMap((i) => KINDS[i.kind].actionItems))];

  return {
    schema: REPORT_SCHEMA,
    level: { id: s.level, title: s.title },
    seed: s.seed,
    worldHash: s.hash,
    period: { start: s.startedAt, end: s.endedAt, seconds: s.ticks, levelSeconds: s.levelSeconds, finished: s.finished },
    summary: summaryLine(s, incidents, sloMinutesMissed, requestsFailed),
    impact: {
      sloMinutesMissed,
      requestsFailed,
      dataLostGB: s.dataLostGB,
      costUsd: { ...s.costUsd, budget: round(session.budgetUsd, 4) },
      workloads: s.workloads.map((w) => ({
        name: w.name,
        kind: w.kind,
        servedPct: w.servedPct,
        sloAttainmentPct: w.measuredSeconds ? round((100 * w.sloGoodSeconds) / w.measuredSeconds, 2) : 100,
        requestsFailed: w.failedRequests,
      })),
    },
    incidents,
    timeline,
    actions,
    wentWell,
    wentBadly,
    actionItems,
    score,
    series: seriesOf(session),
  };
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

function timelineOf(events: readonly SimEvent[], incidents: readonly Incident[], moment: (tick: number) => Moment): TimelineEntry[] {
  const entries = events
    .filter((e) => TIMELINE_KINDS.has(e.kind) || e.level !== 'info')
    .map((e) => {
      const step = INCIDENT_STEPS[e.kind];
      const inc = step && incidents.find((i) => i.id === e.subject);
      return { ...moment((inc && step(inc)) ?? e.tick), kind: e.kind, text: timelineText(e) };
    });
  // Stable: entries at one tick keep the order they happened in.
  return entries.sort((a, b) => a.tick - b.tick);
}

function timelineText(e: SimEvent): string {
  if (e.kind === 'command-refused') return `refused: ${e.message}`;
  if (e.kind === 'incident-mitigated') return `${e.message} (harm stopped here, confirmed ${MITIGATION_HOLD} s later)`;
  return e.message;
}

/** Won, lost, or not finished yet, as the command-line summary says it. */
export const reportStanding = (r: Report) => standing({ finished: r.period.finished, ticks: r.period.seconds, levelSeconds: r.period.levelSeconds, score: r.score });

/** The scenario command that most recently preceded an incident: what set it off. */
function triggerOf(inc: Incident, injects: readonly { tick: number; text: string }[]): string | null {
  const before = injects.filter((c) => c.tick <= inc.detectedAt);
  const last = before[before.length - 1];
  return last ? `at ${formatClock(last.tick)} the scenario ran \`${last.text}\`` : null;
}

function outcomeOf(events: readonly SimEvent[], tick: number, text: string): { outcome: 'applied' | 'refused'; detail: string } {
  const refused = events.find((e) => e.tick === tick && e.kind === 'command-refused' && e.data?.command === text);
  if (refused) return { outcome: 'refused', detail: refused.message };
  return { outcome: 'applied', detail: '' };
}

function assess(incidents: ReportIncident[], actions: ReportAction[], dataLostGB: number, score: Score): { wentWell: string[]; wentBadly: string[] } {
  const wentWell: string[] = [];
  const wentBadly: string[] = [];
  for (const inc of incidents) {
    const ack = inc.secondsToAcknowledge;
    if (ack === null) wentBadly.push(`${inc.id} was never acknowledged.`);
    else if (ack <= ACK_TARGET) wentWell.push(`${inc.id} acknowledged in ${formatClock(ack)}, within the ${ACK_TARGET / 60}-minute target.`);
    else wentBadly.push(`${inc.id} took ${formatClock(ack)} to acknowledge (target ${ACK_TARGET / 60} minutes).`);
    const mit = inc.secondsToMitigate;
    if (mit === null) wentBadly.push(`${inc.id} was never mitigated.`);
    else if (mit <= MITIGATE_TARGET) wentWell.push(`${inc.id} mitigated in ${formatClock(mit)}.`);
    else wentBadly.push(`${inc.id} took ${formatClock(mit)} to mitigate (target ${MITIGATE_TARGET / 60} minutes).`);
  }
  if (dataLostGB > 0) wentBadly.push(`${dataLostGB} GB of instance store data was lost: it lives on the host and goes with stop, terminate and host failure.`);
  else wentWell.push('No data was lost.');
  const refused = actions.filter((a) => a.outcome === 'refused');
  if (refused.length) wentBadly.push(`${refused.length} command${refused.length > 1 ? 's were' : ' was'} refused (first: ${refused[0]!.detail}).`);
  for (const o of score.objectives) (o.met ? wentWell : wentBadly).push(`Objective "${o.text}" ${o.met ? 'met' : 'missed'}: ${o.detail}.`);
  return { wentWell, wentBadly };
}

function summaryLine(s: Summary, incidents: ReportIncident[], sloMinutes: number, failed: number): string {
  const sev = incidents.length ? `${counted(incidents.length, 'incident')} (${incidents.map((i) => `${i.id} ${i.severity}`).join(', ')})` : 'no incidents';
  const { score } = s;
  const outcome = !s.finished
    ? `Play stopped at ${formatClock(s.ticks)} of ${formatClock(s.levelSeconds)}, before the level's end; so far ${score.won ? 'all objectives are met' : 'some objectives are missed'}`
    : score.won
      ? 'All objectives were met'
      : 'Some objectives were missed';
  return `During "${s.title}" the fleet had ${sev}. Workloads spent ${counted(sloMinutes, 'minute')} outside their SLOs, ${counted(failed, 'request')} failed and ${s.dataLostGB} GB of data was lost. ${outcome}: ${score.points}/${score.max} points, grade ${score.grade}.`;
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
  for (const key of Object.keys(session.world.spotPools)) spotCapacity[key] = samples.map((x) => x.spot[key]?.capacity ?? 0);
  return {
    tick: samples.map((x) => x.tick),
    running: samples.map((x) => x.running),
    ebsMiBps: samples.map((x) => x.ebs.deliveredMiBps),
    ebsQueue: samples.map((x) => x.ebs.maxQueue),
    workloads,
    spotCapacity,
  };
}
