// Network interfaces beyond the primary: created in a subnet, attached to an instance in the same
// zone up to its type's limit, detached and deleted (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html).
// The primary interface (device 0) comes and goes with its instance; an Elastic IP belongs to one
// interface and stays with it through attach and detach.
import { touchInstance } from './changes.js';
import { quoted } from './commands/echo.js';
import limitsData from './data/network-interfaces.json' with { type: 'json' };
import { refuse } from './errors.js';
import { createEni, disassociateAddress, elasticIpsOf, interfacesOf, nextPrivateIp } from './network.js';
import { remove } from './tables.js';
import type { Instance, NetworkInterface, World } from './types.js';
import { checkGroupsInVpc, findAnySubnet, launchSubnet, layoutOf, vpcIdsText } from './vpc.js';

const LIMITS = (limitsData as { types: Record<string, { interfaces: number; ipv4PerInterface: number }> }).types;

/** The most interfaces an instance of `type` (one of the catalogue's) can have attached, its primary included. */
export function interfaceLimit(type: string): number {
  return LIMITS[type]!.interfaces;
}

/**
 * The most private IPv4 addresses one interface can hold on an instance of `type`, its primary
 * address included (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html).
 */
export function ipv4Limit(type: string): number {
  return LIMITS[type]!.ipv4PerInterface;
}

/** The largest per-interface limit of any type: the bound on one request for addresses. */
export const MAX_IPV4_PER_INTERFACE = Math.max(...Object.values(LIMITS).map((l) => l.ipv4PerInterface));

/** Every private IPv4 address of an interface: its primary, then its secondaries in the order assigned. */
export const privateIpsOf = (eni: NetworkInterface): string[] => [
  eni.privateIp,
  ...(eni.secondaryIps ?? []).map((s) => s.privateIp),
];

/**
 * Each public IPv4 address of an interface with the private address it maps to: the primary's
 * (auto-assigned or Elastic), then each secondary address's Elastic IP, as [public, private].
 */
export const publicAssociationsOf = (eni: NetworkInterface): [publicIp: string, privateIp: string][] => [
  ...(eni.publicIp !== null ? [[eni.publicIp, eni.privateIp] as [string, string]] : []),
  ...(eni.secondaryIps ?? []).flatMap((s) => (s.publicIp ? [[s.publicIp, s.privateIp] as [string, string]] : [])),
];

/** The catalogue's types the interface table has no row for: none, as a test holds it. */
export const typesWithoutInterfaceLimits = (types: Iterable<string>) => [...types].filter((t) => !LIMITS[t]);

/** `eth1` for device 1: how the guest names an interface. */
export const deviceName = (eni: NetworkInterface) => `eth${eni.deviceIndex ?? 0}`;

/**
 * A new interface in a subnet (id or name; in the default VPC, the zone's default subnet by the
 * zone's name or id), not attached to anything: `available`.
 */
export function createInterface(world: World, subnetRef: string, securityGroupIds: string[]): NetworkInterface {
  const layout = layoutOf(world);
  const subnet =
    findAnySubnet(world, subnetRef) ??
    Object.values(layout.subnets).find(
      (s) =>
        s.defaultForAz &&
        (s.zoneId === subnetRef || world.zones.some((z) => z.name === subnetRef && z.zoneId === s.zoneId)),
    ) ??
    refuse('InvalidSubnetID.NotFound', `no subnet ${subnetRef} in ${vpcIdsText(world)}`);
  const inSubnet = launchSubnet(world, subnet.zoneId, subnet.id, 1);
  checkGroupsInVpc(world, inSubnet, securityGroupIds);
  return createEni(world, null, subnet.zoneId, securityGroupIds, false, inSubnet);
}

/** Attaches an available interface at `deviceIndex` (default: the next free one). */
export function attachInterface(
  world: World,
  eni: NetworkInterface,
  inst: Instance,
  deviceIndex: number | null,
): number {
  if (eni.instanceId !== null)
    refuse('InvalidNetworkInterface.InUse', `${eni.id} is attached to ${eni.instanceId}; detach it first`);
  if (inst.state !== 'running' && inst.state !== 'stopped')
    refuse('IncorrectInstanceState', `${inst.id} is ${inst.state}: interfaces attach to running or stopped instances`);
  if (eni.zoneId !== inst.zoneId)
    refuse(
      'InvalidParameterCombination',
      `${eni.id} is in ${eni.zoneId} and ${inst.id} in ${inst.zoneId}: they must share a zone`,
    );
  const attached = interfacesOf(world, inst);
  const limit = interfaceLimit(inst.type);
  const addresses = privateIpsOf(eni).length;
  if (addresses > ipv4Limit(inst.type))
    refuse(
      'PrivateIpAddressLimitExceeded',
      `${eni.id} holds ${addresses} private addresses; an interface on ${inst.type} takes at most ${ipv4Limit(inst.type)}`,
    );
  if (attached.length >= limit)
    refuse(
      'AttachmentLimitExceeded',
      `${inst.type} takes at most ${limit} network interfaces; ${inst.id} has ${attached.length}`,
    );
  const used = new Set(attached.map((e) => e.deviceIndex ?? 0));
  const index = deviceIndex ?? [...Array(limit).keys()].find((i) => !used.has(i))!;
  if (used.has(index)) refuse('InvalidParameterValue', `${inst.id} already has an interface at device index ${index}`);
  if (index >= limit)
    refuse('InvalidParameterValue', `device index ${index} is past ${inst.type}'s ${limit} interfaces`);
  eni.instanceId = inst.id;
  eni.deviceIndex = index;
  inst.secondaryEniIds = [...(inst.secondaryEniIds ?? []), eni.id].sort(
    (a, b) => (world.enis[a]!.deviceIndex ?? 0) - (world.enis[b]!.deviceIndex ?? 0),
  );
  touchInstance(world, inst);
  return index;
}

/** Detaches a secondary interface; the primary stays with its instance (OperationNotPermitted). */
export function detachInterface(world: World, eni: NetworkInterface): Instance {
  if (eni.instanceId === null) refuse('IncorrectState', `${eni.id} is not attached`);
  const inst = world.instances[eni.instanceId]!;
  if (inst.eniId === eni.id)
    refuse('OperationNotPermitted', `${eni.id} is ${inst.id}'s primary interface (eth0): it cannot be detached`);
  inst.secondaryEniIds = inst.secondaryEniIds!.filter((id) => id !== eni.id);
  if (inst.secondaryEniIds.length === 0) delete inst.secondaryEniIds;
  eni.instanceId = null;
  delete eni.deviceIndex;
  touchInstance(world, inst);
  return inst;
}

/**
 * Gives an interface `count` more private addresses from its subnet, as EC2's
 * AssignPrivateIpAddresses with SecondaryPrivateIpAddressCount does. Attached, it may hold no more
 * than its instance's type allows per interface (PrivateIpAddressLimitExceeded); refused with
 * InsufficientFreeAddressesInSubnet, and nothing assigned, when the subnet runs out.
 * Returns the new addresses.
 */
export function assignPrivateIps(world: World, eni: NetworkInterface, count: number): string[] {
  const inst = eni.instanceId === null ? undefined : world.instances[eni.instanceId]!;
  const held = privateIpsOf(eni).length;
  if (inst && held + count > ipv4Limit(inst.type))
    refuse(
      'PrivateIpAddressLimitExceeded',
      `${eni.id} holds ${held} private addresses; an interface on ${inst.type} takes at most ${ipv4Limit(inst.type)}`,
    );
  // Checked for room first, so a refusal hands out nothing.
  const subnet = launchSubnet(world, eni.zoneId, eni.subnetId ?? null, count);
  const added: string[] = [];
  for (let i = 0; i < count; i++) {
    const ip = nextPrivateIp(world, eni.zoneId, subnet);
    if (ip === null) refuse('InsufficientFreeAddressesInSubnet', `the subnet of ${eni.id} has no free address`);
    added.push(ip);
  }
  eni.secondaryIps = [...(eni.secondaryIps ?? []), ...added.map((privateIp) => ({ privateIp }))];
  if (inst) touchInstance(world, inst);
  return added;
}

/**
 * Takes secondary private addresses off an interface, as EC2's UnassignPrivateIpAddresses does;
 * an Elastic IP mapped to one is disassociated first. The primary address stays with its interface
 * (InvalidParameterValue), as does any address the interface does not hold.
 */
export function unassignPrivateIps(world: World, eni: NetworkInterface, addresses: readonly string[]): void {
  for (const ip of addresses) {
    if (ip === eni.privateIp)
      refuse('InvalidParameterValue', `${ip} is ${eni.id}'s primary private address: it cannot be unassigned`);
    if (!eni.secondaryIps?.some((s) => s.privateIp === ip))
      refuse('InvalidParameterValue', `${ip} is not a secondary private address of ${eni.id}`);
  }
  for (const { privateIp } of elasticIpsOf(eni))
    if (addresses.includes(privateIp)) disassociateAddress(world, eni, privateIp);
  eni.secondaryIps = eni.secondaryIps!.filter((s) => !addresses.includes(s.privateIp));
  if (eni.secondaryIps.length === 0) delete eni.secondaryIps;
  if (eni.instanceId !== null) touchInstance(world, world.instances[eni.instanceId]!);
}

/** Deletes an available interface; one with an Elastic IP keeps it until it is disassociated. */
export function deleteInterface(world: World, eni: NetworkInterface): void {
  if (eni.instanceId !== null) refuse('InvalidNetworkInterface.InUse', `${eni.id} is attached to ${eni.instanceId}`);
  const held = elasticIpsOf(eni)[0];
  if (held)
    refuse('InvalidNetworkInterface.InUse', `${eni.id} holds Elastic IP ${held.allocationId}: disassociate it first`);
  remove(world, 'enis', eni.id);
}

/** An interface by id (or unique prefix of at least 8 characters), or the device of an instance: `eth1`. */
export function resolveInterface(world: World, ref: string, inst?: Instance): NetworkInterface {
  if (inst && /^eth\d+$/.test(ref)) {
    const found = interfacesOf(world, inst).find((e) => deviceName(e) === ref);
    return found ?? refuse('InvalidNetworkInterfaceID.NotFound', `${inst.id} has no ${ref}`);
  }
  const exact = world.enis[ref];
  if (exact) return exact;
  const matches = ref.length >= 8 ? Object.keys(world.enis).filter((id) => id.startsWith(ref)) : [];
  if (matches.length === 1) return world.enis[matches[0]!]!;
  return refuse('InvalidNetworkInterfaceID.NotFound', `no network interface matches ${quoted(ref)}`);
}
