// Instance network bandwidth: what a workload's traffic may move through an instance's network
// interfaces each second, and what the ENA driver counts when it may not.
//
// From AWS (EC2 User Guide, "Amazon EC2 instance network bandwidth"; figures per type in
// data/instance-types.json from the Instance Types guide's network specifications):
// - A type's bandwidth holds for inbound and outbound traffic at once, each direction on its own.
// - Types listed "up to" N Gbps (most of 16 vCPUs or fewer) have a baseline and use network I/O
//   credits to burst above it, best effort, for a limited time (typically 5 to 60 minutes).
// - Traffic through an internet gateway may use 50% of the bandwidth of an instance of 32 vCPUs
//   or more, and at most 5 Gbps below 32 vCPUs.
// - Over an allowance, packets are queued and then dropped, and the driver counts them in
//   `bw_in_allowance_exceeded`, `bw_out_allowance_exceeded` and `pps_allowance_exceeded` (EC2
//   User Guide, "Monitor network performance for ENA settings on your EC2 instance").
//
// This simulation's choices, where AWS publishes no number:
// - The burst bucket holds 30 minutes at the full "up to" figure above baseline, the middle of
//   AWS's 5 to 60 minutes, with the EBS burst's once-a-day shape: it is spent by whichever
//   direction moves more above baseline, and refills while both stay under baseline, a full
//   bucket in 24 hours. Burst is always granted while credits last (AWS: best effort).
// - The packets-per-second allowance admits the type's top bandwidth at 1,000-byte packets:
//   full-size packets meet the bandwidth allowance first, small ones this one.
// - A request is its response (the workload's responseKiB) out and a request of REQUEST_BYTES in,
//   in TCP segments at the path's MTU (1,500 bytes to the internet, 9,001 inside the VPC), with
//   one delayed ACK in for every two segments out. Requests whose traffic does not fit fail; those
//   that fit wait, in proportion, one minimum TCP retransmission timeout for what was dropped.
//
// State: four numbers per instance (`Instance.network`), absent while nothing is spent and nothing
// counted, so a fleet whose traffic stays under baseline carries none and hashes as before.
import { INSTANCE_TYPES, instanceType, type InstanceTypeSpec } from './catalogue.js';
import { derived, derivedKind } from './derived.js';
import { rows } from './tables.js';
import type { Instance, NetworkAllowanceState, World, Workload, WorkloadKind } from './types.js';

/** Seconds of full burst a full bucket holds, and the seconds it takes to refill. */
export const NETWORK_BURST_SECONDS = 1800;
export const NETWORK_BURST_REFILL_SECONDS = 24 * 3600;
/** Response size each kind sends when its level names none: 0 leaves the kind's traffic unmodelled. */
export const DEFAULT_RESPONSE_KIB: Readonly<Record<WorkloadKind, number>> = {
  web: 32,
  database: 0,
  batch: 0,
  stream: 0,
};
/** The largest response a level may name, KiB (1 GiB). */
export const MAX_RESPONSE_KIB = 1_048_576;
/** An HTTP request's bytes: a GET's line and headers. */
const REQUEST_BYTES = 800;
/** IPv4 (20) and TCP with timestamps (32) headers on every segment. */
const HEADER_BYTES = 52;
/** MTU through an internet gateway, and inside the VPC (jumbo frames). */
const INTERNET_MTU = 1500;
const VPC_MTU = 9001;
/** Internet-gateway traffic: at most this below 32 vCPUs, else this share of the type's bandwidth. */
const INTERNET_MBPS_SMALL = 5000;
const INTERNET_SHARE_LARGE = 0.5;
const INTERNET_LARGE_VCPU = 32;
/** Bytes per packet at which the PPS allowance admits the type's top bandwidth. */
const PPS_PACKET_BYTES = 1000;
/** Linux's minimum TCP retransmission timeout, ms: a dropped segment's request waits this long. */
const MIN_RTO_MS = 200;

/** The ENA allowance counters as `ethtool -S eth0` names them, in its order. */
export const ENA_ALLOWANCE_COUNTERS = [
  'bw_in_allowance_exceeded',
  'bw_out_allowance_exceeded',
  'pps_allowance_exceeded',
  'conntrack_allowance_exceeded',
  'linklocal_allowance_exceeded',
] as const;
export type EnaAllowanceCounter = (typeof ENA_ALLOWANCE_COUNTERS)[number];

/** One request's traffic: megabits and packets out and in. */
export interface RequestTraffic {
  outMegabits: number;
  inMegabits: number;
  outPackets: number;
  inPackets: number;
}

/** A type's network allowances: Mbps each way at baseline and at burst, the bucket's size, packets per second. */
export interface NetworkAllowance {
  baselineMbps: number;
  burstMbps: number;
  /** Megabits above baseline a full bucket holds; 0 for types without burst. */
  bucketMegabits: number;
  pps: number;
}

/** Each type's allowances, worked out once from the catalogue. */
const ALLOWANCES: ReadonlyMap<string, NetworkAllowance> = new Map(
  [...INSTANCE_TYPES.values()].map((spec) => {
    const baselineMbps = spec.networkBurst ? spec.networkBaselineMbps : spec.networkMbps;
    const allowance: NetworkAllowance = Object.freeze({
      baselineMbps,
      burstMbps: spec.networkMbps,
      bucketMegabits: (spec.networkMbps - baselineMbps) * NETWORK_BURST_SECONDS,
      pps: (spec.networkMbps * 1e6) / (8 * PPS_PACKET_BYTES),
    });
    return [spec.name, allowance];
  }),
);

/** A type's allowances, from its "baseline / up to" figures (EC2 Instance Types guide, network specifications). */
export const networkAllowance = (spec: InstanceTypeSpec): NetworkAllowance => ALLOWANCES.get(spec.name)!;

/** What the type may move to and from the internet through a gateway, Mbps. */
export function internetMbps(spec: InstanceTypeSpec): number {
  return spec.vcpu >= INTERNET_LARGE_VCPU ? spec.networkMbps * INTERNET_SHARE_LARGE : INTERNET_MBPS_SMALL;
}

/** The response size a workload sends, KiB: its own, else its kind's default. */
export const responseKiB = (wl: Workload): number => wl.responseKiB ?? DEFAULT_RESPONSE_KIB[wl.kind];

/**
 * One request's traffic for a workload, in segments at the path's MTU, written into `out`; all
 * zero when the workload's traffic is not modelled.
 */
export function requestTraffic(wl: Workload, out: RequestTraffic): RequestTraffic {
  const bytes = responseKiB(wl) * 1024;
  const mss = (wl.public ? INTERNET_MTU : VPC_MTU) - HEADER_BYTES;
  const outPackets = bytes > 0 ? Math.ceil(bytes / mss) : 0;
  out.outPackets = outPackets;
  out.inPackets = bytes > 0 ? Math.ceil(REQUEST_BYTES / mss) + Math.ceil(outPackets / 2) : 0;
  out.outMegabits = ((bytes + outPackets * HEADER_BYTES) * 8) / 1e6;
  out.inMegabits = bytes > 0 ? ((REQUEST_BYTES + out.inPackets * HEADER_BYTES) * 8) / 1e6 : 0;
  return out;
}

export const newTraffic = (): RequestTraffic => ({ outMegabits: 0, inMegabits: 0, outPackets: 0, inPackets: 0 });

/**
 * Requests per second per vCPU a member of `wl` on `spec` serves within its baseline allowances,
 * so that its bucket stays full and nothing is counted: the roster's bound for a member at rest.
 * Infinity when the workload's traffic is not modelled.
 */
export function baselineRpsPerVcpu(spec: InstanceTypeSpec, wl: Workload): number {
  const t = requestTraffic(wl, newTraffic());
  if (t.outPackets === 0) return Infinity;
  const a = networkAllowance(spec);
  const baseline = wl.public ? Math.min(a.baselineMbps, internetMbps(spec)) : a.baselineMbps;
  return Math.min(baseline / t.outMegabits, baseline / t.inMegabits, a.pps / (t.outPackets + t.inPackets)) / spec.vcpu;
}

/** An instance's allowance state, with nothing spent and nothing counted when it has none. */
export function allowanceState(inst: Instance): Readonly<NetworkAllowanceState> {
  return inst.network ?? IDLE_STATE;
}

/**
 * Nothing spent, nothing counted. A literal for each instance, not a spread copy of a shared one:
 * a spread copy's fields hold their numbers boxed afresh at every write, and these are written
 * every second the instance serves.
 */
const idleState = (creditsUsedMegabits = 0): NetworkAllowanceState => {
  // The credits used take fractions: their field is made a double by -0 before the figure goes in
  // (see createVolume's burst credits), so the records never change layout when the first does.
  const s = { creditsUsedMegabits: -0, bwInAllowanceExceeded: 0, bwOutAllowanceExceeded: 0, ppsAllowanceExceeded: 0 };
  s.creditsUsedMegabits = creditsUsedMegabits;
  return s;
};

const IDLE_STATE: Readonly<NetworkAllowanceState> = idleState();

/**
 * One second of a member's traffic against its allowances: what it asks each way, what its
 * allowance is now, and the share of its requests whose traffic fits.
 */
export interface NetworkSecond {
  /** Mbps asked out and in, and packets per second asked out and in. */
  wantOutMbps: number;
  wantInMbps: number;
  packetsOut: number;
  packetsIn: number;
  /** Mbps each way the instance may move now: burst while credits last, else baseline; to the internet, within the gateway's limit. */
  capMbps: number;
  fitOut: number;
  fitIn: number;
  fitPps: number;
  /** The share of the requests whose traffic fits all three allowances. */
  served: number;
  /** What a request waits on average for the packets dropped, ms. */
  delayMs: number;
  /** Working figures, reused from second to second. */
  traffic: RequestTraffic;
}

export const newNetworkSecond = (): NetworkSecond => ({
  wantOutMbps: 0,
  wantInMbps: 0,
  packetsOut: 0,
  packetsIn: 0,
  capMbps: 0,
  fitOut: 1,
  fitIn: 1,
  fitPps: 1,
  served: 1,
  delayMs: 0,
  traffic: newTraffic(),
});

const SHAPED = derivedKind<NetworkSecond>('network working figures', newNetworkSecond);

/** The world's working figures for shapeSecond. */
export const networkShaper = (world: World): NetworkSecond => derived(world, SHAPED);

/** `rps` requests of `wl` through `inst` this second against its allowances as they stand, written into `out`; changes nothing. */
export function fitSecond(inst: Instance, wl: Workload, rps: number, out: NetworkSecond): NetworkSecond {
  const t = requestTraffic(wl, out.traffic);
  const spec = instanceType(inst.type)!;
  const a = networkAllowance(spec);
  const used = inst.network?.creditsUsedMegabits ?? 0;
  // Above baseline while credits last, and by no more than what is left this second.
  const cap = a.baselineMbps + Math.min(a.burstMbps - a.baselineMbps, a.bucketMegabits - used);
  out.capMbps = wl.public ? Math.min(cap, internetMbps(spec)) : cap;
  out.wantOutMbps = rps * t.outMegabits;
  out.wantInMbps = rps * t.inMegabits;
  out.packetsOut = rps * t.outPackets;
  out.packetsIn = rps * t.inPackets;
  const packets = out.packetsOut + out.packetsIn;
  out.fitOut = out.wantOutMbps > out.capMbps ? out.capMbps / out.wantOutMbps : 1;
  out.fitIn = out.wantInMbps > out.capMbps ? out.capMbps / out.wantInMbps : 1;
  out.fitPps = packets > a.pps ? a.pps / packets : 1;
  out.served = Math.min(out.fitOut, out.fitIn, out.fitPps);
  out.delayMs = MIN_RTO_MS * (1 - out.served);
  return out;
}

/**
 * One second of `rps` requests of `wl` through `inst`'s allowances: spends or refills the burst
 * bucket, counts shaped packets (noting the instance among the world's counted ones, see
 * countedInstances), and says what share of the requests got through and how much longer they
 * took. `out` is written and returned, so that a second allocates nothing.
 */
export function shapeSecond(
  world: World,
  inst: Instance,
  wl: Workload,
  rps: number,
  out: NetworkSecond,
): NetworkSecond {
  const f = fitSecond(inst, wl, rps, out);
  if (f.traffic.outPackets === 0 || (rps <= 0 && !inst.network)) return f;
  const a = networkAllowance(instanceType(inst.type)!);
  const used = inst.network?.creditsUsedMegabits ?? 0;
  // Credits are earned back only while what is asked stays under baseline: an instance held at its
  // baseline by an empty bucket is not under it.
  const wanted = Math.max(f.wantOutMbps, f.wantInMbps);
  const nextUsed =
    wanted <= a.baselineMbps
      ? Math.max(0, used - a.bucketMegabits / NETWORK_BURST_REFILL_SECONDS)
      : Math.min(a.bucketMegabits, used + wanted * f.served - a.baselineMbps);
  if (f.served < 1 || nextUsed > 0 || inst.network) {
    const s = (inst.network ??= idleState());
    s.creditsUsedMegabits = nextUsed;
    // Packets over each allowance, counted in the direction they travel.
    s.bwOutAllowanceExceeded += Math.ceil(f.packetsOut * (1 - f.fitOut));
    s.bwInAllowanceExceeded += Math.ceil(f.packetsIn * (1 - f.fitIn));
    s.ppsAllowanceExceeded += f.fitPps < 1 ? Math.ceil(f.packetsOut + f.packetsIn - a.pps) : 0;
    if (counting(s)) countedInstances(world).add(inst);
  }
  return f;
}

const counting = (s: NetworkAllowanceState): boolean =>
  s.bwInAllowanceExceeded > 0 || s.bwOutAllowanceExceeded > 0 || s.ppsAllowanceExceeded > 0;

const COUNTED = derivedKind<Set<Instance>>('ENA counted instances', (world) => {
  const counted = new Set<Instance>();
  for (const inst of rows(world, 'instances')) if (inst.network && counting(inst.network)) counted.add(inst);
  return counted;
});

/**
 * The instances whose ENA allowance counters may be above 0, in no fixed order: every instance
 * with a counter above 0 is among them (shapeSecond notes each as it counts), so that whoever reads
 * the counters looks at these and not at the whole fleet. Some may since have been reset or left
 * the table; a reader may drop those.
 */
export const countedInstances = (world: World): Set<Instance> => derived(world, COUNTED);

/** Whether any of an instance's ENA allowance counters is above 0. */
export const enaCounted = (inst: Instance): boolean => !!inst.network && counting(inst.network);

/** A new instance's allowance state: absent, or with part of its bucket spent (`pct` left) for a level's starting fleet. */
export function partBucket(spec: InstanceTypeSpec, pct: number | undefined): Pick<Instance, 'network'> {
  const bucket = networkAllowance(spec).bucketMegabits;
  if (pct === undefined || pct >= 100 || bucket === 0) return {};
  return { network: idleState((bucket * (100 - pct)) / 100) };
}

/** A running instance that serves nothing this second earns back burst credits. */
export function idleSecond(inst: Instance): void {
  const s = inst.network;
  if (!s || s.creditsUsedMegabits <= 0) return;
  const a = networkAllowance(instanceType(inst.type)!);
  s.creditsUsedMegabits = Math.max(0, s.creditsUsedMegabits - a.bucketMegabits / NETWORK_BURST_REFILL_SECONDS);
}

/** A guest's ENA driver starts its counters again when it starts (a launch, a start, a reboot). */
export function resetAllowanceCounters(inst: Instance): void {
  const s = inst.network;
  if (!s) return;
  if (s.creditsUsedMegabits === 0) {
    delete inst.network;
    return;
  }
  s.bwInAllowanceExceeded = 0;
  s.bwOutAllowanceExceeded = 0;
  s.ppsAllowanceExceeded = 0;
}

/** A full bucket: the instance is at rest on the network while its traffic stays under baseline. */
export const bucketFull = (inst: Instance): boolean => !inst.network || inst.network.creditsUsedMegabits <= 0;

/** The burst bucket's balance, percent of full (100 for types without burst). */
export function networkBalancePct(inst: Instance): number {
  const a = networkAllowance(instanceType(inst.type)!);
  return a.bucketMegabits > 0 ? 100 * (1 - allowanceState(inst).creditsUsedMegabits / a.bucketMegabits) : 100;
}

/**
 * What the fleet's workloads sent to their clients in the last second, Mbps: the sum of CloudWatch's
 * NetworkOut over their members, from the requests served and the bytes each sends.
 */
export function fleetNetworkOutMbps(world: World): number {
  const traffic = newTraffic();
  let mbps = 0;
  for (const name in world.workloads) {
    const wl = world.workloads[name]!;
    mbps += wl.last.servedRps * requestTraffic(wl, traffic).outMegabits;
  }
  return mbps;
}

/** The driver's allowance counters as `ethtool -S eth0` prints them (those not modelled stay 0). */
export function enaCounters(inst: Instance): Record<EnaAllowanceCounter, number> {
  const s = allowanceState(inst);
  return {
    bw_in_allowance_exceeded: s.bwInAllowanceExceeded,
    bw_out_allowance_exceeded: s.bwOutAllowanceExceeded,
    pps_allowance_exceeded: s.ppsAllowanceExceeded,
    conntrack_allowance_exceeded: 0,
    linklocal_allowance_exceeded: 0,
  };
}
