// The VPC around the fleet: subnets in each zone, route tables, network ACLs and the internet
// gateway, as the Amazon VPC User Guide describes them. A level that describes no VPC runs in a
// default VPC like the one EC2 makes in every Region: one public subnet per zone, a main route
// table with the local route and 0.0.0.0/0 to the internet gateway, and a default network ACL that
// allows everything both ways (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html).
// That default is drawn from the zones whenever it is asked for, and written into the world only
// when a command changes it, so a world that never touches its network hashes as it always did.
import { blockSize, inBlock, numberToIp, parseCidr } from './cidr.js';
import { derived, derivedKind } from './derived.js';
import { counted } from './counted.js';
import { refuse } from './errors.js';
import { fingerprint } from './hash.js';
import { newId } from './ids.js';
import type {
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  Route,
  RouteTable,
  Subnet,
  VpcLayout,
  World,
} from './types.js';

/**
 * The default VPC's IPv4 block, and a level VPC's when it names none: the model's choice (AWS's
 * default VPC uses 172.31.0.0/16).
 */
export const VPC_CIDR = '10.0.0.0/16';

/** A VPC's block is a /16 to a /28 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). */
export const VPC_BLOCK_BITS = [16, 28] as const;

/**
 * Each zone's default subnet is a /20, as in AWS's default VPC: zone n holds 10.0.(16n).0/20.
 * Sixteen fill the /16; a level of more zones gets /21s (the model's choice), so every default
 * subnet stays inside the VPC's block.
 */
const defaultSubnetBits = (zones: number) => (zones <= 16 ? 20 : 21);

/**
 * Ephemeral ports a client picks for its end of a connection, which a stateless network ACL must
 * let the replies go back to. AWS: "Many Linux kernels use ports 32768-61000 … Windows Server 2008
 * and later use 49152-65535 … a NAT gateway and Elastic Load Balancing use 1024-65535"; requests
 * from the internet come from any of these, so a subnet serving the internet must allow 1024-65535
 * out (https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports).
 * Instances in the model run Linux: 32768-60999 is its ip_local_port_range.
 */
export const EPHEMERAL_PORTS = {
  internet: [1024, 65535] as const,
  linux: [32768, 60999] as const,
};

/** The highest rule number a network ACL entry may have; 32767 is the implicit `*` entry. */
export const MAX_ACL_RULE = 32766;

/** A stable id for a default-VPC resource: the same every time the default is drawn for this world. */
const stableId = (world: World, prefix: string, what: string) =>
  `${prefix}-0${fingerprint(`${world.seed}:${what}`).slice(0, 16)}`;

const allowAll = (): NetworkAclEntry[] => [
  { ruleNumber: 100, protocol: 'all', fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0', action: 'allow' },
];

/** The VPC a world without one of its own runs in (see the top of this file). */
export function defaultLayout(world: World): VpcLayout {
  const igw = stableId(world, 'igw', 'igw');
  const main: RouteTable = {
    id: stableId(world, 'rtb', 'main'),
    name: 'main',
    main: true,
    routes: [
      { destination: VPC_CIDR, target: 'local' },
      { destination: '0.0.0.0/0', target: igw },
    ],
  };
  const acl: NetworkAcl = {
    id: stableId(world, 'acl', 'default'),
    name: 'default',
    default: true,
    inbound: allowAll(),
    outbound: allowAll(),
  };
  const subnets: Record<string, Subnet> = {};
  const base = parseCidr(VPC_CIDR)!.base;
  const bits = defaultSubnetBits(world.zones.length);
  world.zones.forEach((z, i) => {
    const id = stableId(world, 'subnet', z.zoneId);
    subnets[id] = {
      id,
      name: `default-${z.name}`,
      zoneId: z.zoneId,
      cidr: `${numberToIp(base + i * blockSize(bits))}/${bits}`,
      routeTableId: null,
      networkAclId: null,
      mapPublicIp: true,
      defaultForAz: true,
    };
  });
  return {
    id: stableId(world, 'vpc', 'vpc'),
    isDefault: true,
    cidr: VPC_CIDR,
    internetGatewayId: igw,
    subnets,
    routeTables: { [main.id]: main },
    networkAcls: { [acl.id]: acl },
  };
}

/** The default VPC as drawn for this world: it follows from the seed and the zones, which never change. */
const DEFAULT_LAYOUT = derivedKind('default VPC', defaultLayout);

/** The world's VPC as it stands; for reading only (the default one is drawn once per world and kept with its derived data). */
export function layoutOf(world: World): VpcLayout {
  return world.vpc ?? derived(world, DEFAULT_LAYOUT);
}

/** The world's VPC, written into the world first if it was the default: for commands that change it. */
export function editableLayout(world: World): VpcLayout {
  return (world.vpc ??= defaultLayout(world));
}

/**
 * Every VPC of the world: the first (the level's first, or the default VPC), then the others a
 * level lists. Each is isolated: its addresses mean something only inside it.
 */
export function vpcsOf(world: World): VpcLayout[] {
  return world.otherVpcs ? [layoutOf(world), ...world.otherVpcs] : [layoutOf(world)];
}

/** A VPC as commands change it: the default VPC is written into the world first. */
export const editableVpc = (world: World, layout: VpcLayout): VpcLayout =>
  layout === world.vpc || world.otherVpcs?.includes(layout) ? layout : editableLayout(world);

/** The VPC holding the subnet `subnetId`; the first VPC when it is undefined (an interface in the default VPC). */
export function vpcOfSubnet(world: World, subnetId: string | undefined): VpcLayout {
  const first = layoutOf(world);
  if (subnetId === undefined || !world.otherVpcs || subnetId in first.subnets) return first;
  return world.otherVpcs.find((v) => subnetId in v.subnets) ?? first;
}

/** The first VPC holding what `find` looks for, with it; undefined when none does. */
export function findInVpcs<T>(
  world: World,
  find: (layout: VpcLayout) => T | undefined,
): { layout: VpcLayout; found: T } | undefined {
  for (const layout of vpcsOf(world)) {
    const found = find(layout);
    if (found !== undefined) return { layout, found };
  }
  return undefined;
}

/** The VPCs' ids, for a refusal that names where it looked: `vpc-0a…` or `vpc-0a…, vpc-0b…`. */
export const vpcIdsText = (world: World) =>
  vpcsOf(world)
    .map((v) => v.id)
    .join(', ');

/**
 * Finds the VPC and subnet each interface lives in, every VPC's default subnets looked up once:
 * the quick reachability check asks this of every member of every workload.
 */
export function placeFinder(world: World): (eni: NetworkInterface) => { layout: VpcLayout; subnet: Subnet } {
  const first = layoutOf(world);
  const inFirst = subnetFinder(first);
  // One answer per subnet, made the first time it is asked for, not one for each interface.
  const inFirstPlaces = new Map<Subnet, { layout: VpcLayout; subnet: Subnet }>();
  const placeInFirst = (eni: NetworkInterface) => {
    const subnet = inFirst(eni);
    let place = inFirstPlaces.get(subnet);
    if (!place) inFirstPlaces.set(subnet, (place = { layout: first, subnet }));
    return place;
  };
  if (!world.otherVpcs) return placeInFirst;
  const byId = new Map<string, { layout: VpcLayout; subnet: Subnet }>();
  for (const layout of world.otherVpcs)
    for (const id in layout.subnets) byId.set(id, { layout, subnet: layout.subnets[id]! });
  return (eni) => byId.get(eni.subnetId!) ?? placeInFirst(eni);
}

/**
 * An address of a client inside the VPC, for a workload that is not public: 10.0.255.10 in the
 * default 10.0.0.0/16, the same place from the end of any other /16, and the last host address
 * of a smaller block. The model's choice of where an application tier sits.
 */
export function vpcClientAddress(layout: VpcLayout): string {
  const block = parseCidr(layout.cidr)!;
  const size = blockSize(block.bits);
  return numberToIp(block.base + (size >= 65536 ? size - 246 : size - 2));
}

/**
 * Finds the subnet an interface lives in, with each zone's default subnet looked up once: the
 * quick reachability check asks this of every member of every workload.
 */
export function subnetFinder(layout: VpcLayout): (eni: NetworkInterface) => Subnet {
  const defaults = new Map<string, Subnet>();
  for (const id in layout.subnets) {
    const s = layout.subnets[id]!;
    if (s.defaultForAz && !defaults.has(s.zoneId)) defaults.set(s.zoneId, s);
  }
  return (eni) => (eni.subnetId ? layout.subnets[eni.subnetId] : defaults.get(eni.zoneId))!;
}

// These three are asked for each instance whose path is traced (every member as the roster is drawn
// up, every one a rule change concerns): plain loops over the layout's records, no list of them.

/** The default subnet for a zone, where a launch that names no subnet goes; undefined when the zone has none. */
export function defaultSubnet(layout: VpcLayout, zoneId: string): Subnet | undefined {
  for (const id in layout.subnets) {
    const s = layout.subnets[id]!;
    if (s.zoneId === zoneId && s.defaultForAz) return s;
  }
  return undefined;
}

export function mainRouteTable(layout: VpcLayout): RouteTable {
  for (const id in layout.routeTables) if (layout.routeTables[id]!.main) return layout.routeTables[id]!;
  throw new Error(`VPC ${layout.id} has no main route table`);
}

export function defaultNetworkAcl(layout: VpcLayout): NetworkAcl {
  for (const id in layout.networkAcls) if (layout.networkAcls[id]!.default) return layout.networkAcls[id]!;
  throw new Error(`VPC ${layout.id} has no default network ACL`);
}

/** The route table a subnet uses: its own association, else the VPC's main table. */
export function routeTableOf(layout: VpcLayout, subnet: Subnet): RouteTable {
  return subnet.routeTableId ? layout.routeTables[subnet.routeTableId]! : mainRouteTable(layout);
}

/** The network ACL a subnet uses: its own association, else the VPC's default ACL. */
export function networkAclOf(layout: VpcLayout, subnet: Subnet): NetworkAcl {
  return subnet.networkAclId ? layout.networkAcls[subnet.networkAclId]! : defaultNetworkAcl(layout);
}

/**
 * The route traffic to `address` takes: the most specific route whose destination holds it
 * ("longest prefix match"), or null when none does and the packet is dropped
 * (https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html).
 */
export function routeFor(table: RouteTable, address: number): Route | null {
  let best: Route | null = null;
  let bestBits = -1;
  for (const route of table.routes) {
    const block = parseCidr(route.destination);
    if (block && block.bits > bestBits && inBlock(block, address)) {
      best = route;
      bestBits = block.bits;
    }
  }
  return best;
}

export interface AclDecision {
  allow: boolean;
  /** The entry that decided, or null for the implicit final `*` entry that denies everything. */
  rule: NetworkAclEntry | null;
  /** A port the decision is about: for a range, the first port the deciding entry denies. */
  port: number;
}

const ruleMatches = (e: NetworkAclEntry, protocol: string, address: number) =>
  (e.protocol === 'all' || e.protocol === protocol) && cidrHolds(e.cidr, address);

function cidrHolds(cidr: string, address: number): boolean {
  const block = parseCidr(cidr);
  return block !== null && inBlock(block, address);
}

/**
 * A network ACL's verdict on traffic to or from `address` on every port of `ports` (a request's
 * one port, or a client's range of ephemeral ports for replies). Entries are read lowest rule
 * number first and the first that matches a packet decides it; a packet no entry matches meets
 * the final `*` entry, which denies. Network ACLs are stateless: the reply to an allowed request
 * is judged afresh by the other direction's entries
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html). Allowed only when
 * every port of the range is; otherwise the entry that denies the first denied port is named.
 */
export function aclDecision(
  entries: readonly NetworkAclEntry[],
  protocol: string,
  ports: readonly [number, number],
  address: number,
): AclDecision {
  const ordered = [...entries].sort((a, b) => a.ruleNumber - b.ruleNumber);
  // The ports no entry has decided yet, as sorted disjoint ranges.
  let open: [number, number][] = [[ports[0], ports[1]]];
  for (const e of ordered) {
    if (!ruleMatches(e, protocol, address)) continue;
    // ICMP has no ports, and an `all` entry covers every port.
    const [lo, hi] = protocol === 'icmp' || e.protocol === 'all' ? [0, 65535] : [e.fromPort, e.toPort];
    const hit = open.find(([a, b]) => a <= hi && b >= lo);
    if (!hit) continue;
    if (e.action === 'deny') return { allow: false, rule: e, port: Math.max(hit[0], lo) };
    open = open.flatMap(([a, b]) => {
      if (b < lo || a > hi) return [[a, b] as [number, number]];
      const rest: [number, number][] = [];
      if (a < lo) rest.push([a, lo - 1]);
      if (b > hi) rest.push([hi + 1, b]);
      return rest;
    });
    if (open.length === 0) return { allow: true, rule: e, port: ports[0] };
  }
  return { allow: false, rule: null, port: open[0]![0] };
}

/** An interface's security groups as a trace's hop names them: `sg-0a… (web), sg-0b… (admin)`. */
export const groupsText = (world: World, eni: NetworkInterface): string =>
  eni.securityGroupIds.map((id) => `${id} (${world.securityGroups[id]!.name})`).join(', ');

/** An entry as the console lists it: `100 allow tcp 443 0.0.0.0/0`. */
export function aclEntryText(e: NetworkAclEntry | null): string {
  if (!e) return '* deny all';
  const ports =
    e.protocol === 'all' || e.protocol === 'icmp'
      ? ''
      : e.fromPort === e.toPort
        ? ` ${e.fromPort}`
        : ` ${e.fromPort}-${e.toPort}`;
  return `${e.ruleNumber} ${e.action} ${e.protocol}${ports} ${e.cidr}`;
}

/**
 * The counter of a subnet's addresses handed out: by zone in the default VPC (whose interfaces
 * name no subnet), by subnet in a level's.
 */
export const addressCounter = (layout: VpcLayout, subnet: Subnet) =>
  layout.isDefault ? `ip:${subnet.zoneId}` : `ip:${subnet.id}`;

/**
 * A CIDR block parsed, or null when the text is not one; kept by its text with the world's derived
 * data: a subnet's block is read for each address handed out in it (a region's million), and a
 * rule's for each instance whose traffic it is checked against.
 */
export function cidrBlock(world: World, cidr: string): { base: number; bits: number } | null {
  const blocks = derived(world, CIDR_BLOCKS);
  let block = blocks.get(cidr);
  if (block === undefined) blocks.set(cidr, (block = parseCidr(cidr)));
  return block;
}

const CIDR_BLOCKS = derivedKind('parsed CIDR blocks', () => new Map<string, { base: number; bits: number } | null>());

/** The addresses of a subnet not yet handed out (`key`: its addressCounter): AWS reserves each subnet's first four and its last. */
export function freeAddresses(world: World, subnet: Subnet, key: string): number {
  return freeIn(cidrBlock(world, subnet.cidr)!, world.counters[key] ?? 0);
}

const freeIn = (block: { bits: number }, used: number) => blockSize(block.bits) - 5 - used;

/**
 * The next private address of a subnet. AWS reserves each subnet's first four addresses and its
 * last (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html); null when the
 * subnet has no free address left: no address is ever made up outside it.
 */
export function nextSubnetAddress(world: World, subnet: Subnet, key = `ip:${subnet.id}`): string | null {
  const block = cidrBlock(world, subnet.cidr)!;
  const used = world.counters[key] ?? 0;
  if (freeIn(block, used) <= 0) return null;
  world.counters[key] = used + 1;
  return numberToIp(block.base + 4 + used);
}

/**
 * A route's state: `active`, or `blackhole` when its target is gone (an internet gateway detached
 * from the VPC, a NAT gateway deleted): traffic that takes it is dropped
 * (https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html).
 */
export function routeState(layout: VpcLayout, route: Route): 'active' | 'blackhole' {
  if (route.target === 'local' || route.target === layout.internetGatewayId) return 'active';
  const nat = layout.natGateways?.[route.target];
  return nat && nat.state !== 'deleted' ? 'active' : 'blackhole';
}

/** A subnet by id or name, or undefined. */
export function findSubnet(layout: VpcLayout, ref: string): Subnet | undefined {
  return layout.subnets[ref] ?? Object.values(layout.subnets).find((s) => s.name === ref);
}

/** A subnet of any of the world's VPCs by id or name (names are unique across a level's VPCs), or undefined. */
export const findAnySubnet = (world: World, ref: string): Subnet | undefined =>
  findInVpcs(world, (layout) => findSubnet(layout, ref))?.found;

/**
 * The subnet a launch of `count` instances into `zoneId` goes to: `ref` (id or name), else the
 * zone's default subnet. Null in the default VPC, whose interfaces keep their addresses by zone.
 * Refuses a subnet in another zone, a zone without one, or a subnet without room for `count`.
 */
export function launchSubnet(world: World, zoneId: string, ref: string | null, count: number): Subnet | null {
  const subnet = ref ? findAnySubnet(world, ref) : defaultSubnet(layoutOf(world), zoneId);
  if (!subnet)
    refuse(
      // RunInstances into a zone without a default subnet: "No default subnet for availability zone".
      ref ? 'InvalidSubnetID.NotFound' : 'InvalidInput',
      ref ? `no subnet ${ref} in ${vpcIdsText(world)}` : `no default subnet in ${zoneId}: name one with --subnet`,
    );
  const layout = vpcOfSubnet(world, subnet.id);
  if (subnet.zoneId !== zoneId)
    refuse('InvalidParameterValue', `subnet ${subnet.id} (${subnet.name}) is in ${subnet.zoneId}, not ${zoneId}`);
  const free = freeAddresses(world, subnet, addressCounter(layout, subnet));
  if (free < count)
    refuse(
      'InsufficientFreeAddressesInSubnet',
      `subnet ${subnet.id} (${subnet.name}, ${subnet.cidr}) has ${counted(free, 'free address', 'free addresses')}, not ${count}`,
    );
  return layout.isDefault ? null : subnet;
}

/**
 * Refuses security groups of another VPC than the subnet's, as EC2 does ("Security group … and
 * subnet … belong to different networks"): a group belongs to one VPC. `subnet` null: the first
 * VPC's default subnet.
 */
export function checkGroupsInVpc(world: World, subnet: Subnet | null, groupIds: readonly string[]): void {
  const layout = vpcOfSubnet(world, subnet?.id);
  const first = layoutOf(world).id;
  for (const id of groupIds) {
    const vpcId = world.securityGroups[id]?.vpcId ?? first;
    if (vpcId !== layout.id)
      refuse(
        'InvalidParameter',
        `security group ${id} (${world.securityGroups[id]?.name}) is in ${vpcId} and subnet ${subnet?.id ?? 'the default subnet'} in ${layout.id}: they belong to different networks`,
      );
  }
}

/** A VPC as a level describes it, names resolved by the level's reader. */
export interface VpcSpec {
  /** Its Name tag, how views and trace name it beside its id; null: none. */
  name: string | null;
  /** Its IPv4 block, a /16 to a /28; subnets lie inside it. */
  cidr: string;
  internetGateway: boolean;
  /**
   * A table named `main` replaces the implicit main table (local route, and 0.0.0.0/0 to the
   * gateway). A route's target is `igw` or the name of one of `natGateways`.
   */
  routeTables: { name: string; routes: { destination: string; target: string }[] }[];
  /** An ACL named `default` replaces the implicit default ACL (rule 100 allows all, both ways). */
  networkAcls: { name: string; inbound: NetworkAclEntry[]; outbound: NetworkAclEntry[] }[];
  subnets: {
    name: string;
    zoneId: string;
    cidr: string;
    routeTable: string | null;
    networkAcl: string | null;
    mapPublicIp: boolean;
  }[];
  /** NAT gateways by name, each in a subnet of the level's (built by nat.ts once the VPC is). */
  natGateways: { name: string; subnet: string }[];
}

/**
 * A level's VPC. Every route table has the local route for the VPC's block first, as in EC2 where
 * it cannot be removed; each zone's first subnet is its default (where a launch naming none goes).
 */
export function buildVpc(world: World, spec: VpcSpec): VpcLayout {
  const igw = spec.internetGateway ? newId(world, 'igw', null) : null;
  const id = newId(world, 'vpc', null);
  const layout: VpcLayout = {
    id,
    ...(spec.name === null ? {} : { name: spec.name }),
    isDefault: false,
    cidr: spec.cidr,
    internetGatewayId: igw,
    subnets: {},
    routeTables: {},
    networkAcls: {},
  };
  const local: Route = { destination: spec.cidr, target: 'local' };
  const tables = spec.routeTables.some((t) => t.name === 'main')
    ? spec.routeTables
    : [
        { name: 'main', routes: igw ? [{ destination: '0.0.0.0/0', target: 'igw' as const }] : [] },
        ...spec.routeTables,
      ];
  const tableIds = new Map<string, string>();
  for (const t of tables) {
    const tableId = newId(world, 'rtb', layout.routeTables);
    layout.routeTables[tableId] = {
      id: tableId,
      name: t.name,
      main: t.name === 'main',
      // A NAT gateway's name stands until nat.ts builds it and puts its id in its place.
      routes: [
        { ...local },
        ...t.routes.map((r) => ({
          destination: r.destination,
          target: r.target === 'igw' ? (igw ?? 'igw') : r.target,
        })),
      ],
    };
    tableIds.set(t.name, tableId);
  }
  const acls = spec.networkAcls.some((a) => a.name === 'default')
    ? spec.networkAcls
    : [{ name: 'default', inbound: allowAll(), outbound: allowAll() }, ...spec.networkAcls];
  const aclIds = new Map<string, string>();
  for (const a of acls) {
    const aclId = newId(world, 'acl', layout.networkAcls);
    layout.networkAcls[aclId] = {
      id: aclId,
      name: a.name,
      default: a.name === 'default',
      inbound: a.inbound.map((e) => ({ ...e })),
      outbound: a.outbound.map((e) => ({ ...e })),
    };
    aclIds.set(a.name, aclId);
  }
  for (const s of spec.subnets) {
    const subnetId = newId(world, 'subnet', layout.subnets);
    layout.subnets[subnetId] = {
      id: subnetId,
      name: s.name,
      zoneId: s.zoneId,
      cidr: s.cidr,
      routeTableId: s.routeTable && s.routeTable !== 'main' ? tableIds.get(s.routeTable)! : null,
      networkAclId: s.networkAcl && s.networkAcl !== 'default' ? aclIds.get(s.networkAcl)! : null,
      mapPublicIp: s.mapPublicIp,
      defaultForAz: !Object.values(layout.subnets).some((o) => o.zoneId === s.zoneId),
    };
  }
  return layout;
}
