// The scheduler: which host an instance lands on. It honours type (the host's hardware family),
// zone, free vCPU and memory, host health and placement-group rules, and fails with EC2's
// InsufficientInstanceCapacity when no host fits.
import type { InstanceTypeSpec } from './catalogue.js';
import { touchInstance } from './changes.js';
import { derived, derivedKind } from './derived.js';
import { refuse } from './errors.js';
import type { Host, Instance, PlacementGroup, World } from './types.js';
import { rows } from './tables.js';

/** Running instances per zone a rack-level spread group may hold. */
export const SPREAD_LIMIT_PER_ZONE = 7;
export const MAX_PARTITIONS = 7;

/**
 * Hosts of one family in one zone, in id order, with a scan start: every host before `open` is
 * closed (no free vCPU or no free memory), so nothing can fit there and a search may begin at it.
 * Hosts never change after the world is built; `open` only ever needs lowering when a host frees
 * capacity, which `vacate` does.
 */
interface HostList {
  hosts: Host[];
  position: Map<string, number>;
  open: number;
}

/**
 * Host lists by zone, then family, kept with the world's derived data: a launch asks for one for
 * each instance it places, and a key joined from the two would be a new string to hash each time.
 */
const HOST_LISTS = derivedKind('host lists', (world) => {
  const lists = new Map<string, Map<string, HostList>>();
  for (const id of Object.keys(world.hosts).sort()) {
    const host = world.hosts[id]!;
    let families = lists.get(host.zoneId);
    if (!families) lists.set(host.zoneId, (families = new Map()));
    let list = families.get(host.family);
    if (!list) families.set(host.family, (list = { hosts: [], position: new Map(), open: 0 }));
    list.position.set(host.id, list.hosts.length);
    list.hosts.push(host);
  }
  return lists;
});

function hostList(world: World, zoneId: string, family: string): HostList {
  return derived(world, HOST_LISTS).get(zoneId)?.get(family) ?? { hosts: [], position: new Map(), open: 0 };
}

export function hostsOf(world: World, zoneId: string, family: string): readonly Host[] {
  return hostList(world, zoneId, family).hosts;
}

const closed = (h: Host) => h.usedVcpu >= h.vcpu || h.usedMemoryMiB >= h.memoryMiB;

/** Whether one more instance fits on the host beside `held` more already promised to it. */
export function fits(host: Host, spec: InstanceTypeSpec, held = 0): boolean {
  if (host.health !== 'ok') return false;
  if (spec.metal) return host.instanceIds.length === 0 && held === 0 && host.vcpu === spec.vcpu;
  return (
    host.vcpu - host.usedVcpu - held * spec.vcpu >= spec.vcpu &&
    host.memoryMiB - host.usedMemoryMiB - held * spec.memoryMiB >= spec.memoryMiB
  );
}

export function occupy(world: World, host: Host, instance: Instance, spec: InstanceTypeSpec): void {
  host.usedVcpu += spec.vcpu;
  host.usedMemoryMiB += spec.memoryMiB;
  host.instanceIds.push(instance.id);
  instance.hostId = host.id;
  touchInstance(world, instance);
}

export function vacate(world: World, instance: Instance, spec: InstanceTypeSpec): void {
  if (!instance.hostId) return;
  const host = world.hosts[instance.hostId]!;
  host.usedVcpu -= spec.vcpu;
  host.usedMemoryMiB -= spec.memoryMiB;
  host.instanceIds = host.instanceIds.filter((id) => id !== instance.id);
  instance.hostId = null;
  touchInstance(world, instance);
  const list = hostList(world, host.zoneId, host.family);
  list.open = Math.min(list.open, list.position.get(host.id)!);
}

/** A group member that holds (or is about to hold) a place on a rack. */
export interface Member {
  hostId: string;
  rackId: string;
  zoneId: string;
  partition: number | null;
}

const placed = (i: Instance) => i.hostId !== null && i.state !== 'terminated' && i.state !== 'stopped';

export function groupMembers(world: World, group: string): Member[] {
  const members: Member[] = [];
  for (const inst of rows(world, 'instances')) {
    if (inst.placementGroup !== group || !placed(inst)) continue;
    members.push({
      hostId: inst.hostId!,
      rackId: world.hosts[inst.hostId!]!.rackId,
      zoneId: inst.zoneId,
      partition: inst.partition,
    });
  }
  return members;
}

/**
 * Places (all of one type) already promised earlier in one request, so that a launch of several
 * instances is checked as a whole, with how many each host holds.
 */
export class Plan {
  readonly members: Member[] = [];
  readonly held = new Map<string, number>();

  add(member: Member): void {
    this.members.push(member);
    this.held.set(member.hostId, (this.held.get(member.hostId) ?? 0) + 1);
  }

  get size(): number {
    return this.members.length;
  }
}

/**
 * Chooses a host for one instance, beside the places `planned` already promised in the same
 * request, and never `leaving` (the host an instance moves off, healthy or not).
 */
export function chooseHost(
  world: World,
  spec: InstanceTypeSpec,
  zoneId: string,
  group: PlacementGroup | null,
  requestedPartition: number | null,
  planned: Plan = new Plan(),
  leaving: string | null = null,
): Member {
  const members = group ? [...groupMembers(world, group.name), ...planned.members] : [];
  let allowedRacks: ((rackId: string) => boolean) | null = null;
  let preferredRacks: Set<string> | null = null;
  let partition: number | null = null;

  if (group?.strategy === 'cluster') {
    const home = members[0]?.zoneId;
    if (home && home !== zoneId) {
      refuse('InvalidPlacementGroup.InUse', `cluster group ${group.name} has instances in ${home}; launch there`);
    }
    preferredRacks = new Set(members.map((m) => m.rackId));
  } else if (group?.strategy === 'spread') {
    const inZone = members.filter((m) => m.zoneId === zoneId);
    if (inZone.length >= SPREAD_LIMIT_PER_ZONE) {
      refuse(
        'InsufficientInstanceCapacity',
        `spread group ${group.name} already has ${SPREAD_LIMIT_PER_ZONE} running instances in ${zoneId}, the most a rack-level spread group holds per zone`,
      );
    }
    const used = new Set(inZone.map((m) => m.rackId));
    allowedRacks = (rackId) => !used.has(rackId);
  } else if (group?.strategy === 'partition') {
    partition = requestedPartition ?? leastUsedPartition(group, members, zoneId);
    if (partition < 1 || partition > group.partitions) {
      refuse('InvalidParameterValue', `partition ${partition} does not exist in ${group.name} (1-${group.partitions})`);
    }
    // A rack belongs to the partition whose instances stand on it; partitions never share one.
    const inZone = members.filter((m) => m.zoneId === zoneId);
    const others = new Set(inZone.filter((m) => m.partition !== partition).map((m) => m.rackId));
    allowedRacks = (rackId) => !others.has(rackId);
    preferredRacks = new Set(inZone.filter((m) => m.partition === partition).map((m) => m.rackId));
  }

  const host = firstFit(
    hostList(world, zoneId, spec.family),
    spec,
    planned.held,
    allowedRacks,
    preferredRacks,
    leaving,
  );
  if (!host) {
    const where = group ? ` for placement group ${group.name}` : '';
    refuse('InsufficientInstanceCapacity', `no ${spec.family} host in ${zoneId} has room for a ${spec.name}${where}`);
  }
  return { hostId: host.id, rackId: host.rackId, zoneId, partition };
}

/**
 * The first host in id order that fits, preferring the group's own racks: first fit packs hosts
 * in order and keeps the later ones whole for large sizes and bare metal.
 */
function firstFit(
  list: HostList,
  spec: InstanceTypeSpec,
  held: ReadonlyMap<string, number>,
  allowedRacks: ((rackId: string) => boolean) | null,
  preferredRacks: Set<string> | null,
  leaving: string | null,
): Host | undefined {
  while (list.open < list.hosts.length && closed(list.hosts[list.open]!)) list.open++;
  let fallback: Host | undefined;
  for (let i = list.open; i < list.hosts.length; i++) {
    const h = list.hosts[i]!;
    if (h.id === leaving || !fits(h, spec, held.get(h.id)) || (allowedRacks && !allowedRacks(h.rackId))) continue;
    if (!preferredRacks?.size || preferredRacks.has(h.rackId)) return h;
    fallback ??= h;
  }
  return fallback;
}

function leastUsedPartition(group: PlacementGroup, members: Member[], zoneId: string): number {
  const counts = new Array<number>(group.partitions).fill(0);
  for (const m of members) if (m.zoneId === zoneId && m.partition) counts[m.partition - 1]! += 1;
  return counts.indexOf(Math.min(...counts)) + 1;
}
