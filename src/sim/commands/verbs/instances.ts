// Instance verbs: launch, stop, start, reboot, terminate and the changes EC2 allows to a running
// or stopped instance.
import { refuse } from '../../errors.js';
import { checkInstanceName } from '../../names.js';
import { WHOLE_NUMBER } from '../duration.js';
import {
  launch,
  launchName,
  modifyInstanceType,
  modifyMetadataOptions,
  reboot,
  start,
  stop,
  terminate,
  zoneIdOf,
  type LaunchRequest,
} from '../../instances.js';
import { DEFAULT_METADATA_OPTIONS, MAX_HOP_LIMIT } from '../../metadata-options.js';
import {
  ENABLED_DISABLED,
  HTTP_TOKENS,
  INTERRUPTION_BEHAVIORS,
  REBOOT_MIGRATIONS,
  type MetadataOptions,
  type World,
} from '../../types.js';
import { resolvePerformance } from '../../volume-types.js';
import type { VolumeRequest } from '../../volumes.js';
import { resolveInstance, resolveSecurityGroup } from '../resolve.js';
import { worldVerb, type FlagInput, type VerbInput } from '../spec.js';
import { INSTANCE_ARG } from './args.js';

/** Which volumes a launch deletes when the instance terminates. */
const DELETE_ON_TERMINATION = ['root', 'all', 'none'] as const;

/** EC2's instance metadata options, at launch and afterwards (ModifyInstanceMetadataOptions). */
const METADATA_FLAGS = [
  {
    name: 'http-tokens',
    kind: 'word',
    help: 'IMDS tokens: required (IMDSv2 only, default) or optional',
    values: HTTP_TOKENS,
  },
  {
    name: 'http-endpoint',
    kind: 'word',
    help: 'IMDS endpoint enabled (default) or disabled',
    values: ENABLED_DISABLED,
  },
  {
    name: 'http-put-response-hop-limit',
    kind: 'int',
    help: `hops an IMDSv2 token response may travel (default ${DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit}); a container on the instance is one hop further`,
    range: [1, MAX_HOP_LIMIT],
  },
  {
    name: 'instance-metadata-tags',
    kind: 'word',
    help: 'instance tags under IMDS tags/instance: enabled or disabled (default)',
    values: ENABLED_DISABLED,
  },
] as const;

/** The metadata options a command gives, over `base` for those it leaves out. */
function metadataOptionsOf(input: FlagInput<typeof METADATA_FLAGS>, base: Readonly<MetadataOptions>): MetadataOptions {
  return {
    httpEndpoint: input['http-endpoint'] ?? base.httpEndpoint,
    httpTokens: input['http-tokens'] ?? base.httpTokens,
    httpPutResponseHopLimit: input['http-put-response-hop-limit'] ?? base.httpPutResponseHopLimit,
    instanceMetadataTags: input['instance-metadata-tags'] ?? base.instanceMetadataTags,
  };
}

/** `gp3:100[:iops[:throughput]]` for a launch's data volume. */
function parseVolumeShorthand(text: string, zoneId: string): VolumeRequest {
  const [type, size, iops, throughput] = text.split(':');
  const num = (s: string | undefined) =>
    s === undefined || s === ''
      ? null
      : WHOLE_NUMBER.test(s)
        ? Number(s)
        : refuse('InvalidParameterValue', `--volume expects TYPE:GiB[:IOPS[:MiBps]], got '${text}'`);
  const sizeGiB = num(size);
  if (sizeGiB === null) refuse('InvalidParameterValue', `--volume expects TYPE:GiB[:IOPS[:MiBps]], got '${text}'`);
  const req = {
    zoneId,
    type: type as VolumeRequest['type'],
    sizeGiB,
    iops: num(iops),
    throughputMiBps: num(throughput),
    name: null,
  };
  resolvePerformance(req.type, req.sizeGiB, req.iops, req.throughputMiBps);
  return req;
}

const LAUNCH = {
  verb: 'launch',
  scope: 'world',
  summary: 'launch instances of a type into a zone',
  args: [{ name: 'type', kind: 'instance-type', help: 'instance type, e.g. m6i.large' }],
  flags: [
    { name: 'az', kind: 'zone', help: 'zone name or id, e.g. us-east-1a or use1-az1', required: true },
    { name: 'count', kind: 'int', help: 'how many to launch; as many as fit, down to --min-count', range: [1, 100] },
    {
      name: 'min-count',
      kind: 'int',
      help: 'launch nothing unless at least this many fit (default: --count, all or none)',
      range: [1, 100],
    },
    { name: 'name', kind: 'word', help: 'Name tag (suffixed -1, -2... when --count > 1)' },
    { name: 'spot', kind: 'flag', help: 'buy from the Spot pool instead of on-demand' },
    {
      name: 'max-price',
      kind: 'number',
      help: 'highest Spot price to pay, USD per hour, more than 0.001 (default: on-demand)',
      range: [0.001, 1000],
    },
    { name: 'interruption', kind: 'word', help: 'what a Spot interruption does', values: INTERRUPTION_BEHAVIORS },
    { name: 'pg', kind: 'placement-group', help: 'placement group' },
    { name: 'partition', kind: 'int', help: 'partition number in a partition group', range: [1, 7] },
    { name: 'workload', kind: 'workload', help: 'workload the instance serves' },
    { name: 'sg', kind: 'security-group', help: 'security groups, comma separated (default: default)' },
    { name: 'volume', kind: 'word', help: 'data volume TYPE:GiB[:IOPS[:MiBps]], e.g. gp3:100' },
    {
      name: 'delete-on-termination',
      kind: 'word',
      help: 'volumes deleted when the instance terminates (default root: data volumes are kept)',
      values: DELETE_ON_TERMINATION,
    },
    { name: 'encrypt-root', kind: 'flag', help: 'encrypt the EBS root volume (hibernation needs it)' },
    {
      name: 'hibernation',
      kind: 'flag',
      help: 'enable hibernation (only at launch; needs --encrypt-root, no bare metal, under 150 GiB memory)',
    },
    { name: 'public-ip', kind: 'flag', help: "an auto-assigned public IPv4 address, whatever the subnet's setting" },
    { name: 'no-public-ip', kind: 'flag', help: "no auto-assigned public IPv4 address, whatever the subnet's setting" },
    { name: 'subnet', kind: 'subnet', help: "subnet id or name, in the zone (default: the zone's default subnet)" },
    ...METADATA_FLAGS,
    { name: 'no-auto-recovery', kind: 'flag', help: 'turn off simplified automatic recovery' },
    {
      name: 'reboot-migration',
      kind: 'word',
      help: 'whether a reboot with a system-reboot event pending moves the instance (default) or reboots in place (disabled)',
      values: REBOOT_MIGRATIONS,
    },
  ],
} as const;

function launchRequest(world: World, input: VerbInput<typeof LAUNCH>): LaunchRequest {
  const zoneId = zoneIdOf(world, input.az);
  const sgNames = (input.sg ?? 'default').split(',').filter(Boolean);
  const maxPrice = input['max-price'] ?? null;
  const spot = input.spot === true;
  if (!spot && (maxPrice !== null || input.interruption !== undefined))
    refuse('InvalidParameterCombination', '--max-price and --interruption apply only with --spot');
  // SpotMarketOptions, MaxPrice: "it must be more than USD $0.001".
  // Compared as held, in micro-dollars: 0.0010001 is held as 0.001.
  if (maxPrice !== null && Math.round(maxPrice * 1_000_000) <= 1000)
    refuse('InvalidParameterValue', `--max-price ${maxPrice}: a maximum price must be more than $0.001 an hour`);
  // RunInstances, Placement.PartitionNumber: only for a partition placement group.
  const group = input.pg === undefined ? undefined : world.placementGroups[input.pg];
  if (input.partition !== undefined && (!input.pg || (group && group.strategy !== 'partition')))
    refuse(
      'InvalidParameterCombination',
      input.pg
        ? `--partition goes with a partition placement group, and ${input.pg} is not one`
        : '--partition goes with --pg naming a partition placement group',
    );
  if (input['public-ip'] === true && input['no-public-ip'] === true)
    refuse('InvalidParameterCombination', 'give --public-ip or --no-public-ip, not both');
  const count = input.count ?? 1;
  if (input.name !== undefined) {
    checkInstanceName('--name', input.name);
    // The names the launch gives, web-1 to web-N with a count above 1, each held as a level's is.
    if (count > 1) checkInstanceName('--name', launchName(input.name, count - 1));
  }
  const deleting = input['delete-on-termination'] ?? 'root';
  const data = input.volume === undefined ? null : parseVolumeShorthand(input.volume, zoneId);
  if (deleting === 'all' && !data)
    refuse('InvalidParameterCombination', '--delete-on-termination all needs a data volume (--volume)');
  return {
    type: input.type,
    zoneId,
    count,
    minCount: input['min-count'] ?? count,
    name: input.name ?? null,
    market: spot ? 'spot' : 'on-demand',
    // Hibernation enabled makes a Spot instance's interruption behaviour hibernate unless one is named
    // (EC2 API reference, "SpotMarketOptions": InstanceInterruptionBehavior).
    spotBehavior: input.interruption ?? (input.hibernation === true ? 'hibernate' : 'terminate'),
    spotMaxPriceMicros: maxPrice === null ? null : Math.round(maxPrice * 1_000_000),
    placementGroup: input.pg ?? null,
    partition: input.partition ?? null,
    workload: input.workload ?? null,
    securityGroupIds: sgNames.map((n) => resolveSecurityGroup(world, n).id),
    assignPublicIp: input['no-public-ip'] === true ? false : input['public-ip'] === true ? true : null,
    root: {
      type: 'gp3',
      sizeGiB: 8,
      encrypted: input['encrypt-root'] === true,
      deleteOnTermination: deleting !== 'none',
    },
    data: data && { ...data, deleteOnTermination: deleting === 'all' },
    metadataOptions: metadataOptionsOf(input, DEFAULT_METADATA_OPTIONS),
    hibernation: input.hibernation === true,
    autoRecovery: input['no-auto-recovery'] !== true,
    rebootMigration: input['reboot-migration'] ?? 'default',
    storeDataGB: 0,
    subnet: input.subnet ?? null,
  };
}

export const INSTANCE_VERBS = [
  worldVerb(LAUNCH, (world, input, events) => void launch(world, launchRequest(world, input), events)),
  worldVerb(
    { verb: 'terminate', scope: 'world', summary: 'terminate an instance (final)', args: [INSTANCE_ARG], flags: [] },
    (world, input, events) => terminate(world, resolveInstance(world, input.instance), events),
  ),
  worldVerb(
    {
      verb: 'stop',
      scope: 'world',
      summary: 'stop an instance: releases its host; instance store is lost',
      args: [INSTANCE_ARG],
      flags: [
        { name: 'force', kind: 'flag', help: 'do not wait for the guest (for a stop stuck on a failed host)' },
        { name: 'hibernate', kind: 'flag', help: 'hibernate instead of a plain stop' },
      ],
    },
    (world, input, events) =>
      stop(
        world,
        resolveInstance(world, input.instance),
        { force: input.force === true, hibernate: input.hibernate === true },
        events,
      ),
  ),
  worldVerb(
    {
      verb: 'start',
      scope: 'world',
      summary: 'start a stopped instance, possibly on another host',
      args: [INSTANCE_ARG],
      flags: [],
    },
    (world, input, events) => start(world, resolveInstance(world, input.instance), events),
  ),
  worldVerb(
    {
      verb: 'reboot',
      scope: 'world',
      summary: 'reboot the guest; the instance stays running and keeps its host and instance store',
      args: [INSTANCE_ARG],
      flags: [],
    },
    (world, input, events) => reboot(world, resolveInstance(world, input.instance), events),
  ),
  worldVerb(
    {
      verb: 'modify-instance-metadata-options',
      scope: 'world',
      summary: "change an instance's metadata options: IMDS endpoint, tokens, hop limit, tags",
      args: [INSTANCE_ARG],
      flags: METADATA_FLAGS,
    },
    (world, input, events) => {
      const instance = resolveInstance(world, input.instance);
      if (METADATA_FLAGS.every((f) => input[f.name] === undefined))
        refuse(
          'MissingParameter',
          `modify-instance-metadata-options needs at least one of ${METADATA_FLAGS.map((f) => `--${f.name}`).join(', ')}`,
        );
      modifyMetadataOptions(instance, metadataOptionsOf(input, instance.metadataOptions), events);
    },
  ),
  worldVerb(
    {
      verb: 'modify-instance-type',
      scope: 'world',
      summary: 'change the type of a stopped instance',
      args: [INSTANCE_ARG, { name: 'type', kind: 'instance-type', help: 'new instance type' }],
      flags: [],
    },
    (world, input, events) => modifyInstanceType(resolveInstance(world, input.instance), input.type, events),
  ),
];
