// Turns the names players write into the world's objects: ids, unique id prefixes, Name tags.
import { refuse } from '../errors.js';
import { findByName } from '../instances.js';
import type { Host, Instance, SecurityGroup, Snapshot, Volume, World } from '../types.js';

function byIdOrPrefix<T>(
  kind: string,
  ref: string,
  table: Record<string, T>,
  label: (t: T) => string,
  extra?: (t: T) => boolean,
): T {
  const exact = table[ref];
  if (exact) return exact;
  const matches: T[] = [];
  for (const id in table) {
    const item = table[id]!;
    if (id.startsWith(ref) || extra?.(item)) matches.push(item);
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) refuse(`Invalid${kind}.NotFound`, `no ${kind.toLowerCase()} matches '${ref}'`);
  refuse(
    'InvalidParameterValue',
    `'${ref}' matches ${matches.length} ${kind.toLowerCase()}s: ${matches.slice(0, 4).map(label).join(', ')}${matches.length > 4 ? ', ...' : ''}`,
  );
}

export function resolveInstance(world: World, ref: string): Instance {
  const named = findByName(world, ref);
  if (named) return named;
  // A bare prefix such as `i-0a` must say more than the prefix every id shares.
  if (ref.length < 4) refuse('InvalidInstanceID.Malformed', `'${ref}' is too short to name an instance`);
  return byIdOrPrefix('Instance', ref, world.instances, (i) => i.id);
}

export function resolveVolume(world: World, ref: string): Volume {
  if (ref.length < 6) refuse('InvalidVolumeID.Malformed', `'${ref}' is too short to name a volume`);
  return byIdOrPrefix(
    'Volume',
    ref,
    world.volumes,
    (v) => v.id,
    (v) => v.name === ref,
  );
}

export function resolveSnapshot(world: World, ref: string): Snapshot {
  if (ref.length < 7) refuse('InvalidSnapshotID.Malformed', `'${ref}' is too short to name a snapshot`);
  return byIdOrPrefix(
    'Snapshot',
    ref,
    world.snapshots,
    (s) => s.id,
    (s) => s.name === ref,
  );
}

export function resolveSecurityGroup(world: World, ref: string): SecurityGroup {
  for (const id in world.securityGroups) if (world.securityGroups[id]!.name === ref) return world.securityGroups[id]!;
  return byIdOrPrefix('Group', ref, world.securityGroups, (g) => `${g.id} (${g.name})`);
}

/** A host by id, or the host an instance runs on. */
export function resolveHost(world: World, ref: string): Host {
  const host = world.hosts[ref];
  if (host) return host;
  const inst = resolveInstance(world, ref);
  if (!inst.hostId) refuse('IncorrectInstanceState', `${inst.id} is ${inst.state} and on no host`);
  return world.hosts[inst.hostId]!;
}
