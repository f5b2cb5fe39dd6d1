// The model's public face for the layers above it.
export { step, submit, type CommandOrigin } from './step.js';
export { createWorld, type WorldSpec } from './world.js';
export { MAX_COMMAND_CHARS, parseCommand, ParseError, type Command } from './commands/parse.js';
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
export { ranges, usage, type ArgKind, type ArgSpec, type Scope, type VerbSpec } from './commands/spec.js';
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
export { parseDuration, formatClock, formatSpan } from './commands/duration.js';
export { counted } from './counted.js';
export { INTERNET_CLIENT, tracePath, type Hop, type HopResult } from './network.js';
export { deviceName, interfacesOf, interfaceLimit } from './interfaces.js';
export { parseTraceWords, runTrace, TRACE_FORM, TRACE_USAGE, type Trace, type TraceQuery } from './trace.js';
export { blocksOverlap, blockWithin, isCanonical, parseCidr } from './cidr.js';
export {
  aclEntryText,
  layoutOf,
  MAX_ACL_RULE,
  networkAclOf,
  routeState,
  routeTableOf,
  subnetFinder,
  VPC_CIDR,
  type VpcSpec,
} from './vpc.js';
export { instanceType } from './catalogue.js';
export { burstBalancePct, ebsByteBalancePct, ebsIoBalancePct, GUEST_QUEUE_DEPTH } from './ebs-io.js';
export { byFleetOrder, queuedVolumes, servingCapacity, unsettledInstances } from './roster.js';
export { servingSplit } from './serving.js';
export { volumeIo } from './workloads.js';
export { fingerprint } from './hash.js';
export { rows } from './tables.js';
export { CommandError } from './errors.js';
export { EventLog, EventSink } from './events.js';
export type * from './types.js';
