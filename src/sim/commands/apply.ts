// Applies a parsed command to the world. Every handler checks all it needs before it changes
// anything, so a refused command leaves the world exactly as it was.
import { instanceType } from '../catalogue.js';
import { touchRuleChange } from '../roster.js';
import { refuse } from '../errors.js';
import type { EventSink } from '../events.js';
import {
  failHost,
  hangGuest,
  impairHost,
  restoreHost,
  scheduleEvent,
  setSpotCapacity,
  setVolumeImpaired,
  setZoneImpaired,
  surgeDemand,
} from '../faults.js';
import {
  instanceLabel,
  launch,
  modifyInstanceType,
  modifyMetadataOptions,
  reboot,
  start,
  stop,
  terminate,
  zoneIdOf,
  type LaunchRequest,
} from '../instances.js';
import { DEFAULT_METADATA_OPTIONS } from '../metadata-options.js';
import { allocateAddress, associateAddress, disassociateAddress, parseCidr } from '../network.js';
import { MAX_PARTITIONS } from '../placement.js';
import type {
  Instance,
  InterruptionBehavior,
  MetadataOptions,
  NetworkInterface,
  PlacementStrategy,
  ScheduledEventCode,
  SecurityGroupRule,
  VolumeType,
  World,
} from '../types.js';
import { resolvePerformance } from '../volume-types.js';
import {
  attachVolume,
  createSnapshot,
  createVolume,
  deleteVolume,
  detachVolume,
  modifyVolume,
  nextDevice,
  type VolumeRequest,
} from '../volumes.js';
import { VERB_TABLE } from './grammar.js';
import { VPC_HANDLERS } from './vpc.js';
import { deviceName, resolveInterface } from '../interfaces.js';
import type { Command } from './parse.js';
import { resolveHost, resolveInstance, resolveSecurityGroup, resolveSnapshot, resolveVolume } from './resolve.js';

type Handler = (world: World, cmd: Command, events: EventSink) => void;

/** The instance's interface a command names (`eth1` or an interface id), else its primary. */
function interfaceOf(world: World, instance: Instance, ref: string | null): NetworkInterface {
  if (ref === null) return world.enis[instance.eniId]!;
  const eni = resolveInterface(world, ref, instance);
  if (eni.instanceId !== instance.id)
    refuse('InvalidParameterCombination', `${eni.id} is not attached to ${instance.id}`);
  return eni;
}

const str = (cmd: Command, name: string): string => String(cmd.args[name] ?? cmd.flags[name]);
const opt = <T extends string | number>(cmd: Command, name: string): T | null =>
  (cmd.flags[name] as T | undefined) ?? null;

/** `gp3:100[:iops[:throughput]]` for a launch's data volume. */
function parseVolumeShorthand(text: string, zoneId: string): VolumeRequest {
  const [type, size, iops, throughput] = text.split(':');
  const num = (s: string | undefined) =>
    s === undefined || s === ''
      ? null
      : /^\d+$/.test(s)
        ? Number(s)
        : refuse('InvalidParameterValue', `--volume expects TYPE:GiB[:IOPS[:MiBps]], got '${text}'`);
  const sizeGiB = num(size);
  if (sizeGiB === null) refuse('InvalidParameterValue', `--volume expects TYPE:GiB[:IOPS[:MiBps]], got '${text}'`);
  const req = {
    zoneId,
    type: type as VolumeType,
    sizeGiB,
    iops: num(iops),
    throughputMiBps: num(throughput),
    name: null,
  };
  resolvePerformance(req.type, req.sizeGiB, req.iops, req.throughputMiBps);
  return req;
}

/** The metadata option flags a command gives, over `base` for those it leaves out. */
function metadataOptionsOf(cmd: Command, base: Readonly<MetadataOptions>): MetadataOptions {
  return {
    httpEndpoint: opt<MetadataOptions['httpEndpoint']>(cmd, 'http-endpoint') ?? base.httpEndpoint,
    httpTokens: opt<MetadataOptions['httpTokens']>(cmd, 'http-tokens') ?? base.httpTokens,
    httpPutResponseHopLimit: opt<number>(cmd, 'http-put-response-hop-limit') ?? base.httpPutResponseHopLimit,
    instanceMetadataTags:
      opt<MetadataOptions['instanceMetadataTags']>(cmd, 'instance-metadata-tags') ?? base.instanceMetadataTags,
  };
}

function launchRequest(world: World, cmd: Command): LaunchRequest {
  const zoneId = zoneIdOf(world, str(cmd, 'az'));
  const sgNames = (opt<string>(cmd, 'sg') ?? 'default').split(',').filter(Boolean);
  const maxPrice = opt<number>(cmd, 'max-price');
  const spot = cmd.flags.spot === true;
  if (!spot && (maxPrice !== null || cmd.flags.interruption !== undefined))
    refuse('InvalidParameterCombination', '--max-price and --interruption apply only with --spot');
  const count = opt<number>(cmd, 'count') ?? 1;
  const deleting = opt<string>(cmd, 'delete-on-termination') ?? 'root';
  const data = cmd.flags.volume === undefined ? null : parseVolumeShorthand(String(cmd.flags.volume), zoneId);
  if (cmd.flags['delete-on-termination'] === 'all' && !data)
    refuse('InvalidParameterCombination', '--delete-on-termination all needs a data volume (--volume)');
  return {
    type: str(cmd, 'type'),
    zoneId,
    count,
    minCount: opt<number>(cmd, 'min-count') ?? count,
    name: opt<string>(cmd, 'name'),
    market: spot ? 'spot' : 'on-demand',
    spotBehavior: (opt<string>(cmd, 'interruption') ?? 'terminate') as InterruptionBehavior,
    spotMaxPriceMicros: maxPrice === null ? null : Math.round(maxPrice * 1_000_000),
    placementGroup: opt<string>(cmd, 'pg'),
    partition: opt<number>(cmd, 'partition'),
    workload: opt<string>(cmd, 'workload'),
    securityGroupIds: sgNames.map((n) => resolveSecurityGroup(world, n).id),
    assignPublicIp: cmd.flags['no-public-ip'] !== true,
    root: {
      type: 'gp3',
      sizeGiB: 8,
      encrypted: cmd.flags['encrypt-root'] === true,
      deleteOnTermination: deleting !== 'none',
    },
    data: data && { ...data, deleteOnTermination: deleting === 'all' },
    metadataOptions: metadataOptionsOf(cmd, DEFAULT_METADATA_OPTIONS),
    hibernation: cmd.flags.hibernation === true,
    autoRecovery: cmd.flags['no-auto-recovery'] !== true,
    rebootMigration: (opt<string>(cmd, 'reboot-migration') ?? 'default') as LaunchRequest['rebootMigration'],
    storeDataGB: 0,
    subnet: opt<string>(cmd, 'subnet'),
  };
}

function parseRule(cmd: Command): SecurityGroupRule {
  const port = str(cmd, 'port');
  const m = /^(\d+)(?:-(\d+))?$/.exec(port);
  if (!m) refuse('InvalidParameterValue', `--port expects a port or range such as 443 or 8000-8100, got '${port}'`);
  const fromPort = Number(m[1]);
  const toPort = Number(m[2] ?? m[1]);
  if (fromPort > toPort || toPort > 65535)
    refuse('InvalidParameterValue', `--port ${port} is not a range within 0-65535`);
  const cidr = str(cmd, 'cidr');
  if (!parseCidr(cidr))
    refuse('InvalidParameterValue', `--cidr expects an IPv4 range such as 0.0.0.0/0, got '${cidr}'`);
  return { protocol: str(cmd, 'protocol') as SecurityGroupRule['protocol'], fromPort, toPort, cidr };
}

const sameRule = (a: SecurityGroupRule, b: SecurityGroupRule) =>
  a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidr === b.cidr;

const HANDLERS: Record<string, Handler> = {
  launch: (world, cmd, events) => void launch(world, launchRequest(world, cmd), events),
  terminate: (world, cmd, events) => terminate(world, resolveInstance(world, str(cmd, 'instance')), events),
  stop: (world, cmd, events) =>
    stop(
      world,
      resolveInstance(world, str(cmd, 'instance')),
      { force: cmd.flags.force === true, hibernate: cmd.flags.hibernate === true },
      events,
    ),
  start: (world, cmd, events) => start(world, resolveInstance(world, str(cmd, 'instance')), events),
  reboot: (world, cmd, events) => reboot(world, resolveInstance(world, str(cmd, 'instance')), events),
  'modify-instance-metadata-options': (world, cmd, events) => {
    const instance = resolveInstance(world, str(cmd, 'instance'));
    if (Object.keys(cmd.flags).length === 0)
      refuse(
        'MissingParameter',
        'modify-instance-metadata-options needs at least one of --http-tokens, --http-endpoint, --http-put-response-hop-limit, --instance-metadata-tags',
      );
    modifyMetadataOptions(instance, metadataOptionsOf(cmd, instance.metadataOptions), events);
  },
  'modify-instance-type': (world, cmd, events) =>
    modifyInstanceType(resolveInstance(world, str(cmd, 'instance')), str(cmd, 'type'), events),
  'create-volume': (world, cmd, events) => {
    const zoneId = zoneIdOf(world, str(cmd, 'az'));
    const snapshotRef = opt<string>(cmd, 'snapshot');
    const snapshot = snapshotRef ? resolveSnapshot(world, snapshotRef) : null;
    if (snapshot && snapshot.state !== 'completed')
      refuse('IncorrectState', `${snapshot.id} is still ${snapshot.state}`);
    const size =
      opt<number>(cmd, 'size') ??
      snapshot?.sizeGiB ??
      refuse('MissingParameter', 'create-volume needs --size or --snapshot');
    const volume = createVolume(
      world,
      {
        zoneId,
        type: (opt<string>(cmd, 'type') ?? 'gp3') as VolumeType,
        sizeGiB: size,
        iops: opt(cmd, 'iops'),
        throughputMiBps: opt(cmd, 'throughput'),
        name: opt(cmd, 'name'),
      },
      false,
      snapshot,
    );
    events.emit(
      'volume-created',
      'info',
      volume.id,
      `${volume.id} ${volume.type} ${volume.sizeGiB} GiB creating in ${zoneId}${snapshot ? ` from ${snapshot.id} (blocks load lazily on first read)` : ''}`,
    );
  },
  'attach-volume': (world, cmd, events) => {
    const volume = resolveVolume(world, str(cmd, 'volume'));
    const instance = resolveInstance(world, str(cmd, 'instance'));
    const device = opt<string>(cmd, 'device') ?? nextDevice(world, instance);
    attachVolume(world, volume, instance, device);
    events.emit(
      'volume-attached',
      'info',
      volume.id,
      `${volume.id} attached to ${instanceLabel(instance)} as ${device}`,
    );
  },
  'detach-volume': (world, cmd, events) => {
    const volume = resolveVolume(world, str(cmd, 'volume'));
    const from = volume.attachment?.instanceId;
    detachVolume(world, volume);
    events.emit('volume-detached', 'info', volume.id, `${volume.id} detached from ${from}`);
  },
  'delete-volume': (world, cmd, events) => {
    const volume = resolveVolume(world, str(cmd, 'volume'));
    deleteVolume(world, volume);
    events.emit('volume-deleted', 'info', volume.id, `${volume.id} deleted`);
  },
  'modify-volume': (world, cmd, events) => {
    const change = {
      type: opt<VolumeType>(cmd, 'type'),
      sizeGiB: opt<number>(cmd, 'size'),
      iops: opt<number>(cmd, 'iops'),
      throughputMiBps: opt<number>(cmd, 'throughput'),
    };
    if (Object.values(change).every((v) => v === null))
      refuse('MissingParameter', 'modify-volume needs at least one of --type, --size, --iops, --throughput');
    modifyVolume(world, resolveVolume(world, str(cmd, 'volume')), change, events);
  },
  'create-snapshot': (world, cmd, events) =>
    void createSnapshot(world, resolveVolume(world, str(cmd, 'volume')), opt(cmd, 'name'), events),
  'allocate-address': (world, _cmd, events) => {
    const id = allocateAddress(world);
    events.emit('address-allocated', 'info', id, `${id} allocated: ${world.elasticIps[id]!.publicIp}`);
  },
  'associate-address': (world, cmd, events) => {
    const instance = resolveInstance(world, str(cmd, 'instance'));
    const given = opt<string>(cmd, 'allocation');
    if (given && !world.elasticIps[given]) refuse('InvalidAllocationID.NotFound', `no Elastic IP allocation ${given}`);
    if (instance.state === 'terminated' || instance.state === 'shutting-down')
      refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
    const eni = interfaceOf(world, instance, opt<string>(cmd, 'network-interface'));
    const allocationId = given ?? allocateAddress(world);
    associateAddress(world, eni, allocationId);
    const on = eni.id === instance.eniId ? '' : ` on ${deviceName(eni)} (${eni.id})`;
    events.emit(
      'address-associated',
      'info',
      instance.id,
      `${world.elasticIps[allocationId]!.publicIp} (${allocationId}) now points at ${instanceLabel(instance)}${on}`,
    );
  },
  'disassociate-address': (world, cmd, events) => {
    const instance = resolveInstance(world, str(cmd, 'instance'));
    const eni = interfaceOf(world, instance, opt<string>(cmd, 'network-interface'));
    const allocationId = disassociateAddress(world, eni);
    events.emit('address-disassociated', 'info', instance.id, `${allocationId} taken from ${instanceLabel(instance)}`);
  },
  'create-placement-group': (world, cmd, events) => {
    const name = str(cmd, 'name');
    const strategy = str(cmd, 'strategy') as PlacementStrategy;
    if (world.placementGroups[name])
      refuse('InvalidPlacementGroup.Duplicate', `placement group ${name} already exists`);
    const partitions = opt<number>(cmd, 'partitions') ?? (strategy === 'partition' ? 2 : 0);
    if (strategy !== 'partition' && cmd.flags.partitions !== undefined)
      refuse('InvalidParameterCombination', '--partitions applies only to the partition strategy');
    if (strategy === 'partition' && (partitions < 1 || partitions > MAX_PARTITIONS))
      refuse('InvalidParameterValue', `--partitions must be 1-${MAX_PARTITIONS}`);
    world.placementGroups[name] = { name, strategy, partitions };
    events.emit('placement-group-created', 'info', name, `${strategy} placement group ${name} created`);
  },
  'authorize-ingress': (world, cmd, events) => {
    const group = resolveSecurityGroup(world, str(cmd, 'group'));
    const rule = parseRule(cmd);
    if (group.ingress.some((r) => sameRule(r, rule)))
      refuse('InvalidPermission.Duplicate', `${group.id} already allows that`);
    group.ingress.push(rule);
    touchRuleChange(world, group, rule);
    events.emit(
      'ingress-authorized',
      'info',
      group.id,
      `${group.id} (${group.name}) allows ${rule.protocol}/${str(cmd, 'port')} from ${rule.cidr}`,
    );
  },
  'revoke-ingress': (world, cmd, events) => {
    const group = resolveSecurityGroup(world, str(cmd, 'group'));
    const rule = parseRule(cmd);
    const index = group.ingress.findIndex((r) => sameRule(r, rule));
    if (index < 0) refuse('InvalidPermission.NotFound', `${group.id} has no such rule`);
    group.ingress.splice(index, 1);
    touchRuleChange(world, group, rule);
    events.emit(
      'ingress-revoked',
      'info',
      group.id,
      `${group.id} (${group.name}) no longer allows ${rule.protocol}/${str(cmd, 'port')} from ${rule.cidr}`,
    );
  },
  'fail-host': (world, cmd, events) => failHost(world, resolveHost(world, str(cmd, 'host')), events),
  'impair-host': (world, cmd, events) =>
    impairHost(world, resolveHost(world, str(cmd, 'host')), opt<number>(cmd, 'retire-in') ?? 7200, events),
  'restore-host': (world, cmd, events) => restoreHost(world, resolveHost(world, str(cmd, 'host')), events),
  'impair-zone': (world, cmd, events) => setZoneImpaired(world, zoneIdOf(world, str(cmd, 'zone')), true, events),
  'restore-zone': (world, cmd, events) => setZoneImpaired(world, zoneIdOf(world, str(cmd, 'zone')), false, events),
  'impair-volume': (world, cmd, events) => setVolumeImpaired(resolveVolume(world, str(cmd, 'volume')), true, events),
  'restore-volume': (world, cmd, events) => setVolumeImpaired(resolveVolume(world, str(cmd, 'volume')), false, events),
  'hang-guest': (world, cmd, events) => hangGuest(resolveInstance(world, str(cmd, 'instance')), events),
  'set-spot-capacity': (world, cmd, events) => {
    const type = str(cmd, 'type');
    if (!instanceType(type)) refuse('InvalidParameterValue', `unknown instance type ${type}`);
    const capacity = Number(cmd.args.capacity);
    if (capacity < 0) refuse('InvalidParameterValue', 'capacity cannot be negative');
    setSpotCapacity(world, `${type}|${zoneIdOf(world, str(cmd, 'zone'))}`, capacity, events);
  },
  'surge-demand': (world, cmd, events) =>
    surgeDemand(world, str(cmd, 'workload'), Number(cmd.args.factor), opt<number>(cmd, 'for') ?? 0, events),
  'schedule-event': (world, cmd, events) => {
    const instance = resolveInstance(world, str(cmd, 'instance'));
    scheduleEvent(
      world,
      instance,
      str(cmd, 'code') as ScheduledEventCode,
      world.tick + (opt<number>(cmd, 'in') ?? 3600),
      null,
      events,
    );
  },
};

/** Applies a world or fault command; game commands (ack) belong to the session and never come here. */
export function applyCommand(world: World, cmd: Command, events: EventSink): void {
  const spec = VERB_TABLE.get(cmd.verb);
  const handler = HANDLERS[cmd.verb] ?? VPC_HANDLERS[cmd.verb];
  if (!spec || spec.scope === 'game' || !handler)
    refuse('InvalidCommand', `${cmd.verb} is not a command the world applies`);
  handler(world, cmd, events);
}
