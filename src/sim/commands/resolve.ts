// Turns the names players write into the world's objects: ids, unique id prefixes, Name tags.
import { refuse } from '../errors.js';
import { quoted } from './echo.js';
import { findByName } from '../instances.js';
import { SHORTEST_REFERENCE } from '../names.js';
import type { Host, Instance, SecurityGroup, Snapshot, Volume, World } from '../types.js';

/** What a lookup is called, and EC2's error code when nothing matches (its codes are not all alike). */
interface Kind {
  noun: string;
  notFound: string;
}

// EC2 API Reference, "Error codes for the Amazon EC2 API".
const INSTANCE: Kind = { noun: 'instance', notFound: 'InvalidInstanceID.NotFound' };
const VOLUME: Kind = { noun: 'volume', notFound: 'InvalidVolume.NotFound' };
const SNAPSHOT: Kind = { noun: 'snapshot', notFound: 'InvalidSnapshot.NotFound' };
const GROUP: Kind = { noun: 'group', notFound: 'InvalidGroup.NotFound' };

function byIdOrPrefix<T>(
  kind: Kind,
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
  if (matches.length === 0) refuse(kind.notFound, `no ${kind.noun} matches ${quoted(ref)}`);
  refuse(
    'InvalidParameterValue',
    `${quoted(ref)} matches ${matches.length} ${kind.noun}s: ${matches.slice(0, 4).map(label).join(', ')}${matches.length > 4 ? ', ...' : ''}`,
  );
}

export function resolveInstance(world: World, ref: string): Instance {
  const named = findByName(world, ref);
  if (named) return named;
  // A bare prefix such as `i-0a` must say more than the prefix every id shares.
  if (ref.length < 4) refuse('InvalidInstanceID.Malformed', `${quoted(ref)} is too short to name an instance`);
  return byIdOrPrefix(INSTANCE, ref, world.instances, (i) => i.id);
}

/**
 * Why a reference too short for a volume's or snapshot's name (SHORTEST_REFERENCE) is refused: an
 * instance's name, often shorter, is named as one.
 */
const tooShort = (world: World, ref: string, noun: string) =>
  findByName(world, ref)
    ? `${quoted(ref)} names an instance, not a ${noun}`
    : `${quoted(ref)} is too short to name a ${noun}`;

export function resolveVolume(world: World, ref: string): Volume {
  if (ref.length < SHORTEST_REFERENCE.volume) refuse('InvalidVolumeID.Malformed', tooShort(world, ref, 'volume'));
  return byIdOrPrefix(
    VOLUME,
    ref,
    world.volumes,
    (v) => v.id,
    (v) => v.name === ref,
  );
}

export function resolveSnapshot(world: World, ref: string): Snapshot {
  if (ref.length < SHORTEST_REFERENCE.snapshot) refuse('InvalidSnapshotID.Malformed', tooShort(world, ref, 'snapshot'));
  return byIdOrPrefix(
    SNAPSHOT,
    ref,
    world.snapshots,
    (s) => s.id,
    (s) => s.name === ref,
  );
}

export function resolveSecurityGroup(world: World, ref: string): SecurityGroup {
  for (const id in world.securityGroups) if (world.securityGroups[id]!.name === ref) return world.securityGroups[id]!;
  return byIdOrPrefix(GROUP, ref, world.securityGroups, (g) => `${g.id} (${g.name})`);
}

/** A host by id, or the host an instance runs on. */
export function resolveHost(world: World, ref: string): Host {
  const host = world.hosts[ref];
  if (host) return host;
  const inst = resolveInstance(world, ref);
  if (!inst.hostId) refuse('IncorrectInstanceState', `${inst.id} is ${inst.state} and on no host`);
  return world.hosts[inst.hostId]!;
}
