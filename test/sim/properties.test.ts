// Invariants that must hold whatever players and scenarios do: random command sequences from a
// seeded generator, checked after every command and every tick.
import test from 'ava';
import seedrandom from 'seedrandom';
import { instanceType } from '../../src/sim/catalogue.js';
import { worldFingerprint, EventSink, parseCommand, step, applyNow, type World } from '../../src/sim/index.js';
import { SPREAD_LIMIT_PER_ZONE } from '../../src/sim/placement.js';
import { testSession } from '../helpers/world.js';

const SEEDS = ['a', 'b', 'c'];
const STEPS = 250;

const TYPES = [
  'm6i.large',
  'm6i.large',
  'm6i.4xlarge',
  'm6i.32xlarge',
  'm6id.large',
  'c6i.xlarge',
  'r6i.large',
  'm5.large',
  'm5.metal',
];
const ZONES = ['use1-az1', 'use1-az2', 'use1-az4'];
const GROUPS = ['spread', 'part', 'clus'];
const HOLDS_HOST = new Set(['pending', 'running', 'stopping', 'shutting-down']);

class Dice {
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = seedrandom.alea(`properties:${seed}`);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A region a little too small for what the generator asks of it, so capacity runs out often. */
function crowdedWorld(): World {
  const { world } = testSession({
    racks: [
      { zone: 'use1-az1', family: 'm6i', racks: 8, hostsPerRack: 1 },
      { zone: 'use1-az2', family: 'm6i', racks: 2, hostsPerRack: 2 },
      { zone: 'use1-az4', family: 'm6i', racks: 1, hostsPerRack: 2 },
      { zone: 'use1-az1', family: 'm6id', racks: 1, hostsPerRack: 1 },
      { zone: 'use1-az1', family: 'c6i', racks: 1, hostsPerRack: 1 },
      { zone: 'use1-az2', family: 'r6i', racks: 1, hostsPerRack: 1 },
      { zone: 'use1-az1', family: 'm5', racks: 1, hostsPerRack: 2 },
    ],
    placementGroups: [
      { name: 'spread', strategy: 'spread' },
      { name: 'part', strategy: 'partition', partitions: 3 },
      { name: 'clus', strategy: 'cluster' },
    ],
    spotPools: [{ type: 'm6i.large', zone: 'use1-az1', capacity: 6, volatility: 2 }],
  });
  return world;
}

/** A command a player or scenario might write, aimed at what exists (and sometimes at what does not). */
function randomCommand(world: World, dice: Dice): string {
  const instances = Object.keys(world.instances).sort();
  const volumes = Object.keys(world.volumes).sort();
  const instance = () => (instances.length && !dice.chance(0.03) ? dice.pick(instances) : 'i-0nosuch');
  const volume = () => (volumes.length ? dice.pick(volumes) : 'vol-0nosuch');
  const host = () => dice.pick(Object.keys(world.hosts).sort());
  switch (dice.int(16)) {
    case 0:
    case 1:
    case 2: {
      const spot = dice.chance(0.2);
      const flags = [
        `--az ${spot ? 'use1-az1' : dice.pick(ZONES)}`,
        `--count ${1 + dice.int(dice.chance(0.1) ? 10 : 3)}`,
        spot ? `--spot --interruption ${dice.pick(['terminate', 'stop', 'hibernate'])}` : '',
        dice.chance(0.4) ? `--pg ${dice.pick(GROUPS)}` : '',
        dice.chance(0.3) ? `--volume ${dice.pick(['gp3', 'gp2'])}:${10 + dice.int(100)}` : '',
      ];
      return `launch ${spot ? 'm6i.large' : dice.pick(TYPES)} ${flags.filter(Boolean).join(' ')}`;
    }
    case 3:
    case 4:
      return `stop ${instance()}${dice.chance(0.2) ? ' --force' : ''}${dice.chance(0.1) ? ' --hibernate' : ''}`;
    case 5:
    case 6:
      return `start ${instance()}`;
    case 7:
      return `${dice.pick(['reboot', 'terminate', 'terminate'])} ${instance()}`;
    case 8:
      return `modify-instance-type ${instance()} ${dice.pick(TYPES)}`;
    case 9:
      return `create-volume --az ${dice.pick(ZONES)} --size ${1 + dice.int(200)}`;
    case 10:
    case 11:
      return `attach-volume ${volume()} ${instance()}`;
    case 12:
      if (dice.chance(0.25)) return `modify-volume ${volume()} --size ${1 + dice.int(300)}`;
      return `${dice.pick(['detach-volume', 'detach-volume', 'delete-volume', 'create-snapshot'])} ${volume()}`;
    case 13:
      return `${dice.pick(['fail-host', 'restore-host', 'impair-host'])} ${host()}`;
    case 14:
      return dice.pick([
        `set-spot-capacity m6i.large use1-az1 ${dice.int(8)}`,
        `hang-guest ${instance()}`,
        `impair-zone ${dice.pick(ZONES)}`,
        `restore-zone ${dice.pick(ZONES)}`,
      ]);
    default:
      return `${dice.pick(['associate-address', 'disassociate-address'])} ${instance()}`;
  }
}

/** Every broken invariant, described; empty when the world is sound. */
function violations(world: World): string[] {
  const found: string[] = [];
  for (const host of Object.values(world.hosts)) {
    if (host.usedVcpu > host.vcpu) found.push(`${host.id} uses ${host.usedVcpu} of ${host.vcpu} vCPUs`);
    if (host.usedMemoryMiB > host.memoryMiB)
      found.push(`${host.id} uses ${host.usedMemoryMiB} of ${host.memoryMiB} MiB`);
    const guests = host.instanceIds.map((id) => world.instances[id]);
    if (guests.some((g) => g?.hostId !== host.id)) found.push(`${host.id} lists an instance that is not on it`);
    const specs = guests.map((g) => instanceType(g!.type)!);
    const vcpu = specs.reduce((sum, s) => sum + s.vcpu, 0);
    const memory = specs.reduce((sum, s) => sum + s.memoryMiB, 0);
    if (vcpu !== host.usedVcpu || memory !== host.usedMemoryMiB)
      found.push(`${host.id} counts ${host.usedVcpu} vCPU / ${host.usedMemoryMiB} MiB but holds ${vcpu} / ${memory}`);
    if (specs.some((s) => s.metal) && specs.length > 1) found.push(`${host.id} shares a bare-metal host`);
  }
  for (const inst of Object.values(world.instances)) {
    if (
      (inst.hostId !== null) !== HOLDS_HOST.has(inst.state) &&
      !(inst.state === 'shutting-down' && inst.hostId === null)
    ) {
      found.push(`${inst.id} is ${inst.state} with host ${inst.hostId}`);
    }
    if (inst.hostId === null) continue;
    const host = world.hosts[inst.hostId]!;
    if (!host.instanceIds.includes(inst.id))
      found.push(`${inst.id} thinks it is on ${host.id}, which does not list it`);
    if (host.zoneId !== inst.zoneId || host.family !== instanceType(inst.type)!.family)
      found.push(`${inst.id} (${inst.type}, ${inst.zoneId}) is on ${host.id}`);
  }
  for (const v of Object.values(world.volumes)) {
    if (!v.attachment) continue;
    const inst = world.instances[v.attachment.instanceId];
    if (!inst) found.push(`${v.id} is attached to a missing instance`);
    else if (inst.zoneId !== v.zoneId) found.push(`${v.id} in ${v.zoneId} is attached to ${inst.id} in ${inst.zoneId}`);
  }
  found.push(...groupViolations(world));
  return found;
}

function groupViolations(world: World): string[] {
  const found: string[] = [];
  const placed = Object.values(world.instances).filter((i) => i.hostId !== null && i.state !== 'shutting-down');
  const rackOf = (hostId: string) => world.hosts[hostId]!.rackId;
  for (const zone of ZONES) {
    const spread = placed.filter((i) => i.placementGroup === 'spread' && i.zoneId === zone);
    const racks = new Set(spread.map((i) => rackOf(i.hostId!)));
    if (spread.length > SPREAD_LIMIT_PER_ZONE || racks.size !== spread.length)
      found.push(`spread group: ${spread.length} instances on ${racks.size} racks in ${zone}`);
  }
  const partitionOfRack = new Map<string, number>();
  for (const i of placed.filter((p) => p.placementGroup === 'part')) {
    const rack = rackOf(i.hostId!);
    const owner = partitionOfRack.get(rack);
    if (owner !== undefined && owner !== i.partition)
      found.push(`partitions ${owner} and ${i.partition} share ${rack}`);
    partitionOfRack.set(rack, i.partition!);
  }
  const clusterZones = new Set(placed.filter((i) => i.placementGroup === 'clus').map((i) => i.zoneId));
  if (clusterZones.size > 1) found.push(`cluster group spans ${[...clusterZones].join(', ')}`);
  return found;
}

for (const seed of SEEDS) {
  test(`seed ${seed}: no host over capacity, volumes only in their zone, groups kept, refusals change nothing`, (t) => {
    const world = crowdedWorld();
    const dice = new Dice(seed);
    let applied = 0;
    let refused = 0;
    for (let i = 0; i < STEPS; i++) {
      const line = randomCommand(world, dice);
      const before = worldFingerprint(world);
      const ok = applyNow(world, parseCommand(line), new EventSink(world));
      if (ok) applied++;
      else {
        refused++;
        if (worldFingerprint(world) !== before) return t.fail(`step ${i}: refused '${line}' changed the world`);
      }
      const afterCommand = violations(world);
      if (afterCommand.length) return t.fail(`step ${i}, after '${line}': ${afterCommand.join('; ')}`);
      for (let tick = dice.int(30); tick > 0; tick--) {
        step(world);
        const afterTick = violations(world);
        if (afterTick.length) return t.fail(`step ${i}, tick ${world.tick} after '${line}': ${afterTick.join('; ')}`);
      }
    }
    // The generator must exercise both paths for the properties to mean anything.
    t.true(applied > STEPS / 5, `${applied} applied`);
    t.true(refused > STEPS / 5, `${refused} refused`);
  });
}
