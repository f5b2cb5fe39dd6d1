// ENIs, addresses and security groups, and the packet path the seeds describe:
// internet -> AWS edge -> the host's Nitro card -> ENI (found by MAC) -> security group -> guest.
import { setAddress } from './billing.js';
import { refuse } from './errors.js';
import { macAddress, newId, nextCounter } from './ids.js';
import { drawInt } from './rng.js';
import { insert } from './tables.js';
import type { Instance, NetworkInterface, SecurityGroupRule, World } from './types.js';

/** First octets of blocks AWS announces over BGP; public addresses are drawn from these. */
const PUBLIC_BLOCKS = [3, 18, 34, 35, 44, 52, 54];

export function ipToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

export function parseCidr(cidr: string): { base: number; bits: number } | null {
  const [ip, bitsText] = cidr.split('/');
  const base = ipToNumber(ip ?? '');
  const bits = Number(bitsText);
  if (base === null || !/^\d{1,2}$/.test(bitsText ?? '') || bits > 32) return null;
  return { base, bits };
}

/** The public address space modelled: 2^24 addresses in each of the blocks above. */
const PUBLIC_SPACE = PUBLIC_BLOCKS.length * 2 ** 24;
/** Odd and not a multiple of 7, so n -> n * STRIDE mod PUBLIC_SPACE visits every address once. */
const STRIDE = 2654435761;

/**
 * A public address never handed out before in this world. Addresses are a fixed permutation of
 * the space walked by a counter, offset by the world's seeded stream: unique by construction, so
 * no table of used addresses is kept or searched.
 */
export function newPublicIp(world: World): string {
  const offset = (world.counters['public-ip-offset'] ??= drawInt(world, 'ips', PUBLIC_SPACE));
  for (;;) {
    const n = nextCounter(world, 'public-ip');
    const index = (Number((BigInt(n) * BigInt(STRIDE)) % BigInt(PUBLIC_SPACE)) + offset) % PUBLIC_SPACE;
    const host = index % 2 ** 24;
    // Skip network- and broadcast-looking last octets.
    if (host % 256 === 0 || host % 256 === 255) continue;
    return `${PUBLIC_BLOCKS[Math.floor(index / 2 ** 24)]}.${host >>> 16}.${(host >>> 8) & 255}.${host & 255}`;
  }
}

/**
 * Private addresses come from the zone's /20 subnet in the VPC (10.0.16z.0/20), skipping AWS's
 * reserved first four. Fleets too large for one subnet spill into further ranges of 10.0.0.0/8.
 */
function newPrivateIp(world: World, zoneId: string): string {
  const zoneIndex = world.zones.findIndex((z) => z.zoneId === zoneId);
  const n = nextCounter(world, `ip:${zoneId}`) + 3;
  const offset = n < 4096 ? zoneIndex * 4096 + n : (1 + zoneIndex) * 65536 * 4 + n;
  return `10.${offset >>> 16}.${(offset >>> 8) & 255}.${offset & 255}`;
}

export function createEni(
  world: World,
  instanceId: string,
  zoneId: string,
  securityGroupIds: string[],
  assignPublicIp: boolean,
): NetworkInterface {
  const eni: NetworkInterface = {
    id: newId(world, 'eni', (id) => id in world.enis),
    instanceId,
    zoneId,
    mac: macAddress(world),
    privateIp: newPrivateIp(world, zoneId),
    publicIp: null,
    assignPublicIp,
    allocationId: null,
    securityGroupIds,
  };
  insert(world.enis, eni.id, eni);
  return eni;
}

/** Gives a starting instance its public address: the Elastic IP if one is associated, else a new one. */
export function assignAddressOnStart(world: World, eni: NetworkInterface): void {
  if (eni.allocationId) setAddress(world, eni, { publicIp: world.elasticIps[eni.allocationId]!.publicIp });
  else if (eni.assignPublicIp) setAddress(world, eni, { publicIp: newPublicIp(world) });
}

/** A stopped or terminated instance gives its auto-assigned public address back; an Elastic IP stays. */
export function releaseAddressOnStop(world: World, eni: NetworkInterface): void {
  if (!eni.allocationId) setAddress(world, eni, { publicIp: null });
}

export function allocateAddress(world: World): string {
  const allocationId = newId(world, 'eipalloc', (id) => id in world.elasticIps);
  insert(world.elasticIps, allocationId, { allocationId, publicIp: newPublicIp(world), eniId: null });
  return allocationId;
}

export function associateAddress(world: World, instance: Instance, allocationId: string): void {
  const eip = world.elasticIps[allocationId];
  if (!eip) refuse('InvalidAllocationID.NotFound', `no Elastic IP allocation ${allocationId}`);
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
  }
  const eni = world.enis[instance.eniId]!;
  if (eip.eniId && eip.eniId !== eni.id) dropElasticIp(world, world.enis[eip.eniId]!);
  if (eni.allocationId && eni.allocationId !== allocationId) world.elasticIps[eni.allocationId]!.eniId = null;
  eip.eniId = eni.id;
  // An Elastic IP belongs to the interface whatever the instance's state, so a stopped one shows it too.
  setAddress(world, eni, { allocationId, publicIp: eip.publicIp });
}

export function disassociateAddress(world: World, instance: Instance): string {
  const eni = world.enis[instance.eniId]!;
  if (!eni.allocationId) refuse('InvalidAssociationID.NotFound', `${instance.id} has no Elastic IP`);
  const allocationId = eni.allocationId;
  dropElasticIp(world, eni);
  return allocationId;
}

/** Takes an interface's Elastic IP away, whether disassociated or moved to another instance. */
function dropElasticIp(world: World, eni: NetworkInterface): void {
  world.elasticIps[eni.allocationId!]!.eniId = null;
  // EC2 gives the instance a fresh auto-assigned address if its subnet assigns them.
  setAddress(world, eni, {
    allocationId: null,
    publicIp: eni.assignPublicIp && world.instances[eni.instanceId]!.state === 'running' ? newPublicIp(world) : null,
  });
}

// Parsed CIDRs, keyed by the text: rules are checked every tick for every serving instance.
const cidrCache = new Map<string, { base: number; bits: number } | null>();

function cidrMatches(cidr: string, addr: number): boolean {
  let range = cidrCache.get(cidr);
  if (range === undefined) cidrCache.set(cidr, (range = parseCidr(cidr)));
  if (!range) return false;
  const size = 2 ** (32 - range.bits);
  return Math.floor(addr / size) === Math.floor(range.base / size);
}

function ruleAllowsAddress(rule: SecurityGroupRule, protocol: string, port: number, source: number): boolean {
  const protocolOk = rule.protocol === 'all' || rule.protocol === protocol;
  const portOk = rule.protocol === 'all' || rule.protocol === 'icmp' || (port >= rule.fromPort && port <= rule.toPort);
  return protocolOk && portOk && cidrMatches(rule.cidr, source);
}

// Clients come from a handful of addresses, checked every tick for every serving instance.
const addressCache = new Map<string, number | null>();

function addressOf(ip: string): number | null {
  let n = addressCache.get(ip);
  if (n === undefined) {
    n = ipToNumber(ip);
    if (addressCache.size < 1024) addressCache.set(ip, n);
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
  const source = addressOf(sourceIp);
  return eni.securityGroupIds.some((id) => groupAllows(world, id, protocol, port, source));
}

function groupAllows(world: World, id: string, protocol: string, port: number, source: number | null): boolean {
  return (
    source !== null && world.securityGroups[id]!.ingress.some((rule) => ruleAllowsAddress(rule, protocol, port, source))
  );
}

export type Hop = 'internet' | 'edge' | 'nitro-card' | 'eni' | 'security-group' | 'guest';

export interface HopResult {
  hop: Hop;
  ok: boolean;
  detail: string;
}

export const VPC_CIDR = '10.0.0.0/16';

/** An address outside AWS that internet clients are modelled as coming from (TEST-NET-3). */
export const INTERNET_CLIENT = '203.0.113.10';

interface PathContext {
  world: World;
  instance: Instance;
  eni: NetworkInterface;
  protocol: string;
  port: number;
  sourceIp: string;
  /** sourceIp as a number, or null when it is not an address. */
  source: number | null;
  /** Whether one security group lets this traffic in. */
  allows: (groupId: string) => boolean;
}

interface HopRule {
  hop: Hop;
  /** Only traffic from outside the VPC crosses this hop. */
  external: boolean;
  ok: (c: PathContext) => boolean;
  detail: (c: PathContext, ok: boolean) => string;
}

const zoneOf = (c: PathContext) => c.world.zones.find((z) => z.zoneId === c.instance.zoneId)!;
const hostOf = (c: PathContext) => (c.instance.hostId ? c.world.hosts[c.instance.hostId] : undefined);

/** The path the seeds trace, in order. One table serves both the quick check and the explanation. */
const PATH: readonly HopRule[] = [
  {
    hop: 'internet',
    external: true,
    ok: (c) => c.eni.publicIp !== null,
    detail: (c) =>
      c.eni.publicIp ? `routes to ${c.eni.publicIp} over BGP` : 'no public IPv4 address: nothing routes to it',
  },
  {
    hop: 'edge',
    external: true,
    ok: (c) => !zoneOf(c).impaired,
    detail: (c, ok) =>
      ok ? 'AWS edge maps the public address to the private one' : `${c.instance.zoneId} is impaired`,
  },
  {
    hop: 'nitro-card',
    external: false,
    ok: (c) => {
      const host = hostOf(c);
      return c.instance.state === 'running' && host !== undefined && host.health !== 'failed';
    },
    detail: (c, ok) => (ok ? `host ${hostOf(c)!.id}` : 'no healthy host holds the running instance'),
  },
  { hop: 'eni', external: false, ok: () => true, detail: (c) => `ENI ${c.eni.id} found by MAC ${c.eni.mac}` },
  {
    hop: 'security-group',
    external: false,
    ok: (c) => c.eni.securityGroupIds.some(c.allows),
    detail: (c, ok) =>
      `${c.eni.securityGroupIds.join(', ')} ${ok ? 'allow' : 'do not allow'} ${c.protocol}/${c.port} from ${c.sourceIp}`,
  },
  {
    hop: 'guest',
    external: false,
    ok: (c) => c.instance.guestHealthy && c.instance.guestRestartUntil === null,
    detail: (c, ok) =>
      ok
        ? 'guest accepts the connection'
        : c.instance.guestRestartUntil !== null
          ? 'guest OS is restarting'
          : 'guest OS is not responding',
  },
];

/** Traffic from inside the VPC never crosses the internet or the edge. */
const VPC_PATH = PATH.filter((h) => !h.external);

const hopsFrom = (source: number | null) => (source !== null && cidrMatches(VPC_CIDR, source) ? VPC_PATH : PATH);

function pathFor(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  sourceIp: string,
): { context: PathContext; hops: readonly HopRule[] } {
  const source = addressOf(sourceIp);
  const allows = (id: string) => groupAllows(world, id, protocol, port, source);
  return {
    context: { world, instance, eni: world.enis[instance.eniId]!, protocol, port, sourceIp, source, allows },
    hops: hopsFrom(source),
  };
}

/**
 * Follows a packet from a client (on the internet, or inside the VPC) to the instance's guest,
 * hop by hop, stopping at the first hop that drops it. Inside AWS no hop answers ICMP
 * TTL-exceeded: a traceroute shows `* * *` past the edge.
 */
export function tracePath(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  sourceIp = INTERNET_CLIENT,
): HopResult[] {
  const { context, hops } = pathFor(world, instance, protocol, port, sourceIp);
  const results: HopResult[] = [];
  for (const rule of hops) {
    const ok = rule.ok(context);
    results.push({ hop: rule.hop, ok, detail: rule.detail(context, ok) });
    if (!ok) break;
  }
  return results;
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
  const source = addressOf(sourceIp);
  const hops = hopsFrom(source);
  // Fleets share a few security groups: each group's rules are read once, not once per instance.
  // Nothing changes a group while one question is being asked of many instances.
  const verdicts = new Map<string, boolean>();
  const allows = (id: string) => {
    let allowed = verdicts.get(id);
    if (allowed === undefined) verdicts.set(id, (allowed = groupAllows(world, id, protocol, port, source)));
    return allowed;
  };
  const context: PathContext = { world, instance: null!, eni: null!, protocol, port, sourceIp, source, allows };
  return (instance) => {
    context.instance = instance;
    context.eni = world.enis[instance.eniId]!;
    for (const rule of hops) if (!rule.ok(context)) return false;
    return true;
  };
}
