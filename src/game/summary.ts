// The headline figures of a session, for the command line and the start of a report.
import { ledgerTotalMicros, formatClock, formatWorldTime } from '../sim/index.js';
import type { IncidentState, Severity } from './incidents.js';
import type { Score } from './score.js';
import type { Session } from './session.js';
import type { Mode } from './mode.js';

export interface Summary {
  /** Who responded: the name the play was started under, '' when none was given. */
  player: string;
  level: string;
  title: string;
  seed: string;
  /** training (hints on request, charged) or exam (no hints). */
  mode: Mode;
  /** Hints shown; their charge is in score.hints. */
  hintsUsed: number;
  ticks: number;
  /** The level's length; play that stopped short of it has not been won or lost. */
  levelSeconds: number;
  finished: boolean;
  startedAt: string;
  endedAt: string;
  hash: string;
  instances: Record<string, number>;
  workloads: {
    name: string;
    kind: string;
    servedPct: number;
    /** What a second must meet to count as within the SLO: its mean latency and the share of requests served. */
    slo: { latencyMs: number; availability: number };
    sloGoodSeconds: number;
    measuredSeconds: number;
    failedRequests: number;
  }[];
  /** `natGateways` only when the run had a NAT gateway. */
  costUsd: CostUsd;
  events: { total: number; warnings: number; errors: number };
  /** The responders' commands (player, script, handler); the level's own injects are not counted. */
  commands: { applied: number; refused: number };
  dataLostGB: number;
  /** Of dataLostGB, what was lost before any response was possible: impact, not charged. */
  unavoidableDataLostGB: number;
  incidents: { id: string; severity: Severity; state: IncidentState; title: string }[];
  score: Score;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** The play's outcome: won or lost only once the level has ended, else how far it has gone. */
export function outcome(s: Pick<Summary, 'finished' | 'ticks' | 'levelSeconds' | 'score'>): string {
  if (!s.finished) return `level not finished (${formatClock(s.ticks)} of ${formatClock(s.levelSeconds)})`;
  // Won means every objective met: with none set, the score alone judges the play.
  if (!s.score.objectives.length) return 'level ended (it sets no objectives)';
  return s.score.won ? 'level won' : 'objectives not met';
}

export function simulatedTime(session: Session, tick: number): string {
  return formatWorldTime(session.world, tick);
}

/** Outcomes of the responder's commands (player, script, handler); the scenario's own are not theirs. */
function responderCommandCounts(session: Session): Summary['commands'] {
  const counts = { applied: 0, refused: 0 };
  for (const e of session.events) {
    if (e.kind !== 'command-applied' && e.kind !== 'command-refused') continue;
    if (e.data?.source !== 'scenario') counts[e.kind === 'command-applied' ? 'applied' : 'refused']++;
  }
  return counts;
}

export function summarize(session: Session): Summary {
  const w = session.world;
  const instances: Record<string, number> = {};
  for (const id in w.instances) {
    const state = w.instances[id]!.state;
    instances[state] = (instances[state] ?? 0) + 1;
  }
  const micros = (n: number) => round(n / 1e6, 4);
  const { onDemandMicros, spotMicros, ebsMicros, publicIpv4Micros, natGatewayMicros } = w.ledger;
  return {
    player: session.player,
    level: session.level.id,
    title: session.level.title,
    seed: session.seed,
    mode: session.mode,
    hintsUsed: session.hintsUsed,
    ticks: w.tick,
    levelSeconds: session.level.duration,
    finished: session.finished,
    startedAt: simulatedTime(session, 0),
    endedAt: simulatedTime(session, w.tick),
    hash: session.hash(),
    instances,
    workloads: Object.values(w.workloads).map((wl) => ({
      name: wl.name,
      kind: wl.kind,
      servedPct: wl.stats.requests > 0 ? round((100 * wl.stats.served) / wl.stats.requests, 3) : 100,
      slo: { latencyMs: wl.slo.latencyMs, availability: wl.slo.availability },
      sloGoodSeconds: wl.stats.goodSeconds,
      measuredSeconds: wl.stats.measuredSeconds,
      failedRequests: Math.round(wl.stats.failed),
    })),
    costUsd: {
      total: micros(ledgerTotalMicros(w.ledger)),
      onDemand: micros(onDemandMicros),
      spot: micros(spotMicros),
      ebs: micros(ebsMicros),
      publicIpv4: micros(publicIpv4Micros),
      ...(natGatewayMicros === undefined ? {} : { natGateways: micros(natGatewayMicros) }),
    },
    events: {
      total: session.events.length,
      warnings: session.events.filter((e) => e.level === 'warn').length,
      errors: session.events.filter((e) => e.level === 'error').length,
    },
    commands: responderCommandCounts(session),
    dataLostGB: round(session.dataLostGB, 1),
    unavoidableDataLostGB: round(session.unavoidableDataLostGB, 1),
    incidents: session.incidents.map((i) => ({ id: i.id, severity: i.severity, state: i.state, title: i.title })),
    score: session.score(),
  };
}

/** A play's bill in USD, in total and by what it paid for; natGateways only when the play had one. */
export interface CostUsd {
  total: number;
  onDemand: number;
  spot: number;
  ebs: number;
  publicIpv4: number;
  natGateways?: number;
}

/**
 * The bill's parts in dollars and cents, adding up to its total as shown (`on-demand $0.30, Spot
 * $0.00, EBS $0.01, public IPv4 $0.01` under $0.32): each part is cut to whole cents, and the cents
 * cut off go back one each to the parts that lost the most (the largest-remainder method), where
 * rounding each alone could show parts that do not add up to the total.
 */
export function costPartsText(cost: CostUsd): string {
  const parts: [string, number][] = [
    ['on-demand', cost.onDemand],
    ['Spot', cost.spot],
    ['EBS', cost.ebs],
    ['public IPv4', cost.publicIpv4],
    ...(cost.natGateways === undefined ? [] : [['NAT gateways', cost.natGateways] as [string, number]]),
  ];
  const exact = parts.map(([, usd]) => usd * 100);
  const cents = exact.map((c) => Math.floor(c + 1e-9));
  const byRemainder = exact.map((_, i) => i).sort((a, b) => exact[b]! - cents[b]! - (exact[a]! - cents[a]!) || a - b);
  let left = Math.round(cost.total * 100) - cents.reduce((a, c) => a + c, 0);
  for (let k = 0; left > 0 && k < byRemainder.length; k++, left--) cents[byRemainder[k]!]!++;
  return parts.map(([name], i) => `${name} $${(cents[i]! / 100).toFixed(2)}`).join(', ');
}
