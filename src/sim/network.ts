// ENIs, addresses and security groups, and the packet path the seeds describe:
// internet -> AWS edge -> the host's Nitro card -> ENI (found by MAC) -> security group -> guest.
import { refuse } from './errors.js';
import { macAddress, newId, nextCounter } from './ids.js';
import { drawInt } from './rng.js';
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

export function cidrContains(cidr: string, ip: string): boolean {
  const range = parseCidr(cidr);
  const addr = ipToNumber(ip);
  if (!range || addr === null) return false;
  const size = 2 ** (32 - range.bits);
  return Math.floor(addr / size) === Math.floor(range.base / size);
}

function usedPublicIps(world: World): Set<string> {
  const used = new Set<string>();
  for (const id in world.enis) {
    const ip = world.enis[id]!.publicIp;
    if (ip) used.add(ip);
  }
  for (const id in world.elasticIps) used.add(world.elasticIps[id]!.publicIp);
  return used;
}

export function newPublicIp(world: World): string {
  const used = usedPublicIps(world);
  for (;;) {
    const first = PUBLIC_BLOCKS[drawInt(world, 'ips', PUBLIC_BLOCKS.length)]!;
    const ip = `${first}.${drawInt(world, 'ips', 256)}.${drawInt(world, 'ips', 256)}.${1 + drawInt(world, 'ips', 254)}`;
    if (!used.has(ip)) return ip;
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
  world.enis[eni.id] = eni;
  return eni;
}

/** Gives a starting instance its public address: the Elastic IP if one is associated, else a new one. */
export function assignAddressOnStart(world: World, eni: NetworkInterface): void {
  if (eni.allocationId) eni.publicIp = world.elasticIps[eni.allocationId]!.publicIp;
  else if (eni.assignPublicIp) eni.publicIp = newPublicIp(world);
}

/** A stopped or terminated instance gives its auto-assigned public address back; an Elastic IP stays. */
export function releaseAddressOnStop(eni: NetworkInterface): void {
  if (!eni.allocationId) eni.publicIp = null;
}

export function allocateAddress(world: World): string {
  const allocationId = newId(world, 'eipalloc', (id) => id in world.elasticIps);
  world.elasticIps[allocationId] = { allocationId, publicIp: newPublicIp(world), eniId: null };
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
  eni.allocationId = allocationId;
  eni.publicIp = instance.state === 'stopped' ? null : eip.publicIp;
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
  eni.allocationId = null;
  // EC2 gives the instance a fresh auto-assigned address if its subnet assigns them.
  eni.publicIp = eni.assignPublicIp && world.instances[eni.instanceId]!.state === 'running' ? newPublicIp(world) : null;
}

export function ruleAllows(rule: SecurityGroupRule, protocol: string, port: number, sourceIp: string): boolean {
  const protocolOk = rule.protocol === 'all' || rule.protocol === protocol;
  const portOk = rule.protocol === 'all' || rule.protocol === 'icmp' || (port >= rule.fromPort && port <= rule.toPort);
  return protocolOk && portOk && cidrContains(rule.cidr, sourceIp);
}

/** Security groups allow only; stateful, so the reply to an allowed request is always let out. */
export function securityGroupsAllow(world: World, eni: NetworkInterface, protocol: string, port: number, sourceIp: string): boolean {
  return eni.securityGroupIds.some((id) =>
    world.securityGroups[id]!.ingress.some((rule) => ruleAllows(rule, protocol, port, sourceIp)),
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

/**
 * Follows a packet from a client (on the internet, or inside the VPC) to the instance's guest,
 * hop by hop, stopping at the first hop that drops it. Inside AWS no hop answers ICMP TTL-exceeded: a traceroute shows `* * *`.
 */
export function tracePath(world: World, instance: Instance, protocol: string, port: number, sourceIp = INTERNET_CLIENT): HopResult[] {
  const eni = world.enis[instance.eniId]!;
  const zone = world.zones.find((z) => z.zoneId === instance.zoneId)!;
  const host = instance.hostId ? world.hosts[instance.hostId] : undefined;
  const allowed = securityGroupsAllow(world, eni, protocol, port, sourceIp);
  const checks: [Hop, boolean, string][] = [
    ['internet', eni.publicIp !== null, eni.publicIp ? `routes to ${eni.publicIp} over BGP` : 'no public IPv4 address: nothing routes to it'],
    ['edge', !zone.impaired, zone.impaired ? `${zone.zoneId} is impaired` : 'AWS edge maps the public address to the private one'],
    [
      'nitro-card',
      instance.state === 'running' && host !== undefined && host.health !== 'failed',
      host && host.health !== 'failed' ? `host ${host.id}` : 'no healthy host holds the instance',
    ],
    ['eni', true, `ENI ${eni.id} found by MAC ${eni.mac}`],
    [
      'security-group',
      allowed,
      `${eni.securityGroupIds.join(', ')} ${allowed ? 'allow' : 'do not allow'} ${protocol}/${port} from ${sourceIp}`,
    ],
    ['guest', instance.guestHealthy, instance.guestHealthy ? 'guest accepts the connection' : 'guest OS is not responding'],
  ];
  // Traffic from inside the VPC never crosses the internet or the edge.
  const path = cidrContains(VPC_CIDR, sourceIp) ? checks.slice(2) : checks;
  const hops: HopResult[] = [];
  for (const [hop, ok, detail] of path) {
    hops.push({ hop, ok, detail });
    if (!ok) break;
  }
  return hops;
}

export function reachable(world: World, instance: Instance, protocol: string, port: number, sourceIp?: string): boolean {
  return tracePath(world, instance, protocol, port, sourceIp).every((h) => h.ok);
}
