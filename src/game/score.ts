// The score a trainee can trust: five components, each from 0 to 1 and each explained, weighted by
// the level into points out of 1000, and a letter grade.
import type { Incident } from './incidents.js';
import { counted } from '../sim/index.js';
import { HINT_COST } from './mode.js';
import {
  attainmentText,
  chargeableDataLostGB,
  dataLossText,
  checkObjective,
  errorBudget,
  sloAttainment,
  sloTargets,
  type ErrorBudget,
  type Objective,
  type ObjectiveResult,
  type Outcome,
} from './objectives.js';

export interface ScoringWeights {
  availability: number;
  dataLoss: number;
  cost: number;
  response: number;
  objectives: number;
}

export const DEFAULT_WEIGHTS: ScoringWeights = {
  availability: 40,
  dataLoss: 15,
  cost: 15,
  response: 15,
  objectives: 15,
};

/** Targets for response: acknowledge within 5 minutes, mitigate within 15, as on-call runbooks ask. */
export const ACK_TARGET = 300;
export const MITIGATE_TARGET = 900;

export interface ScoreComponent {
  /** A level's weighted component, or `handler`: a real-time exercise's outside handler (handler-grade.ts). */
  name: keyof ScoringWeights | 'handler';
  value: number;
  weight: number;
  points: number;
  detail: string;
}

/** Points taken off for hints shown in training mode. */
export interface HintCharge {
  used: number;
  pointsEach: number;
  /** used × pointsEach, never more than the components earned. */
  points: number;
}

export interface Score {
  /** The components' points less the hints' charge. */
  points: number;
  max: number;
  grade: 'A' | 'B' | 'C' | 'D' | 'F';
  /** Every objective met at the level's end; null while play goes on (objectives' `met` say how it stands). */
  won: boolean | null;
  components: ScoreComponent[];
  hints: HintCharge;
  /** Harm done before any response was possible: reported as impact, not charged. */
  unavoidable: { dataLostGB: number };
  objectives: ObjectiveResult[];
}

/** 1 within the target, falling linearly to 0 at four times the target; 0 if it never happened. */
function timeliness(elapsed: number | null, target: number): number {
  if (elapsed === null) return 0;
  if (elapsed <= target) return 1;
  return Math.max(0, 1 - (elapsed - target) / (3 * target));
}

function responseScore(incidents: readonly Incident[]): { value: number; detail: string } {
  if (incidents.length === 0) return { value: 1, detail: 'no incidents' };
  const per = incidents.map(
    (i) =>
      (timeliness(i.acknowledgedAt === null ? null : i.acknowledgedAt - i.detectedAt, ACK_TARGET) +
        timeliness(i.mitigatedAt === null ? null : i.mitigatedAt - i.detectedAt, MITIGATE_TARGET)) /
      2,
  );
  const acked = incidents.filter((i) => i.acknowledgedAt !== null).length;
  const mitigated = incidents.filter((i) => i.mitigatedAt !== null).length;
  return {
    value: per.reduce((a, b) => a + b, 0) / per.length,
    detail: `${acked}/${incidents.length} acknowledged, ${mitigated}/${incidents.length} mitigated`,
  };
}

/**
 * Per workload an objective holds to its SLO: the error budget left and the share of seconds within
 * SLO, averaged. Every workload has an SLO (its limits on latency and requests served), but only an
 * objective sets the share of seconds it must meet, which this budget is cut from: a workload no
 * objective names counts by its share of seconds alone.
 */
function availabilityScore(out: Outcome, targets: ReadonlyMap<string, number>): { value: number; detail: string } {
  const workloads = Object.values(out.world.workloads);
  if (workloads.length === 0) return { value: 1, detail: 'no workloads' };
  const parts = workloads.map((wl) => {
    const attainment = sloAttainment(out, wl.name);
    const target = targets.get(wl.name);
    if (target === undefined)
      return {
        value: attainment,
        detail: `${wl.name} ${attainmentText(out, wl.name, 'within its SLO')} (no objective for it, so scored on that share alone)`,
      };
    const budget = errorBudget(out, wl.name, target);
    return { value: (Math.max(0, 1 - budget.burn) + attainment) / 2, detail: `${wl.name} ${budgetText(budget)}` };
  });
  return {
    value: parts.reduce((a, p) => a + p.value, 0) / parts.length,
    detail: parts.map((p) => p.detail).join('; '),
  };
}

/**
 * Whole percents, to the nearest, but a budget not quite spent never reads as 100% and one
 * overspent by a fraction never reads as 100% either (99% and 101%); a burn under 1% reads as
 * that, not as 1% (one second of a day's 1,440 allowed is 0.07%). 928 s of 1,440 is 64%, not 65%.
 */
export function burnPercent(burn: number): string {
  if (burn > 0 && burn < 0.01) return 'under 1';
  const pct = Math.max(0, 100 * burn);
  const whole = Math.round(pct);
  return `${whole === 100 && Math.abs(pct - 100) > 1e-9 ? (pct < 100 ? 99 : 101) : whole}`;
}

function budgetText(b: ErrorBudget): string {
  const spent = `${b.spentSeconds} s out of SLO`;
  if (b.allowedSeconds === 0)
    return b.spentSeconds === 0 ? 'had no error budget and spent none' : `had no error budget and spent ${spent}`;
  return `burned ${burnPercent(b.burn)}% of its error budget (${spent}, ${Number(b.allowedSeconds.toFixed(1))} s allowed)`;
}

/** What the hints shown cost, as the score's breakdown says it. */
export function hintChargeText(h: HintCharge): string {
  return `${counted(h.used, 'hint')} shown, ${h.pointsEach} points each`;
}

function grade(points: number, max: number): Score['grade'] {
  const share = points / max;
  return share >= 0.9 ? 'A' : share >= 0.8 ? 'B' : share >= 0.7 ? 'C' : share >= 0.6 ? 'D' : 'F';
}

/** Points out of 100 (weight 10) that a graded handler adds to a real-time exercise's score. */
export const HANDLER_WEIGHT = 10;

/** The score with the handler's grade (0..1) as one more component, weighed in with the rest. */
export function withHandler(score: Score, value: number, detail: string): Score {
  const component: ScoreComponent = {
    name: 'handler',
    value,
    weight: HANDLER_WEIGHT,
    points: Math.round(value * HANDLER_WEIGHT * 10),
    detail,
  };
  const points = score.points + component.points;
  const max = score.max + HANDLER_WEIGHT * 10;
  return { ...score, points, max, grade: grade(points, max), components: [...score.components, component] };
}

/** `hintsUsed`: hints shown in training mode, each costing HINT_COST points. */
export function scoreOutcome(
  out: Outcome,
  objectives: readonly Objective[],
  weights: ScoringWeights,
  budgetUsd: number,
  dataLossToleranceGB: number,
  hintsUsed = 0,
): Score {
  const results = objectives.map((o) => checkObjective(o, out));
  const met = results.filter((r) => r.met).length;
  const availability = availabilityScore(out, sloTargets(objectives));
  const response = responseScore(out.incidents);
  const values: Record<keyof ScoringWeights, { value: number; detail: string }> = {
    availability,
    dataLoss: { value: Math.max(0, 1 - chargeableDataLostGB(out) / dataLossToleranceGB), detail: dataLossText(out) },
    cost: {
      value: out.costUsd <= budgetUsd ? 1 : Math.max(0, 1 - (out.costUsd - budgetUsd) / budgetUsd),
      detail: `$${out.costUsd.toFixed(2)} of a $${budgetUsd.toFixed(2)} budget`,
    },
    response,
    objectives: {
      value: results.length ? met / results.length : 1,
      detail: `${met}/${counted(results.length, 'objective')} met`,
    },
  };
  const components = (Object.keys(weights) as (keyof ScoringWeights)[]).map((name) => {
    const { value, detail } = values[name];
    return { name, value, weight: weights[name], points: Math.round(value * weights[name] * 10), detail };
  });
  const earned = components.reduce((a, c) => a + c.points, 0);
  const hints = { used: hintsUsed, pointsEach: HINT_COST, points: Math.min(earned, hintsUsed * HINT_COST) };
  const points = earned - hints.points;
  const max = components.reduce((a, c) => a + c.weight * 10, 0);
  return {
    points,
    max,
    grade: grade(points, max),
    won: out.ended ? results.every((r) => r.met) : null,
    components,
    hints,
    unavoidable: { dataLostGB: Math.round(out.unavoidableDataLostGB * 10) / 10 },
    objectives: results,
  };
}
