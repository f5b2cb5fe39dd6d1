// Harm no incident covered: stretches of a run in which a workload was out of its SLO while no
// incident about it was open. A burn opens an incident only after a minute on end of errors at ten
// times the SLO's budget or of slow answers, so a surge met by capacity twenty seconds late, a
// stop that leaves nothing serving for half a minute, or a workload failing just under that rate
// hurts customers with nothing on the board; a postmortem that counts that harm in its totals has
// to say where it came from.
// Read from the SLO's points (see slo-series.ts), so each stretch is known to the sample: it began
// after `from` and was over by `to`, SAMPLE_EVERY seconds apart at most at either end.
import { BURN_TICKS, type Incident } from '../game/incidents.js';
import type { Session } from '../game/session.js';
import type { Source } from '../game/command-log.js';
import { SAMPLE_EVERY } from '../game/metrics.js';
import { shownCommand, withinSlo } from '../sim/index.js';
import { actInstances, type Act } from './acts.js';
import { actAt, cutOffBy, incidentWorkloads, runningBefore } from './causes.js';
import { harmBetween, type SloPoint } from './slo-series.js';
import { surgeWindows, type SurgeWindow } from './surges.js';
import { duration, type Moment } from './time.js';

/**
 * Why no incident covered the stretch: over before a burn's minute could pass (`short`); out of
 * its SLO for longer, but never burning for a minute on end (`below-burn`): in spells, or failing
 * above the SLO's budget but under a burn's rate.
 */
export type UncoveredWhy = 'short' | 'below-burn';

/**
 * What a command listed with a stretch did to its workload: took out the last instance serving it
 * (`left-unserved`, a responder's stop, termination or reboot after which none served), or cut it
 * off (`cut-off`, a network change that shut its clients out or closed its way out; see CUT_OFF).
 */
export type StretchEffect = 'left-unserved' | 'cut-off';

export interface HarmOutside {
  workload: string;
  /** The samples around it: the harm began after `from` and was over by `to`. */
  from: Moment;
  to: Moment;
  /** Whether it lasted to the run's end: whether it was over, or would have opened a burn, is not known. */
  ongoing: boolean;
  /** Seconds the workload was out of its SLO in it. */
  sloSecondsMissed: number;
  requestsFailed: number;
  why: UncoveredWhy;
  /** The demand surge on the workload that ran in it (`surge-demand`, as given), if any. */
  surge: { at: Moment; command: string; factor: number } | null;
  /**
   * Commands from the sample before it to its end that bore on the workload, as given: the
   * responders' on its instances, and anyone's that took its last serving instance or cut it off.
   */
  commands: { at: Moment; source: Source; command: string; effect: StretchEffect | null }[];
}

/** An incident's span as the report counts it: from its onset to its resolution (or the run's end). */
export interface CoveredSpan {
  incident: Incident;
  onset: number;
}

/** Commands that take an instance, or what it serves from, out of service. */
const TAKES = new Set(['stop', 'terminate', 'reboot', 'detach-volume']);

/**
 * The stretches of the run, in the order they began, in which a workload was out of its SLO and
 * no incident about it (see incidentWorkloads) was open, from the run's SLO points (sloPoints): a
 * span between two points counts as covered when it meets an incident's onset..resolution at all
 * (harm back after a mitigation, before the resolution, is the open incident's).
 */
export function harmOutsideIncidents(
  session: Session,
  points: readonly SloPoint[],
  spans: readonly CoveredSpan[],
  acts: readonly Act[],
  moment: (tick: number) => Moment,
): HarmOutside[] {
  const { world } = session;
  const end = session.tick;
  const surges = surgeWindows(acts);
  const out: HarmOutside[] = [];
  for (const name of Object.keys(world.workloads)) {
    const open = spans
      .filter((s) => incidentWorkloads(world, s.incident).includes(name))
      .map((s) => ({ from: s.onset, to: s.incident.resolvedAt ?? end }));
    let run: Run | null = null;
    const close = () => {
      if (run) out.push(stretch(session, name, run, acts, surges, moment));
      run = null;
    };
    for (let i = 1; i < points.length; i++) {
      const [before, after] = [points[i - 1]!, points[i]!];
      const harm = harmBetween(before, after, name);
      // A span that meets an incident's harm at all may be all that incident's: the points cannot tell.
      const covered = open.some((o) => o.from <= after.tick && before.tick < o.to);
      if (!harm || harm.missed <= 0 || covered) {
        close();
        continue;
      }
      run ??= { first: before, last: after, missed: 0, failed: 0 };
      run.last = after;
      run.missed += harm.missed;
      run.failed += harm.failed;
    }
    close();
  }
  // In the order they began; a sort keeps the world's order of workloads for those that began together.
  return out.sort((a, b) => a.from.tick - b.from.tick);
}

interface Run {
  first: SloPoint;
  last: SloPoint;
  missed: number;
  failed: number;
}

function stretch(
  session: Session,
  workload: string,
  run: Run,
  acts: readonly Act[],
  surges: readonly SurgeWindow[],
  moment: (tick: number) => Moment,
): HarmOutside {
  const { world, events } = session;
  const from = run.first.tick;
  const to = run.last.tick;
  const surge = surges.filter((w) => w.workload === workload && w.from < to && from < w.to).at(-1);
  // An instance purged since (an hour after it terminated) may have been the workload's: unknown.
  const member = (id: string) => (world.instances[id] ? world.instances[id].workload === workload : null);
  const onIt = (a: Act) => actInstances(a).some((id) => member(id) === true);
  const during = acts.filter((a) => a.outcome === 'applied' && from - SAMPLE_EVERY < a.tick && a.tick <= to);
  // After a second's responder commands the mistakes check tells that none serves the workload:
  // of them, the last that took out an instance running before it (and maybe the workload's) did
  // it, those before it having left the one it took; with none such, the last that touches no
  // instance at all (a volume detached).
  const leftUnserved = new Set<Act>();
  for (const e of events) {
    if (e.kind !== 'workload-unserved' || e.subject !== workload || e.tick <= from - SAMPLE_EVERY || e.tick > to)
      continue;
    const takers = during.filter((a) => a.tick === e.tick && a.source !== 'scenario' && TAKES.has(a.command.verb));
    const took = (a: Act) =>
      actInstances(a).some((id) => member(id) !== false && runningBefore(session, id, actAt(session, a)));
    const blamed = takers.filter(took).at(-1) ?? takers.filter((a) => !actInstances(a).length).at(-1);
    if (blamed) leftUnserved.add(blamed);
  }
  const commands = during.flatMap((act) => {
    const effect: StretchEffect | null = cutOffBy(session, act, workload).length
      ? 'cut-off'
      : leftUnserved.has(act)
        ? 'left-unserved'
        : null;
    const listed = effect !== null || (onIt(act) && (act.source !== 'scenario' || TAKES.has(act.command.verb)));
    return listed ? [{ at: moment(act.tick), source: act.source, command: act.command.text, effect }] : [];
  });
  // Shorter than a burn's minute, with room for the samples around it: no burn could have opened.
  const short = run.missed < BURN_TICKS && to - from <= BURN_TICKS + 2 * SAMPLE_EVERY;
  return {
    workload,
    from: moment(from),
    to: moment(to),
    ongoing: to === session.tick && !withinSlo(world.workloads[workload]!),
    sloSecondsMissed: run.missed,
    requestsFailed: Math.round(run.failed),
    why: short ? 'short' : 'below-burn',
    surge: surge ? { at: moment(surge.from), command: surge.act.command.text, factor: surge.factor } : null,
    commands,
  };
}

/** Commands a stretch's sentence names; the rest are counted. */
const COMMANDS_TOLD = 3;

/** The table cell of each reason. */
const UNCOVERED: Record<UncoveredWhy, string> = {
  short: 'over within a minute',
  'below-burn': 'never a burn for a minute on end',
};

/** Why no incident covered a stretch, in a few words: a table's cell. */
export const uncovered = (h: HarmOutside) =>
  h.ongoing && h.why === 'short' ? 'the run ended within a minute' : UNCOVERED[h.why];

/** What opens an SLO burn's incident (see detectFromState). */
const BURN =
  "burn (a minute on end of errors at ten times the SLO's budget, or of answers slower than its latency objective)";

/** Why no incident covered a stretch, as a sentence's end. */
function because(h: HarmOutside): string {
  if (h.why === 'short')
    return h.ongoing ? `the run ended before a ${BURN} could open one` : `it was over before a ${BURN} opens one`;
  return `it was never a ${BURN}: it was out of its SLO in spells${h.requestsFailed > 0 ? ", or failing above the SLO's budget but under a burn's rate" : ''}`;
}

/** What a listed command did to the stretch's workload, as a clause. */
const EFFECT: Record<StretchEffect, string> = {
  'left-unserved': ', which left no instance serving it',
  'cut-off': ', which cut instances of it off',
};

/**
 * A stretch as a postmortem tells it: `web was out of its SLO for 21 s and failed 10,639 requests
 * between 11:04:10 and 11:04:40 with no incident open: …`. `at` writes a moment's clock time.
 */
function outsideText(h: HarmOutside, at: (m: Moment) => string): string {
  const quoted = (text: string) => shownCommand(text, (part) => `\`${part}\``);
  const failed =
    h.requestsFailed > 0
      ? ` and failed ${h.requestsFailed.toLocaleString('en-US')} ${h.requestsFailed === 1 ? 'request' : 'requests'}`
      : ', though no request failed,';
  const told = h.commands
    .slice(0, COMMANDS_TOLD)
    .map((c) => `the ${c.source} ran ${quoted(c.command)} at ${at(c.at)}${c.effect ? EFFECT[c.effect] : ''}`);
  const more = h.commands.length - told.length;
  const parts = [
    h.surge && `demand rose to ${h.surge.factor} times its usual at ${at(h.surge.at)} (${quoted(h.surge.command)})`,
    told.length && `${told.join('; ')}${more > 0 ? `; and ${more} more commands` : ''}`,
    because(h),
  ];
  const until = h.ongoing
    ? `from ${at(h.from)} to the run's end at ${at(h.to)}`
    : `between ${at(h.from)} and ${at(h.to)}`;
  return `${h.workload} was out of its SLO for ${duration(h.sloSecondsMissed)}${failed} ${until} with no incident open: ${parts.filter(Boolean).join('; ')}.`;
}

/** A stretch that nothing in the record explains: over within a minute, with no surge and no command behind it. */
const unexplained = (h: HarmOutside) => h.why === 'short' && !h.ongoing && !h.surge && !h.commands.length;

/**
 * What a postmortem says of the harm no incident covered: each stretch as a sentence (see
 * outsideText), but the short ones nothing explains, when there are several, as one.
 */
export function outsideTexts(harm: readonly HarmOutside[], at: (m: Moment) => string): string[] {
  const blips = harm.filter(unexplained);
  if (blips.length < 2) return harm.map((h) => outsideText(h, at));
  const missed = blips.reduce((sum, h) => sum + h.sloSecondsMissed, 0);
  const failed = blips.reduce((sum, h) => sum + h.requestsFailed, 0);
  const workloads = [...new Set(blips.map((h) => h.workload))].join(', ');
  const explained = harm.filter((h) => !unexplained(h));
  const failedText = failed
    ? `${failed.toLocaleString('en-US')} ${failed === 1 ? 'request' : 'requests'} failed`
    : 'no request failed';
  return [
    ...explained.map((h) => outsideText(h, at)),
    `${blips.length} ${explained.length ? 'other ' : ''}short stretches out of SLO with no incident open (${workloads}, from ${at(blips[0]!.from)}; ${duration(missed)} in all, ${failedText}), each over before a ${BURN} opens one; Impact lists them.`,
  ];
}
