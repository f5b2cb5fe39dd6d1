// The model's public face. Everything outside src/sim imports the model from here and only from here
// (test/architecture.test.ts holds every layer to it), so the files behind it can be split, merged
// or rewritten without touching the game, the views or the adapters. Each group below says who it
// is for; add to it deliberately, not by re-exporting a whole module.

// Building and advancing a world: a level's spec in, one tick at a time, commands applied at once.
export { step, applyNow, type CommandOrigin } from './step.js';
export { createWorld, type RackSpec, type SpotPoolSpec, type WorkloadSpec, type WorldSpec } from './world.js';
export type { LaunchRequest } from './instances.js';
export { DEFAULT_METADATA_OPTIONS, MAX_HOP_LIMIT, tokenResponseReaches } from './metadata-options.js';
export { fingerprint } from './hash.js';
export { TICKS } from './timings.js';

// The one command language: parsing, the verb declarations behind the command reference, help and
// completion, the game's own verbs (answered by the session), the allowed-value lists, and refusals.
export {
  controlIn,
  didYouMean,
  MAX_COMMAND_CHARS,
  parseCommand,
  ParseError,
  type LineOrigin,
} from './commands/parse.js';
export {
  VERBS,
  VERB_TABLE,
  answerGameVerb,
  commandInput,
  type CommandInput,
  type GameVerbHandlers,
  type GameVerbInput,
  type GameVerbName,
  type VerbName,
} from './commands/registry.js';
export { ranges, usage, type ArgKind, type ArgSpec, type Command, type Scope, type VerbSpec } from './commands/spec.js';
export { MAX_NOTE_LENGTH } from './commands/verbs/session.js';
export { VOLUME_BOUNDS } from './volume-types.js';
export {
  ACL_ACTIONS,
  ENABLED_DISABLED,
  HTTP_TOKENS,
  INSTANCE_STATES,
  INTERRUPTION_BEHAVIORS,
  MARKETS,
  PLACEMENT_STRATEGIES,
  PROTOCOLS,
  REBOOT_MIGRATIONS,
  SCHEDULED_EVENT_CODES,
  VOLUME_TYPES,
} from './types.js';
export { parseDuration, formatClock, formatSpan, formatWorldTime } from './commands/duration.js';
export { shownCommand } from './commands/echo.js';
export { characterCount, isSurrogatePair } from './characters.js';
export {
  INSTANCE_NAME,
  INSTANCE_NAME_EXPECTED,
  NAME_MAX_CHARS,
  NOT_AN_ID,
  storageNameProblem,
  VPC_NAME,
  VPC_NAME_EXPECTED,
  VPC_NAME_MAX,
} from './names.js';
export { CommandError, refusalCode, refusalOf, refusalText } from './errors.js';

// What happened: the event stream, and which instances changed since a reader last looked (the
// IMDS answers long polls from it).
export {
  commandsFirst,
  concerns,
  concernsAny,
  EventLog,
  EventSink,
  isOutcome,
  listedIn,
  subjectsOf,
  type Describe,
} from './events.js';
export { beyondReach, cursor, touchedSince, type Cursor } from './changes.js';

// Seeded randomness for the game's injects: draws come from the world's named streams, so a level's
// incidents replay exactly from its seed.
export { ALEA_MULTIPLIER, draw, drawInt } from './rng.js';

// Read-only queries over a world, for scoring, panels and reports. None of them changes the world.
export { rows } from './tables.js';
export { runningIn } from './health.js';
export { RECOVERIES_PER_DAY } from './watch.js';
export { ruleFlags } from './commands/verbs/security-groups.js';
export { agrees, counted, firstFew, percentText } from './counted.js';
export { INSTANCE_TYPES, instanceType } from './catalogue.js';
export { SURGE_FACTOR_MAX } from './faults.js';
export { fullEbsBucket, hibernates, instanceLabel, lostByResponder, spotPoolKey, stopsInstance } from './instances.js';
export { attachedTo } from './volumes.js';
export { dataVolumes } from './data-volumes.js';
export { currentLimits, fullBurstCredits, monthlyMicros, HOURS_PER_MONTH } from './volume-types.js';
export { burstBalancePct, ebsByteBalancePct, ebsIoBalancePct, GUEST_QUEUE_DEPTH } from './ebs-io.js';
export { copyWorld, creditsOf, ioOf, worldFingerprint, writeLanes } from './volume-lanes.js';
export { volumeIo, ebsTotals, instanceNetwork, withinSlo } from './workloads.js';
export {
  allowanceState,
  countedInstances,
  DEFAULT_RESPONSE_KIB,
  ENA_ALLOWANCE_COUNTERS,
  enaCounted,
  enaCounters,
  fleetNetworkOutMbps,
  internetMbps,
  MAX_RESPONSE_KIB,
  networkAllowance,
  networkBalancePct,
  NETWORK_BURST_SECONDS,
  responseKiB,
  type EnaAllowanceCounter,
  type NetworkSecond,
} from './bandwidth.js';
export {
  backloggedVolumes,
  clientAddress,
  holdsData,
  inFleetOrder,
  inService,
  queuedVolumes,
  runningCount,
  servingCapacity,
  unsettledInstances,
} from './roster.js';
export { admitsClients, clientsText, servingSplit, shutOutMembers, whyNotServing } from './serving.js';
export {
  instanceCostMicros,
  ledgerTotalMicros,
  fleetMicrosPerHour,
  volumeCostMicros,
  PUBLIC_IPV4_MICROS_PER_HOUR,
  availableNatGateways,
  NAT_GATEWAY_MICROS_PER_HOUR,
} from './billing.js';

// The network: addresses and blocks, the VPC's subnets, route tables, network ACLs and NAT
// gateways, and the packet paths `trace` walks hop by hop.
export { blocksOverlap, blockWithin, ipToNumber, isCanonical, maskedCidr, parseCidr, parsePortRange } from './cidr.js';
export {
  aclEntryText,
  layoutOf,
  placeFinder,
  vpcsOf,
  MAX_ACL_RULE,
  networkAclOf,
  routeFor,
  routeState,
  routeTableOf,
  subnetFinder,
  VPC_BLOCK_BITS,
  VPC_CIDR,
  type VpcSpec,
} from './vpc.js';
export {
  INTERNET_CLIENT,
  VPC_CLIENT,
  interfacesOf,
  securityGroupsAllow,
  tracePath,
  instancePaths,
  type Hop,
  type HopResult,
} from './network.js';
export { natDown, natGatewaysOf } from './nat.js';
export { egressPath, INTERNET_SERVICE } from './egress.js';
export { deviceName, interfaceLimit, ipv4Limit, privateIpsOf, publicAssociationsOf } from './interfaces.js';
export { parseTraceWords, runTrace, TRACE_FORM, TRACE_USAGE, type Trace, type TraceQuery } from './trace.js';

// The world's data shapes.
export type * from './types.js';
