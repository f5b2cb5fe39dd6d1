// What each event is about, and so which placeholders a reaction to it may name, is a table
// (reaction-events.ts) that the script reader trusts: a reaction naming one its event never fills
// is refused. These runs hold the table to what the model does. Every event a reaction can wait
// for is met, in the campaign's own scripts and in two runs that make the rest happen; each one's
// subject is the kind of thing the table says, and a placeholder filled for it is one the table
// lets a reaction name.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLevel, PROJECT_ROOT } from '../../src/cli/files.js';
import type { Level } from '../../src/game/level.js';
import { EVENT_SUBJECTS, placeholdersOf, REACTION_EVENTS, type EventKind } from '../../src/game/reaction-events.js';
import { attachScript, eventValues, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { findByName } from '../../src/sim/instances.js';
import { subjectsOf, VERB_TABLE, vpcsOf, type World } from '../../src/sim/index.js';
import type { Source } from '../../src/game/command-log.js';
import { testLevel } from '../helpers/world.js';

type Kind = (typeof EVENT_SUBJECTS)[EventKind];

const inVpc = (world: World, id: string, part: 'subnets' | 'routeTables' | 'networkAcls' | 'natGateways') =>
  vpcsOf(world).some((v) => Object.hasOwn(v[part] ?? {}, id));

/** Whether `id` is, in `world` as the event is told, a thing of the kind the table gives. */
const IS: Record<Kind, (world: World, id: string) => boolean> = {
  instance: (w, id) => Object.hasOwn(w.instances, id),
  'instance off its host': (w, id) => Object.hasOwn(w.instances, id) && w.instances[id]!.hostId === null,
  'instance or interface': (w, id) => Object.hasOwn(w.instances, id) || Object.hasOwn(w.enis, id),
  volume: (w, id) => Object.hasOwn(w.volumes, id),
  'unattached volume': (w, id) => Object.hasOwn(w.volumes, id) && w.volumes[id]!.attachment === null,
  'deleted volume': (w, id) => id.startsWith('vol-') && !Object.hasOwn(w.volumes, id),
  host: (w, id) => Object.hasOwn(w.hosts, id),
  zone: (w, id) => w.zones.some((z) => z.zoneId === id),
  'spot pool': (w, id) => Object.hasOwn(w.spotPools, id),
  workload: (w, id) => Object.hasOwn(w.workloads, id),
  'security group rule': (w, id) => Object.hasOwn(w.securityGroups, id),
  'network rules': (w, id) =>
    Object.hasOwn(w.securityGroups, id) ||
    (['subnets', 'routeTables', 'networkAcls'] as const).some((part) => inVpc(w, id, part)),
  'network path': (w, id) =>
    (['subnets', 'routeTables', 'networkAcls', 'natGateways'] as const).some((part) => inVpc(w, id, part)),
  'nat gateway': (w, id) => inVpc(w, id, 'natGateways'),
  'network acl': (w, id) => inVpc(w, id, 'networkAcls'),
  'route table': (w, id) => inVpc(w, id, 'routeTables'),
  subnet: (w, id) => inVpc(w, id, 'subnets'),
  'network interface': (_w, id) => id.startsWith('eni-'),
  'elastic ip': (w, id) => Object.hasOwn(w.elasticIps, id),
  snapshot: (w, id) => Object.hasOwn(w.snapshots, id),
  'placement group': (w, id) => Object.hasOwn(w.placementGroups, id),
  incident: (_w, id) => /^INC-\d+$/.test(id),
  command: (_w, id) => VERB_TABLE.has(id) || id === 'parse',
  note: (_w, id) => ['player', 'script', 'handler'].includes(id),
  hint: (_w, id) => /^hint \d+$/.test(id),
  fleet: () => false,
};

/** What the runs met, and what in them the table does not allow, as readable lines. */
class Audit {
  readonly met = new Set<string>();
  readonly faults = new Set<string>();
  /** The placeholders each kind of event was seen to fill. */
  readonly filled = new Map<EventKind, Set<string>>();

  watch(session: Session, run: string): void {
    session.onEvents((events) => {
      for (const e of events) {
        const kind = e.kind as EventKind;
        this.met.add(kind);
        const about = EVENT_SUBJECTS[kind];
        const fills: readonly string[] = placeholdersOf(kind);
        for (const subject of subjectsOf(e)) {
          if (!IS[about](session.world, subject))
            this.faults.add(`${run}: ${kind}'s subject ${subject} is not a ${about}`);
          const values = eventValues(session.world, e, subject);
          const filled = this.filled.get(kind) ?? this.filled.set(kind, new Set()).get(kind)!;
          for (const [p, value] of Object.entries(values)) if (value !== '') filled.add(p);
          for (const [p, value] of Object.entries(values))
            if (value !== '' && !fills.includes(p))
              this.faults.add(`${run}: ${kind} filled {${p}}, which the table says it has not`);
        }
      }
    });
  }
}

/** A command made from the world as it is at its tick (null: none), sent as a scenario's or a responder's. */
type Step = [tick: number, source: Source, line: (world: World) => string | null];

function play(audit: Audit, run: string, level: Level, script: string, steps: Step[] = []): Session {
  const session = new Session(level, '1');
  attachScript(session, parseScript(script, run));
  audit.watch(session, run);
  for (let tick = 0; tick < level.duration; tick++) {
    for (const [at, source, line] of steps) {
      const text = at === tick ? line(session.world) : null;
      if (text !== null) session.enqueue(text, source);
    }
    session.run(1);
  }
  return session;
}

const idOf = (world: World, name: string) => findByName(world, name)!.id;
const hostOf = (world: World, name: string) => findByName(world, name)!.hostId!;
const vpcPart = (world: World, part: 'networkAcls' | 'natGateways') =>
  Object.keys(vpcsOf(world).find((v) => Object.keys(v[part] ?? {}).length)![part]!)[0]!;

/** Takes back a secondary address of the first interface holding one. */
function unassignOne(world: World): string {
  const eni = Object.values(world.enis).find((e) => e.secondaryIps?.length)!;
  return `unassign-private-ip-addresses ${eni.id} --private-ip-addresses ${eni.secondaryIps![0]!.privateIp}`;
}

/** The network's events: interfaces, addresses, associations, a NAT gateway deleted. */
const NETWORK: Step[] = [
  [5, 'player', () => 'create-network-interface --subnet private-use1-az1 --sg worker'],
  [6, 'player', (w) => `associate-address ${idOf(w, 'worker-a-2')}`],
  // While the interface is attached (see NETWORK_SCRIPT), as the instance's.
  [20, 'player', (w) => unassignOne(w)],
  [30, 'player', (w) => `disassociate-address ${idOf(w, 'worker-a-2')}`],
  [40, 'player', (w) => `modify-instance-metadata-options ${idOf(w, 'worker-a-2')} --http-tokens required`],
  [50, 'player', () => 'create-placement-group spread-1 --strategy spread'],
  [60, 'player', () => 'replace-route-table-association private-use1-az2 --route-table private-use1-az1'],
  [70, 'player', (w) => `replace-network-acl-association private-use1-az2 --network-acl ${vpcPart(w, 'networkAcls')}`],
  [80, 'player', (w) => `delete-network-acl-entry ${vpcPart(w, 'networkAcls')} --rule-number 100 --egress`],
  [90, 'player', (w) => `delete-nat-gateway ${vpcPart(w, 'natGateways')}`],
  [100, 'player', () => 'hint'],
  [110, 'player', () => 'note the drill is done'],
];

/** The responder's side of NETWORK: each interface attached, given an address, then taken apart. */
const NETWORK_SCRIPT = `
on network-interface-created assign-private-ip-addresses {subject} --secondary-private-ip-address-count 1
on network-interface-created after 10 attach-network-interface {subject} worker-a-3
on network-interface-created after 12 assign-private-ip-addresses {subject} --secondary-private-ip-address-count 1
on network-interface-created after 20 detach-network-interface {subject}
on network-interface-created after 30 delete-network-interface {subject}
`;

/** The fleet's events: a volume through its life, a launch partly placed and one nobody can reach, an Elastic IP taken, a host's recoveries spent. */
const FLEET: Step[] = [
  [5, 'player', () => 'create-volume --az use1-az1 --size 10 --name scratch'],
  [10, 'player', () => 'launch m6i.large --az use1-az1 --spot --count 30 --min-count 1 --workload web'],
  [12, 'player', () => 'launch m6i.large --az use1-az1 --workload web --sg closed'],
  // Reached from the internet only by the Elastic IP it is given, then has taken.
  [13, 'player', () => 'launch m6i.large --az use1-az1 --workload web --no-public-ip --name lone'],
  [100, 'player', (w) => `associate-address ${idOf(w, 'lone')}`],
  [110, 'player', (w) => `disassociate-address ${idOf(w, 'lone')}`],
  [20, 'scenario', (w) => `impair-volume ${w.instances[idOf(w, 'db')]!.rootVolumeId}`],
  [200, 'scenario', (w) => `restore-volume ${w.instances[idOf(w, 'db')]!.rootVolumeId}`],
  // A host failed four times in a day: EC2 recovers the instance three times, then no more.
  ...[300, 900, 1500, 2100].flatMap((at): Step[] => [
    [at, 'scenario', (w) => `fail-host ${hostOf(w, 'db')}`],
    [at + 400, 'scenario', (w) => `restore-host ${Object.values(w.hosts).find((h) => h.health === 'failed')!.id}`],
  ]),
];

const FLEET_SCRIPT = `
on volume-available attach-volume {subject} db
on volume-attached after 10 note attached {subject}
on volume-attached after 20 detach-volume {subject}
on volume-detached after 10 delete-volume {subject}
`;

const fleetLevel = () =>
  testLevel({
    duration: '1h',
    securityGroups: [
      { name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
      { name: 'closed', ingress: [] },
      { name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] },
    ],
    workloads: [
      { name: 'web', kind: 'web', public: true, port: 443, demand: { baseRps: 100, noise: 0 } },
      { name: 'orders', kind: 'database', iopsPerRequest: 5, demand: { baseRps: 2000, noise: 0 } },
    ],
    fleet: [
      { name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1', workload: 'web' },
      {
        name: 'db',
        type: 'r6i.large',
        zone: 'use1-az1',
        workload: 'orders',
        securityGroups: ['db'],
        publicIp: false,
        volume: { type: 'gp2', size: 100, name: 'orders-data', burstBalance: 0 },
      },
    ],
  });

test('every event a reaction can wait for is about what the table says, and fills only what it lets a reaction name', (t) => {
  const audit = new Audit();
  const fixtures = join(PROJECT_ROOT, 'test', 'fixtures', 'levels');
  for (const file of readdirSync(fixtures).sort()) {
    const level = loadLevel(file.replace(/\.(win|loss)\.txt$/, ''));
    play(audit, file, level, readFileSync(join(fixtures, file), 'utf8'));
  }
  play(audit, 'network', loadLevel('12-behind-the-nat'), NETWORK_SCRIPT, NETWORK);
  play(audit, 'fleet', fleetLevel(), FLEET_SCRIPT, FLEET);
  t.deepEqual([...audit.faults], []);
  // And the table promises nothing the model never gives: each placeholder it lets a reaction to
  // an event name, some run filled.
  const promised = REACTION_EVENTS.flatMap((k) =>
    placeholdersOf(k)
      .filter((p) => !audit.filled.get(k)?.has(p))
      .map((p) => `${k}: {${p}}`),
  );
  t.deepEqual([...new Set(promised)], [], 'placeholders the table lets a reaction name but no event filled');
  t.deepEqual(
    REACTION_EVENTS.filter((k) => !audit.met.has(k)),
    [],
    'events the runs never met, whose subjects and placeholders went unchecked',
  );
});
