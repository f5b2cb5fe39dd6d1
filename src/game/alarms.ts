// The alarms a careful operator keeps on a fleet, and the one advisor check that matters here: the
// signals that warn before harm, which a responder (or a script's `on` reaction) can act on. Each is
// an EC2 metric or check under its AWS name; the thresholds are this simulation's choices, set where
// an on-call team would put them. An alarm fires once when it enters ALARM, as a CloudWatch alarm's
// action does, and again only after it has been back to OK. Messages state the signal, never the
// remedy: an exam shows them too.
import {
  allowanceState,
  backloggedVolumes,
  burstBalancePct,
  counted,
  countedInstances,
  dataVolumes,
  enaCounted,
  networkAllowance,
  ebsByteBalancePct,
  ebsIoBalancePct,
  instanceType,
  queuedVolumes,
  rows,
  servingCapacity,
  unsettledInstances,
  volumeIo,
  type EventData,
  type EventLog,
  type Instance,
  type Volume,
  type World,
  firstFew,
} from '../sim/index.js';
import type { IncidentTracker } from './incidents.js';

/**
 * Alarm thresholds and periods. EBS and EC2 publish these metrics each minute (EBS User Guide,
 * "Amazon CloudWatch metrics for Amazon EBS"; EC2 User Guide, "Instance metrics"), so alarms are
 * evaluated at the end of each simulated minute.
 */
export const ALARM_RULES = {
  periodSeconds: 60,
  /** `BurstBalance` (gp2, st1, sc1) below this percent. */
  burstBalancePct: 20,
  /** `EBSByteBalance%` or `EBSIOBalance%` of an instance that bursts its EBS bandwidth, below this percent. */
  ebsBalancePct: 20,
  /** A workload's average `CPUUtilization` at or above this percent, for `cpuMinutes` minutes in a row. */
  cpuPct: 80,
  cpuMinutes: 3,
  /** Any ENA allowance counter (`bw_in_allowance_exceeded`, ...) that rose during the minute. */
  enaRise: 1,
  /** Trusted Advisor refreshes its checks daily: a play sees the result of its first minute, then each day's. */
  advisorEverySeconds: 86_400,
} as const;

const STREAK = 'alarm:';
/** Each ENA counter's value at the last evaluation, by instance, to see it rise. */
const ENA_SEEN = 'ena:';

/**
 * The tracker's streaks of the alarms evaluated each minute, and the instances whose ENA counters
 * it keeps, on the tracker under a symbol key (neither saved nor copied, drawn up again from its
 * streaks when missing): a minute's look at which alarms are back to OK walks the alarms in ALARM,
 * not every streak of the incidents too.
 */
interface AlarmIndex {
  minute: Set<string>;
  enaSeen: Set<string>;
}

const ALARM_INDEX = Symbol('alarm streaks');

function alarmIndex(tracker: IncidentTracker): AlarmIndex {
  const owner = tracker as IncidentTracker & { [ALARM_INDEX]?: AlarmIndex };
  let index = owner[ALARM_INDEX];
  if (!index) {
    index = { minute: new Set(), enaSeen: new Set() };
    for (const key of tracker.streaks.keys()) {
      if (key.startsWith(STREAK)) index.minute.add(key);
      else if (key.startsWith(ENA_SEEN)) index.enaSeen.add(key.slice(ENA_SEEN.length, key.lastIndexOf(':')));
    }
    Object.defineProperty(owner, ALARM_INDEX, { value: index, enumerable: false });
  }
  return index;
}

/**
 * One breaching subject of one alarm this minute, and what its event says when it enters ALARM:
 * `${label}: ${says}` of one; of several members of one workload entering ALARM in the same minute,
 * one event for the workload (see tellEntering).
 */
interface Breach {
  alarm: string;
  subject: string;
  minutes: number;
  /** The workload the subject's instance serves; null for none (told alone). */
  workload: string | null;
  label: string;
  /** What the alarm says of the subject alone: written only as it enters ALARM, as most of a minute's breaches go on from the last. */
  says: () => string;
  data: EventData;
}

/**
 * What each alarm of a volume or an instance is on, and what it says of several of one workload's
 * entering ALARM together, after `<workload>: <count> volumes` (see tellEntering).
 */
const TOLD_TOGETHER: Record<string, { of: 'volume' | 'instance'; says: string }> = {
  'burst-balance-low': {
    of: 'volume',
    says: `with BurstBalance under ${ALARM_RULES.burstBalancePct}%: when it is empty each falls to its baseline`,
  },
  'ebs-balance-low': {
    of: 'instance',
    says: `with EBSByteBalance% or EBSIOBalance% under ${ALARM_RULES.ebsBalancePct}%: when it is empty each falls to its EBS baseline`,
  },
  'volume-performance-exceeded': {
    of: 'volume',
    says: 'at VolumeIOPSExceededCheck / VolumeThroughputExceededCheck 1: each asked for more than its limits; I/O queues',
  },
  'instance-ebs-exceeded': {
    of: 'instance',
    says: 'at InstanceEBSIOPSExceededCheck / InstanceEBSThroughputExceededCheck 1: the volumes of each ask for more than it moves to EBS',
  },
  'network-allowance-exceeded': {
    of: 'instance',
    says: "whose ENA allowance counters rose in the last minute: packets over each one's network allowance were queued or dropped",
  },
};

/** The workload an instance serves, or the instance a volume is attached to; null for none. */
function workloadOf(world: World, thing: Instance | Volume): string | null {
  const inst =
    'attachment' in thing ? (thing.attachment ? world.instances[thing.attachment.instanceId] : undefined) : thing;
  return inst?.workload ?? null;
}

const named = (thing: { id: string; name: string | null }) => (thing.name ? `${thing.name} (${thing.id})` : thing.id);
const pct = (n: number) => `${Math.floor(n)}%`;

/**
 * Volumes whose burst bucket is low: `BurstBalance` under the threshold. A volume with less than a
 * full bucket is never at rest, so only the queued ones need looking at.
 */
function burstBalance(world: World, out: Breach[]): void {
  for (const v of queuedVolumes(world)) {
    const balance = v.state === 'in-use' ? burstBalancePct(world, v) : null;
    if (balance === null || balance >= ALARM_RULES.burstBalancePct) continue;
    out.push({
      alarm: 'burst-balance-low',
      subject: v.id,
      minutes: 1,
      workload: workloadOf(world, v),
      label: named(v),
      says: () =>
        `BurstBalance ${pct(balance)}, under ${ALARM_RULES.burstBalancePct}%: when it is empty the ${v.type} volume falls to its baseline`,
      data: { metric: 'BurstBalance', value: Math.floor(balance) },
    });
  }
}

/**
 * Running instances whose EBS burst bucket is low: `EBSByteBalance%` or `EBSIOBalance%` under the
 * threshold. An instance with less than a full bucket is never at rest, so only those not at rest
 * need looking at.
 */
function ebsBalance(world: World, out: Breach[]): void {
  for (const inst of unsettledInstances(world)) {
    if (inst.state !== 'running') continue;
    const bytes = ebsByteBalancePct(inst);
    const ios = ebsIoBalancePct(inst);
    const [metric, balance] = bytes <= ios ? ['EBSByteBalance%', bytes] : ['EBSIOBalance%', ios];
    if (balance >= ALARM_RULES.ebsBalancePct) continue;
    const ebs = instanceType(inst.type)!.ebs;
    out.push({
      alarm: 'ebs-balance-low',
      subject: inst.id,
      minutes: 1,
      workload: workloadOf(world, inst),
      label: named(inst),
      says: () =>
        `${metric} ${pct(balance)}, under ${ALARM_RULES.ebsBalancePct}%: when it is empty the ${inst.type} falls to its EBS baseline (${ebs.baselineMbps.toLocaleString('en-US')} Mbps, ${ebs.baselineIops.toLocaleString('en-US')} IOPS)`,
      data: { metric, value: Math.floor(balance) },
    });
  }
}

/**
 * Volumes asked for more than they deliver this minute: the volume's `VolumeIOPSExceededCheck` /
 * `VolumeThroughputExceededCheck`, or, when the instance's EBS bandwidth is what holds it back, the
 * instance's `InstanceEBSIOPSExceededCheck` / `InstanceEBSThroughputExceededCheck`.
 */
function exceeded(world: World, out: Breach[]): void {
  const instances = new Set<Instance>();
  for (const v of backloggedVolumes(world)) {
    const io = volumeIo(world, v);
    const inst = v.attachment ? world.instances[v.attachment.instanceId] : undefined;
    if (!inst || io.queueLength <= 0) continue;
    if (io.limitedBy === 'volume') out.push(volumeExceeded(v, inst));
    else if (io.limitedBy === 'instance') instances.add(inst);
  }
  for (const inst of instances) out.push(instanceExceeded(inst));
}

function volumeExceeded(v: Volume, inst: Instance): Breach {
  return {
    alarm: 'volume-performance-exceeded',
    subject: v.id,
    minutes: 1,
    workload: inst.workload,
    label: named(v),
    says: () =>
      `VolumeIOPSExceededCheck / VolumeThroughputExceededCheck 1: asked for more than the ${v.type} volume's limits (${v.iops.toLocaleString('en-US')} IOPS); I/O queues`,
    data: { metric: 'VolumeIOPSExceededCheck' },
  };
}

function instanceExceeded(inst: Instance): Breach {
  const ebs = instanceType(inst.type)!.ebs;
  return {
    alarm: 'instance-ebs-exceeded',
    subject: inst.id,
    minutes: 1,
    workload: inst.workload,
    label: named(inst),
    says: () =>
      `InstanceEBSIOPSExceededCheck / InstanceEBSThroughputExceededCheck 1: its volumes ask for more than a ${inst.type} moves to EBS (${ebs.baselineMbps.toLocaleString('en-US')} Mbps baseline)`,
    data: { metric: 'InstanceEBSThroughputExceededCheck' },
  };
}

const ENA_FIELDS = [
  ['bw_in_allowance_exceeded', 'bwInAllowanceExceeded'],
  ['bw_out_allowance_exceeded', 'bwOutAllowanceExceeded'],
  ['pps_allowance_exceeded', 'ppsAllowanceExceeded'],
] as const;

const gbps = (mbps: number) => `${(mbps / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 })} Gbps`;

/**
 * Running instances whose ENA driver counted packets over an allowance during the minute, as
 * `ethtool -S eth0` shows them (EC2 User Guide, "Monitor network performance for ENA settings on
 * your EC2 instance"). Only instances whose counters are above 0 are looked at (the model keeps
 * them listed), in fleet order. The values seen are kept in the tracker's streaks (`seen`,
 * rewritten here; `index.enaSeen` names the instances they are kept for) so that a rise is a rise
 * since the last minute, and a guest that restarted its driver starts from 0.
 */
function enaAllowance(world: World, out: Breach[], seen: Map<string, number>, index: AlarmIndex): void {
  const previous = new Map<string, number>();
  for (const id of index.enaSeen)
    for (const [counter] of ENA_FIELDS) {
      const key = `${ENA_SEEN}${id}:${counter}`;
      const was = seen.get(key);
      if (was === undefined) continue;
      previous.set(key, was);
      seen.delete(key);
    }
  index.enaSeen.clear();
  const listed = countedInstances(world);
  const candidates: Instance[] = [];
  for (const inst of listed) {
    if (world.instances[inst.id] !== inst || !enaCounted(inst)) listed.delete(inst);
    else if (inst.state === 'running') candidates.push(inst);
  }
  candidates.sort((a, b) => a.launchSeq - b.launchSeq);
  for (const inst of candidates) {
    const state = allowanceState(inst);
    const risen: string[] = [];
    for (const [counter, field] of ENA_FIELDS) {
      const key = `${ENA_SEEN}${inst.id}:${counter}`;
      const now = state[field];
      if (now > 0) {
        seen.set(key, now);
        index.enaSeen.add(inst.id);
      }
      // A driver that started again counts from 0: below what was seen means all of it is new.
      const was = previous.get(key) ?? 0;
      const rise = now >= was ? now - was : now;
      if (rise > 0) risen.push(`${counter} ${now.toLocaleString('en-US')} (+${rise.toLocaleString('en-US')})`);
    }
    if (risen.length === 0) continue;
    const a = networkAllowance(instanceType(inst.type)!);
    out.push({
      alarm: 'network-allowance-exceeded',
      subject: inst.id,
      minutes: ALARM_RULES.enaRise,
      workload: inst.workload,
      label: named(inst),
      says: () =>
        `ENA ${risen.join(', ')} in the last minute: packets over the ${inst.type}'s network allowance (${gbps(a.baselineMbps)} baseline${a.burstMbps > a.baselineMbps ? `, up to ${gbps(a.burstMbps)} while burst credits last` : ''}) were queued or dropped`,
      data: { metric: 'ena_allowance_exceeded', value: risen.length },
    });
  }
}

/** Workloads whose serving instances average `CPUUtilization` at or above the threshold. */
function cpu(world: World, out: Breach[]): void {
  for (const name in world.workloads) {
    const wl = world.workloads[name]!;
    const serving = servingCapacity(world, name);
    const vcpus = serving.vcpu;
    if (vcpus === 0 || wl.rpsPerVcpu <= 0) continue;
    const utilisation = Math.min(100, (100 * wl.last.demandRps) / (vcpus * wl.rpsPerVcpu));
    if (utilisation < ALARM_RULES.cpuPct) continue;
    out.push({
      alarm: 'cpu-utilization-high',
      subject: name,
      minutes: ALARM_RULES.cpuMinutes,
      workload: null,
      label: name,
      says: () =>
        `average CPUUtilization ${pct(utilisation)} over ${counted(serving.instances, 'instance')}, at or above ${ALARM_RULES.cpuPct}% for ${ALARM_RULES.cpuMinutes} minutes`,
      data: { metric: 'CPUUtilization', value: Math.floor(utilisation), instances: serving.instances },
    });
  }
}

/**
 * Trusted Advisor's "Amazon EBS Snapshots" check, on the volumes that hold a workload's data (a
 * root is rebuilt from its image; the model keeps them listed): red when a volume has no snapshot.
 * Each volume is flagged once, as it enters ALARM (its streak in the tracker's advisorStreaks,
 * kept while each refresh flags it again); the volumes of one workload's data flagged by the same
 * refresh are one finding, told in one event (see tellUnprotected), the workloads in the order of
 * their first volume by id.
 *
 * A refresh looks at every data volume of the region, hundreds of thousands in one second, so it
 * keeps to a sort of their ids and a look into the streaks by each: none of the per-minute alarms'
 * breach records or keys.
 */
function refreshAdvisor(tracker: IncidentTracker, world: World, events: EventLog): void {
  const snapshotted = new Set<string>();
  for (const snapshot of rows(world, 'snapshots')) snapshotted.add(snapshot.volumeId);
  const ids: string[] = [];
  for (const v of dataVolumes(world))
    if (v.state !== 'creating' && !v.state.startsWith('delet') && !snapshotted.has(v.id)) ids.push(v.id);
  // Each volume is listed once: the engine's own sort of strings, no comparison called per pair.
  ids.sort();
  const was = tracker.advisorStreaks;
  // A volume this refresh does not flag (snapshotted, deleted) is left out: it starts again.
  const now = new Map<string, number>();
  const entering = new Map<string, Volume[]>();
  for (const id of ids) {
    const refreshes = (was.get(id) ?? 0) + 1;
    now.set(id, refreshes);
    if (refreshes !== 1) continue;
    const v = world.volumes[id]!;
    const found = entering.get(v.dataset!);
    if (found) found.push(v);
    else entering.set(v.dataset!, [v]);
  }
  tracker.advisorStreaks = now;
  for (const [dataset, volumes] of entering) tellUnprotected(world, events, dataset, volumes);
}

/**
 * The advisor's finding for one workload's data: the volumes holding it that it flags (in id
 * order), in one event whose subject is the first of them, naming up to three and listing them all
 * (so `on snapshot-missing create-snapshot {subject}` runs for each), their count in `data.volumes`.
 */
function tellUnprotected(world: World, events: EventLog, dataset: string, volumes: readonly Volume[]): void {
  const zones = [
    ...new Set(volumes.map((v) => world.zones.find((z) => z.zoneId === v.zoneId)?.name ?? v.zoneId)),
  ].sort();
  const first = volumes[0]!;
  const finding =
    volumes.length === 1
      ? `${named(first)} holds ${dataset}'s data in ${zones[0]} and has no snapshot`
      : `${volumes.length} volumes hold ${dataset}'s data in ${zones.join(', ')} and have no snapshot: ${firstFew(volumes, named)}`;
  const message = `Trusted Advisor, Amazon EBS Snapshots: ${finding}`;
  const data = { check: 'Amazon EBS Snapshots', workload: dataset };
  if (volumes.length === 1) events.emit('snapshot-missing', 'warn', first.id, message, { ...data, volumes: 1 });
  else
    events.emitListing(
      'snapshot-missing',
      'warn',
      first.id,
      message,
      data,
      'volumes',
      volumes.map((v) => v.id),
    );
}

/**
 * One check's breaches in order of subject. Subjects (ids) are each a check's once, so they are
 * sorted as strings by the engine rather than by a comparison called for each pair: a zone's outage
 * puts thousands of instances in one check.
 */
function inIdOrder(found: Breach[]): Breach[] {
  if (found.length < 2) return found;
  const bySubject = new Map(found.map((b) => [b.subject, b]));
  if (bySubject.size < found.length)
    return found.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return [...bySubject.keys()].sort().map((subject) => bySubject.get(subject)!);
}

/**
 * Tells the alarms entering ALARM this minute, in order: each alone, but one alarm's instances or
 * volumes of one workload in one event for the workload, listing them (each keeps its own alarm
 * and streak, as CloudWatch keeps one per resource): a zone's outage sends hundreds of a
 * database's volumes past their limits in the same minute, one cause.
 */
function tellEntering(events: EventLog, entering: readonly Breach[]): void {
  const groups = new Map<string, Breach[]>();
  for (const b of entering) {
    // Only an alarm TOLD_TOGETHER says how to tell several; any other breach is its own event.
    const key =
      b.workload !== null && TOLD_TOGETHER[b.alarm] ? `${b.alarm}\0\0${b.workload}` : `${b.alarm}\0${b.subject}`;
    const group = groups.get(key);
    if (group) group.push(b);
    else groups.set(key, [b]);
  }
  for (const members of groups.values()) {
    const first = members[0]!;
    if (members.length === 1) {
      events.emit(first.alarm, 'warn', first.subject, `${first.label}: ${first.says()}`, first.data);
      continue;
    }
    const together = TOLD_TOGETHER[first.alarm]!;
    events.emitListing(
      first.alarm,
      'warn',
      first.workload!,
      `${first.workload}: ${counted(members.length, together.of)} ${together.says}: ${firstFew(members, (b) => b.label)}`,
      // One metric when all tell the same (an instance's EBS balance may be low on bytes or on I/Os).
      { metric: members.every((b) => b.data.metric === first.data.metric) ? (first.data.metric ?? null) : null },
      together.of === 'volume' ? 'volumes' : 'instances',
      members.map((b) => b.subject),
    );
  }
}

/**
 * Evaluates the alarms at the end of each simulated minute and emits an event for each one that
 * enters ALARM (state kept in the tracker's streaks, so saves carry it). Cost: a minute's pass over
 * what may breach (the volumes and instances not at rest, those whose ENA counters are above 0, the
 * workloads, the alarms in ALARM), and over the volumes when Trusted Advisor refreshes.
 */
export function evaluateAlarms(tracker: IncidentTracker, world: World, events: EventLog): void {
  const second = events.tick + 1;
  if (second % ALARM_RULES.periodSeconds !== 0) return;
  // Each alarm's breaches in id order, so the log reads the same however the world was built.
  const index = alarmIndex(tracker);
  const ena = (w: World, found: Breach[]) => enaAllowance(w, found, tracker.streaks, index);
  const breaches = [burstBalance, ebsBalance, exceeded, ena, cpu].flatMap((check) => {
    const found: Breach[] = [];
    check(world, found);
    return inIdOrder(found);
  });
  // Alarms back to OK start again.
  const keys = breaches.map((b) => `${STREAK}${b.alarm}:${b.subject}`);
  const now = new Set(keys);
  for (const key of index.minute)
    if (!now.has(key)) {
      tracker.streaks.delete(key);
      index.minute.delete(key);
    }
  const entering: Breach[] = [];
  for (let i = 0; i < breaches.length; i++) {
    const key = keys[i]!;
    const minutes = (tracker.streaks.get(key) ?? 0) + 1;
    tracker.streaks.set(key, minutes);
    index.minute.add(key);
    if (minutes === breaches[i]!.minutes) entering.push(breaches[i]!);
  }
  tellEntering(events, entering);
  // A check between refreshes keeps what it last said.
  if (second % ALARM_RULES.advisorEverySeconds === ALARM_RULES.periodSeconds) refreshAdvisor(tracker, world, events);
}
