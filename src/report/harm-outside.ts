// Harm no incident covered: stretches of a run in which a workload was out of its SLO while no
// incident about it was open. A burn opens an incident only after a minute on end of errors at ten
// times the SLO's budget or of slow answers, so a surge met by capacity twenty seconds late, a
// stop that leaves nothing serving for half a minute, or a workload failing just under that rate
// hurts customers with nothing on the board; a postmortem that counts that harm in its totals has
// to say where it came from.
// Read from the sampled series (see metrics.ts), so each stretch is known to the sample: it began
// after `from` and was over by `to`, SAMPLE_EVERY seconds apart at most at either end.
import { BURN_TICKS, type Incident } from '../game/incidents.js';
import type { Session } from '../game/session.js';
import { commandInput, shownCommand } from '../sim/index.js';
import { responders, type ResponderSource } from '../game/command-log.js';
import { SAMPLE_EVERY, type Sample } from '../game/metrics.js';
import { actInstances, type Act } from './acts.js';
import { incidentWorkloads } from './causes.js';
import { duration, type Moment } from './time.js';

/**
 * Why no incident covered the stretch: over before a burn's minute (`short`); out of its SLO for
 * longer, but never burning for a minute on end (`below-burn`): failing above the SLO's budget but
 * under a burn's rate, or burning in spells broken up.
 */
export type UncoveredWhy = 'short' | 'below-burn';

export interface HarmOutside {
  workload: string;
  /** The samples around it: the harm began after `from` and was over by `to`. */
  from: Moment;
  to: Moment;
  /** Seconds the workload was out of its SLO in it. */
  sloSecondsMissed: number;
  requestsFailed: number;
  why: UncoveredWhy;
  /** The demand surge on the workload that ran into it (`surge-demand`, as given), if any. */
  surge: { at: Moment; command: string; factor: number } | null;
  /**
   * The responders' commands on the workload's instances from the sample before it to its end, as
   * given; `leftUnserved` when the command left no instance serving the workload (see mistakes.ts).
   */
  commands: { at: Moment; source: ResponderSource; command: string; leftUnserved: boolean }[];
}

/** An incident's span of harm as the report counts it: from its onset to its mitigation (or the run's end). */
export interface CoveredSpan {
  incident: Incident;
  onset: number;
}

/**
 * The stretches of the run, in the order they began, in which a workload was out of its SLO and
 * no incident about it (see incidentWorkloads) was open: a sample's span counts as covered when
 * it meets an incident's onset..mitigation at all.
 */
export function harmOutsideIncidents(
  session: Session,
  spans: readonly CoveredSpan[],
  acts: readonly Act[],
  moment: (tick: number) => Moment,
): HarmOutside[] {
  const { world, samples } = session;
  const end = session.tick;
  const covering = (workload: string) =>
    spans
      .filter((s) => incidentWorkloads(world, s.incident).includes(workload))
      .map((s) => ({ from: s.onset, to: s.incident.mitigatedAt ?? end }));
  const out: HarmOutside[] = [];
  for (const name of Object.keys(world.workloads)) {
    const open = covering(name);
    let run: { first: Sample; last: Sample; missed: number; failed: number } | null = null;
    const close = () => {
      if (run) out.push(stretch(session, name, run, acts, moment));
      run = null;
    };
    for (let i = 1; i < samples.length; i++) {
      const before = samples[i - 1]!.workloads[name];
      const sample = samples[i]!;
      const now = sample.workloads[name];
      if (!before || !now) continue;
      const missed = now.measuredSeconds - before.measuredSeconds - (now.goodSeconds - before.goodSeconds);
      // A span that meets an incident's harm at all may be all that incident's: the samples cannot tell.
      const covered = open.some((o) => o.from <= sample.tick && samples[i - 1]!.tick < o.to);
      if (missed <= 0 || covered) {
        close();
        continue;
      }
      run ??= { first: samples[i - 1]!, last: sample, missed: 0, failed: 0 };
      run.last = sample;
      run.missed += missed;
      run.failed += now.errorRps * (sample.tick - samples[i - 1]!.tick);
    }
    close();
  }
  // In the order they began; a sort keeps the world's order of workloads for those that began together.
  return out.sort((a, b) => a.from.tick - b.from.tick);
}

function stretch(
  { world, events }: Session,
  workload: string,
  run: { first: Sample; last: Sample; missed: number; failed: number },
  acts: readonly Act[],
  moment: (tick: number) => Moment,
): HarmOutside {
  const from = run.first.tick;
  const to = run.last.tick;
  const surge = acts
    .filter((a) => {
      const input = a.outcome === 'applied' ? commandInput(a.command, 'surge-demand') : null;
      return !!input && input.workload === workload && a.tick <= to && from < a.tick + input.for;
    })
    .at(-1);
  const factor = surge && commandInput(surge.command, 'surge-demand')!.factor;
  const unservedAt = (tick: number) =>
    events.some((e) => e.kind === 'workload-unserved' && e.tick === tick && e.subject === workload);
  // The mistakes check tells after a second's commands which workloads they left unserved: of that
  // second's commands, those on the workload's instances did it, or, with none on them, all did (a
  // network change touches no instance).
  const onIt = (a: Act) => actInstances(a).some((id) => world.instances[id]?.workload === workload);
  const during = responders(acts).filter(
    (a) => a.outcome === 'applied' && from - SAMPLE_EVERY < a.tick && a.tick <= to,
  );
  const commands = during
    .map((act) => {
      const unserved = unservedAt(act.tick);
      const blamed = unserved && (onIt(act) || !during.some((b) => b.tick === act.tick && onIt(b)));
      return { act, listed: onIt(act) || blamed, leftUnserved: blamed };
    })
    .filter((c) => c.listed)
    .map(({ act, leftUnserved }) => ({
      at: moment(act.tick),
      source: act.source as ResponderSource,
      command: act.command.text,
      leftUnserved,
    }));
  return {
    workload,
    from: moment(from),
    to: moment(to),
    sloSecondsMissed: run.missed,
    requestsFailed: Math.round(run.failed),
    why: run.missed < BURN_TICKS ? 'short' : 'below-burn',
    surge: surge ? { at: moment(surge.tick), command: surge.command.text, factor: factor! } : null,
    commands,
  };
}

/** Commands a stretch's sentence names; the rest are counted. */
const COMMANDS_TOLD = 3;

/** Why no incident covered a stretch, in a few words: a table's cell. */
export const UNCOVERED: Record<UncoveredWhy, string> = {
  short: 'over within a minute',
  'below-burn': 'never a burn for a minute on end',
};

/** What opens an SLO burn's incident (see detectFromState). */
const BURN =
  "burn (a minute on end of errors at ten times the SLO's budget, or of answers slower than its latency objective)";

/** Why no incident covered a stretch, as a sentence's end. */
const BECAUSE: Record<UncoveredWhy, string> = {
  short: `it was over before a ${BURN} opens one`,
  'below-burn': `it was never a ${BURN}: its errors stayed above the SLO's budget but under a burn's rate, or came in spells`,
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
    .map((c) => `${quoted(c.command)} at ${at(c.at)}${c.leftUnserved ? ', which left no instance serving it' : ''}`);
  const more = h.commands.length - told.length;
  const parts = [
    h.surge && `demand rose to ${h.surge.factor} times its usual at ${at(h.surge.at)} (${quoted(h.surge.command)})`,
    told.length && `the responders ran ${told.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    BECAUSE[h.why],
  ];
  return `${h.workload} was out of its SLO for ${duration(h.sloSecondsMissed)}${failed} between ${at(h.from)} and ${at(h.to)} with no incident open: ${parts.filter(Boolean).join('; ')}.`;
}

/** A stretch that nothing in the record explains: over within a minute, with no surge and no command behind it. */
const unexplained = (h: HarmOutside) => h.why === 'short' && !h.surge && !h.commands.length;

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
