// A level's objectives: what "winning" means, checked against the world and the incidents at
// the end of play (and shown live while playing).
import { type World, counted, firstFew, percentText, servingSplit } from '../sim/index.js';
import type { Incident } from './incidents.js';

export type Objective =
  | { kind: 'slo'; workload: string; min: number }
  | { kind: 'no-data-loss' }
  | { kind: 'max-cost'; usd: number }
  | { kind: 'incidents-resolved' }
  | { kind: 'running'; workload: string; min: number };

/** Every objective kind a level may name, in the order the level reference lists them. */
export const OBJECTIVE_KINDS = [
  'slo',
  'no-data-loss',
  'max-cost',
  'incidents-resolved',
  'running',
] as const satisfies readonly Objective['kind'][];

export interface ObjectiveResult {
  text: string;
  met: boolean;
  detail: string;
}

export interface Outcome {
  world: World;
  incidents: readonly Incident[];
  dataLostGB: number;
  /** Of dataLostGB, what was lost before any response was possible: reported, not charged. */
  unavoidableDataLostGB: number;
  costUsd: number;
  /**
   * Seconds of the level still to play, counted as within SLO: 0 for the score as it stands (and
   * the final one); the rest of the level for a projection to its end.
   */
  remainingSeconds?: number;
  /** Whether the level has ended: until it has, play is neither won nor lost. */
  ended: boolean;
}

/** A workload's seconds measured and good, with the level's remaining seconds counted as good. */
export function projectedSeconds(
  out: Pick<Outcome, 'world' | 'remainingSeconds'>,
  workload: string,
): { measuredSeconds: number; goodSeconds: number } {
  const { measuredSeconds, goodSeconds } = out.world.workloads[workload]!.stats;
  const rest = out.remainingSeconds ?? 0;
  return { measuredSeconds: measuredSeconds + rest, goodSeconds: goodSeconds + rest };
}

/** Data lost that the responder could have kept. */
export const chargeableDataLostGB = (out: Pick<Outcome, 'dataLostGB' | 'unavoidableDataLostGB'>) =>
  Math.max(0, out.dataLostGB - out.unavoidableDataLostGB);

/** Gigabytes to one decimal, as the summary and the report give them: `76.8`, `84`. */
const gb = (n: number) => Math.round(n * 10) / 10;

/** What was lost, and which part no response could have saved. */
export function dataLossText(out: Pick<Outcome, 'dataLostGB' | 'unavoidableDataLostGB'>): string {
  const lost = `${gb(out.dataLostGB)} GB of data lost`;
  if (out.unavoidableDataLostGB === 0) return lost;
  return `${lost}, ${gb(out.unavoidableDataLostGB)} GB of it unavoidable (instance store gone in the second its host failed) and not charged`;
}

/** The share of measured seconds within SLO (see projectedSeconds for `remainingSeconds`). */
export function sloAttainment(out: Pick<Outcome, 'world' | 'remainingSeconds'>, workload: string): number {
  const stats = projectedSeconds(out, workload);
  return stats.measuredSeconds > 0 ? stats.goodSeconds / stats.measuredSeconds : 1;
}

/** What a workload's seconds within its SLO say, as `SLO met 99.5% of the time`; before any was measured, that none was. */
export function attainmentText(
  out: Pick<Outcome, 'world' | 'remainingSeconds'>,
  workload: string,
  within = 'SLO met',
): string {
  if (projectedSeconds(out, workload).measuredSeconds === 0) return 'no second measured yet';
  return `${within} ${pct(sloAttainment(out, workload))} of the time`;
}

export interface ErrorBudget {
  /** Seconds out of SLO the target allows over the seconds measured. */
  allowedSeconds: number;
  /** Seconds out of SLO so far. */
  spentSeconds: number;
  /** spent / allowed: above 1 the target is missed. */
  burn: number;
}

/**
 * A level's SLO is a share of seconds in which the workload met its latency and error limits, so its
 * error budget is the seconds it may miss, over the same seconds the attainment is measured on:
 * the budget is overspent exactly when the objective is missed.
 */
export function errorBudget(
  out: Pick<Outcome, 'world' | 'remainingSeconds'>,
  workload: string,
  target: number,
): ErrorBudget {
  return budgetOf(projectedSeconds(out, workload), target);
}

/** The error budget of seconds counted so far, e.g. up to a sample. */
export function budgetOf(
  { measuredSeconds, goodSeconds }: { measuredSeconds: number; goodSeconds: number },
  target: number,
): ErrorBudget {
  const allowedSeconds = (1 - target) * measuredSeconds;
  const spentSeconds = measuredSeconds - goodSeconds;
  const burn = spentSeconds === 0 ? 0 : allowedSeconds > 0 ? spentSeconds / allowedSeconds : Infinity;
  return { allowedSeconds, spentSeconds, burn };
}

/** Whether the budget held; the tolerance absorbs float error in `1 - target` at the boundary. */
export const budgetHeld = (b: ErrorBudget) => b.spentSeconds <= b.allowedSeconds + 1e-9;

/** The SLO targets a level sets, by workload. */
export function sloTargets(objectives: readonly Objective[]): Map<string, number> {
  return new Map(objectives.flatMap((o) => (o.kind === 'slo' ? [[o.workload, o.min] as const] : [])));
}

/** Instances not serving that an objective's detail names for each reason; more are counted. */
const SHOWN_IDLE = 3;

const pct = (n: number) => percentText(100 * n, 1);

export function describeObjective(o: Objective): string {
  switch (o.kind) {
    case 'slo':
      return `${o.workload} meets its SLO ${pct(o.min)} of the time`;
    case 'no-data-loss':
      return 'lose no data';
    case 'max-cost':
      return `spend at most $${o.usd.toFixed(2)}`;
    case 'incidents-resolved':
      return 'every incident resolved by the end';
    case 'running':
      return `${counted(o.min, 'instance')} serving ${o.workload} at the end`;
  }
}

/**
 * An objective as it stands. One judged at the level's end (every incident resolved, instances
 * serving) says so in its detail while play goes on: met so far is not met.
 */
export function checkObjective(o: Objective, out: Outcome): ObjectiveResult {
  const result = objectiveNow(o, out);
  const atEnd = o.kind === 'incidents-resolved' || o.kind === 'running';
  return atEnd && !out.ended ? { ...result, detail: `so far, judged at the end: ${result.detail}` } : result;
}

function objectiveNow(o: Objective, out: Outcome): ObjectiveResult {
  const text = describeObjective(o);
  switch (o.kind) {
    case 'slo': {
      return { text, met: budgetHeld(errorBudget(out, o.workload, o.min)), detail: attainmentText(out, o.workload) };
    }
    case 'no-data-loss':
      return { text, met: chargeableDataLostGB(out) === 0, detail: dataLossText(out) };
    case 'max-cost':
      return { text, met: out.costUsd <= o.usd, detail: `spent $${out.costUsd.toFixed(2)}` };
    case 'incidents-resolved': {
      const open = out.incidents.filter((i) => i.state !== 'resolved');
      return {
        text,
        met: open.length === 0,
        detail: open.length ? `open: ${open.map((i) => i.id).join(', ')}` : `${out.incidents.length} resolved`,
      };
    }
    case 'running': {
      // Running is not serving: only instances the workload's clients reach, healthy and with its data, count.
      const { serving, idle } = servingSplit(out.world, o.workload);
      const byReason = new Map<string, string[]>();
      for (const { instance, why } of idle)
        byReason.set(why, [...(byReason.get(why) ?? []), instance.name ?? instance.id]);
      const why = [...byReason].map(([reason, names]) => `${firstFew(names, String, SHOWN_IDLE)}: ${reason}`);
      return { text, met: serving.length >= o.min, detail: [`${serving.length} serving`, ...why].join('; ') };
    }
  }
}
