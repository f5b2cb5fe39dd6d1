// ENIs, addresses and security groups, and the packet path the seeds describe: internet -> AWS
// edge -> the host's Nitro card -> ENI (found by MAC) -> network ACL -> security group -> guest,
// and the reply's way back through the network ACL and the subnet's route table.
import { setAddress } from './billing.js';
import { inBlock, ipToNumber } from './cidr.js';
import { derived, derivedKind } from './derived.js';
import { agrees } from './counted.js';
import { refuse } from './errors.js';
import { flat, macAddress, newId, nextCounter } from './ids.js';
import { drawInt } from './rng.js';
import { insert } from './tables.js';
import { touchInstance } from './changes.js';
import type {
  AvailabilityZone,
  ElasticIp,
  Instance,
  NetworkAcl,
  NetworkInterface,
  Route,
  RouteTable,
  SecurityGroupRule,
  Subnet,
  VpcLayout,
  World,
} from './types.js';
import {
  aclDecision,
  aclEntryText,
  addressCounter,
  cidrBlock,
  defaultSubnet,
  EPHEMERAL_PORTS,
  groupsText,
  layoutOf,
  networkAclOf,
  nextSubnetAddress,
  routeFor,
  routeState,
  routeTableOf,
  placeFinder,
  VPC_CIDR,
  vpcClientAddress,
  vpcOfSubnet,
  vpcsOf,
  type AclDecision,
} from './vpc.js';

/** First octets of blocks AWS announces over BGP; public addresses are drawn from these. */
const PUBLIC_BLOCKS = [3, 18, 34, 35, 44, 52, 54];

export { ipToNumber, parseCidr } from './cidr.js';

/** The public address space modelled: 2^24 addresses in each of the blocks above. */
const PUBLIC_SPACE = PUBLIC_BLOCKS.length * 2 ** 24;
/** Odd and not a multiple of 7, so n -> n * STRIDE mod PUBLIC_SPACE visits every address once. */
const STRIDE = 2654435761;

const STRIDE_MOD = STRIDE % PUBLIC_SPACE;

/**
 * n * STRIDE mod PUBLIC_SPACE, exactly, in doubles: n is first brought under PUBLIC_SPACE (2^27 or
 * less), then multiplied in two parts of 13 and 14 bits, so no product passes 2^53.
 */
function strideMod(n: number): number {
  const m = n % PUBLIC_SPACE;
  const high = Math.floor(m / 2 ** 14);
  const low = m % 2 ** 14;
  return (((((high * STRIDE_MOD) % PUBLIC_SPACE) * 2 ** 14) % PUBLIC_SPACE) + low * STRIDE_MOD) % PUBLIC_SPACE;
}

/**
 * A public address never handed out before in this world. Addresses are a fixed permutation of
 * the space walked by a counter, offset by the world's seeded stream: unique by construction, so
 * no table of used addresses is kept or searched.
 */
export function newPublicIp(world: World): string {
  const offset = (world.counters['public-ip-offset'] ??= drawInt(world, 'ips', PUBLIC_SPACE));
  for (;;) {
    const n = nextCounter(world, 'public-ip');
    const index = (strideMod(n) + offset) % PUBLIC_SPACE;
    const host = index % 2 ** 24;
    // Skip network- and broadcast-looking last octets.
    if (host % 256 === 0 || host % 256 === 255) continue;
    return flat(
      PUBLIC_BLOCKS[Math.floor(index / 2 ** 24)]!,
      '.',
      host >>> 16,
      '.',
      (host >>> 8) & 255,
      '.',
      host & 255,
    );
  }
}

/**
 * An address in the default VPC: the zone's default subnet's next (10.0.16z.0/20, past AWS's
 * reserved first four); null when it is full, as EC2 refuses a launch then.
 */
function newPrivateIp(world: World, zoneId: string): string | null {
  const layout = layoutOf(world);
  const subnet = defaultSubnet(layout, zoneId);
  return subnet ? nextSubnetAddress(world, subnet, addressCounter(layout, subnet)) : null;
}

/** The next private address in `subnet`, or by zone in the default VPC (null subnet); null when the subnet is full. */
export function nextPrivateIp(world: World, zoneId: string, subnet: Subnet | null): string | null {
  return subnet ? nextSubnetAddress(world, subnet) : newPrivateIp(world, zoneId);
}

/**
 * A new interface for an instance: in `subnet` when the level's VPC has subnets of its own (its
 * address is the subnet's next free one), else in the zone's default subnet. Refuses with EC2's
 * InsufficientFreeAddressesInSubnet when the subnet is full.
 */
export function createEni(
  world: World,
  instanceId: string | null,
  zoneId: string,
  securityGroupIds: string[],
  assignPublicIp: boolean | null,
  subnet: Subnet | null = null,
): NetworkInterface {
  const privateIp = nextPrivateIp(world, zoneId, subnet);
  if (privateIp === null) {
    const full = subnet ?? defaultSubnet(layoutOf(world), zoneId);
    if (!full) refuse('InvalidInput', `no default subnet in ${zoneId}`);
    refuse('InsufficientFreeAddressesInSubnet', `subnet ${full.id} (${full.name}, ${full.cidr}) has no free address`);
  }
  // The subnet is written in the record as it is made, last, and taken out again when there is
  // none: a field added to a finished record would cost a separate block of fields per interface.
  const eni: NetworkInterface = {
    id: newId(world, 'eni', world.enis),
    instanceId,
    zoneId,
    mac: macAddress(world),
    privateIp,
    publicIp: null,
    // Asked for or not, else as the subnet maps them (the default VPC's subnets do).
    assignPublicIp: assignPublicIp ?? subnet?.mapPublicIp ?? true,
    allocationId: null,
    securityGroupIds,
    subnetId: subnet?.id,
  };
  if (!subnet) delete eni.subnetId;
  insert(world, 'enis', eni.id, eni);
  return eni;
}

/** Gives a starting instance its public address: the Elastic IP if one is associated, else a new one. */
export function assignAddressOnStart(world: World, eni: NetworkInterface): void {
  if (eni.allocationId) setAddress(world, eni, { publicIp: world.elasticIps[eni.allocationId]!.publicIp });
  else if (takesNewPublicIp(world, eni)) setAddress(world, eni, { publicIp: newPublicIp(world) });
}

/**
 * Whether an interface set to auto-assign a public address gets a new one now (at a start, or
 * when its Elastic IP goes): not while its instance has more than one interface attached, nor
 * while a secondary private address of it holds an Elastic IP (EC2 User Guide, "Public IPv4
 * addresses": "it will not receive a new one if there is more than one network interface attached
 * to your instance"; "the instance does not receive a new public IP address").
 */
function takesNewPublicIp(world: World, eni: NetworkInterface): boolean {
  if (!eni.assignPublicIp || eni.instanceId === null) return false;
  const inst = world.instances[eni.instanceId]!;
  return !inst.secondaryEniIds?.length && !eni.secondaryIps?.some((s) => s.allocationId !== undefined);
}

/** A stopped or terminated instance gives its auto-assigned public address back; an Elastic IP stays. */
export function releaseAddressOnStop(world: World, eni: NetworkInterface): void {
  if (!eni.allocationId) setAddress(world, eni, { publicIp: null });
}

export function allocateAddress(world: World): string {
  const allocationId = newId(world, 'eipalloc', world.elasticIps);
  insert(world, 'elasticIps', allocationId, { allocationId, publicIp: newPublicIp(world), eniId: null });
  return allocationId;
}

/**
 * Associates an Elastic IP with an interface (any of an instance's), mapped to `privateIp` (one of
 * the interface's addresses; default its primary), taking it from wherever it was and replacing
 * the address's previous one. EC2 User Guide, "Associate an Elastic IP address with a secondary
 * private IPv4 address". Refuses an address the interface does not hold (InvalidParameterValue).
 */
export function associateAddress(
  world: World,
  eni: NetworkInterface,
  allocationId: string,
  privateIp: string = eni.privateIp,
): void {
  const eip = world.elasticIps[allocationId];
  if (!eip) refuse('InvalidAllocationID.NotFound', `no Elastic IP allocation ${allocationId}`);
  const instance = eni.instanceId === null ? undefined : world.instances[eni.instanceId];
  if (instance && (instance.state === 'terminated' || instance.state === 'shutting-down')) {
    refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
  }
  if (eip.natGatewayId)
    refuse(
      'Resource.AlreadyAssociated',
      `${allocationId} (${eip.publicIp}) is held by NAT gateway ${eip.natGatewayId}`,
    );
  const secondary = privateIp === eni.privateIp ? null : eni.secondaryIps?.find((s) => s.privateIp === privateIp);
  if (secondary === undefined) refuse('InvalidParameterValue', `${privateIp} is not a private address of ${eni.id}`);
  const current = secondary ? secondary.allocationId : eni.allocationId;
  if (current === allocationId) return;
  if (eip.eniId) dropElasticIp(world, eip);
  // The address's previous Elastic IP is replaced, not dropped: no auto-assigned address comes between.
  if (current) {
    const previous = world.elasticIps[current]!;
    previous.eniId = null;
    delete previous.privateIp;
  }
  eip.eniId = eni.id;
  if (secondary) {
    eip.privateIp = privateIp;
    secondary.allocationId = allocationId;
    secondary.publicIp = eip.publicIp;
    if (instance) touchInstance(world, instance);
    // An Elastic IP belongs to the interface whatever the instance's state, so a stopped one shows it too.
  } else setAddress(world, eni, { allocationId, publicIp: eip.publicIp });
}

/** Takes the Elastic IP off an interface's address (default its primary); returns its allocation id. */
export function disassociateAddress(world: World, eni: NetworkInterface, privateIp: string = eni.privateIp): string {
  const allocationId =
    privateIp === eni.privateIp
      ? eni.allocationId
      : eni.secondaryIps?.find((s) => s.privateIp === privateIp)?.allocationId;
  if (!allocationId)
    refuse('InvalidAssociationID.NotFound', `${eni.instanceId ?? eni.id} has no Elastic IP on ${eni.id} ${privateIp}`);
  dropElasticIp(world, world.elasticIps[allocationId]!);
  return allocationId;
}

/** Takes an Elastic IP off the address it maps to, whether disassociated or moved elsewhere. */
function dropElasticIp(world: World, eip: ElasticIp): void {
  const eni = world.enis[eip.eniId!]!;
  eip.eniId = null;
  if (eip.privateIp !== undefined) {
    const secondary = eni.secondaryIps!.find((s) => s.privateIp === eip.privateIp)!;
    delete secondary.allocationId;
    delete secondary.publicIp;
    delete eip.privateIp;
    if (eni.instanceId !== null) touchInstance(world, world.instances[eni.instanceId]!);
    return;
  }
  // EC2 gives a running instance a fresh auto-assigned address where it gives one at a start.
  setAddress(world, eni, {
    allocationId: null,
    publicIp:
      takesNewPublicIp(world, eni) && world.instances[eni.instanceId!]!.state === 'running' ? newPublicIp(world) : null,
  });
}

/** The Elastic IPs on an interface, each with the private address it maps to: the primary's first. */
export function elasticIpsOf(eni: NetworkInterface): { privateIp: string; allocationId: string }[] {
  const found = eni.allocationId ? [{ privateIp: eni.privateIp, allocationId: eni.allocationId }] : [];
  for (const s of eni.secondaryIps ?? [])
    if (s.allocationId) found.push({ privateIp: s.privateIp, allocationId: s.allocationId });
  return found;
}

/** Whether publicMapping finds an address, without making the record it returns. */
function hasPublicMapping(eni: NetworkInterface): boolean {
  if (eni.publicIp !== null) return true;
  const secondary = eni.secondaryIps;
  if (secondary) for (let i = 0; i < secondary.length; i++) if (secondary[i]!.publicIp) return true;
  return false;
}

/**
 * The public address the internet reaches an interface by and the private address the edge maps
 * it to: the primary's, else the first secondary address's Elastic IP; null when it has none.
 */
export function publicMapping(eni: NetworkInterface): { publicIp: string; privateIp: string } | null {
  if (eni.publicIp !== null) return { publicIp: eni.publicIp, privateIp: eni.privateIp };
  const secondary = eni.secondaryIps?.find((s) => s.publicIp);
  return secondary ? { publicIp: secondary.publicIp!, privateIp: secondary.privateIp } : null;
}

/**
 * Parsed client addresses, keyed by their text, with the world's derived data (CIDRs: cidrBlock):
 * rules are checked every tick for every serving instance, and clients come from a handful of
 * addresses.
 */
const PARSED_ADDRESSES = derivedKind('parsed addresses', () => new Map<string, number | null>());

function cidrMatches(world: World, cidr: string, addr: number): boolean {
  const range = cidrBlock(world, cidr);
  return range !== null && inBlock(range, addr);
}

function ruleAllowsAddress(
  world: World,
  rule: SecurityGroupRule,
  protocol: string,
  port: number,
  source: number,
): boolean {
  const protocolOk = rule.protocol === 'all' || rule.protocol === protocol;
  const portOk = rule.protocol === 'all' || rule.protocol === 'icmp' || (port >= rule.fromPort && port <= rule.toPort);
  return protocolOk && portOk && cidrMatches(world, rule.cidr, source);
}

function addressOf(world: World, ip: string): number | null {
  const addresses = derived(world, PARSED_ADDRESSES);
  let n = addresses.get(ip);
  if (n === undefined) {
    n = ipToNumber(ip);
    if (addresses.size < 1024) addresses.set(ip, n);
  }
  return n;
}

/** Security groups allow only; stateful, so the reply to an allowed request is always let out. */
export function securityGroupsAllow(
  world: World,
  eni: NetworkInterface,
  protocol: string,
  port: number,
  sourceIp: string,
): boolean {
  // VPC_CLIENT stands for the client inside the interface's own VPC.
  const ip = sourceIp === VPC_CLIENT ? vpcClientAddress(vpcOfSubnet(world, eni.subnetId)) : sourceIp;
  const source = addressOf(world, ip);
  return eni.securityGroupIds.some((id) => groupAllows(world, id, protocol, port, source));
}

/** Whether `rule` lets `protocol` traffic to `port` from `sourceIp` in: whether adding or removing it can change that traffic. */
export function ruleAdmits(
  world: World,
  rule: SecurityGroupRule,
  protocol: string,
  port: number,
  sourceIp: string,
): boolean {
  // VPC_CLIENT: the client inside any VPC, since a rule may serve any of them.
  const ips = sourceIp === VPC_CLIENT ? vpcsOf(world).map(vpcClientAddress) : [sourceIp];
  return ips.some((ip) => {
    const source = addressOf(world, ip);
    return source !== null && ruleAllowsAddress(world, rule, protocol, port, source);
  });
}

function groupAllows(world: World, id: string, protocol: string, port: number, source: number | null): boolean {
  return (
    source !== null &&
    world.securityGroups[id]!.ingress.some((rule) => ruleAllowsAddress(world, rule, protocol, port, source))
  );
}

/** The hops a packet crosses, in the order it crosses them. */
export type Hop =
  | 'source'
  | 'source-route'
  | 'source-acl-out'
  | 'internet'
  | 'exchange'
  | 'edge'
  | 'nitro-card'
  | 'eni'
  | 'network-acl-in'
  | 'security-group'
  | 'guest'
  | 'network-acl-out'
  | 'route-table'
  | 'source-acl-in'
  // The way out (egress.ts).
  | 'security-group-out'
  | 'nat-gateway'
  | 'nat-subnet'
  | 'internet-gateway'
  | 'destination';

export interface HopResult {
  hop: Hop;
  ok: boolean;
  detail: string;
  /** The rule, route or entry that decided this hop, when one did. */
  rule: string | null;
}

export { VPC_CIDR };

/** An address outside AWS that internet clients are modelled as coming from (TEST-NET-3). */
export const INTERNET_CLIENT = '203.0.113.10';

/** Where a path starts: the internet, an address inside the VPC, or another instance. */
type SourceKind = 'internet' | 'vpc' | 'instance';

/** What every hop of a path, in or out, is asked about: one instance's interface in its subnet, one protocol and port. */
export interface HopContext {
  world: World;
  layout: VpcLayout;
  instance: Instance;
  eni: NetworkInterface;
  subnet: Subnet;
  protocol: string;
  port: number;
}

interface PathContext extends HopContext {
  /** The private address traced to: the interface's primary, or one of its secondaries. */
  address: string;
  sourceIp: string;
  /** sourceIp as a number, or null when it is not an address. */
  source: number | null;
  kind: SourceKind;
  /** The instance the traffic starts from, with its interface and subnet, when it is one. */
  from: { instance: Instance; eni: NetworkInterface; subnet: Subnet; layout: VpcLayout } | null;
  /** The client's ephemeral ports, which the replies go back to. */
  clientPorts: readonly [number, number];
  /** Whether one security group lets this traffic in. */
  allows: (groupId: string) => boolean;
  /** A network ACL's verdict on the request coming in, and on the replies going out. */
  aclIn: (acl: NetworkAcl) => AclDecision;
  aclOut: (acl: NetworkAcl) => AclDecision;
  /** The route a table gives the replies back to the client. */
  returnRoute: (table: RouteTable) => Route | null;
}

interface HopRule {
  hop: Hop;
  /** The sources whose traffic crosses this hop. */
  from: readonly SourceKind[];
  ok: (c: PathContext) => boolean;
  detail: (c: PathContext, ok: boolean) => string;
  /** What decided the hop, in the console's words; absent when no rule is involved. */
  rule?: (c: PathContext) => string | null;
}

const ALL: readonly SourceKind[] = ['internet', 'vpc', 'instance'];
/** The instance's zone: a plain loop, as this is asked of every member of a public workload. */
function zoneOf(c: PathContext): AvailabilityZone {
  const zones = c.world.zones;
  for (let i = 0; i < zones.length; i++) if (zones[i]!.zoneId === c.instance.zoneId) return zones[i]!;
  throw new Error(`no zone ${c.instance.zoneId}`);
}
const hostOf = (c: PathContext) => (c.instance.hostId ? c.world.hosts[c.instance.hostId] : undefined);
const routeText = (r: Route | null) => (r ? `${r.destination} -> ${r.target}` : 'no route');
const aclName = (acl: NetworkAcl) => `${acl.id} (${acl.name})`;
const tableName = (t: RouteTable) => `${t.id} (${t.name})`;
const subnetName = (s: Subnet) => `${s.id} (${s.name})`;
const portsText = (p: readonly [number, number]) => (p[0] === p[1] ? String(p[0]) : `${p[0]}-${p[1]}`);

/** The first security group rule of the interface that lets this traffic in, as `sg-… (web): tcp 443 from 0.0.0.0/0`. */
function allowingRule(c: PathContext): string | null {
  if (c.source === null) return null;
  for (const id of c.eni.securityGroupIds) {
    const group = c.world.securityGroups[id]!;
    const rule = group.ingress.find((r) => ruleAllowsAddress(c.world, r, c.protocol, c.port, c.source!));
    if (rule) {
      const ports =
        rule.protocol === 'all' || rule.protocol === 'icmp' ? '' : ` ${portsText([rule.fromPort, rule.toPort])}`;
      return `${group.id} (${group.name}): ${rule.protocol}${ports} from ${rule.cidr}`;
    }
  }
  return null;
}

/** A source instance's subnet's table: the route it gives traffic to the destination's private address. */
function sourceRoute(c: PathContext): Route | null {
  return routeFor(routeTableOf(c.from!.layout, c.from!.subnet), targetIp(c));
}

/** The private address traced to: the interface's primary unless a secondary one was asked for. */
const targetIp = (c: PathContext) => ipToNumber(c.address)!;

/**
 * The path, in order. The request: a source instance's own route and outbound ACL, the internet
 * (BGP to AWS's prefix), the exchange hand-off, the edge (internet gateway: public to private
 * address, tunnelled to the host), the host's Nitro card, the interface found by its MAC, the
 * subnet's network ACL in, the security groups, the guest. The reply: the subnet's network ACL
 * out to the client's ephemeral ports, the subnet's route table back to the client, and a source
 * instance's inbound ACL. Security groups are stateful (the reply needs no rule); network ACLs are
 * not (https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html). One table
 * serves both the quick check and the explanation.
 */
const PATH: readonly HopRule[] = [
  {
    hop: 'source',
    from: ['instance'],
    ok: (c) => c.from!.instance.state === 'running',
    detail: (c, ok) =>
      ok
        ? `${instanceLabelOf(c.from!.instance)} sends from ${c.from!.eni.privateIp} in ${subnetName(c.from!.subnet)}`
        : `${instanceLabelOf(c.from!.instance)} is ${c.from!.instance.state}: it sends nothing`,
  },
  {
    hop: 'source-route',
    from: ['instance'],
    ok: (c) => {
      const r = sourceRoute(c);
      return r !== null && r.target === 'local' && c.from!.layout === c.layout;
    },
    detail: (c, ok) => {
      const table = tableName(routeTableOf(c.from!.layout, c.from!.subnet));
      if (ok) return `${table} keeps ${c.address} inside the VPC (local route)`;
      if (c.from!.layout !== c.layout) {
        // An address means something only inside its VPC: the same one elsewhere is another host.
        const there = interfaceHolding(c.world, c.address, c.from!.layout);
        const other = there?.instanceId ? instanceLabelOf(c.world.instances[there.instanceId]!) : 'no instance';
        return `${instanceLabelOf(c.instance)} is in ${vpcText(c.layout)}, ${instanceLabelOf(c.from!.instance)} in ${vpcText(c.from!.layout)}: ${table} ${sourceRoute(c)?.target === 'local' ? `keeps ${c.address} inside ${vpcText(c.from!.layout)}, where it is ${other}` : `has no route to ${c.address}`}; VPCs share no path without peering`;
      }
      return `${table} has no local route to ${c.address}`;
    },
    rule: (c) => routeText(sourceRoute(c)),
  },
  {
    hop: 'source-acl-out',
    from: ['instance'],
    ok: (c) => sourceAclOut(c).allow,
    detail: (c, ok) =>
      `${aclName(networkAclOf(c.from!.layout, c.from!.subnet))} ${ok ? 'lets' : 'does not let'} ${c.protocol}/${c.port} out to ${c.address}`,
    rule: (c) => aclEntryText(sourceAclOut(c).rule),
  },
  {
    hop: 'internet',
    from: ['internet'],
    ok: (c) => hasPublicMapping(c.eni) && c.layout.internetGatewayId !== null,
    detail: (c) => {
      const mapped = publicMapping(c.eni);
      return !mapped
        ? 'no public IPv4 address: nothing on the internet routes to it'
        : !c.layout.internetGatewayId
          ? `${mapped.publicIp} leads nowhere: no internet gateway is attached to ${c.layout.id}`
          : `${mapped.publicIp} is in ${publicBlock(mapped.publicIp)}, announced over BGP by AWS (AS16509)`;
    },
  },
  {
    hop: 'exchange',
    from: ['internet'],
    ok: () => true,
    detail: () => "the client's network hands the packet to AWS's at an internet exchange",
  },
  {
    hop: 'edge',
    from: ['internet'],
    ok: (c) => !zoneOf(c).impaired,
    detail: (c, ok) =>
      ok
        ? `internet gateway ${c.layout.internetGatewayId} maps ${publicMapping(c.eni)!.publicIp} to ${publicMapping(c.eni)!.privateIp} and tunnels the packet to its host`
        : `${c.instance.zoneId} is impaired: the edge cannot reach its hosts`,
  },
  {
    hop: 'nitro-card',
    from: ALL,
    ok: (c) => {
      const host = hostOf(c);
      return c.instance.state === 'running' && host !== undefined && host.health !== 'failed';
    },
    detail: (c, ok) =>
      ok ? `host ${hostOf(c)!.id}'s Nitro card takes the packet` : 'no healthy host holds the running instance',
  },
  {
    hop: 'eni',
    from: ALL,
    ok: () => true,
    detail: (c) => `${c.eni.id} (${c.address}) found by MAC ${c.eni.mac}, in ${subnetName(c.subnet)}`,
  },
  {
    hop: 'network-acl-in',
    from: ALL,
    ok: (c) => c.aclIn(networkAclOf(c.layout, c.subnet)).allow,
    detail: (c, ok) =>
      `${aclName(networkAclOf(c.layout, c.subnet))} ${ok ? 'lets' : 'does not let'} ${c.protocol}/${c.port} in from ${c.sourceIp}`,
    rule: (c) => aclEntryText(c.aclIn(networkAclOf(c.layout, c.subnet)).rule),
  },
  {
    hop: 'security-group',
    from: ALL,
    ok: (c) => c.eni.securityGroupIds.some(c.allows),
    detail: (c, ok) =>
      `${groupsText(c.world, c.eni)} ${agrees(c.eni.securityGroupIds.length, ok ? 'lets' : 'does not let', ok ? 'let' : 'do not let')} ${c.protocol}/${c.port} in from ${c.sourceIp}`,
    rule: (c) => allowingRule(c) ?? 'no inbound rule matches: security groups only allow',
  },
  {
    hop: 'guest',
    from: ALL,
    ok: (c) => c.instance.guestHealthy && c.instance.guestRestartUntil === null,
    detail: (c, ok) =>
      ok
        ? 'guest accepts the connection'
        : c.instance.guestRestartUntil !== null
          ? 'guest OS is restarting'
          : 'guest OS is not responding',
  },
  {
    hop: 'network-acl-out',
    from: ALL,
    ok: (c) => c.aclOut(networkAclOf(c.layout, c.subnet)).allow,
    detail: (c, ok) => {
      const acl = networkAclOf(c.layout, c.subnet);
      return ok
        ? `${aclName(acl)} lets the replies out to ${c.sourceIp}'s ephemeral ports ${portsText(c.clientPorts)}`
        : `${aclName(acl)} stops the replies to ${c.sourceIp}'s ephemeral port ${c.aclOut(acl).port} (of ${portsText(c.clientPorts)}): network ACLs are stateless`;
    },
    rule: (c) => aclEntryText(c.aclOut(networkAclOf(c.layout, c.subnet)).rule),
  },
  {
    hop: 'route-table',
    from: ALL,
    ok: (c) => {
      const r = c.returnRoute(routeTableOf(c.layout, c.subnet));
      if (!r || routeState(c.layout, r) === 'blackhole') return false;
      return c.kind === 'internet' ? r.target === c.layout.internetGatewayId : r.target === 'local';
    },
    detail: (c, ok) => {
      const table = routeTableOf(c.layout, c.subnet);
      const r = c.returnRoute(table);
      if (ok) return `${tableName(table)} sends the replies to ${c.sourceIp} by ${routeText(r)} (most specific match)`;
      if (!r) return `${tableName(table)} has no route back to ${c.sourceIp}: the replies are dropped`;
      if (routeState(c.layout, r) === 'blackhole')
        return `${tableName(table)} sends the replies to ${r.target}, which is gone (blackhole)`;
      if (c.kind === 'internet' && c.layout.natGateways?.[r.target])
        return `${tableName(table)} sends the replies to ${c.sourceIp} by ${routeText(r)}: a NAT gateway carries only connections started inside, so the internet cannot start one here`;
      return `${tableName(table)} sends the replies to ${c.sourceIp} by ${routeText(r)}, not ${c.kind === 'internet' ? 'an internet gateway' : 'the local route'}`;
    },
    rule: (c) => routeText(c.returnRoute(routeTableOf(c.layout, c.subnet))),
  },
  {
    hop: 'source-acl-in',
    from: ['instance'],
    ok: (c) => sourceAclIn(c).allow,
    detail: (c, ok) =>
      `${aclName(networkAclOf(c.from!.layout, c.from!.subnet))} ${ok ? 'lets' : 'does not let'} the replies in to ${c.from!.eni.privateIp}'s ephemeral ports ${portsText(c.clientPorts)}`,
    rule: (c) => aclEntryText(sourceAclIn(c).rule),
  },
];

function sourceAclOut(c: PathContext): AclDecision {
  return aclDecision(networkAclOf(c.from!.layout, c.from!.subnet).outbound, c.protocol, [c.port, c.port], targetIp(c));
}

function sourceAclIn(c: PathContext): AclDecision {
  return aclDecision(networkAclOf(c.from!.layout, c.from!.subnet).inbound, c.protocol, c.clientPorts, targetIp(c));
}

const vpcText = (layout: VpcLayout) => (layout.name ? `${layout.id} (${layout.name})` : layout.id);

const instanceLabelOf = (inst: Instance) => (inst.name ? `${inst.id} (${inst.name})` : inst.id);

/** The model's announced block a public address belongs to, e.g. 54.0.0.0/8. */
const publicBlock = (ip: string) => `${ip.split('.')[0]}.0.0.0/8`;

const HOPS: Record<SourceKind, readonly HopRule[]> = {
  internet: PATH.filter((h) => h.from.includes('internet')),
  vpc: PATH.filter((h) => h.from.includes('vpc')),
  instance: PATH.filter((h) => h.from.includes('instance')),
};

/** Where traffic from `source` starts: another instance, an address in the VPC, or the internet. */
function sourceOf(
  world: World,
  layout: VpcLayout,
  source: string | Instance,
  place: (eni: NetworkInterface) => { layout: VpcLayout; subnet: Subnet },
): { kind: SourceKind; ip: string; from: PathContext['from'] } {
  if (typeof source !== 'string') {
    const eni = world.enis[source.eniId]!;
    return { kind: 'instance', ip: eni.privateIp, from: { instance: source, eni, ...place(eni) } };
  }
  // A private workload's clients sit inside whichever VPC the member is in.
  const ip = source === VPC_CLIENT ? vpcClientAddress(layout) : source;
  const n = addressOf(world, ip);
  return { kind: n !== null && cidrMatches(world, layout.cidr, n) ? 'vpc' : 'internet', ip, from: null };
}

/**
 * Clients inside the VPC, for workloads that are not public: an application tier's address in the
 * default VPC, standing for the client inside each member's VPC (vpcClientAddress).
 */
export const VPC_CLIENT = '10.0.255.10';

/**
 * One question (this protocol and port, from this source) asked of one instance or many: for
 * each interface, the context of its VPC (drawn once per VPC) with the interface and its subnet
 * in place, and the hops the question crosses.
 */
function pathContexts(
  world: World,
  protocol: string,
  port: number,
  source: string | Instance,
  memo: boolean,
): (eni: NetworkInterface) => { context: PathContext; hops: readonly HopRule[] } {
  const place = placeFinder(world);
  const byVpc = new Map<VpcLayout, { context: PathContext; hops: readonly HopRule[] }>();
  return (eni) => {
    const { layout, subnet } = place(eni);
    let entry = byVpc.get(layout);
    if (!entry) byVpc.set(layout, (entry = pathContext(world, layout, protocol, port, source, memo, place)));
    entry.context.eni = eni;
    entry.context.subnet = subnet;
    entry.context.address = eni.privateIp;
    return entry;
  };
}

/** The question asked inside one VPC. */
function pathContext(
  world: World,
  layout: VpcLayout,
  protocol: string,
  port: number,
  source: string | Instance,
  memo: boolean,
  place: (eni: NetworkInterface) => { layout: VpcLayout; subnet: Subnet },
): { context: PathContext; hops: readonly HopRule[] } {
  const { kind, ip, from } = sourceOf(world, layout, source, place);
  const address = addressOf(world, ip);
  const clientPorts = kind === 'internet' ? EPHEMERAL_PORTS.internet : EPHEMERAL_PORTS.linux;
  // Asked of many instances, each group, ACL and table is read once: nothing changes them meanwhile.
  const cached = <K, V>(f: (k: K) => V): ((k: K) => V) => {
    if (!memo) return f;
    const seen = new Map<K, V>();
    return (k) => {
      // One look for a key seen before, asked of each of a region's instances (no answer is undefined).
      let v = seen.get(k);
      if (v === undefined) seen.set(k, (v = f(k)));
      return v;
    };
  };
  const context: PathContext = {
    world,
    layout,
    instance: null!,
    eni: null!,
    address: '',
    subnet: null!,
    protocol,
    port,
    sourceIp: ip,
    source: address,
    kind,
    from,
    clientPorts,
    allows: cached((id: string) => groupAllows(world, id, protocol, port, address)),
    aclIn: cached((acl: NetworkAcl) =>
      address === null ? { allow: false, rule: null, port } : aclDecision(acl.inbound, protocol, [port, port], address),
    ),
    aclOut: cached((acl: NetworkAcl) =>
      address === null
        ? { allow: false, rule: null, port: clientPorts[0] }
        : aclDecision(acl.outbound, protocol, clientPorts, address),
    ),
    returnRoute: cached((table: RouteTable) => (address === null ? null : routeFor(table, address))),
  };
  return { context, hops: HOPS[kind] };
}

/**
 * Follows a packet from a client (an internet address, an address inside the VPC, or another
 * instance) to the instance's guest and the reply back, hop by hop, stopping at the first hop
 * that drops it. Each hop says what it did and the rule that decided. Inside AWS no hop answers
 * ICMP TTL-exceeded: a traceroute shows `* * *` past the exchange.
 */
export function tracePath(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  source: string | Instance = INTERNET_CLIENT,
  eni: NetworkInterface = world.enis[instance.eniId]!,
  address: string = eni.privateIp,
): HopResult[] {
  const { context, hops } = pathContexts(world, protocol, port, source, false)(eni);
  context.instance = instance;
  context.address = address;
  const results: HopResult[] = [];
  for (const rule of hops) {
    const ok = rule.ok(context);
    results.push({ hop: rule.hop, ok, detail: rule.detail(context, ok), rule: rule.rule?.(context) ?? null });
    if (!ok) break;
  }
  return results;
}

export interface InterfacePath {
  eni: NetworkInterface;
  hops: HopResult[];
}

/**
 * The path to each of an instance's interfaces, and the one that speaks for it: the first that is
 * open (clients reach an instance by any interface), else the one the packet gets furthest into,
 * the lower device index on a tie.
 */
export function instancePaths(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  source: string | Instance = INTERNET_CLIENT,
): { best: InterfacePath; all: InterfacePath[] } {
  const all = interfacesOf(world, instance).map((eni) => ({
    eni,
    hops: tracePath(world, instance, protocol, port, source, eni),
  }));
  const open = (p: InterfacePath) => p.hops.every((h) => h.ok);
  const best = [...all].sort((a, b) => Number(open(b)) - Number(open(a)) || b.hops.length - a.hops.length)[0]!;
  return { best, all };
}

export function reachable(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  sourceIp = INTERNET_CLIENT,
): boolean {
  return reachability(world, protocol, port, sourceIp)(instance);
}

/**
 * reachable() for many instances from the same client to the same port, as a workload asks of its
 * members every second: the path is worked out once and one context serves every instance.
 */
export function reachability(
  world: World,
  protocol: string,
  port: number,
  sourceIp = INTERNET_CLIENT,
): (instance: Instance) => boolean {
  const contextOf = pathContexts(world, protocol, port, sourceIp, true);
  let instance: Instance;
  const passes = (eni: NetworkInterface) => {
    const { context, hops } = contextOf(eni);
    context.instance = instance;
    for (const rule of hops) if (!rule.ok(context)) return false;
    return true;
  };
  // Clients reach an instance by any of its interfaces: the guest answers on each.
  return (inst) => {
    instance = inst;
    if (passes(world.enis[inst.eniId]!)) return true;
    // Most instances have no secondary interface: no empty list is made for each.
    const secondary = inst.secondaryEniIds;
    if (secondary) for (const id of secondary) if (passes(world.enis[id]!)) return true;
    return false;
  };
}

/**
 * The attached interface holding `ip` as its primary or a secondary private address in `layout`
 * (any VPC when absent), or undefined: an address names a host only inside its VPC.
 */
export function interfaceHolding(world: World, ip: string, layout?: VpcLayout): NetworkInterface | undefined {
  const place = layout && placeFinder(world);
  for (const id in world.enis) {
    const eni = world.enis[id]!;
    if (eni.instanceId === null) continue;
    if (eni.privateIp !== ip && !eni.secondaryIps?.some((s) => s.privateIp === ip)) continue;
    if (!place || place(eni).layout === layout) return eni;
  }
  return undefined;
}

/** An instance's interfaces by device index: the primary first, then those attached to it. */
export function interfacesOf(world: World, inst: Instance): NetworkInterface[] {
  const primary = world.enis[inst.eniId]!;
  return inst.secondaryEniIds?.length ? [primary, ...inst.secondaryEniIds.map((id) => world.enis[id]!)] : [primary];
}
