// The world model's state. Everything here is plain JSON: a world can be hashed, saved and
// restored exactly, and no field holds a function, a Map or a class instance.

export type Tick = number;

export type HostHealth = 'ok' | 'impaired' | 'failed';

// Each list of allowed values is written here once; the union types and every check, parser
// and completion read it.

export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** How an instance is bought. */
export const MARKETS = ['spot', 'on-demand'] as const;
export type Market = (typeof MARKETS)[number];
/** What a Spot interruption does to the instance (InstanceInterruptionBehavior). */
export const INTERRUPTION_BEHAVIORS = ['terminate', 'stop', 'hibernate'] as const;
export type InterruptionBehavior = (typeof INTERRUPTION_BEHAVIORS)[number];
export const CHECK_STATUSES = ['ok', 'impaired', 'initializing', 'insufficient-data'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
/**
 * The EBS volume types: the keys of the sourced data table, data/ebs-volume-types.json, in its
 * order (a test holds them to it). Spelled out rather than read from the table's type, which the
 * generator of a save's world schema (scripts/world-schema.ts) cannot follow into a JSON module.
 */
export const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];
export type VolumeState = 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted';
export const PLACEMENT_STRATEGIES = ['cluster', 'spread', 'partition'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];
export type WorkloadKind = 'web' | 'database' | 'batch' | 'stream';
/** Scheduled event codes (EC2 User Guide, "Scheduled events for your instances"). */
export const SCHEDULED_EVENT_CODES = [
  'instance-stop',
  'instance-retirement',
  'instance-reboot',
  'system-reboot',
  'system-maintenance',
] as const;
export type ScheduledEventCode = (typeof SCHEDULED_EVENT_CODES)[number];
/** A security group rule's protocol; `all` is EC2's `-1`. */
export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
/** What a network ACL entry does with the traffic it matches. */
export const ACL_ACTIONS = ['allow', 'deny'] as const;
export type AclAction = (typeof ACL_ACTIONS)[number];
/** HttpEndpoint and InstanceMetadataTags. */
export const ENABLED_DISABLED = ['enabled', 'disabled'] as const;
export type EnabledDisabled = (typeof ENABLED_DISABLED)[number];
/** HttpTokens: `required` is IMDSv2 only. */
export const HTTP_TOKENS = ['required', 'optional'] as const;
export type HttpTokens = (typeof HTTP_TOKENS)[number];
/** InstanceMaintenanceOptions.RebootMigration. */
export const REBOOT_MIGRATIONS = ['default', 'disabled'] as const;
export type RebootMigration = (typeof REBOOT_MIGRATIONS)[number];

export interface AvailabilityZone {
  name: string; // us-east-1a
  zoneId: string; // use1-az1
  /** An impaired zone fails its hosts' network path: instances there stop serving. */
  impaired: boolean;
}

export interface Rack {
  id: string;
  zoneId: string;
  family: string;
  hostIds: string[];
}

export interface Host {
  id: string;
  rackId: string;
  zoneId: string;
  family: string;
  vcpu: number;
  memoryMiB: number;
  usedVcpu: number;
  usedMemoryMiB: number;
  instanceIds: string[];
  health: HostHealth;
  healthSince: Tick;
}

export interface SpotState {
  poolKey: string;
  behavior: InterruptionBehavior;
  /** Highest price the player will pay, in micro-dollars per hour; null means the on-demand price. */
  maxPriceMicros: number | null;
  rebalanceAt: Tick | null;
  noticeAt: Tick | null;
  interruptAt: Tick | null;
  action: InterruptionBehavior | null;
}

/**
 * A scheduled event, as DescribeInstanceStatus and IMDS `events/maintenance/*` show it (EC2 User
 * Guide, "Scheduled events for your instances"): `active` until EC2 acts at `notBefore` or the
 * operator's own action takes its place, then `completed`; `canceled` when the instance is
 * terminated first. Completed and canceled events stay on the instance as its history.
 */
export interface ScheduledEvent {
  id: string;
  code: ScheduledEventCode;
  description: string;
  notBefore: Tick;
  /** End of the window; equal to notBefore for instance-stop and instance-retirement, which have none. */
  notAfter: Tick;
  state: 'active' | 'completed' | 'canceled';
  /**
   * The degraded host whose retirement scheduled it (impair-host): its instances' notices, and EC2's
   * stops of them when due, are told in one event for the host; absent for an instance's own event.
   */
  degradedHostId?: string;
}

/**
 * Instance metadata options with EC2's names and defaults (API reference,
 * "InstanceMetadataOptionsRequest"): the endpoint on or off, whether IMDSv2 tokens are required,
 * how many network hops a token's PUT response may travel (1-64), and whether instance tags are
 * readable under `tags/instance`.
 */
export interface MetadataOptions {
  httpEndpoint: EnabledDisabled;
  httpTokens: HttpTokens;
  httpPutResponseHopLimit: number;
  instanceMetadataTags: EnabledDisabled;
}

export interface StatusChecks {
  system: CheckStatus;
  instance: CheckStatus;
  ebs: CheckStatus;
  /** First tick of the current run of failed system checks, for automatic recovery. */
  systemFailingSince: Tick | null;
}

export interface InstanceStore {
  disks: number;
  diskGB: number;
  /** What the guest has written there; lost whenever the instance leaves its host. */
  dataGB: number;
}

export interface EbsBurstBucket {
  /** Megabits above baseline the instance may still move at up to its maximum EBS bandwidth. */
  megabits: number;
  /** I/O operations above baseline IOPS still available. */
  ios: number;
}

/**
 * An instance's network allowance state (see bandwidth.ts): burst credits spent and the ENA
 * driver's allowance counters since the guest started. Four numbers, absent while all are 0.
 */
export interface NetworkAllowanceState {
  /** Megabits above baseline spent from the burst bucket and not yet earned back. */
  creditsUsedMegabits: number;
  /** Packets queued or dropped over the inbound / outbound bandwidth and the packets-per-second allowances. */
  bwInAllowanceExceeded: number;
  bwOutAllowanceExceeded: number;
  ppsAllowanceExceeded: number;
}

export interface Instance {
  id: string;
  name: string | null;
  type: string;
  zoneId: string;
  hostId: string | null;
  state: InstanceState;
  stateSince: Tick;
  /** Tick at which the current transitional state (pending, stopping...) ends. */
  transitionAt: Tick | null;
  /** What the current stop is for: a plain stop, a hibernate, or a Spot interruption. */
  stopReason: string | null;
  market: Market;
  spot: SpotState | null;
  placementGroup: string | null;
  partition: number | null;
  /** The primary network interface (eth0). */
  eniId: string;
  /** Interfaces attached after launch, by device index; absent when there are none. */
  secondaryEniIds?: string[];
  rootVolumeId: string;
  instanceStore: InstanceStore | null;
  checks: StatusChecks;
  guestHealthy: boolean;
  /**
   * The guest is restarting (a reboot, or recovery onto another host) until this tick: the
   * instance stays `running` and keeps its host, but its guest serves nothing meanwhile. Null
   * while the guest is up.
   */
  guestRestartUntil: Tick | null;
  autoRecovery: boolean;
  /** InstanceMaintenanceOptions.RebootMigration: whether an operator's reboot with a system-reboot event pending moves the instance to new hardware. */
  rebootMigration: RebootMigration;
  /** HibernationOptions.Configured: set at launch only, and only for an encrypted EBS root on a type that supports it. */
  hibernationConfigured: boolean;
  ebsBurst: EbsBurstBucket;
  /** Absent: the network burst bucket is full and no allowance was exceeded since the guest started. */
  network?: NetworkAllowanceState;
  workload: string | null;
  /** The instance's place among all the world's launched instances, from 1: fleet order. */
  launchSeq: number;
  /**
   * AmiLaunchIndex: the instance's place among those one launch (RunInstances, or a fleet entry of
   * a level) made together, from 0: the first of them has launchSeq - amiLaunchIndex, which names
   * their reservation. Absent in a save from before it was kept: 0.
   */
  amiLaunchIndex?: number;
  /** When the instance was launched, its first start. */
  launchedAt: Tick;
  /**
   * When it last started after a stop (a user's start, or EC2's restart of a Spot instance): EC2's
   * LaunchTime, "the time that the instance was last launched", and the identity document's
   * pendingTime; null until the first such start, when both are launchedAt. Absent in a save from
   * before it was kept: null.
   */
  restartedAt?: Tick | null;
  amiId: string;
  metadataOptions: MetadataOptions;
  scheduledEvents: readonly ScheduledEvent[];
  /** Ticks of the instance's automatic recoveries in the last 24 hours (see recoveriesLeft); absent before its first. */
  recoveries?: readonly Tick[];
  /**
   * Devices of EBS volumes present at launch or at the last start and detached since, while it ran:
   * its metadata lists them until the next start (see the attachment's `afterStart`); absent when none.
   */
  detachedSinceStart?: readonly string[];
  /** Charges up to the meter's last reading, in micro-dollars (see billing.ts). */
  costMicros: number;
  /** The meter at its last reading while billed: a tick (on-demand) or the Spot pool's charges so far; null while not billed. */
  costMark: number | null;
  /** First tick of the current billing period (each start opens one, billed for at least a minute); null while not billed. */
  billedSince: Tick | null;
}

declare const STORED: unique symbol;

/**
 * A volume's figure that changes every second it is worked: while the world runs it is kept in the
 * volume's lanes (see volume-lanes.ts), and the record holds it as of the last time the world was
 * written out. Read and written through volume-lanes.ts, which the type enforces.
 */
export type Stored<T> = { readonly [STORED]: T };

/** A volume's I/O in one second. Only the queue carries over to the next. */
export interface VolumeIo {
  demandIops: number;
  demandMiBps: number;
  deliveredIops: number;
  deliveredMiBps: number;
  queueLength: number;
  latencyMs: number;
  /** What limited delivery this tick: none, the volume, or the instance's EBS bandwidth. */
  limitedBy: 'none' | 'volume' | 'instance' | 'unavailable';
}

export interface VolumePerformance {
  iops: number;
  throughputMiBps: number;
}

export interface VolumeModification {
  state: 'modifying' | 'optimizing' | 'completed';
  startedAt: Tick;
  endsAt: Tick;
  /** When optimizing began; performance moves from `original` to the target between then and endsAt. */
  optimizingFrom: Tick | null;
  original: VolumePerformance;
  /** What the volume delivers at most while optimizing: from `original` towards the target. */
  current: VolumePerformance;
  target: { type: VolumeType; sizeGiB: number; iops: number; throughputMiBps: number };
}

export interface Volume {
  id: string;
  name: string | null;
  zoneId: string;
  type: VolumeType;
  sizeGiB: number;
  iops: number;
  throughputMiBps: number;
  state: VolumeState;
  readyAt: Tick;
  /** EBS encryption: a hibernating instance needs an encrypted root. */
  encrypted: boolean;
  attachment: {
    instanceId: string;
    device: string;
    deleteOnTermination: boolean;
    /**
     * Attached while its instance was pending or running, since it last started: the instance's
     * metadata lists the EBS volumes present at launch or at its last start only, so this one joins
     * `block-device-mapping` at the next start, which drops the mark (absent: listed). See
     * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-categories.html
     */
    afterStart?: true;
  } | null;
  /** gp2: I/O credits; st1 / sc1: MiB of throughput credits (see Stored). */
  burstCredits: Stored<number>;
  modification: VolumeModification | null;
  /** Start ticks of the modifications of the last 24 hours, oldest first: at most four fit in a rolling 24 hours. */
  modificationStarts: readonly Tick[];
  /** Restored from a snapshot: blocks still to fetch from the regional store on first read. */
  lazyLoad: { snapshotId: string; remainingGiB: number } | null;
  /** The stateful workload whose data the volume holds, carried by snapshots into restored volumes; null when created empty. */
  dataset: string | null;
  impaired: boolean;
  /** The volume's I/O in the last second it was worked (see Stored). */
  io: Stored<VolumeIo>;
  createdAt: Tick;
  /** Charges up to costMark, the tick the meter was last read, in micro-dollars (see billing.ts). */
  costMicros: number;
  costMark: Tick;
}

export interface Snapshot {
  id: string;
  name: string | null;
  volumeId: string;
  dataset: string | null;
  sizeGiB: number;
  state: 'pending' | 'completed';
  startedAt: Tick;
  completesAt: Tick;
}

export interface SpotPool {
  key: string;
  type: string;
  zoneId: string;
  /** Instances of this type the pool can hold in this zone. */
  capacity: number;
  /** Long-run level the capacity drifts back towards. */
  meanCapacity: number;
  /** Largest capacity change a tick's drift may make, in instances. */
  volatility: number;
  priceMicros: number;
  onDemandMicros: number;
  /** What one instance held in the pool since the start has been charged, in micro-dollars: Spot meters read against it. */
  chargedMicros: number;
}

export interface PlacementGroup {
  name: string;
  strategy: PlacementStrategy;
  partitions: number;
}

export interface SecurityGroupRule {
  protocol: Protocol;
  fromPort: number;
  toPort: number;
  cidr: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  ingress: SecurityGroupRule[];
  /** The VPC it belongs to; absent: the first. An interface takes groups of its own VPC only. */
  vpcId?: string;
}

export interface NetworkInterface {
  id: string;
  /** The instance it is attached to; null while `available`. */
  instanceId: string | null;
  /** Its device index on the instance: absent for the primary (0) and while available. */
  deviceIndex?: number;
  zoneId: string;
  mac: string;
  privateIp: string;
  publicIp: string | null;
  /** The subnet gives this interface an auto-assigned public IPv4 address while running. */
  assignPublicIp: boolean;
  allocationId: string | null;
  securityGroupIds: string[];
  /** The subnet the interface lives in; absent: the default subnet of its zone (see vpc.ts). */
  subnetId?: string;
  /** Secondary private IPv4 addresses, in the order assigned; absent: none. */
  secondaryIps?: SecondaryIp[];
}

/** A secondary private IPv4 address of an interface, with the Elastic IP mapped to it if any. */
export interface SecondaryIp {
  privateIp: string;
  /** Absent: no Elastic IP is associated with this address. */
  allocationId?: string;
  publicIp?: string;
}

/** A route: traffic to `destination` (an IPv4 CIDR) goes to `target`: `local`, an internet gateway id or a NAT gateway id. */
export interface Route {
  destination: string;
  target: string;
}

export interface RouteTable {
  id: string;
  name: string;
  /** The VPC's main route table serves every subnet not associated with another. */
  main: boolean;
  routes: Route[];
}

export interface NetworkAclEntry {
  /** 1-32766, evaluated lowest first; the first entry that matches decides. */
  ruleNumber: number;
  protocol: Protocol;
  fromPort: number;
  toPort: number;
  cidr: string;
  action: AclAction;
}

export interface NetworkAcl {
  id: string;
  name: string;
  /** The VPC's default network ACL serves every subnet not associated with another. */
  default: boolean;
  inbound: NetworkAclEntry[];
  outbound: NetworkAclEntry[];
}

export interface Subnet {
  id: string;
  name: string;
  zoneId: string;
  cidr: string;
  /** Null: the VPC's main route table. */
  routeTableId: string | null;
  /** Null: the VPC's default network ACL. */
  networkAclId: string | null;
  /** MapPublicIpOnLaunch: interfaces launched here get a public IPv4 address unless told not to. */
  mapPublicIp: boolean;
  /** DefaultForAz: where a launch that names no subnet goes in its zone. */
  defaultForAz: boolean;
}

/**
 * The VPC's layout. A world whose level describes none holds none: it runs in a default VPC drawn
 * from its zones (vpc.ts), exactly as it would be if written out, until a command changes it.
 */
export interface VpcLayout {
  id: string;
  /** A level VPC's Name tag; absent in the default VPC. */
  name?: string;
  /** EC2's default VPC (isDefault): its interfaces take their zone's default subnet and addresses by zone. */
  isDefault: boolean;
  cidr: string;
  /** The attached internet gateway, or null when none is attached. */
  internetGatewayId: string | null;
  subnets: Record<string, Subnet>;
  routeTables: Record<string, RouteTable>;
  networkAcls: Record<string, NetworkAcl>;
  /** Absent: none was ever created, so a VPC without NAT gateways hashes as it did before they existed. */
  natGateways?: Record<string, NatGateway>;
}

/**
 * A public NAT gateway: it lives in one subnet of one zone and sends its subnet's and other
 * subnets' outbound traffic to the internet from its Elastic IP (see nat.ts).
 */
export interface NatGateway {
  id: string;
  name: string;
  subnetId: string;
  zoneId: string;
  allocationId: string;
  publicIp: string;
  /** Its address in its subnet, the source the subnet's network ACL sees. */
  privateIp: string;
  /**
   * `pending` until `availableAt`, then `available`; `deleted` stays listed, as EC2 lists a
   * deleted NAT gateway for a while, and routes to it are blackholes.
   */
  state: 'pending' | 'available' | 'deleted';
  /** The tick a pending NAT gateway becomes available. */
  availableAt: number;
}

export interface ElasticIp {
  allocationId: string;
  publicIp: string;
  eniId: string | null;
  /** The NAT gateway holding this address; absent when none does. */
  natGatewayId?: string;
  /** The interface's secondary private address it maps to; absent: its primary address. */
  privateIp?: string;
}

export interface DemandShape {
  baseRps: number;
  /** Multipliers for each hour of the simulated day, interpolated linearly between hours. */
  hourly: number[] | null;
  /** Uniform noise as a fraction of demand, e.g. 0.05 for ±5%. */
  noise: number;
}

export interface WorkloadStats {
  requests: number;
  served: number;
  failed: number;
  /** Seconds in which the workload met its SLO, and seconds measured. */
  goodSeconds: number;
  measuredSeconds: number;
}

export interface WorkloadTick {
  demandRps: number;
  servedRps: number;
  errorRps: number;
  latencyMs: number;
  healthyMembers: number;
}

export interface Workload {
  name: string;
  kind: WorkloadKind;
  demand: DemandShape;
  /** Requests per second one vCPU serves. */
  rpsPerVcpu: number;
  /** Disk work per request on the member's data volume. */
  iopsPerRequest: number;
  kibPerRequest: number;
  /** Bytes each response sends to the client, KiB; absent: the kind's default (bandwidth.ts). */
  responseKiB?: number;
  port: number;
  /** Clients come from the internet: the path needs a public address and an open security group. */
  public: boolean;
  /**
   * Each request calls a service on the internet on this TCP port (a payment API, a package
   * repository): members serve only while their way out is open. Absent: no such call.
   */
  egressPort?: number;
  /** Members serve only with the workload's data attached: a database on an empty disk is no database. */
  stateful: boolean;
  slo: { latencyMs: number; availability: number };
  /** A scenario's demand surge (surge-demand): demand times `factor` until `untilTick`; absent when none has happened. */
  surge?: { factor: number; untilTick: number };
  stats: WorkloadStats;
  last: WorkloadTick;
}

export interface RngStreams {
  [stream: string]: { c: number; s0: number; s1: number; s2: number };
}

export interface Counters {
  [prefix: string]: number;
}

/** Running totals of what the fleet has cost, in micro-dollars. */
export interface Ledger {
  onDemandMicros: number;
  spotMicros: number;
  ebsMicros: number;
  /** Public IPv4 addresses, auto-assigned or Elastic, in use or idle. */
  publicIpv4Micros: number;
  /** NAT gateway hours; absent until the world has had an available NAT gateway, so others hash as before. */
  natGatewayMicros?: number;
}

export interface World {
  schemaVersion: 1;
  seed: string;
  tick: Tick;
  /** The simulated calendar: tick 0 is this many milliseconds after the Unix epoch. */
  epochMs: number;
  region: string;
  zones: AvailabilityZone[];
  racks: Record<string, Rack>;
  hosts: Record<string, Host>;
  instances: Record<string, Instance>;
  volumes: Record<string, Volume>;
  snapshots: Record<string, Snapshot>;
  spotPools: Record<string, SpotPool>;
  placementGroups: Record<string, PlacementGroup>;
  securityGroups: Record<string, SecurityGroup>;
  enis: Record<string, NetworkInterface>;
  elasticIps: Record<string, ElasticIp>;
  /** Absent: the default VPC (see vpc.ts), so a world that never changes it hashes as before. */
  vpc?: VpcLayout;
  /** The level's further VPCs, after the first (`vpc`); absent when it has one. Isolated from each other. */
  otherVpcs?: VpcLayout[];
  workloads: Record<string, Workload>;
  ledger: Ledger;
  counters: Counters;
  rng: RngStreams;
}

export type EventLevel = 'info' | 'warn' | 'error';

export type EventData = Record<string, string | number | boolean | null>;

export interface SimEvent {
  tick: Tick;
  kind: string;
  level: EventLevel;
  subject: string;
  message: string;
  data?: EventData;
  /**
   * The instances one cause reached in this second, in the order it reached them, when the event
   * tells them together (a Spot pool's interruptions): the subject is then the cause, and
   * `data.instances` their count. Absent on an event about one thing, which is its subject.
   */
  instanceIds?: readonly string[];
  /**
   * The volumes one check found together, when the event tells several (an alarm's volumes of one
   * workload entering ALARM in the same minute, an advisor finding): the subject is then their
   * workload, or the first of them, and `data.volumes` their count. Absent otherwise.
   */
  volumeIds?: readonly string[];
}
