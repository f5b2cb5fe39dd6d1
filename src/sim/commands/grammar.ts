// The one command language. Every front end (the dashboard prompt, exercise scripts, saved games,
// the report's timeline) writes and reads commands in this grammar; help text and completion come
// from this same table.
import { VPC_VERBS } from './vpc.js';

export type ArgKind =
  | 'instance'
  | 'volume'
  | 'snapshot'
  | 'host'
  | 'zone'
  | 'instance-type'
  | 'volume-type'
  | 'security-group'
  | 'allocation'
  | 'placement-group'
  | 'incident'
  | 'workload'
  | 'word'
  | 'text'
  | 'int'
  | 'number'
  | 'duration'
  | 'flag';

/** Who may issue a verb: players (world, game) or the scenario and instructors (fault). */
export type Scope = 'world' | 'game' | 'fault';

export interface ArgSpec {
  name: string;
  kind: ArgKind;
  help: string;
  values?: readonly string[];
  required?: boolean;
  /** The range a number or duration (in seconds) must fall in: what the model can honour. */
  range?: readonly [min: number, max: number];
}

export interface VerbSpec {
  verb: string;
  scope: Scope;
  summary: string;
  args: readonly ArgSpec[];
  flags: readonly ArgSpec[];
}

/** Seven simulated days, the longest a level lasts: no timer needs to reach further. */
const WEEK = 7 * 86_400;

const INTERRUPTION = ['terminate', 'stop', 'hibernate'] as const;
const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'] as const;
const EVENT_CODES = [
  'instance-stop',
  'instance-retirement',
  'instance-reboot',
  'system-reboot',
  'system-maintenance',
] as const;

const instanceArg: ArgSpec = { name: 'instance', kind: 'instance', help: 'instance id, unique id prefix, or Name' };
const volumeArg: ArgSpec = { name: 'volume', kind: 'volume', help: 'volume id or unique prefix' };
const ruleFlags: ArgSpec[] = [
  {
    name: 'protocol',
    kind: 'word',
    help: 'tcp, udp, icmp or all',
    values: ['tcp', 'udp', 'icmp', 'all'],
    required: true,
  },
  { name: 'port', kind: 'word', help: 'a port or range, e.g. 443 or 8000-8100', required: true },
  { name: 'cidr', kind: 'word', help: 'source range, e.g. 0.0.0.0/0', required: true },
];

/** The longest note a responder may add, in characters: a few sentences of reasoning, not a file. */
export const MAX_NOTE_LENGTH = 500;

/** EC2's instance metadata options, at launch and afterwards (ModifyInstanceMetadataOptions). */
const metadataFlags: ArgSpec[] = [
  {
    name: 'http-tokens',
    kind: 'word',
    help: 'IMDS tokens: required (IMDSv2 only, default) or optional',
    values: ['required', 'optional'],
  },
  {
    name: 'http-endpoint',
    kind: 'word',
    help: 'IMDS endpoint enabled (default) or disabled',
    values: ['enabled', 'disabled'],
  },
  {
    name: 'http-put-response-hop-limit',
    kind: 'int',
    help: 'hops an IMDSv2 token response may travel (1-64, default 1)',
  },
  {
    name: 'instance-metadata-tags',
    kind: 'word',
    help: 'instance tags under IMDS tags/instance: enabled or disabled (default)',
    values: ['enabled', 'disabled'],
  },
];

export const VERBS: readonly VerbSpec[] = [
  {
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
        help: 'highest Spot price to pay, USD per hour (default: on-demand)',
        range: [0.0001, 1000],
      },
      { name: 'interruption', kind: 'word', help: 'what a Spot interruption does', values: INTERRUPTION },
      { name: 'pg', kind: 'placement-group', help: 'placement group' },
      { name: 'partition', kind: 'int', help: 'partition number in a partition group', range: [1, 7] },
      { name: 'workload', kind: 'workload', help: 'workload the instance serves' },
      { name: 'sg', kind: 'security-group', help: 'security groups, comma separated (default: default)' },
      { name: 'volume', kind: 'word', help: 'data volume TYPE:GiB[:IOPS[:MiBps]], e.g. gp3:100' },
      {
        name: 'delete-on-termination',
        kind: 'word',
        help: 'volumes deleted when the instance terminates (default root: data volumes are kept)',
        values: ['root', 'all', 'none'],
      },
      { name: 'encrypt-root', kind: 'flag', help: 'encrypt the EBS root volume (hibernation needs it)' },
      {
        name: 'hibernation',
        kind: 'flag',
        help: 'enable hibernation (only at launch; needs --encrypt-root, no bare metal, under 150 GiB memory)',
      },
      { name: 'no-public-ip', kind: 'flag', help: 'no auto-assigned public IPv4 address' },
      { name: 'subnet', kind: 'word', help: "subnet id or name, in the zone (default: the zone's default subnet)" },
      ...metadataFlags,
      { name: 'no-auto-recovery', kind: 'flag', help: 'turn off simplified automatic recovery' },
      {
        name: 'reboot-migration',
        kind: 'word',
        help: 'whether a reboot with a system-reboot event pending moves the instance (default) or reboots in place (disabled)',
        values: ['default', 'disabled'],
      },
    ],
  },
  { verb: 'terminate', scope: 'world', summary: 'terminate an instance (final)', args: [instanceArg], flags: [] },
  {
    verb: 'stop',
    scope: 'world',
    summary: 'stop an instance: releases its host; instance store is lost',
    args: [instanceArg],
    flags: [
      { name: 'force', kind: 'flag', help: 'do not wait for the guest (for a stop stuck on a failed host)' },
      { name: 'hibernate', kind: 'flag', help: 'hibernate instead of a plain stop' },
    ],
  },
  {
    verb: 'start',
    scope: 'world',
    summary: 'start a stopped instance, possibly on another host',
    args: [instanceArg],
    flags: [],
  },
  {
    verb: 'reboot',
    scope: 'world',
    summary: 'reboot the guest; the instance stays running and keeps its host and instance store',
    args: [instanceArg],
    flags: [],
  },
  {
    verb: 'modify-instance-metadata-options',
    scope: 'world',
    summary: "change an instance's metadata options: IMDS endpoint, tokens, hop limit, tags",
    args: [instanceArg],
    flags: metadataFlags,
  },
  {
    verb: 'modify-instance-type',
    scope: 'world',
    summary: 'change the type of a stopped instance',
    args: [instanceArg, { name: 'type', kind: 'instance-type', help: 'new instance type' }],
    flags: [],
  },
  {
    verb: 'create-volume',
    scope: 'world',
    summary: 'create an EBS volume in a zone, empty or from a snapshot',
    args: [],
    flags: [
      { name: 'az', kind: 'zone', help: 'zone name or id', required: true },
      { name: 'type', kind: 'volume-type', help: 'volume type', values: VOLUME_TYPES },
      { name: 'size', kind: 'int', help: 'size in GiB', range: [1, 65_536] },
      { name: 'iops', kind: 'int', help: 'provisioned IOPS (gp3, io1, io2)', range: [1, 256_000] },
      { name: 'throughput', kind: 'int', help: 'provisioned MiB/s (gp3)', range: [1, 4000] },
      { name: 'snapshot', kind: 'snapshot', help: 'restore from this snapshot (any zone)' },
      { name: 'name', kind: 'word', help: 'Name tag' },
    ],
  },
  {
    verb: 'attach-volume',
    scope: 'world',
    summary: 'attach a volume to an instance in the same zone',
    args: [volumeArg, instanceArg],
    flags: [{ name: 'device', kind: 'word', help: 'device name (default: next free /dev/sdX)' }],
  },
  {
    verb: 'detach-volume',
    scope: 'world',
    summary: 'detach a volume (a root volume only from a stopped instance)',
    args: [volumeArg],
    flags: [],
  },
  { verb: 'delete-volume', scope: 'world', summary: 'delete an available volume', args: [volumeArg], flags: [] },
  {
    verb: 'modify-volume',
    scope: 'world',
    summary: 'Elastic Volumes: change type, size, IOPS or throughput (each after the last completes, 4 in 24 h)',
    args: [volumeArg],
    flags: [
      { name: 'type', kind: 'volume-type', help: 'new type', values: VOLUME_TYPES },
      { name: 'size', kind: 'int', help: 'new size in GiB (grow only)', range: [1, 65_536] },
      { name: 'iops', kind: 'int', help: 'new provisioned IOPS', range: [1, 256_000] },
      { name: 'throughput', kind: 'int', help: 'new provisioned MiB/s (gp3)', range: [1, 4000] },
    ],
  },
  {
    verb: 'create-snapshot',
    scope: 'world',
    summary: 'snapshot a volume to the regional store',
    args: [volumeArg],
    flags: [{ name: 'name', kind: 'word', help: 'Name tag, to restore it by name' }],
  },
  { verb: 'allocate-address', scope: 'world', summary: 'allocate an Elastic IP', args: [], flags: [] },
  {
    verb: 'associate-address',
    scope: 'world',
    summary: 'give an instance an Elastic IP (allocates one if none is named)',
    args: [instanceArg],
    flags: [
      { name: 'allocation', kind: 'allocation', help: 'Elastic IP allocation id' },
      {
        name: 'network-interface',
        kind: 'word',
        help: 'which of its interfaces: eth1, or an interface id (default: eth0)',
      },
    ],
  },
  {
    verb: 'disassociate-address',
    scope: 'world',
    summary: "take an instance's Elastic IP away",
    args: [instanceArg],
    flags: [
      {
        name: 'network-interface',
        kind: 'word',
        help: 'which of its interfaces: eth1, or an interface id (default: eth0)',
      },
    ],
  },
  {
    verb: 'create-placement-group',
    scope: 'world',
    summary: 'create a cluster, spread or partition placement group',
    args: [{ name: 'name', kind: 'word', help: 'group name' }],
    flags: [
      {
        name: 'strategy',
        kind: 'word',
        help: 'placement strategy',
        values: ['cluster', 'spread', 'partition'],
        required: true,
      },
      { name: 'partitions', kind: 'int', help: 'partitions per zone (partition strategy)', range: [1, 7] },
    ],
  },
  {
    verb: 'authorize-ingress',
    scope: 'world',
    summary: 'allow inbound traffic in a security group',
    args: [{ name: 'group', kind: 'security-group', help: 'security group id or name' }],
    flags: ruleFlags,
  },
  {
    verb: 'revoke-ingress',
    scope: 'world',
    summary: 'remove an inbound rule from a security group',
    args: [{ name: 'group', kind: 'security-group', help: 'security group id or name' }],
    flags: ruleFlags,
  },
  ...VPC_VERBS,
  {
    verb: 'ack',
    scope: 'game',
    summary: 'acknowledge an incident',
    args: [{ name: 'incident', kind: 'incident', help: 'incident id, e.g. INC-2' }],
    flags: [],
  },
  {
    verb: 'hint',
    scope: 'game',
    summary: "show the level's next hint (training mode only; each one shown costs points)",
    args: [],
    flags: [],
  },
  {
    verb: 'note',
    scope: 'game',
    summary: `add your reasoning to the timeline and the report, as the scribe's log (the rest of the line, up to ${MAX_NOTE_LENGTH} characters)`,
    args: [{ name: 'text', kind: 'text', help: 'free text: everything after the verb, quotes and -- included' }],
    flags: [],
  },
  {
    verb: 'fail-host',
    scope: 'fault',
    summary: 'a host fails: its instances lose their system check and instance store',
    args: [{ name: 'host', kind: 'host', help: 'host id, or an instance whose host it is' }],
    flags: [],
  },
  {
    verb: 'impair-host',
    scope: 'fault',
    summary: 'a host degrades: EC2 schedules its instances for retirement',
    args: [{ name: 'host', kind: 'host', help: 'host id, or an instance whose host it is' }],
    flags: [{ name: 'retire-in', kind: 'duration', help: 'time until retirement (default 2h)', range: [0, WEEK] }],
  },
  {
    verb: 'restore-host',
    scope: 'fault',
    summary: 'a failed or degraded host is healthy again',
    args: [{ name: 'host', kind: 'host', help: 'host id' }],
    flags: [],
  },
  {
    verb: 'impair-zone',
    scope: 'fault',
    summary: 'a zone loses connectivity and stops accepting launches',
    args: [{ name: 'zone', kind: 'zone', help: 'zone name or id' }],
    flags: [],
  },
  {
    verb: 'restore-zone',
    scope: 'fault',
    summary: 'an impaired zone recovers',
    args: [{ name: 'zone', kind: 'zone', help: 'zone name or id' }],
    flags: [],
  },
  { verb: 'impair-volume', scope: 'fault', summary: "a volume's I/O stalls", args: [volumeArg], flags: [] },
  { verb: 'restore-volume', scope: 'fault', summary: 'a stalled volume recovers', args: [volumeArg], flags: [] },
  {
    verb: 'hang-guest',
    scope: 'fault',
    summary: "an instance's guest OS stops responding",
    args: [instanceArg],
    flags: [],
  },
  {
    verb: 'set-spot-capacity',
    scope: 'fault',
    summary: "set a Spot pool's capacity",
    args: [
      { name: 'type', kind: 'instance-type', help: 'instance type of the pool' },
      { name: 'zone', kind: 'zone', help: 'zone of the pool' },
      { name: 'capacity', kind: 'int', help: 'instances the pool can hold', range: [0, 1_000_000] },
    ],
    flags: [],
  },
  {
    verb: 'surge-demand',
    scope: 'fault',
    summary: "a workload's demand multiplies for a while",
    args: [
      { name: 'workload', kind: 'workload', help: 'workload name' },
      { name: 'factor', kind: 'number', help: 'multiple of its demand, 1 to 10, e.g. 2.5' },
    ],
    flags: [{ name: 'for', kind: 'duration', help: 'how long the surge lasts, up to 24h', required: true }],
  },
  {
    verb: 'schedule-event',
    scope: 'fault',
    summary: 'schedule a maintenance event for an instance',
    args: [instanceArg, { name: 'code', kind: 'word', help: 'event code', values: EVENT_CODES }],
    flags: [{ name: 'in', kind: 'duration', help: 'time until the event (default 1h)', range: [0, WEEK] }],
  },
];

export const VERB_TABLE: ReadonlyMap<string, VerbSpec> = new Map(VERBS.map((v) => [v.verb, v]));

/** A range as people read it: `1-65,536`, a duration's in seconds. */
export function rangeText(arg: ArgSpec): string | null {
  if (!arg.range) return null;
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return `${n(arg.range[0])}-${n(arg.range[1])}${arg.kind === 'duration' ? ' s' : ''}`;
}

/** The bounded arguments of a verb, e.g. `--count 1-100, --size 1-65,536`; null when it has none. */
export function ranges(spec: VerbSpec): string | null {
  const bounded = [
    ...spec.args.map((a) => [`<${a.name}>`, a] as const),
    ...spec.flags.map((f) => [`--${f.name}`, f] as const),
  ].filter(([, a]) => a.range);
  return bounded.length ? bounded.map(([name, a]) => `${name} ${rangeText(a)}`).join(', ') : null;
}

/** One line of usage, e.g. `stop <instance> [--force] [--hibernate]`. */
export function usage(spec: VerbSpec): string {
  const args = spec.args.map((a) => `<${a.name}>`);
  const flags = spec.flags.map((f) => {
    const text =
      f.kind === 'flag'
        ? `--${f.name}`
        : `--${f.name} ${f.values ? f.values.join('|') : f.kind === 'word' ? f.name.toUpperCase() : f.kind.toUpperCase()}`;
    return f.required ? text : `[${text}]`;
  });
  return [spec.verb, ...args, ...flags].join(' ');
}
