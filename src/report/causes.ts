// Why each incident happened, from the model's own record of the run: what failed, what the
// responders did that made it worse or better, and which signal could have told them sooner.
// Blameless wording: a finding names what the system allowed, and what would stop it next time.
import { saturatedVolumes, type Incident } from '../game/incidents.js';
import type { Sample } from '../game/metrics.js';
import { CUT_OFF, NETWORK_CHANGES } from '../game/mistakes.js';
import type { Session } from '../game/session.js';
import {
  commandInput,
  concerns,
  concernsAny,
  hibernates,
  firstFew,
  subjectsOf,
  agrees,
  counted,
  type Instance,
  type SimEvent,
  type World,
  INTERNET_CLIENT,
  networkAclOf,
  placeFinder,
  routeTableOf,
  securityGroupsAllow,
  spotPoolKey,
  VPC_CLIENT,
  shownCommand,
  lostByResponder,
  rows,
  stopsInstance,
  type ScheduledEventCode,
} from '../sim/index.js';
import { actInstances, type Act } from './acts.js';
import { duration } from './time.js';
import { surgeWindows, type SurgeWindow } from './surges.js';

/** What a responder's act did to an incident, as the model recorded it (the report schema lists the same). */
export const FINDING_KINDS = Object.freeze([
  'launch-without-security-group',
  'stop-lost-instance-store',
  'stop-lost-noticed-store',
  'plain-stop-on-failed-host',
  'launch-into-reclaimed-pool',
  'took-serving-capacity',
  'cut-off-by-network-change',
  'acted-on-notice',
] as const);

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Factor {
  /** Whether it made the incident worse or shortened it. */
  effect: 'worse' | 'better';
  /** Who did it: a responder's command, or the system on its own (automatic recovery). */
  by: 'responder' | 'system';
  tick: number;
  /** The responder's command it is about, as logged; null for what the system did. */
  command: string | null;
  text: string;
  finding: FindingKind | null;
  /** The workload or security groups a finding is about, for its action item. */
  about: string[];
}

export interface Signal {
  /** The signal's usual name: a CloudWatch metric, an IMDS path, an EC2 API. */
  signal: string;
  /** When the model first raised it in this run, or null if it never did. */
  tick: number | null;
  /** Seconds it came before the incident opened; 0 when it is what opened it. */
  leadSeconds: number | null;
  text: string;
}

/**
 * What set an incident off. For an SLO burn: a network change that cut the workload's members off
 * from its clients or its way out; else a responder's stop or terminate of a member serving it;
 * else, with nothing else in the record to explain it, the network keeping its clients from every
 * member that would have served it as the burn opened (Incident.shutOut); else a want of capacity
 * (members lost, demand grown). For an EBS saturation: the volume's own limits or the instance's
 * EBS bandwidth. Null for other kinds, and where the run does not say.
 */
export type Trigger = 'network-change' | 'network-rules' | 'response' | 'capacity' | 'volume' | 'instance' | null;

export interface Analysis {
  /** When the harm began: the tick the condition the incident was opened on first held. */
  onset: number;
  rootCause: string;
  trigger: Trigger;
  /**
   * The command that set the incident off, where the analysis found it (the network change that cut
   * a workload off, a responder's stop that took its capacity, a demand surge), whoever gave it;
   * else null, and the report looks for the scenario's command that concerns it.
   */
  triggeredBy: Act | null;
  factors: Factor[];
  signals: Signal[];
}

export interface CauseContext {
  session: Session;
  acts: Act[];
  /** A tick as the report's prose writes it (a clock time). */
  at: (tick: number) => string;
  /** The ticks a sustained condition must hold before its incident opens, by kind. */
  holdTicks: Partial<Record<Incident['kind'], number>>;
}

const label = (world: World, id: string) => world.instances[id]?.name ?? id;
const names = (world: World, ids: string[]) => ids.map((id) => label(world, id)).join(', ');
const responder = (a: Act) => a.source !== 'scenario';
const quoted = (a: Act) => shownCommand(a.command.text, (part) => `\`${part}\``);

/**
 * The workloads an incident touches: its subject for an SLO burn, else those its instances served
 * when they joined it (looked up in the world for an incident saved before those were kept).
 */
export function incidentWorkloads(world: World, inc: Incident): string[] {
  if (inc.kind === 'slo-burn') return [inc.subject];
  if (inc.workloads) return inc.workloads;
  return [...new Set(inc.instances.map((id) => world.instances[id]?.workload).filter((w): w is string => !!w))].sort();
}

/**
 * The network-allowance-exceeded alarms of the incident's workloads' instances from ten minutes
 * before its onset until a minute after it opened: ENA drivers counting packets over the
 * instances' bandwidth allowances, which fail requests whatever the CPU.
 */
function allowanceAlarms(session: Session, inc: Incident, onset: number): SimEvent[] {
  const workloads = incidentWorkloads(session.world, inc);
  return session.events.filter(
    (e) =>
      e.kind === 'network-allowance-exceeded' &&
      e.tick >= onset - 600 &&
      e.tick <= inc.detectedAt + 60 &&
      subjectsOf(e).some((id) => workloads.includes(session.world.instances[id]?.workload ?? '')),
  );
}

const endOf = (session: Session, inc: Incident) => inc.resolvedAt ?? session.tick;

/**
 * How long before an SLO burn's onset a command still counts among its causes: ten minutes, the
 * window in which an incident it follows from is looked for too (see precursors). A choice of this
 * simulation: a command hours before the burn is history, not its cause.
 */
const BURN_LOOKBACK = 600;

/** When the harm began: the tick the condition the incident was opened on first held. */
const onsetOf = (ctx: CauseContext, inc: Incident) =>
  Math.max(0, inc.detectedAt - ((ctx.holdTicks[inc.kind] ?? 1) - 1));

/**
 * Acts that bear on an incident: issued from the harm's onset (a responder may act on an early
 * signal, a volume's alarm, before the incident opens) until it ended. For an SLO burn, from ten
 * minutes before its onset (BURN_LOOKBACK): what came by the mitigation of the workload's burn
 * before it was that burn's, and once its own is mitigated, what comes is the next burn's if one
 * opens.
 */
function relevantActs(ctx: CauseContext, inc: Incident): Act[] {
  const burn = inc.kind === 'slo-burn';
  let from = onsetOf(ctx, inc) - (burn ? BURN_LOOKBACK : 0);
  let to = endOf(ctx.session, inc);
  if (burn)
    for (const o of ctx.session.incidents) {
      if (o.kind !== 'slo-burn' || o.subject !== inc.subject) continue;
      if (o.detectedAt < inc.detectedAt && o.mitigatedAt !== null) from = Math.max(from, o.mitigatedAt + 1);
      if (o.detectedAt > inc.detectedAt && inc.mitigatedAt !== null) to = Math.min(to, inc.mitigatedAt);
    }
  return ctx.acts.filter((a) => responder(a) && a.tick >= from && a.tick <= to);
}

/**
 * Kinds of event that tell a network change; the subject of each is the group, ACL, route table,
 * subnet or NAT gateway changed, or the instance an Elastic IP was given or taken.
 */
const CHANGES: ReadonlySet<string> = new Set([
  'ingress-authorized',
  'ingress-revoked',
  'address-associated',
  'address-disassociated',
  ...NETWORK_CHANGES,
]);

/** What an act changed on the network: the subjects of its change events, and the instance an Elastic IP was moved from. */
const changedBy = (act: Act) =>
  new Set(
    act.effects
      .filter((e) => CHANGES.has(e.kind))
      .flatMap((e) => (typeof e.data?.from === 'string' ? [e.subject, e.data.from] : [e.subject])),
  );

/**
 * Whether an act changed something on the path to an instance of `workloads`: the instance's
 * Elastic IP, a security group one carries, or its subnet, that subnet's network ACL or route table.
 */
function onPathOf(world: World, workloads: readonly string[], act: Act): boolean {
  const changed = changedBy(act);
  if (!changed.size) return false;
  const place = placeFinder(world);
  for (const id in world.instances) {
    const inst = world.instances[id]!;
    const eni = world.enis[inst.eniId];
    if (!eni || inst.workload === null || !workloads.includes(inst.workload)) continue;
    if (changed.has(inst.id) || eni.securityGroupIds.some((g) => changed.has(g))) return true;
    const { layout, subnet } = place(eni);
    if ([subnet.id, networkAclOf(layout, subnet).id, routeTableOf(layout, subnet).id].some((x) => changed.has(x)))
      return true;
  }
  return false;
}

/**
 * The events that told of members of `workload` an act's network change cut off (see CUT_OFF):
 * told in the second of the act, about what it changed.
 */
export function cutOffBy(session: Session, act: Act, workload: string): SimEvent[] {
  const changed = changedBy(act);
  if (!changed.size) return [];
  return session.events.filter(
    (e) => e.tick === act.tick && CUT_OFF.has(e.kind) && changed.has(e.subject) && e.data?.workload === workload,
  );
}

function touches(world: World, inc: Incident, act: Act): boolean {
  // A change to what the incident is about: its volume modified, its host restored.
  if (act.effects.some((e) => e.subject === inc.subject)) return true;
  const workloads = incidentWorkloads(world, inc);
  // A change to a volume one of its workloads' instances has attached: the database's data volume.
  const attachedTo = (id: string) => world.instances[world.volumes[id]?.attachment?.instanceId ?? '']?.workload;
  if (act.effects.some((e) => workloads.includes(attachedTo(e.subject) ?? ''))) return true;
  const launchedFor = commandInput(act.command, 'launch')?.workload;
  if (launchedFor !== undefined && workloads.includes(launchedFor)) return true;
  return (
    actInstances(act).some(
      (id) =>
        inc.instances.includes(id) ||
        (world.instances[id]?.workload != null && workloads.includes(world.instances[id]!.workload!)),
    ) || onPathOf(world, workloads, act)
  );
}

/** Security groups a workload's first members carry: the level's own fleet, as it was set up. */
function workloadGroups(world: World, workload: string, except: Set<string>): string[] {
  const groups = new Set<string>();
  for (const id in world.instances) {
    const inst = world.instances[id]!;
    if (inst.workload !== workload || except.has(id)) continue;
    for (const g of world.enis[inst.eniId]?.securityGroupIds ?? []) groups.add(g);
  }
  return [...groups].sort();
}

const groupName = (world: World, id: string) => world.securityGroups[id]?.name ?? id;

function clientReaches(world: World, inst: Instance, workload: string): boolean | null {
  const wl = world.workloads[workload];
  const eni = world.enis[inst.eniId];
  if (!wl || !eni) return null;
  return securityGroupsAllow(world, eni, 'tcp', wl.port, wl.public ? INTERNET_CLIENT : VPC_CLIENT);
}

/** Launches for a workload whose instances its clients could not reach through their security groups. */
function launchesWithoutGroup(ctx: CauseContext, acts: Act[]): Factor[] {
  const { world } = ctx.session;
  const found: Factor[] = [];
  // The same launch repeated in one second (a script's or a handler's burst) is told once, with all
  // it started.
  const bursts = new Map<string, { act: Act; workload: string; launched: string[] }>();
  for (const act of acts) {
    const workload = commandInput(act.command, 'launch')?.workload;
    if (act.outcome !== 'applied' || workload === undefined) continue;
    const launched = act.effects.filter((e) => e.kind === 'instance-launched').map((e) => e.subject);
    const key = `${act.tick} ${act.command.text}`;
    const burst = bursts.get(key);
    if (burst) burst.launched.push(...launched);
    else bursts.set(key, { act, workload, launched });
  }
  for (const { act, workload, launched } of bursts.values()) {
    const blocked = launched.filter(
      (id) => world.instances[id] && clientReaches(world, world.instances[id]!, workload) === false,
    );
    if (!blocked.length) continue;
    const own = new Set(world.enis[world.instances[blocked[0]!]!.eniId]?.securityGroupIds ?? []);
    const missing = workloadGroups(world, workload, new Set(launched)).filter((g) => !own.has(g));
    const wl = world.workloads[workload]!;
    const missingText = missing.length
      ? `without ${agrees(missing.length, 'security group', 'security groups')} ${missing.map((g) => groupName(world, g)).join(', ')}`
      : 'with security groups that do not admit its clients';
    found.push({
      effect: 'worse',
      by: 'responder',
      tick: act.tick,
      command: act.command.text,
      text: `${quoted(act)} started ${counted(blocked.length, 'instance')} for ${workload} (${names(world, blocked)}) ${missingText}: ${agrees(blocked.length, 'its', 'their')} ${agrees(own.size, 'group', 'groups')} (${[...own].map((g) => groupName(world, g)).join(', ')}) ${agrees(own.size, 'does', 'do')} not allow tcp/${wl.port} from ${wl.public ? 'the internet' : 'the VPC'}, so clients could not reach ${blocked.length === 1 ? 'it and it' : 'them and they'} carried no traffic.`,
      finding: 'launch-without-security-group',
      about: [workload, ...missing.map((g) => groupName(world, g))],
    });
  }
  return found;
}

/**
 * Stops, hibernations and terminations by a responder that emptied an instance store holding data:
 * of the incident's own instances, or for an SLO burn of its workload's (those `acts` touch). A
 * loss is the act's that began the instance's stop (see runningBefore): a stop that changed nothing,
 * or a forced one of an instance already stopping, did not lose it again.
 */
function storeLostByStop(ctx: CauseContext, inc: Incident, acts: Act[]): Factor[] {
  const { world } = ctx.session;
  const ours = (id: string) => inc.kind === 'slo-burn' || inc.instances.includes(id);
  const found: Factor[] = [];
  for (const act of acts) {
    if (!['stop', 'terminate'].includes(act.command.verb) || act.outcome !== 'applied') continue;
    const at = actAt(ctx.session, act);
    for (const id of actInstances(act).filter(ours)) {
      if (!runningBefore(ctx.session, id, at)) continue;
      const lost = storeLostBy(ctx.session, id, at);
      if (!lost) continue;
      const noticed = underNotice(ctx.session, id, at);
      const what = `${quoted(act)} lost ${lost.data?.gb} GB of instance store data on ${label(world, id)} at ${ctx.at(lost.tick)}`;
      found.push({
        effect: 'worse',
        by: 'responder',
        tick: act.tick,
        command: act.command.text,
        text: noticed
          ? `${what}, before any copy of it: instance store goes with the instance when EC2 acts on its notice, and a copy to EBS or S3 in the time the notice gives is what keeps it.`
          : `${what}: instance store lives on the host and goes with a stop or terminate, where a reboot keeps it.`,
        finding: noticed ? 'stop-lost-noticed-store' : 'stop-lost-instance-store',
        about: [label(world, id)],
      });
    }
  }
  return found;
}

/** The place in the session's event log of the act's first event; -1 for an act that told none. */
export function actAt(session: Session, act: Act): number {
  const [first] = act.effects;
  return first ? session.events.lastIndexOf(first) : -1;
}

/**
 * Whether instance `id` was under EC2's notice of a stop when the act at `at` came (see actAt), by
 * the events before it:
 * a Spot interruption notice not yet followed by a run again, or an instance-stop or retirement
 * scheduled and not yet ended. Its store was going with it anyway: a reboot keeps it no longer
 * than the notice, and only a copy keeps it.
 */
function underNotice(session: Session, id: string, at: number): boolean {
  const { events } = session;
  let spot = false;
  let scheduled = 0;
  const stops = (e: SimEvent) => stopsInstance(e.data?.code as ScheduledEventCode);
  for (let i = 0; i < at; i++) {
    const e = events[i]!;
    if (!concerns(e, id)) continue;
    if (e.kind === 'spot-interruption-notice') spot = true;
    else if (e.kind === 'instance-running') spot = false;
    else if (e.kind === 'scheduled-event' && stops(e)) scheduled++;
    else if (e.kind === 'scheduled-event-ended' && stops(e)) scheduled = Math.max(0, scheduled - 1);
  }
  return spot || scheduled > 0;
}

/**
 * The responder's loss of instance `id`'s store that the act at `at` brought (see actAt): told
 * after it, before the instance ran again.
 */
function storeLostBy(session: Session, id: string, at: number): SimEvent | undefined {
  const { events } = session;
  if (at < 0) return undefined;
  for (let i = at; i < events.length; i++) {
    const e = events[i]!;
    if (!concerns(e, id)) continue;
    if (e.kind === 'instance-store-lost' && lostByResponder(e.data?.why)) return e;
    if (e.kind === 'instance-starting' || e.kind === 'instance-running') return undefined;
  }
  return undefined;
}

/** Whether host `hostId` had failed by `tick` and not yet been restored. */
function hostDownAt(events: readonly SimEvent[], hostId: string, tick: number): boolean {
  let down = false;
  for (const e of events) {
    if (e.tick > tick) break;
    if (e.subject !== hostId) continue;
    if (e.kind === 'host-failed') down = true;
    if (e.kind === 'host-restored') down = false;
  }
  return down;
}

/** Plain stops of instances on a failed host: the stop waits for a guest that cannot answer. */
function hungStops(ctx: CauseContext, inc: Incident, acts: Act[]): Factor[] {
  if (inc.kind !== 'host-failure') return [];
  const { world, events } = ctx.session;
  const found: Factor[] = [];
  for (const [at, act] of acts.entries()) {
    const stop = commandInput(act.command, 'stop');
    if (!stop || act.outcome !== 'applied' || stop.force) continue;
    for (const id of actInstances(act)) {
      if (!inc.instances.includes(id) || !hostDownAt(events, inc.subject, act.tick)) continue;
      const stopped = events.find((e) => e.kind === 'instance-stopped' && e.tick > act.tick && concerns(e, id));
      // A forced stop or a termination no longer waits for the guest: the hang ends with it, in
      // the same second too (acts come in the order they were applied).
      const ended = acts.find(
        (a, i) =>
          i > at &&
          a.outcome === 'applied' &&
          (commandInput(a.command, 'stop')?.force || a.command.verb === 'terminate') &&
          actInstances(a).includes(id),
      );
      const end = Math.min(stopped?.tick ?? Infinity, ended?.tick ?? Infinity);
      // Forced in the same second, it never waited.
      if (end === act.tick) continue;
      const how =
        end === Infinity
          ? 'and was still stopping when the run ended'
          : ended && ended.tick === end
            ? `until ${quoted(ended)} at ${ctx.at(ended.tick)}`
            : `until the stop gave up waiting at ${ctx.at(end)}`;
      found.push({
        effect: 'worse',
        by: 'responder',
        tick: act.tick,
        command: act.command.text,
        text: `A plain ${quoted(act)} on the failed host ${inc.subject} waited for a guest that could not answer: ${label(world, id)} stayed stopping ${end === Infinity ? '' : `for ${duration(end - act.tick)} `}${how}. A forced stop does not wait.`,
        finding: 'plain-stop-on-failed-host',
        about: [label(world, id)],
      });
    }
  }
  return found;
}

/** Spot launches into the very pool an open interruption incident is reclaiming. */
function launchesIntoReclaimedPool(ctx: CauseContext, inc: Incident, acts: Act[]): Factor[] {
  if (inc.kind !== 'spot-interruption') return [];
  const { world, events } = ctx.session;
  const found: Factor[] = [];
  for (const act of acts) {
    const { verb, args, flags } = act.command;
    if (verb !== 'launch' || !flags.spot || typeof flags.az !== 'string') continue;
    const zone = world.zones.find((z) => z.name === flags.az || z.zoneId === flags.az);
    if (!zone || spotPoolKey(String(args.type), zone.zoneId) !== inc.subject) continue;
    const launched = act.effects.filter((e) => e.kind === 'instance-launched').map((e) => e.subject);
    // The ticks at which its instances were interrupted; a pool's interruptions of a second are one event.
    const interrupted = events
      .filter((e) => e.kind === 'spot-interrupted')
      .flatMap((e) =>
        subjectsOf(e)
          .filter((id) => launched.includes(id))
          .map(() => e.tick),
      );
    const result =
      act.outcome === 'refused'
        ? `it was refused${act.code ? ` with ${act.code}` : ''}, and the time went by`
        : interrupted.length
          ? `${counted(interrupted.length, 'instance')} of it ${interrupted.length === 1 ? 'was' : 'were'} interrupted in turn by ${ctx.at(interrupted[interrupted.length - 1]!)}`
          : 'the pool took it, thin as it was';
    found.push({
      effect: 'worse',
      by: 'responder',
      tick: act.tick,
      command: act.command.text,
      text: `${quoted(act)} went into the pool being reclaimed (${inc.subject.replace('|', ' / ')}): ${result}.`,
      finding: 'launch-into-reclaimed-pool',
      about: [inc.subject],
    });
  }
  return found;
}

/** Kinds of incident whose instances are out of service while it is open: a stop of one takes nothing away. */
const OUT_OF_SERVICE: readonly Incident['kind'][] = [
  'host-failure',
  'instance-check',
  'volume-impaired',
  'zone-impaired',
];

/** Whether an open incident had instance `id` out of service at `tick`. */
const outOfService = (session: Session, id: string, tick: number) =>
  session.incidents.some(
    (o) =>
      OUT_OF_SERVICE.includes(o.kind) &&
      o.instances.includes(id) &&
      o.detectedAt <= tick &&
      tick <= (o.mitigatedAt ?? o.resolvedAt ?? session.tick),
  );

/** Whether an instance of each state event's is running after it: the states a stop can take it from. */
const RUNNING_AFTER: Readonly<Record<string, boolean>> = {
  'instance-running': true,
  'instance-launched': false,
  'instance-starting': false,
  'instance-stopping': false,
  'instance-stopped': false,
  'instance-terminating': false,
  'instance-terminated': false,
};

/**
 * Whether instance `id` was running when the act at `at` came (see actAt), by the last state event
 * about it before the act's own (none: it was of the starting fleet). An act that changed nothing
 * (it told no event) took nothing out.
 */
export function runningBefore(session: Session, id: string, at: number): boolean {
  const { events } = session;
  if (at < 0) return false;
  for (let i = at - 1; i >= 0; i--) {
    const e = events[i]!;
    if (Object.hasOwn(RUNNING_AFTER, e.kind) && concerns(e, id)) return RUNNING_AFTER[e.kind]!;
  }
  return true;
}

/**
 * Stops and terminations among `acts` (a responder's, from ten minutes before the burn, or the
 * scenario's) of instances serving the burning workload: capacity it lost (planned work on a tier
 * without a member to spare is the usual way). Of the acts of the second the workload was left
 * unserved, the last is the one that left no instance to serve it: those before it left the one it
 * took. `timed`: each text says when, for a root cause that tells it inline.
 */
function capacityTaken(ctx: CauseContext, inc: Incident, acts: Act[], timed = false): Factor[] {
  const { world, events } = ctx.session;
  const onset = onsetOf(ctx, inc);
  const found: { act: Act; taken: string[] }[] = [];
  for (const act of acts) {
    if (!['stop', 'terminate'].includes(act.command.verb) || act.outcome !== 'applied') continue;
    // Once the burn is mitigated, capacity taken did not make it: a burn it sets off is another.
    if (inc.mitigatedAt !== null && act.tick > inc.mitigatedAt) continue;
    const at = actAt(ctx.session, act);
    // One stopping already (a forced stop, a termination during EC2's stop) was taken out before,
    // and one running again before the burn began gave its capacity back.
    const taken = actInstances(act).filter(
      (id) =>
        world.instances[id]?.workload === inc.subject &&
        !outOfService(ctx.session, id, act.tick) &&
        runningBefore(ctx.session, id, at) &&
        !events.some((e) => e.kind === 'instance-running' && e.tick > act.tick && e.tick < onset && concerns(e, id)),
    );
    if (taken.length) found.push({ act, taken });
  }
  return found.map(({ act, taken }, i) => {
    const lastOfSecond = found[i + 1]?.act.tick !== act.tick;
    const unserved =
      lastOfSecond &&
      events.some((e) => e.kind === 'workload-unserved' && e.tick === act.tick && e.subject === inc.subject);
    return {
      effect: 'worse',
      by: 'responder',
      tick: act.tick,
      command: act.command.text,
      text: `${quoted(act)}${timed ? ` at ${ctx.at(act.tick)}` : ''} took ${names(world, taken)} out of ${inc.subject}'s service${unserved ? ', leaving no instance to serve it' : ''}.`,
      finding: 'took-serving-capacity',
      about: [inc.subject],
    };
  });
}

/** A responder's network change that cut the burning workload's members off from its clients or its way out. */
const cutFactor = (inc: Incident, { act, told }: Cut): Factor => ({
  effect: 'worse',
  by: 'responder',
  tick: act.tick,
  command: act.command.text,
  text: `${quoted(act)} cut ${inc.subject} off: ${told.message}.`,
  finding: 'cut-off-by-network-change',
  about: [inc.subject],
});

/** The responders' commands that bore on the incident up to its mitigation: what ended the harm. */
function helpingActs(ctx: CauseContext, inc: Incident, acts: Act[], worse: Factor[]): Factor[] {
  if (inc.mitigatedAt === null) return [];
  // Only what came once the harm had begun can have ended it.
  const onset = onsetOf(ctx, inc);
  const harmful = new Set(worse.map((f) => f.command));
  const world = ctx.session.world;
  // A reboot keeps an instance on its host, so on a failed host it cannot have ended the harm.
  const idleReboot = (a: Act) =>
    a.command.verb === 'reboot' && inc.kind === 'host-failure' && hostDownAt(ctx.session.events, inc.subject, a.tick);
  const elsewhere = otherMembersOnly(inc, acts, onset);
  const helping = acts.filter(
    (a) =>
      a.outcome === 'applied' &&
      a.tick >= onset &&
      a.tick <= inc.mitigatedAt! &&
      !harmful.has(a.command.text) &&
      !['ack', 'note'].includes(a.command.verb) &&
      !idleReboot(a) &&
      !elsewhere(a) &&
      touches(world, inc, a),
  );
  if (!helping.length) return [];
  const members = new Set(inc.instances);
  const notice =
    inc.kind === 'spot-interruption'
      ? ctx.session.events.find((e) => e.kind === 'spot-interrupted' && concernsAny(e, members))
      : undefined;
  const ahead =
    notice && helping[0]!.tick < notice.tick
      ? `, ${duration(notice.tick - helping[0]!.tick)} before the first interruption`
      : '';
  return [
    {
      effect: 'better',
      by: 'responder',
      tick: helping[0]!.tick,
      command: helping[helping.length - 1]!.command.text,
      text: `${inTurn(helping, ctx.at)}${ahead}; the harm stopped at ${ctx.at(inc.mitigatedAt)}.`,
      finding: notice && ahead ? 'acted-on-notice' : null,
      about: incidentWorkloads(world, inc),
    },
  ];
}

/**
 * The scenario's latest command, by the incident's detection, whose effects concern what the
 * incident is about (its subject or its instances): what set off a failure, a reclaim, a zone's
 * outage. Null when none did.
 */
export function scenarioActBehind(acts: readonly Act[], inc: Incident): Act | null {
  const concerned = new Set([inc.subject, ...inc.instances]);
  return (
    acts
      .filter(
        (a) => a.source === 'scenario' && a.tick <= inc.detectedAt && a.effects.some((e) => concernsAny(e, concerned)),
      )
      .at(-1) ?? null
  );
}

/** Incidents about named instances: what helps them is done to those, or adds capacity beside them. */
const ABOUT_INSTANCES = new Set<Incident['kind']>([
  'host-failure',
  'instance-check',
  'spot-interruption',
  'scheduled-event',
]);

/**
 * Whether an act, for an incident about named instances, only stopped, rebooted or started other
 * members: a stop takes capacity away, and a start of one stopped since the harm began gives back
 * what the response took, neither of which moves the incident's own instances or adds beside them.
 */
function otherMembersOnly(inc: Incident, acts: readonly Act[], onset: number): (a: Act) => boolean {
  if (!ABOUT_INSTANCES.has(inc.kind)) return () => false;
  const own = new Set(inc.instances);
  const others = (a: Act) => actInstances(a).filter((id) => !own.has(id));
  const stoppedSince = new Set(
    acts
      .filter((a) => a.outcome === 'applied' && a.tick >= onset && ['stop', 'terminate'].includes(a.command.verb))
      .flatMap(others),
  );
  return (a) => {
    const ids = actInstances(a);
    if (!ids.length || ids.some((id) => own.has(id))) return false;
    if (['stop', 'terminate', 'reboot'].includes(a.command.verb)) return true;
    return a.command.verb === 'start' && ids.every((id) => stoppedSince.has(id));
  };
}

/** Acts in the order they came, the same command repeated in one second told once with how many times. */
function inTurn(acts: readonly Act[], at: (tick: number) => string): string {
  const runs: { act: Act; times: number }[] = [];
  for (const act of acts) {
    const last = runs[runs.length - 1];
    if (last && last.act.tick === act.tick && last.act.command.text === act.command.text) last.times++;
    else runs.push({ act, times: 1 });
  }
  return runs
    .map(({ act, times }) => `${quoted(act)}${times > 1 ? ` ${times} times` : ''} at ${at(act.tick)}`)
    .join(', then ');
}

/**
 * EC2's automatic recovery of the incident's instances while it lasted, `kind` instance-recovered
 * or instance-recovery-failed: each event with the incident's instances it names; for a host
 * failure, only those off or on that host (the event's `from` or `host`), not a recovery off the
 * host they were moved to, which is that host's incident's.
 */
function recoveriesOf(ctx: CauseContext, inc: Incident, kind: string): { e: SimEvent; ids: string[] }[] {
  // A zone's outage is not what recovery answers: it moves instances off failed hosts.
  if (inc.kind === 'zone-impaired') return [];
  const end = endOf(ctx.session, inc);
  const fromHere = (e: SimEvent) => inc.kind !== 'host-failure' || (e.data?.from ?? e.data?.host) === inc.subject;
  return ctx.session.events
    .filter((e) => e.kind === kind && e.tick >= inc.detectedAt && e.tick <= end && fromHere(e))
    .map((e) => ({ e, ids: subjectsOf(e).filter((id) => inc.instances.includes(id)) }))
    .filter(({ ids }) => ids.length > 0);
}

/** What EC2 did on its own that shortened the incident: simplified automatic recovery, one factor a recovery naming every instance it moved. */
function systemHelp(ctx: CauseContext, inc: Incident): Factor[] {
  const { world } = ctx.session;
  return recoveriesOf(ctx, inc, 'instance-recovered').map(({ e, ids: moved }) => {
    const names = moved.map((id) => label(world, id));
    const several = names.length > 1;
    return {
      effect: 'better' as const,
      by: 'system' as const,
      tick: e.tick,
      command: null,
      text: `EC2's simplified automatic recovery moved ${names.join(', ')} to ${several ? 'healthy hosts' : 'a healthy host'} at ${ctx.at(e.tick)}; it keeps ${several ? 'their instance ids' : 'the instance id'}, addresses and EBS volumes.`,
      finding: null,
      about: names,
    };
  });
}

/**
 * Why EC2's recovery could not move instances, by its event's `reason` (see health.ts), and what
 * would have served instead: `zone` theirs, `otherZones` whether the region has more, `several`
 * whether there were more than one. A start lands in the instance's own zone.
 */
const NOT_RECOVERED: Readonly<Record<string, (zone: string, otherZones: boolean, several: boolean) => string>> =
  Object.freeze({
    capacity: (zone, otherZones) =>
      `no healthy host in ${zone} had room; room freed there${otherZones ? ', or a replacement in another zone,' : ''} would have served`,
    'service health event': (zone, otherZones) =>
      `${zone} was impaired (a service health event), and EC2 waited for it to be back${otherZones ? '; a replacement in another zone would have served' : ''}`,
    // Saves from before the reason was told have none: the allowance was the only other cause.
    'daily allowance': (_zone, _otherZones, several) =>
      `${several ? 'they had' : 'it had'} used the daily allowance of three recoveries; a stop and start would have moved ${several ? 'them' : 'it'}`,
  });

/**
 * What EC2 could not do on its own that kept the incident going: automatic recovery of its
 * instances failed (see NOT_RECOVERED), one factor an event.
 */
function systemFailed(ctx: CauseContext, inc: Incident): Factor[] {
  const { world } = ctx.session;
  return recoveriesOf(ctx, inc, 'instance-recovery-failed').map(({ e, ids: stuck }) => {
    const names = stuck.map((id) => label(world, id));
    const zone = world.instances[stuck[0]!]?.zoneId ?? 'its zone';
    const why = NOT_RECOVERED[String(e.data?.reason)] ?? NOT_RECOVERED['daily allowance']!;
    const text = why(zone, world.zones.length > 1, names.length > 1);
    return {
      effect: 'worse' as const,
      by: 'system' as const,
      tick: e.tick,
      command: null,
      text: `EC2's simplified automatic recovery could not move ${names.join(', ')}: ${text}.`,
      finding: null,
      about: names,
    };
  });
}

/** The alarms beside VolumeQueueLength that see each limit of an EBS volume's delivery coming. */
const EBS_ALARMS = {
  volume: 'VolumeIOPSExceededCheck (BurstBalance for gp2, st1 and sc1)',
  instance: "the instance's EBSIOBalance% and EBSByteBalance%",
  either: "BurstBalance (and the instance's EBSByteBalance%)",
} as const;

/** Signals that were there to see, and how long before the incident opened. */
function signalsOf(ctx: CauseContext, inc: Incident, onset: number): Signal[] {
  const { session, at } = ctx;
  const first = (pred: (e: SimEvent) => boolean) =>
    session.events.find((e) => e.tick >= onset - 3600 && e.tick <= inc.detectedAt + 60 && pred(e));
  const members = new Set(inc.instances);
  const ours = (e: SimEvent) => concernsAny(e, members);
  const signal = (name: string, e: SimEvent | undefined, text: (tick: number) => string, fallback: string): Signal =>
    e
      ? { signal: name, tick: e.tick, leadSeconds: Math.max(0, inc.detectedAt - e.tick), text: text(e.tick) }
      : { signal: name, tick: null, leadSeconds: null, text: fallback };
  // A check's failure is the harm itself, not a warning ahead of it: one before the onset was an
  // earlier incident's (the same instance on a host that failed before); a host's is told for it.
  const checkFailed = (check: string) =>
    first(
      (e) =>
        e.kind === 'status-check-failed' &&
        e.tick >= onset &&
        e.data?.check === check &&
        (inc.kind === 'host-failure' ? e.subject === inc.subject : ours(e)),
    );
  switch (inc.kind) {
    case 'host-failure':
      return [
        signal(
          'StatusCheckFailed_System',
          checkFailed('system'),
          (t) =>
            `The system status check failed at ${at(t)}; an alarm on StatusCheckFailed_System pages within a minute.`,
          'An alarm on StatusCheckFailed_System pages within a minute of a host failure.',
        ),
      ];
    case 'instance-check':
      return [
        signal(
          'StatusCheckFailed_Instance',
          checkFailed('instance'),
          (t) =>
            `The instance status check failed at ${at(t)}; an alarm on StatusCheckFailed_Instance can reboot automatically.`,
          'An alarm on StatusCheckFailed_Instance catches a hung guest.',
        ),
      ];
    case 'volume-impaired':
      return [
        signal(
          'StatusCheckFailed_AttachedEBS',
          checkFailed('ebs'),
          (t) => `The attached-EBS status check failed at ${at(t)}.`,
          'The attached-EBS status check reports a volume that stops completing I/O.',
        ),
      ];
    case 'spot-interruption': {
      // One recommendation event per pool at risk: the incident's pool is its subject.
      const rebalance = first((e) => e.kind === 'spot-rebalance-recommendation' && e.subject === inc.subject);
      const notice = first((e) => e.kind === 'spot-interruption-notice' && ours(e));
      return [
        signal(
          'IMDS events/recommendations/rebalance',
          rebalance,
          (t) =>
            `A rebalance recommendation was readable from IMDS at ${at(t)}${rebalance && notice && notice.tick > t ? `, ${duration(notice.tick - t)} before the notice` : ''}.`,
          'No rebalance recommendation came before the notice this time.',
        ),
        signal(
          'IMDS spot/instance-action',
          notice,
          (t) =>
            hibernates(notice?.data)
              ? `The interruption notice was readable from IMDS spot/instance-action at ${at(t)}, as hibernation began: a hibernate gets no two-minute warning.`
              : `The two-minute interruption notice was readable from IMDS spot/instance-action at ${at(t)}.`,
          'The interruption notice is readable from IMDS spot/instance-action two minutes ahead.',
        ),
      ];
    }
    case 'scheduled-event': {
      // Its own notice: one before the onset was an earlier event's, another incident's.
      const scheduled = first((e) => e.kind === 'scheduled-event' && e.tick >= onset && ours(e));
      const notBefore = typeof scheduled?.data?.notBefore === 'number' ? scheduled.data.notBefore : null;
      return [
        signal(
          'IMDS events/maintenance/scheduled',
          scheduled,
          (t) =>
            `The event was listed in IMDS events/maintenance/scheduled and DescribeInstanceStatus from ${at(t)}${notBefore !== null ? `, ${duration(notBefore - t)} before it was due` : ''}.`,
          'Scheduled events are listed ahead in IMDS and DescribeInstanceStatus.',
        ),
      ];
    }
    case 'ebs-saturation':
    case 'slo-burn':
    case 'zone-impaired': {
      const samples = session.samples;
      const workloads = incidentWorkloads(session.world, inc);
      // When requests began failing: the start of the run of failing samples that reaches the
      // detection, so failures that had stopped belong to another harm. A burn's may begin up to
      // ten minutes before its onset, below the burn rate; a zone's or a volume's not before its own.
      // A burn that opened on slow answers is told by its latency instead.
      const slow = inc.burnedBy === 'latency';
      const objective = (w: string) => session.world.workloads[w]?.slo.latencyMs ?? Infinity;
      const failing = slow
        ? (s: Sample) => workloads.some((w) => (s.workloads[w]?.latencyMs ?? 0) > objective(w))
        : (s: Sample) => workloads.some((w) => (s.workloads[w]?.errorRps ?? 0) > 0);
      const from = inc.kind === 'slo-burn' ? onset - 600 : onset;
      let erring: Sample | undefined;
      for (let i = samples.length - 1; i >= 0; i--) {
        const s = samples[i]!;
        if (s.tick > inc.detectedAt) continue;
        if (s.tick < from || !failing(s)) break;
        erring = s;
      }
      const list: Signal[] = [];
      const shaped = inc.kind === 'slo-burn' ? allowanceAlarms(session, inc, onset)[0] : undefined;
      if (shaped)
        list.push({
          signal: 'ENA allowance counters',
          tick: shaped.tick,
          leadSeconds: Math.max(0, inc.detectedAt - shaped.tick),
          text: `network-allowance-exceeded fired at ${at(shaped.tick)}: the ENA driver's allowance counters (ethtool -S) rose; the CloudWatch agent's ethtool metrics put an alarm on them before the error budget goes.`,
        });
      // The incident's first volume: its queue held a second of its demand or more from the onset
      // (see queueSaturated in game/incidents.ts); the samples keep only the fleet's longest queue.
      if (inc.kind === 'ebs-saturation')
        list.push({
          signal: 'VolumeQueueLength',
          tick: onset,
          leadSeconds: inc.detectedAt - onset,
          text: `The queue of ${saturatedVolumes(inc)[0]} held a second of its demand or more from ${at(onset)}, ${duration(inc.detectedAt - onset)} before the incident opened; alarms on VolumeQueueLength and ${EBS_ALARMS[inc.limitedBy ?? 'either']} fire before latency does.`,
        });
      if (slow) {
        const ms = workloads.map(objective).filter(Number.isFinite);
        list.push({
          signal: 'latency',
          tick: erring?.tick ?? null,
          leadSeconds: erring ? Math.max(0, inc.detectedAt - erring.tick) : null,
          text: `${erring ? `Answers were slower than the ${ms.join(' and ')} ms objective from ${at(erring.tick)}, ${duration(Math.max(0, inc.detectedAt - erring.tick))} before the incident opened. ` : ''}An alarm on the latency the SLO measures (a load balancer's TargetResponseTime) pages on it, where one on failed requests stays quiet.`,
        });
        return list;
      }
      list.push(
        erring
          ? {
              signal: 'error rate',
              tick: erring.tick,
              leadSeconds: Math.max(0, inc.detectedAt - erring.tick),
              text: `Requests began failing at ${at(erring.tick)}, ${duration(Math.max(0, inc.detectedAt - erring.tick))} before the incident opened; a burn-rate alarm over a short window pages sooner than a sustained threshold.`,
            }
          : {
              signal: 'error rate',
              tick: null,
              leadSeconds: null,
              text: 'A burn-rate alarm on the error budget pages when failures start to matter.',
            },
      );
      return list;
    }
  }
}

/**
 * An incident whose harm began no later than this one's and touches its workloads: what this one
 * follows from. By onset, not detection: a guest hang is seen a while after it begins, and a burn
 * that began before the hang did not follow it.
 */
function precursors(ctx: CauseContext, inc: Incident): Incident[] {
  const { session } = ctx;
  const workloads = incidentWorkloads(session.world, inc);
  const onset = onsetOf(ctx, inc);
  return session.incidents.filter(
    (o) =>
      o !== inc &&
      onsetOf(ctx, o) <= onset &&
      (o.resolvedAt ?? session.tick) >= inc.detectedAt - 600 &&
      incidentWorkloads(session.world, o).some((w) => workloads.includes(w)) &&
      o.kind !== 'slo-burn',
  );
}

/**
 * What each incident an SLO burn followed had done to the workload by the burn's onset (see
 * precursors): a failure took capacity away, a saturated or impaired volume held its I/O back, and
 * a scheduled event not yet due had done nothing (what a response to it took is told apart).
 */
function precursorEffect(ctx: CauseContext, o: Incident, onset: number): string {
  switch (o.kind) {
    case 'ebs-saturation':
      return saturatedVolumes(o).length > 1
        ? 'whose volumes could not keep up with their I/O'
        : 'whose volume could not keep up with its I/O';
    case 'volume-impaired':
      return 'whose volume stopped serving I/O';
    case 'scheduled-event':
      return ctx.session.events.some(
        (e) =>
          e.kind === 'scheduled-event-started' &&
          e.tick <= onset &&
          subjectsOf(e).some((id) => o.instances.includes(id)),
      )
        ? 'which took capacity away when it came due'
        : 'which was not yet due';
    default:
      return 'which took capacity away';
  }
}

/** "It followed INC-1 (…) and INC-2 (…), which took capacity away." One sentence for each effect. */
function followedText(ctx: CauseContext, before: readonly Incident[], onset: number): string {
  const byEffect = new Map<string, Incident[]>();
  for (const o of before) {
    const effect = precursorEffect(ctx, o, onset);
    byEffect.set(effect, [...(byEffect.get(effect) ?? []), o]);
  }
  return [...byEffect]
    .map(
      ([effect, list], i) =>
        `It ${i > 0 ? 'also ' : ''}followed ${list.map((o) => `${o.id} (${o.title})`).join(' and ')}, ${effect}.`,
    )
    .join(' ');
}

/** What the responders' commands did to make this incident worse. */
function worseOf(ctx: CauseContext, inc: Incident): Factor[] {
  const acts = relevantActs(ctx, inc);
  const touching = acts.filter((a) => touches(ctx.session.world, inc, a));
  return [
    ...launchesWithoutGroup(ctx, touching),
    ...storeLostByStop(ctx, inc, touching),
    ...hungStops(ctx, inc, acts),
    ...launchesIntoReclaimedPool(ctx, inc, acts),
    ...systemFailed(ctx, inc),
  ];
}

/** Whether `name` is the id of an instance no longer in the world (purged an hour after it terminated). */
const isPurgedInstance = (world: World, name: string) => /^i-[0-9a-f]{17}$/.test(name) && !world.instances[name];

/**
 * Whether a factor an SLO burn inherits from the incident it followed is about the burning
 * workload: it names the workload (a launch for it without its security group) or one of its
 * members (a stop that lost their store or hung, EC2's recovery of them). A zone's impairment
 * reaches every workload in it, its factors not; a launch into a pool being reclaimed is about
 * the pool, whoever it was for.
 */
function aboutWorkload(ctx: CauseContext, workload: string): (f: Factor) => boolean {
  const { world } = ctx.session;
  const members = new Set(
    rows(world, 'instances').flatMap((i) => (i.workload === workload ? [label(world, i.id)] : [])),
  );
  // An instance purged from the world since is named by its id, its workload no longer known.
  return (f) =>
    f.finding === 'launch-into-reclaimed-pool' ||
    f.about.some((name) => name === workload || members.has(name) || isPurgedInstance(world, name));
}

/** The scenario's demand surge on the burning workload that was running when the burn was detected, if any. */
const surgeBehind = (ctx: CauseContext, inc: Incident): SurgeWindow | undefined =>
  surgeWindows(ctx.acts).find((w) => w.workload === inc.subject && w.from <= inc.detectedAt && inc.detectedAt < w.to);

/**
 * The incident's analysis. `baseCause` is what the kind of incident means in EC2's terms; for an
 * SLO burn, the incidents it follows from and the responders' harmful acts are named in it.
 */
export function analyse(ctx: CauseContext, inc: Incident, baseCause: string): Analysis {
  const onset = onsetOf(ctx, inc);
  const acts = relevantActs(ctx, inc);
  const burn = inc.kind === 'slo-burn';
  // Network changes that cut the burning workload off: those by the time it was detected set it off;
  // a responder's, until it ended, made it worse.
  const allCuts = burn ? networkCuts(ctx, inc, onset) : [];
  const cuts = allCuts.filter((c) => c.act.tick <= inc.detectedAt);
  const own = [
    // Behind a network change that cut the workload off, its members served nothing to take away.
    ...(burn && !cuts.length ? capacityTaken(ctx, inc, acts) : []),
    ...allCuts.filter((c) => responder(c.act)).map((c) => cutFactor(inc, c)),
  ];
  // An SLO burn carries what made the incidents it follows from worse: that is how it lasted.
  const before = burn ? precursors(ctx, inc) : [];
  const inherited = before.flatMap((o) => worseOf(ctx, o)).filter(aboutWorkload(ctx, inc.subject));
  // The same factor may come both as the incident's own and from the incident it followed: one
  // act's, told in the same second.
  const worse = [
    ...new Map([...worseOf(ctx, inc), ...own, ...inherited].map((f) => [`${f.tick} ${f.text}`, f])).values(),
  ].sort((a, b) => a.tick - b.tick);
  // Once a network change has cut the workload off, only another one on its path lets clients back.
  const mayHelp = cuts.length ? (a: Act) => onPathOf(ctx.session.world, [inc.subject], a) : () => true;
  const better = [...helpingActs(ctx, inc, acts.filter(mayHelp), worse), ...systemHelp(ctx, inc)].sort(
    (a, b) => a.tick - b.tick,
  );
  let rootCause = baseCause;
  let trigger: Trigger = inc.limitedBy ?? null;
  let triggeredBy: Act | null = null;
  if (inc.kind === 'slo-burn') {
    const blocked = worse.filter((f) => f.finding === 'launch-without-security-group');
    const taken = worse.filter((f) => f.finding === 'took-serving-capacity');
    if (cuts.length) rootCause += ` A network change cut it off: ${cuts.map((c) => cutText(ctx, c)).join(' ')}`;
    if (taken.length) rootCause += ` The response took capacity away: ${taken.map((f) => f.text).join(' ')}`;
    // The scenario's own stops and terminations of serving members (its faults have incidents of their own).
    const scenarioTaken =
      cuts.length || taken.length
        ? []
        : capacityTaken(
            ctx,
            inc,
            // Up to the burn's onset: a stop after the harm began did not set it off.
            ctx.acts.filter((a) => !responder(a) && a.tick >= onset - BURN_LOOKBACK && a.tick <= onset),
            true,
          );
    if (scenarioTaken.length)
      rootCause += ` The scenario took capacity away: ${scenarioTaken.map((f) => f.text).join(' ')}`;
    if (before.length) rootCause += ` ${followedText(ctx, before, onset)}`;
    if (blocked.length)
      rootCause += ` The replacements could not take traffic: ${blocked.map((f) => f.text).join(' ')}`;
    // A workload's instances alarm together, one event listing them (see alarms.ts).
    const shaped = [
      ...new Set(
        allowanceAlarms(ctx.session, inc, onset).flatMap((e) =>
          subjectsOf(e).map((id) => label(ctx.session.world, id)),
        ),
      ),
    ];
    if (shaped.length)
      rootCause += ` The network bandwidth allowance bound on ${firstFew(shaped, (s) => s)}: ${agrees(shaped.length, 'its ENA driver', 'their ENA drivers')} counted packets over it (the allowance counters of ethtool -S), and requests whose traffic did not fit failed, whatever the CPUs had to spare.`;
    const surge = surgeBehind(ctx, inc);
    // A burn on slow answers had its requests served: the capacity was short of answering in time.
    const slowBurn = inc.burnedBy === 'latency';
    const serve = slowBurn ? 'answer within its latency objective' : 'serve';
    if (surge)
      rootCause += ` Its demand rose to ${surge.factor} times its usual for ${duration(surge.to - surge.from)} from ${ctx.at(surge.from)} (${quoted(surge.act)}), more than its healthy, reachable capacity could ${serve}.`;
    // Where nothing else in the record explains it, the network as it stood when the burn opened
    // may: all of what would serve shut out is the cause; some of it, a part of the want of capacity.
    const explained =
      before.length || blocked.length || shaped.length || surge || cuts.length || taken.length || scenarioTaken.length;
    const shut = explained ? undefined : inc.shutOut;
    const named = shut?.count
      ? `${shut.first.join('; ')}${shut.count > shut.first.length ? `; and ${(shut.count - shut.first.length).toLocaleString('en-US')} more` : ''}`
      : '';
    const earlier = shut?.count ? earlierCuts(ctx, inc, onset) : [];
    const n = (count: number) => count.toLocaleString('en-US');
    if (shut?.count && shut.count === shut.members)
      rootCause += ` As it opened, the network kept its clients from ${shut.count === 1 ? 'the one instance' : `all ${n(shut.count)} instances`} that would have served it: ${named}.`;
    else if (shut)
      rootCause += ` ${earlier.length ? 'D' : 'No fault or command in the record explains it: d'}emand outgrew ${slowBurn ? `what the healthy, reachable capacity could ${serve}` : 'the healthy, reachable capacity'}${shut.count ? `, and as it opened the network kept its clients from ${n(shut.count)} of the ${n(shut.members)} instances that would have served it: ${named}` : ''}.`;
    if (earlier.length)
      rootCause += ` A network change before it had cut the workload off: ${earlier.map((c) => cutText(ctx, c)).join(' ')}`;
    trigger =
      cuts.length || earlier.length
        ? 'network-change'
        : taken.length
          ? 'response'
          : shut?.count && shut.count === shut.members
            ? 'network-rules'
            : 'capacity';
    const actOf = (among: Act[], f: Factor | undefined) =>
      f && among.find((a) => a.tick === f.tick && a.command.text === f.command);
    // Else what set off the latest incident it followed: the burn is that loss showing.
    const latest = before.reduce<Incident | undefined>(
      (last, o) => (!last || onsetOf(ctx, o) >= onsetOf(ctx, last) ? o : last),
      undefined,
    );
    triggeredBy =
      cuts.at(-1)?.act ??
      actOf(acts, taken[0]) ??
      actOf(ctx.acts, scenarioTaken[0]) ??
      surge?.act ??
      earlier.at(-1)?.act ??
      (latest ? scenarioActBehind(ctx.acts, latest) : null);
  } else {
    const byResponse = worse.filter((f) => f.by === 'responder');
    if (byResponse.length) rootCause += ` The response prolonged it: ${byResponse.map((f) => f.text).join(' ')}`;
  }
  return {
    onset,
    rootCause,
    trigger,
    triggeredBy,
    factors: [...worse, ...better],
    signals: signalsOf(ctx, inc, onset),
  };
}

/** A network change's act and the event that told what it cut off. */
interface Cut {
  act: Act;
  told: SimEvent;
}

/**
 * The network changes, the scenario's or a responder's, that cut the burning workload off, from ten
 * minutes before its onset (BURN_LOOKBACK) until it ended, in the order they came.
 */
function networkCuts(ctx: CauseContext, inc: Incident, onset: number): Cut[] {
  return cutsAmong(ctx, inc, (a) => a.tick >= onset - BURN_LOOKBACK && a.tick <= endOf(ctx.session, inc));
}

/** The applied acts `within` that cut the burning workload off, each with what it told. */
const cutsAmong = (ctx: CauseContext, inc: Incident, within: (a: Act) => boolean): Cut[] =>
  ctx.acts
    .filter((a) => a.outcome === 'applied' && within(a))
    .flatMap((act) => cutOffBy(ctx.session, act, inc.subject).map((told) => ({ act, told })));

/**
 * Network changes that cut the burning workload off before networkCuts looks (BURN_LOOKBACK before
 * its onset): members shut out then, with demand low enough to do without them, were missing when
 * it rose.
 */
function earlierCuts(ctx: CauseContext, inc: Incident, onset: number): Cut[] {
  const before = ctx.acts.filter((a) => a.outcome === 'applied' && a.tick < onset);
  const cuts = cutsAmong(ctx, inc, (a) => a.tick < onset - BURN_LOOKBACK);
  // A later change on its path, not itself a cut, may have let the clients back: then the cut is not
  // what the burn met.
  const world = ctx.session.world;
  return cuts.filter(
    (c) =>
      !before.some((a) => a.tick > c.act.tick && !cuts.some((o) => o.act === a) && onPathOf(world, [inc.subject], a)),
  );
}

/** A cut as the root cause tells it: the command, when, who made it, and what it cut off. */
const cutText = (ctx: CauseContext, { act, told }: Cut) =>
  `${quoted(act)} at ${ctx.at(act.tick)} (${responder(act) ? 'a responder' : 'the scenario'}): ${told.message}.`;
