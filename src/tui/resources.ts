// k9s-style resource views: `:sg`, `:nacl`, `:rt`, `:subnet`, `:nat`, `:eni`, `:eip`, `:snap` list
// the region's security groups, network ACLs, route tables, subnets, NAT gateways, interfaces,
// Elastic IPs and snapshots; each row opens a detail with its rules, routes or members. Each view is data: its
// rows, columns, what `/` searches, and its detail.
import {
  aclEntryText,
  layoutOf,
  natDown,
  natGatewaysOf,
  networkAclOf,
  routeState,
  routeTableOf,
  placeFinder,
  vpcsOf,
  type VpcLayout,
  type NatGateway,
  type NetworkAcl,
  type NetworkAclEntry,
  type NetworkInterface,
  type RouteTable,
  type SecurityGroup,
  type SecurityGroupRule,
  type Snapshot,
  type Subnet,
  type World,
  type ElasticIp,
  deviceName,
  privateIpsOf,
  rows,
} from '../sim/index.js';
import { fieldLabel, LABEL_WIDTH, wrap } from './format.js';
import { instanceLabel, wallClock, zoneName } from './labels.js';
import type { ListSource } from './panels/list-panel.js';
import type { ResourceName } from './panels/panel.js';
import type { Column } from './table.js';
import type { Role } from './theme.js';

export type { ResourceName };

/** A line of a detail; a long one is wrapped, its later lines indented by `hang` (default: its own indent). */
export type DetailLine = readonly [Role, string, hang?: number];

interface ResourceSpec<T> {
  name: ResourceName;
  title: string;
  help: string;
  rows(world: World): readonly T[];
  key(row: T): string;
  columns(world: () => World): Column<T>[];
  /** The fields `/` searches. */
  search(world: World, row: T): string[];
  detail(world: World, row: T): DetailLine[];
  /** The instance a row belongs to, whose trace its detail offers. */
  instanceOf?(world: World, row: T): string | null;
}

const portText = (from: number, to: number) => (from === to ? String(from) : `${from}-${to}`);
const ruleText = (r: SecurityGroupRule) =>
  `${r.protocol}${r.protocol === 'all' || r.protocol === 'icmp' ? '' : ` ${portText(r.fromPort, r.toPort)}`} from ${r.cidr}`;

function interfacesOf(world: World, groupId: string): NetworkInterface[] {
  return rows(world, 'enis').filter((e) => e.securityGroupIds.includes(groupId));
}

function ownerLabel(world: World, eni: NetworkInterface): string {
  if (eni.instanceId === null) return 'available';
  const inst = world.instances[eni.instanceId];
  return inst ? `${instanceLabel(inst)} ${deviceName(eni)}` : eni.instanceId;
}

const subnetsUsing = (world: World, pick: (layout: VpcLayout, s: Subnet) => string) => (id: string) =>
  vpcsOf(world).flatMap((layout) =>
    Object.values(layout.subnets)
      .filter((s) => pick(layout, s) === id)
      .map((s) => s.name),
  );

/** The VPC holding a subnet, route table, network ACL or NAT gateway, by its id. */
const vpcHolding = (world: World, id: string): VpcLayout =>
  vpcsOf(world).find(
    (v) => id in v.subnets || id in v.routeTables || id in v.networkAcls || (v.natGateways && id in v.natGateways),
  ) ?? layoutOf(world);

/** A VPC in a detail: `vpc-0a… (blue)`. */
const vpcText = (layout: VpcLayout) => (layout.name ? `${layout.id} (${layout.name})` : layout.id);

/** A VPC as a list shows it: its Name, else its id. */
const vpcLabel = (layout: VpcLayout) => layout.name ?? layout.id;

/** Every VPC's rows of one kind, the first VPC's first. */
const acrossVpcs = <T>(w: World, pick: (layout: VpcLayout) => Record<string, T>): T[] =>
  vpcsOf(w).flatMap((v) => Object.values(pick(v)));

/** A NAT gateway of any VPC by id, or undefined. */
const natById = (w: World, id: string) => vpcHolding(w, id).natGateways?.[id];

const heading = (text: string): DetailLine => ['heading', text];
/** A `Label       value` row, its value wrapped under itself. */
const field = (name: string, value: string): DetailLine => ['plain', `${fieldLabel(name)}${value}`, LABEL_WIDTH];
const plain = (text: string): DetailLine => ['plain', text];
const dim = (text: string): DetailLine => ['dim', text];

const SG: ResourceSpec<SecurityGroup> = {
  name: 'sg',
  title: 'security groups',
  help: 'security groups and their inbound rules (stateful, allow only)',
  rows: (w) => rows(w, 'securityGroups'),
  key: (g) => g.id,
  columns: (world) => [
    { title: 'ID', width: 20, priority: 10, cell: (g) => g.id },
    { title: 'NAME', width: 12, priority: 9, cell: (g) => g.name },
    { title: 'ENIS', width: 4, priority: 6, align: 'right', cell: (g) => String(interfacesOf(world(), g.id).length) },
    {
      title: 'INBOUND',
      width: 20,
      priority: 8,
      grow: true,
      cell: (g) =>
        g.ingress.length ? g.ingress.map(ruleText).join('; ') : { text: 'no rules: nothing in', role: 'warn' },
    },
  ],
  search: (_, g) => [g.id, g.name, ...g.ingress.map(ruleText)],
  detail: (world, g) => {
    const members = interfacesOf(world, g.id);
    return [
      heading(`Inbound rules (${g.ingress.length}); outbound: all traffic allowed`),
      ...(g.ingress.length
        ? g.ingress.map((r) => plain(`  allow ${ruleText(r)}`))
        : [dim('  none: the group lets nothing in')]),
      dim('  Security groups are stateful: the replies to an allowed request always get out.'),
      plain(''),
      heading(`Interfaces (${members.length})`),
      ...members.map((e) =>
        plain(`  ${e.id}  ${ownerLabel(world, e)}  ${e.privateIp}${e.publicIp ? `  ${e.publicIp}` : ''}`),
      ),
    ];
  },
};

const aclRules = (label: string, entries: readonly NetworkAclEntry[]): DetailLine[] => [
  heading(label),
  ...[...entries].sort((a, b) => a.ruleNumber - b.ruleNumber).map((e) => plain(`  ${aclEntryText(e)}`)),
  dim(`  ${aclEntryText(null)}`),
];

const NACL: ResourceSpec<NetworkAcl> = {
  name: 'nacl',
  title: 'network ACLs',
  help: 'network ACLs: numbered rules in order, stateless',
  rows: (w) => acrossVpcs(w, (v) => v.networkAcls),
  key: (a) => a.id,
  columns: (world) => [
    { title: 'ID', width: 21, priority: 10, cell: (a) => a.id },
    { title: 'NAME', width: 14, priority: 9, cell: (a) => a.name },
    { title: 'IN', width: 3, priority: 6, align: 'right', cell: (a) => String(a.inbound.length) },
    { title: 'OUT', width: 3, priority: 6, align: 'right', cell: (a) => String(a.outbound.length) },
    {
      title: 'SUBNETS',
      width: 12,
      priority: 8,
      grow: true,
      cell: (a) => subnetsUsing(world(), (l, s) => networkAclOf(l, s).id)(a.id).join(', ') || '-',
    },
  ],
  search: (w, a) => [
    a.id,
    a.name,
    ...subnetsUsing(w, (l, s) => networkAclOf(l, s).id)(a.id),
    ...[...a.inbound, ...a.outbound].map((e) => aclEntryText(e)),
  ],
  detail: (w, a) => [
    ...aclRules('Inbound rules, lowest number first; the first that matches decides', a.inbound),
    plain(''),
    ...aclRules(
      'Outbound rules (replies go out to the client’s ephemeral port: 1024-65535 from the internet)',
      a.outbound,
    ),
    plain(''),
    heading('Subnets'),
    plain(`  ${subnetsUsing(w, (l, s) => networkAclOf(l, s).id)(a.id).join(', ') || 'none'}`),
    ...(a.default ? [dim('  The default ACL: it serves every subnet not associated with another.')] : []),
  ],
};

/** A route's target as a list shows it: the internet gateway as igw, a NAT gateway by its Name. */
const targetName = (w: World, target: string) =>
  target.startsWith('igw-') ? 'igw' : (natById(w, target)?.name ?? target);

/** A table's routes in a line: the local route (every table has it) left out, a gateway by its kind. */
const routeLine = (w: World, t: RouteTable) =>
  t.routes
    .filter((r) => r.target !== 'local')
    .map(
      (r) =>
        `${r.destination}->${targetName(w, r.target)}${routeState(vpcHolding(w, t.id), r) === 'blackhole' ? ' (blackhole)' : ''}`,
    );

const RT: ResourceSpec<RouteTable> = {
  name: 'rt',
  title: 'route tables',
  help: 'route tables: the most specific route wins',
  rows: (w) => acrossVpcs(w, (v) => v.routeTables),
  key: (t) => t.id,
  columns: (world) => [
    { title: 'ID', width: 21, priority: 10, cell: (t) => t.id },
    { title: 'NAME', width: 16, priority: 9, cell: (t) => `${t.name}${t.main ? ' (main)' : ''}` },
    { title: 'VPC', width: 10, priority: 7, cell: (t) => vpcLabel(vpcHolding(world(), t.id)) },
    {
      title: 'ROUTES',
      width: 20,
      priority: 8,
      grow: true,
      cell: (t) => {
        const text = routeLine(world(), t).join('  ') || 'local only';
        return { text, role: text.includes('blackhole') ? 'warn' : 'plain' };
      },
    },
    {
      title: 'SUBNETS',
      width: 16,
      priority: 3,
      cell: (t) => subnetsUsing(world(), (l, s) => routeTableOf(l, s).id)(t.id).join(', ') || '-',
    },
  ],
  search: (w, t) => [
    t.id,
    t.name,
    vpcHolding(w, t.id).id,
    vpcLabel(vpcHolding(w, t.id)),
    ...routeLine(w, t),
    ...subnetsUsing(w, (l, s) => routeTableOf(l, s).id)(t.id),
  ],
  detail: (w, t) => [
    field('VPC', `${vpcText(vpcHolding(w, t.id))}, ${vpcHolding(w, t.id).cidr}`),
    heading('Routes (traffic takes the most specific one that holds its destination)'),
    ...t.routes.map((r) => {
      const state = routeState(vpcHolding(w, t.id), r);
      return [
        state === 'blackhole' ? 'warn' : 'plain',
        `  ${r.destination.padEnd(18)} -> ${r.target.padEnd(22)} ${state}${natById(w, r.target) ? ` (NAT gateway ${targetName(w, r.target)})` : ''}`,
      ] as DetailLine;
    }),
    dim('  Traffic no route holds is dropped.'),
    plain(''),
    heading('Subnets'),
    plain(`  ${subnetsUsing(w, (l, s) => routeTableOf(l, s).id)(t.id).join(', ') || 'none'}`),
    ...(t.main ? [dim('  The main table: it serves every subnet not associated with another.')] : []),
  ],
};

function subnetIsPublic(w: World, s: Subnet): boolean {
  const layout = vpcHolding(w, s.id);
  return routeTableOf(layout, s).routes.some(
    (r) => r.target === layout.internetGatewayId && routeState(layout, r) === 'active',
  );
}

/** The NAT gateway a private subnet's default route leads to, by Name; null when none. */
function natOf(w: World, s: Subnet): string | null {
  const layout = vpcHolding(w, s.id);
  const route = routeTableOf(layout, s).routes.find((r) => r.destination === '0.0.0.0/0');
  const nat = route && layout.natGateways?.[route.target];
  return nat ? `${nat.name}${routeState(layout, route) === 'blackhole' ? ' (blackhole)' : ''}` : null;
}

const SUBNET: ResourceSpec<Subnet> = {
  name: 'subnet',
  title: 'subnets',
  help: 'subnets by zone: public when their route table reaches the internet gateway',
  rows: (w) => acrossVpcs(w, (v) => v.subnets),
  key: (s) => s.id,
  columns: (world) => [
    { title: 'ID', width: 24, priority: 10, cell: (s) => s.id },
    { title: 'NAME', width: 16, priority: 9, cell: (s) => s.name },
    { title: 'AZ', width: 10, priority: 7, cell: (s) => zoneName(world(), s.zoneId) },
    { title: 'VPC', width: 10, priority: 8, cell: (s) => vpcLabel(vpcHolding(world(), s.id)) },
    { title: 'CIDR', width: 14, priority: 9, cell: (s) => s.cidr },
    {
      title: 'KIND',
      width: 7,
      priority: 8,
      cell: (s) => (subnetIsPublic(world(), s) ? 'public' : { text: 'private', role: 'dim' }),
    },
    { title: 'RT', width: 8, priority: 5, grow: true, cell: (s) => routeTableOf(vpcHolding(world(), s.id), s).name },
    { title: 'ACL', width: 8, priority: 4, cell: (s) => networkAclOf(vpcHolding(world(), s.id), s).name },
  ],
  search: (w, s) => [
    s.id,
    s.name,
    s.cidr,
    s.zoneId,
    zoneName(w, s.zoneId),
    vpcHolding(w, s.id).id,
    vpcLabel(vpcHolding(w, s.id)),
    subnetIsPublic(w, s) ? 'public' : 'private',
  ],
  detail: (w, s) => {
    const layout = vpcHolding(w, s.id);
    const place = placeFinder(w);
    const enis = rows(w, 'enis').filter((e) => place(e).subnet.id === s.id);
    return [
      field('VPC', `${vpcText(layout)}, ${layout.cidr}`),
      field('Zone', `${zoneName(w, s.zoneId)} (${s.zoneId})${s.defaultForAz ? ', its default subnet' : ''}`),
      field('CIDR', s.cidr),
      field(
        'Route table',
        `${routeTableOf(layout, s).id} (${routeTableOf(layout, s).name}): ${subnetIsPublic(w, s) ? 'public, routes to the internet gateway' : `private, no route to the internet gateway${natOf(w, s) ? `; out by NAT gateway ${natOf(w, s)}` : ''}`}`,
      ),
      field('Network ACL', `${networkAclOf(layout, s).id} (${networkAclOf(layout, s).name})`),
      field('Public IPv4', s.mapPublicIp ? 'assigned at launch' : 'not assigned at launch'),
      plain(''),
      heading(`Interfaces (${enis.length})`),
      ...enis.map((e) => plain(`  ${e.id}  ${ownerLabel(w, e)}  ${e.privateIp}${e.publicIp ? `  ${e.publicIp}` : ''}`)),
    ];
  },
};

/** `10.0.1.4 +2`: the primary address and how many secondaries the interface holds beside it. */
function privateIpsText(e: NetworkInterface): string {
  const more = e.secondaryIps?.length ?? 0;
  return more ? `${e.privateIp} +${more}` : e.privateIp;
}

const ENI: ResourceSpec<NetworkInterface> = {
  name: 'eni',
  title: 'network interfaces',
  help: 'network interfaces: attachment, device, private IPs, MAC, subnet and groups; Enter traces to the instance',
  rows: (w) => rows(w, 'enis'),
  key: (e) => e.id,
  columns: (world) => [
    { title: 'ID', width: 21, priority: 10, cell: (e) => e.id },
    // The instance alone, its device in a column of its own: `web-1 eth0` in INSTANCE ran into DEV.
    {
      title: 'INSTANCE',
      width: 10,
      priority: 9,
      cell: (e) => {
        const inst = e.instanceId === null ? undefined : world().instances[e.instanceId];
        return inst ? instanceLabel(inst) : (e.instanceId ?? 'available');
      },
    },
    {
      title: 'DEV',
      width: 5,
      priority: 8,
      cell: (e) => (e.instanceId === null ? { text: '-', role: 'dim' } : deviceName(e)),
    },
    { title: 'PRIVATE IPS', width: 14, priority: 9, cell: privateIpsText },
    { title: 'MAC', width: 17, priority: 7, cell: (e) => e.mac },
    {
      title: 'PUBLIC IP',
      width: 15,
      priority: 6,
      cell: (e) => (e.publicIp ? `${e.publicIp}${e.allocationId ? '*' : ''}` : { text: '-', role: 'dim' }),
    },
    { title: 'SUBNET', width: 10, priority: 5, cell: (e) => placeFinder(world())(e).subnet.name },
    {
      title: 'GROUPS',
      width: 8,
      priority: 4,
      grow: true,
      cell: (e) => e.securityGroupIds.map((id) => world().securityGroups[id]?.name ?? id).join(','),
    },
  ],
  search: (w, e) => [
    e.id,
    ownerLabel(w, e),
    e.instanceId ?? 'available',
    ...privateIpsOf(e),
    e.publicIp ?? '',
    ...(e.secondaryIps ?? []).map((s) => s.publicIp ?? ''),
    e.mac,
    placeFinder(w)(e).subnet.name,
  ],
  detail: (w, e) => {
    const { layout, subnet } = placeFinder(w)(e);
    return [
      field(
        'Attached',
        e.instanceId === null
          ? 'no: available to attach-network-interface'
          : `${ownerLabel(w, e)} (${e.instanceId})${e.deviceIndex ? '' : ', its primary interface: it cannot be detached'}`,
      ),
      field('Device', e.instanceId === null ? 'none' : `index ${e.deviceIndex ?? 0} (${deviceName(e)})`),
      field('MAC', e.mac),
      field('Subnet', `${subnet.name} in ${zoneName(w, e.zoneId)}, ${vpcText(layout)}`),
      field(
        'Private IP',
        `${e.privateIp} (primary)${e.publicIp ? ` <- ${e.publicIp}${e.allocationId ? ` (Elastic IP ${e.allocationId})` : ' (auto-assigned; changes at stop/start)'}` : ''}`,
      ),
      ...(e.secondaryIps ?? []).map((s) =>
        field('', `${s.privateIp} (secondary)${s.publicIp ? ` <- ${s.publicIp} (Elastic IP ${s.allocationId})` : ''}`),
      ),
      field('Groups', e.securityGroupIds.map((id) => `${id} (${w.securityGroups[id]?.name ?? '?'})`).join(', ')),
      dim('  An interface keeps its addresses and MAC when detached and attached to another instance in its zone.'),
    ];
  },
  instanceOf: (_, e) => e.instanceId,
};

const EIP: ResourceSpec<ElasticIp> = {
  name: 'eip',
  title: 'Elastic IPs',
  help: 'Elastic IP addresses and the interface each is associated with',
  rows: (w) => rows(w, 'elasticIps'),
  key: (a) => a.allocationId,
  columns: (world) => [
    { title: 'ALLOCATION', width: 26, priority: 10, cell: (a) => a.allocationId },
    { title: 'PUBLIC IP', width: 15, priority: 9, cell: (a) => a.publicIp },
    {
      title: 'INTERFACE',
      width: 21,
      priority: 7,
      cell: (a) => a.eniId ?? a.natGatewayId ?? { text: 'not associated', role: 'warn' },
    },
    {
      title: 'INSTANCE',
      width: 10,
      priority: 8,
      grow: true,
      cell: (a) =>
        a.eniId && world().enis[a.eniId]
          ? ownerLabel(world(), world().enis[a.eniId]!)
          : a.natGatewayId
            ? `NAT ${natById(world(), a.natGatewayId)?.name ?? ''}`
            : '-',
    },
  ],
  search: (w, a) => [
    a.allocationId,
    a.publicIp,
    a.eniId ?? a.natGatewayId ?? 'not associated',
    a.eniId && w.enis[a.eniId] ? ownerLabel(w, w.enis[a.eniId]!) : '',
  ],
  detail: (w, a) => [
    field('Public IP', a.publicIp),
    a.natGatewayId
      ? field('NAT gateway', `${a.natGatewayId} (${natById(w, a.natGatewayId)?.name ?? '?'})`)
      : field(
          'Interface',
          `${a.eniId ?? 'none'}${a.eniId && w.enis[a.eniId] ? ` of ${ownerLabel(w, w.enis[a.eniId]!)}` : ''}`,
        ),
    dim(
      a.natGatewayId
        ? 'Private subnets routed to that NAT gateway reach the internet from this address.'
        : a.eniId
          ? 'It stays with the interface across stop and start.'
          : 'Idle: billed as a public IPv4 address all the same.',
    ),
  ],
  instanceOf: (w, a) => (a.eniId ? (w.enis[a.eniId]?.instanceId ?? null) : null),
};

/** The route tables that send traffic to a NAT gateway, by name. */
const tablesTo = (w: World, natId: string) =>
  acrossVpcs(w, (v) => v.routeTables)
    .filter((t) => t.routes.some((r) => r.target === natId))
    .map((t) => t.name);

const NAT: ResourceSpec<NatGateway> = {
  name: 'nat',
  title: 'NAT gateways',
  help: 'NAT gateways: the way out of private subnets, one zone each; and the route tables that use them',
  rows: (w) => vpcsOf(w).flatMap(natGatewaysOf),
  key: (n) => n.id,
  columns: (world) => [
    { title: 'ID', width: 21, priority: 10, cell: (n) => n.id },
    { title: 'NAME', width: 10, priority: 9, cell: (n) => n.name },
    {
      title: 'STATE',
      width: 11,
      priority: 9,
      cell: (n) =>
        natDown(world(), n) === null
          ? 'available'
          : n.state === 'pending'
            ? { text: 'pending', role: 'warn' }
            : { text: n.state === 'deleted' ? 'deleted' : 'zone down', role: 'error' },
    },
    { title: 'AZ', width: 10, priority: 7, cell: (n) => zoneName(world(), n.zoneId) },
    { title: 'ELASTIC IP', width: 15, priority: 8, cell: (n) => n.publicIp },
    {
      title: 'USED BY',
      width: 12,
      priority: 6,
      grow: true,
      cell: (n) => tablesTo(world(), n.id).join(', ') || { text: '-', role: 'dim' },
    },
  ],
  search: (w, n) => [n.id, n.name, n.state, n.publicIp, n.zoneId, zoneName(w, n.zoneId), ...tablesTo(w, n.id)],
  detail: (w, n) => {
    const layout = vpcHolding(w, n.subnetId);
    const subnet = layout.subnets[n.subnetId]!;
    const down = natDown(w, n);
    return [
      field('State', down ?? 'available'),
      field('Subnet', `${subnet.name} in ${zoneName(w, n.zoneId)} (${n.zoneId})`),
      field(
        'Route table',
        `${routeTableOf(layout, subnet).name}: ${subnetIsPublic(w, subnet) ? 'to the internet gateway' : 'no route to the internet gateway, which a NAT gateway needs'}`,
      ),
      field('Elastic IP', `${n.publicIp} (${n.allocationId})`),
      field('Private IP', n.privateIp),
      plain(''),
      heading('Route tables sending traffic to it'),
      plain(`  ${tablesTo(w, n.id).join(', ') || 'none'}`),
      dim('  It carries only connections started inside the VPC, and is redundant within its own zone only.'),
    ];
  },
};

const SNAP: ResourceSpec<Snapshot> = {
  name: 'snap',
  title: 'snapshots',
  help: 'EBS snapshots in the regional store (they survive a zone loss)',
  rows: (w) => rows(w, 'snapshots'),
  key: (s) => s.id,
  columns: (world) => [
    { title: 'ID', width: 22, priority: 10, cell: (s) => s.id },
    { title: 'NAME', width: 12, priority: 9, cell: (s) => s.name ?? { text: '-', role: 'dim' } },
    { title: 'VOLUME', width: 21, priority: 6, cell: (s) => s.volumeId },
    { title: 'GiB', width: 5, priority: 7, align: 'right', cell: (s) => String(s.sizeGiB) },
    {
      title: 'STATE',
      width: 9,
      priority: 8,
      grow: true,
      cell: (s) => (s.state === 'completed' ? 'completed' : { text: 'pending', role: 'warn' }),
    },
    { title: 'STARTED', width: 8, priority: 5, cell: (s) => wallClock(world(), s.startedAt) },
  ],
  search: (_, s) => [s.id, s.name ?? '', s.volumeId, s.state, s.dataset ?? ''],
  detail: (w, s) => [
    field('Volume', `${s.volumeId}${w.volumes[s.volumeId]?.name ? ` (${w.volumes[s.volumeId]!.name})` : ''}`),
    field('Size', `${s.sizeGiB} GiB`),
    field(
      'State',
      `${s.state}, started ${wallClock(w, s.startedAt)}${s.state === 'pending' ? `, completes ${wallClock(w, s.completesAt)}` : ''}`,
    ),
    field('Data', s.dataset ?? 'none a workload needs'),
  ],
};

/** Every resource view, in the order the help lists them. */
export const RESOURCE_VIEWS = [SG, NACL, RT, SUBNET, NAT, ENI, EIP, SNAP] as const;

type AnySpec = ResourceSpec<unknown>;
const byName = new Map<string, AnySpec>(RESOURCE_VIEWS.map((v) => [v.name, v as unknown as AnySpec]));

export const isResourceName = (name: string): name is ResourceName => byName.has(name);

/** The list a view shows, for a ListPanel; Enter targets the row's detail. */
export function resourceSource(name: ResourceName, world: () => World): ListSource<unknown> {
  const spec = byName.get(name)!;
  return {
    columns: spec.columns(world),
    rows: () => spec.rows(world()),
    key: (r) => spec.key(r),
    matches: (r, test) => spec.search(world(), r).some(test),
    target: (r) => ({ kind: 'resource', view: name, id: spec.key(r) }),
    empty: () => `no ${spec.title}`,
  };
}

export const resourceTitle = (name: ResourceName) => byName.get(name)!.title;

/** A row's detail, live: null when it no longer exists. `instanceId`: whose trace the detail offers. */
export function resourceDetail(
  name: ResourceName,
  world: World,
  id: string,
  width: number,
): { title: string; lines: DetailLine[]; instanceId: string | null } | null {
  const spec = byName.get(name)!;
  const row = spec.rows(world).find((r) => spec.key(r) === id);
  if (row === undefined) return null;
  const lines = spec.detail(world, row).flatMap(([role, text, hang]): DetailLine[] => {
    if (text.length <= width) return [[role, text]];
    const indent = hang ?? /^ */.exec(text)![0].length;
    const body = wrap(text.slice(indent), Math.max(20, width - indent));
    return body.map((l, i): DetailLine => [role, (i === 0 ? text.slice(0, indent) : ' '.repeat(indent)) + l]);
  });
  return { title: `${spec.title.replace(/s$/, '')} ${id}`, lines, instanceId: spec.instanceOf?.(world, row) ?? null };
}
