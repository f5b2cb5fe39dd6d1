// The events a script's `on` line can wait for, what each is about, and so which of a reaction's
// placeholders it fills: a reaction that names one its event never fills would run with it empty,
// and is refused as the script is read instead (see script.ts).

/**
 * What a reaction's command may name, from the event: its subject, its Name (the subject when it
 * has none), and {otherZone}, the first zone of the level that is neither the event's nor
 * impaired, fill for every event; the rest only where the subject has them (SUBJECTS).
 */
export const PLACEHOLDERS = ['subject', 'name', 'zone', 'otherZone', 'type', 'host', 'workload', 'rule'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The placeholders filled whatever the event is about. */
const ALWAYS: readonly Placeholder[] = ['subject', 'name', 'otherZone'];

/** Where the subject is looked up to fill placeholders (see script.ts's eventValues); none: it fills only ALWAYS and what the event's data carries. */
export type LookedUpIn = 'instances' | 'volumes' | 'hosts' | 'zones' | 'spotPools' | 'workloads' | 'natGateways';

/**
 * The kinds of thing an event can be about: `is` names one in a message, `in` where it is looked
 * up, `fills` the placeholders beyond ALWAYS that it may fill (an instance may serve no workload:
 * "may"). A volume's host and workload are those of the instance it is attached to; a network
 * change's workload is the one it cut off, told in the event's data.
 */
const SUBJECTS = {
  instance: { is: 'an instance', in: 'instances', fills: ['zone', 'type', 'host', 'workload'] },
  // Told once the instance has left its host: stopped, terminated, or changed in type while stopped.
  'instance off its host': {
    is: 'an instance that has left its host',
    in: 'instances',
    fills: ['zone', 'type', 'workload'],
  },
  'instance or interface': {
    is: 'an instance (or the network interface, when it is attached to none)',
    in: 'instances',
    fills: ['zone', 'type', 'host', 'workload'],
  },
  volume: { is: 'a volume', in: 'volumes', fills: ['zone', 'type', 'host', 'workload'] },
  // Created, available or detached: attached to no instance, so with no host or workload of one.
  'unattached volume': { is: 'a volume attached to no instance', in: 'volumes', fills: ['zone', 'type'] },
  'deleted volume': { is: 'a volume that is gone', fills: [] },
  host: { is: 'a host', in: 'hosts', fills: ['zone', 'host'] },
  zone: { is: 'a zone', in: 'zones', fills: ['zone'] },
  'spot pool': { is: 'a Spot pool', in: 'spotPools', fills: ['zone', 'type'] },
  workload: { is: 'a workload', in: 'workloads', fills: ['workload'] },
  'security group rule': { is: "a security group's rule", fills: ['rule'] },
  'network rules': {
    is: 'a security group, network ACL, route table or subnet that was changed',
    fills: ['workload'],
  },
  'network path': {
    is: 'a network ACL, route table, subnet or NAT gateway that was changed',
    in: 'natGateways',
    fills: ['zone', 'workload'],
  },
  'nat gateway': { is: 'a NAT gateway', in: 'natGateways', fills: ['zone'] },
  'network acl': { is: 'a network ACL', fills: [] },
  'route table': { is: 'a route table', fills: [] },
  subnet: { is: 'a subnet', fills: [] },
  'network interface': { is: 'a network interface', fills: [] },
  'elastic ip': { is: 'an Elastic IP', fills: [] },
  snapshot: { is: 'a snapshot', fills: [] },
  'placement group': { is: 'a placement group', fills: [] },
  incident: { is: 'an incident', fills: [] },
  command: { is: 'a command (its verb)', fills: [] },
  note: { is: 'a note (who wrote it)', fills: [] },
  hint: { is: 'a hint (its number)', fills: [] },
  fleet: { is: "a level's starting fleet", fills: [] },
} as const satisfies Record<string, { is: string; in?: LookedUpIn; fills: readonly Placeholder[] }>;

export type SubjectKind = keyof typeof SUBJECTS;

/**
 * The kinds of event the model and the session emit, each with what its subject is: for an event
 * that tells several instances together (a Spot pool's notices, a host's failed checks), the
 * instance each reaction runs for. SimEvent.kind is a plain string, so a test holds these keys to
 * what the sources emit, and their subjects and filled placeholders to what runs of the campaign
 * give.
 */
export const EVENT_SUBJECTS = {
  'address-allocated': 'elastic ip',
  'address-associated': 'instance',
  'address-disassociated': 'instance',
  'burst-balance-low': 'volume',
  'clients-shut-out': 'network rules',
  'command-applied': 'command',
  'command-refused': 'command',
  'cpu-utilization-high': 'workload',
  'demand-surge': 'workload',
  'ebs-balance-low': 'instance',
  'fleet-running': 'fleet',
  'guest-hung': 'instance',
  'guest-restarted': 'instance',
  'hint-shown': 'hint',
  'host-failed': 'host',
  'host-impaired': 'host',
  'host-restored': 'host',
  'incident-acknowledged': 'incident',
  'incident-mitigated': 'incident',
  'incident-opened': 'incident',
  'incident-resolved': 'incident',
  'ingress-authorized': 'security group rule',
  'ingress-revoked': 'security group rule',
  'instance-ebs-exceeded': 'instance',
  'instance-launched': 'instance',
  'instance-metadata-options-changed': 'instance',
  'instance-reboot': 'instance',
  'instance-recovered': 'instance',
  'instance-recovery-failed': 'instance',
  'instance-running': 'instance',
  'instance-starting': 'instance',
  'instance-stopped': 'instance off its host',
  'instance-stopping': 'instance',
  'instance-store-lost': 'instance',
  'instance-terminated': 'instance off its host',
  'instance-terminating': 'instance',
  'instance-type-changed': 'instance off its host',
  'launch-partial': 'zone',
  'launched-unreachable': 'instance',
  'launched-without-data': 'instance',
  'nat-gateway-available': 'nat gateway',
  'nat-gateway-created': 'nat gateway',
  'nat-gateway-deleted': 'nat gateway',
  'network-acl-association-replaced': 'subnet',
  'network-acl-entry-created': 'network acl',
  'network-acl-entry-deleted': 'network acl',
  'network-acl-entry-replaced': 'network acl',
  'network-allowance-exceeded': 'instance',
  'network-interface-attached': 'instance',
  'network-interface-created': 'network interface',
  'network-interface-deleted': 'network interface',
  'network-interface-detached': 'instance',
  'note-added': 'note',
  'placement-group-created': 'placement group',
  'private-ip-addresses-assigned': 'instance or interface',
  'private-ip-addresses-unassigned': 'instance or interface',
  'public-address-lost': 'instance',
  'route-created': 'route table',
  'route-deleted': 'route table',
  'route-replaced': 'route table',
  'route-table-association-replaced': 'subnet',
  'scheduled-event': 'instance',
  'scheduled-event-ended': 'instance',
  'scheduled-event-started': 'instance',
  'snapshot-completed': 'snapshot',
  'snapshot-missing': 'volume',
  'snapshot-started': 'snapshot',
  'spot-capacity-changed': 'spot pool',
  'spot-interrupted': 'instance',
  'spot-interruption-notice': 'instance',
  'spot-rebalance-recommendation': 'instance',
  'status-check-failed': 'instance',
  'status-check-passed': 'instance',
  'status-checks-failed': 'zone',
  'status-checks-passed': 'zone',
  'volume-attached': 'volume',
  'volume-available': 'unattached volume',
  'volume-created': 'unattached volume',
  'volume-deleted': 'deleted volume',
  'volume-detached': 'unattached volume',
  'volume-impaired': 'volume',
  'volume-modified': 'volume',
  'volume-modifying': 'volume',
  'volume-optimizing': 'volume',
  'volume-performance-exceeded': 'volume',
  'volume-restored': 'volume',
  'way-out-closed': 'network path',
  'workload-unserved': 'workload',
  'zone-impaired': 'zone',
  'zone-restored': 'zone',
} as const satisfies Record<string, SubjectKind>;

export type EventKind = keyof typeof EVENT_SUBJECTS;

/** Every kind of event, in the order `fleetops commands` lists them. */
export const EVENT_KINDS: readonly EventKind[] = Object.freeze(Object.keys(EVENT_SUBJECTS) as EventKind[]);

/**
 * Events told while the level builds its world, before play begins and before any script is
 * armed: a reaction would never run. Each, with what to write instead.
 */
const BEFORE_PLAY: Partial<Record<EventKind, string>> = {
  'fleet-running':
    "the level's fleet is running from the start: an 'at 0' line runs a command then, naming what it acts on",
};

/** The events a script's reaction can wait for: all but those told before play begins. */
export const REACTION_EVENTS: readonly EventKind[] = Object.freeze(EVENT_KINDS.filter((k) => !(k in BEFORE_PLAY)));

export const isEventKind = (word: string): word is EventKind => Object.hasOwn(EVENT_SUBJECTS, word);

/** Where the subject of an event of `kind` is looked up; undefined for a kind the table does not know, or whose subject fills nothing from the world. */
export function lookedUpIn(kind: string): LookedUpIn | undefined {
  if (!isEventKind(kind)) return undefined;
  const about = SUBJECTS[EVENT_SUBJECTS[kind]];
  return 'in' in about ? about.in : undefined;
}

/** The placeholders an event of `kind` fills, in PLACEHOLDERS' order. */
export function placeholdersOf(kind: EventKind): Placeholder[] {
  const own: readonly Placeholder[] = SUBJECTS[EVENT_SUBJECTS[kind]].fills;
  return PLACEHOLDERS.filter((p) => ALWAYS.includes(p) || own.includes(p));
}

/** Why a reaction to `kind` would never run, or null: the event is told before any reaction can see it. */
export function toldBeforePlay(kind: EventKind): string | null {
  const instead = BEFORE_PLAY[kind];
  return instead ? `${kind} is told as the level builds its world, before any reaction can run; ${instead}` : null;
}

/**
 * Why a reaction to `kind` naming `used` placeholders would run with one of them empty, or null: it
 * names a placeholder its event never fills (`{zone}` for a workload's `demand-surge`).
 */
export function unfilledPlaceholder(kind: EventKind, used: readonly string[]): string | null {
  const fills: readonly string[] = placeholdersOf(kind);
  const unfilled = used.find((p) => !fills.includes(p));
  if (unfilled === undefined) return null;
  // A placeholder few events fill is named with them, so the line can be moved to the right one.
  const from = REACTION_EVENTS.filter((k) => placeholdersOf(k).includes(unfilled as Placeholder));
  const only = from.length > 0 && from.length <= 3 ? ` ({${unfilled}} comes only with ${from.join(' and ')})` : '';
  return `${kind} is about ${SUBJECTS[EVENT_SUBJECTS[kind]].is}, which has no {${unfilled}}${only}; it fills ${fills.map((p) => `{${p}}`).join(', ')}`;
}
