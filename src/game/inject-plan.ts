// The plan of a play: what the seed decides a level's injects and fault processes do. Every draw
// comes from a named stream held in the world (`inject:<i>`, `process:<i>`), so adding an inject
// shifts neither the model's streams nor another inject's, and a play replays byte for byte.
//
// Everything is decided when play starts, against the world at tick 0: times, chances, counts,
// magnitudes and targets. Two trainees on one seed then face the same shift whatever either of
// them does, which is what makes their scores comparable; a target the player has since removed
// makes its command a refused-command event, as any stale name would.
import { parseCommand, ParseError, type Command, type Instance, type World, draw, drawInt } from '../sim/index.js';
import { InputError } from '../input/input-error.js';
import { fillPlaceholders, type InjectSpec, type ProcessSpec, type Range, type Selector } from './inject-spec.js';

export interface PlannedCommand {
  tick: number;
  command: Command;
}

/** A whole number drawn uniformly from [min, max]; no draw when the range is one value. */
function drawWhole(world: World, stream: string, r: Range): number {
  return r.max > r.min ? r.min + drawInt(world, stream, r.max - r.min + 1) : r.min;
}

/** A number drawn uniformly from [min, max], to two decimals, or a whole one when both ends are whole. */
function drawMagnitude(world: World, stream: string, r: Range): number {
  if (r.max === r.min) return r.min;
  if (Number.isInteger(r.min) && Number.isInteger(r.max)) return drawWhole(world, stream, r);
  return Math.round((r.min + draw(world, stream) * (r.max - r.min)) * 100) / 100;
}

/** Waiting time to the next event of a Poisson process of `perSecond`, in whole seconds (at least 1). */
function drawGap(world: World, stream: string, perSecond: number): number {
  return Math.max(1, Math.round(-Math.log(1 - draw(world, stream)) / perSecond));
}

/** `n` distinct items of `list`, drawn without replacement (a partial Fisher–Yates shuffle). */
function drawDistinct<T>(world: World, stream: string, list: readonly T[], n: number): T[] {
  const pool = [...list];
  const chosen: T[] = [];
  while (chosen.length < n && pool.length > 0) chosen.push(pool.splice(drawInt(world, stream, pool.length), 1)[0]!);
  return chosen;
}

const running = (i: Instance) => i.state === 'running';

function instanceMatches(i: Instance, s: Selector): boolean {
  return (
    running(i) &&
    (s.workload === null || i.workload === s.workload) &&
    (s.zone === null || i.zoneId === s.zone) &&
    (s.type === null || i.type === s.type) &&
    (s.market === null || i.market === s.market)
  );
}

/** The placeholder values of every member of a target set, in a fixed order (ids sort the same on every run). */
export function candidates(world: World, s: Selector): Record<string, string>[] {
  const instances = Object.values(world.instances).sort((a, b) => (a.id < b.id ? -1 : 1));
  switch (s.kind) {
    case 'instance':
      return instances
        .filter((i) => instanceMatches(i, s))
        .map((i) => ({ instance: i.id, name: i.name ?? i.id, host: i.hostId ?? '', zone: i.zoneId, type: i.type }));
    case 'host':
      return Object.values(world.hosts)
        .filter((h) => h.health === 'ok' && (s.zone === null || h.zoneId === s.zone))
        .filter((h) => {
          const on = h.instanceIds.map((id) => world.instances[id]!).filter(running);
          return on.length >= s.minInstances && (s.workload === null || on.some((i) => i.workload === s.workload));
        })
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((h) => ({ host: h.id, zone: h.zoneId }));
    case 'volume':
      // A data volume: attached to a running instance, and not its root.
      return Object.values(world.volumes)
        .filter(
          (v) =>
            v.attachment !== null && (s.zone === null || v.zoneId === s.zone) && (s.type === null || v.type === s.type),
        )
        .filter((v) => {
          const i = world.instances[v.attachment!.instanceId];
          return (
            i !== undefined &&
            running(i) &&
            i.rootVolumeId !== v.id &&
            (s.workload === null || i.workload === s.workload)
          );
        })
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((v) => ({ volume: v.id, instance: v.attachment!.instanceId, zone: v.zoneId, type: v.type }));
    case 'zone':
      return world.zones
        .filter(
          (z) =>
            s.workload === null ||
            instances.some((i) => running(i) && i.zoneId === z.zoneId && i.workload === s.workload),
        )
        .map((z) => ({ zone: z.zoneId }));
    case 'spot-pool':
      return Object.values(world.spotPools)
        .filter((p) => (s.zone === null || p.zoneId === s.zone) && (s.type === null || p.type === s.type))
        .filter(
          (p) =>
            !s.inUse ||
            instances.some((i) => running(i) && i.market === 'spot' && i.type === p.type && i.zoneId === p.zoneId),
        )
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((p) => ({
          pool: `${p.type} ${p.zoneId}`,
          type: p.type,
          zone: p.zoneId,
          capacity: String(p.meanCapacity),
        }));
  }
}

function describe(s: Selector): string {
  const filters = Object.entries(s).filter(
    ([k, v]) => k !== 'kind' && v !== null && v !== false && !(k === 'minInstances' && v === 0),
  );
  return `${s.kind}${filters.length ? ` (${filters.map(([k, v]) => `${k} ${String(v)}`).join(', ')})` : ''}`;
}

function noTarget(where: string, path: string, s: Selector): never {
  throw new InputError(`${where}: ${path}: no ${describe(s)} in the starting world to choose from`);
}

function planInject(world: World, where: string, spec: InjectSpec, index: number, out: PlannedCommand[]): void {
  const stream = `inject:${index}`;
  if (spec.probability < 1 && draw(world, stream) >= spec.probability) return;
  const count = drawWhole(world, stream, spec.count);
  const targets: Record<string, string>[] = spec.target
    ? candidates(world, spec.target)
    : Array.from({ length: count }, () => ({}));
  if (spec.target && targets.length === 0) noTarget(where, `injects[${index}].target`, spec.target);
  for (const values of drawDistinct(world, stream, targets, count)) {
    const tick = drawWhole(world, stream, spec.at);
    const filled: Record<string, string> = { ...values };
    if (spec.magnitude) {
      const m = drawMagnitude(world, stream, spec.magnitude);
      filled.magnitude = String(m);
      if (values.capacity !== undefined) filled.capacity = String(Math.round(Number(values.capacity) * m));
    }
    const text = fillPlaceholders(spec.command, filled);
    try {
      out.push({ tick, command: parseCommand(text) });
    } catch (err) {
      // The level's checks try the ends of each range; a draw between them that a command still refuses is the level's.
      if (!(err instanceof ParseError)) throw err;
      throw new InputError(`${where}: injects[${index}]: this seed draws '${text}', which is refused: ${err.message}`);
    }
  }
}

function planHostFailures(
  world: World,
  where: string,
  p: Extract<ProcessSpec, { kind: 'host-failures' }>,
  index: number,
  out: PlannedCommand[],
): void {
  const stream = `process:${index}`;
  const hosts = candidates(world, p.hosts).map((v) => v.host!);
  if (hosts.length === 0) noTarget(where, `processes[${index}].hosts`, p.hosts);
  let tick = p.during.min;
  // Hosts fail independently, so the fleet's failures form one Poisson process whose rate is the
  // sum of the healthy hosts' rates; a failed host leaves the set.
  for (let n = 0; n < p.max && hosts.length > 0 && p.ratePerHostHour > 0; n++) {
    tick += drawGap(world, stream, (p.ratePerHostHour * hosts.length) / 3600);
    if (tick > p.during.max) return;
    const [host] = hosts.splice(drawInt(world, stream, hosts.length), 1);
    out.push({ tick, command: parseCommand(`fail-host ${host}`) });
  }
}

function planSpotWalk(
  world: World,
  where: string,
  p: Extract<ProcessSpec, { kind: 'spot-walk' }>,
  index: number,
  out: PlannedCommand[],
): void {
  const stream = `process:${index}`;
  const pools = candidates(world, p.pool);
  if (pools.length === 0) noTarget(where, `processes[${index}].pool`, p.pool);
  for (const pool of pools) {
    const start = Number(pool.capacity);
    const [lo, hi] = [Math.round(start * p.floor), Math.round(start * p.ceiling)];
    let capacity = start;
    for (let tick = p.during.min + p.every; tick <= p.during.max; tick += p.every) {
      // A step of up to `step` of the pool's starting capacity, either way, held between floor and ceiling.
      const next = Math.min(hi, Math.max(lo, capacity + Math.round((draw(world, stream) * 2 - 1) * p.step * start)));
      if (next === capacity) continue;
      capacity = next;
      out.push({ tick, command: parseCommand(`set-spot-capacity ${pool.pool} ${capacity}`) });
    }
  }
}

function planSurges(
  world: World,
  p: Extract<ProcessSpec, { kind: 'demand-surges' }>,
  index: number,
  out: PlannedCommand[],
): void {
  const stream = `process:${index}`;
  let tick = p.during.min;
  for (let n = 0; n < p.max && p.ratePerHour > 0; n++) {
    tick += drawGap(world, stream, p.ratePerHour / 3600);
    if (tick > p.during.max) return;
    const factor = drawMagnitude(world, stream, p.factor);
    const length = drawWhole(world, stream, p.length);
    out.push({ tick, command: parseCommand(`surge-demand ${p.workload} ${factor} --for ${length}`) });
    // Surges do not overlap: the next one is drawn from the end of this one.
    tick += length;
  }
}

/**
 * How the scenario's lines of a snapshot (those applied, in its command log, then those queued)
 * depart from the level's plan, as one phrase; null when they are the plan, line for line. Only
 * the level puts scenario lines in a play, all of them at its start: a snapshot whose scenario has
 * lost its zone outage, or gained a fault, was not written by fleetops.
 */
export function scenarioDeparture(
  planned: readonly PlannedCommand[],
  applied: readonly { tick: number; source: string; text: string }[],
  queued: readonly { tick: number; source: string; text: string }[],
): string | null {
  const held = [...applied, ...queued].filter((c) => c.source === 'scenario');
  const line = (c: { tick: number; text: string }) => `'${c.text.slice(0, 60)}' at ${c.tick} s`;
  for (let i = 0; i < Math.max(held.length, planned.length); i++) {
    const have = held[i];
    const want = planned[i];
    if (have && want && have.tick === want.tick && have.text === want.command.text) continue;
    if (!want) return `holds ${line(have!)}, which the level's scenario does not`;
    return have
      ? `holds ${line(have)} where the level's scenario has ${line({ tick: want.tick, text: want.command.text })}`
      : `lacks ${line({ tick: want.tick, text: want.command.text })}, which the level's scenario has`;
  }
  return null;
}

/**
 * The commands a level's injects and processes make for this world's seed, in the order to
 * schedule them (by tick; at one tick, in the level's order). Draws advance the world's
 * `inject:<i>` and `process:<i>` streams only. Throws InputError, naming `where` (see levelLabel), when a target set is empty.
 */
export function planScenario(
  world: World,
  where: string,
  injects: readonly InjectSpec[],
  processes: readonly ProcessSpec[],
): PlannedCommand[] {
  const out: PlannedCommand[] = [];
  injects.forEach((spec, i) => planInject(world, where, spec, i, out));
  processes.forEach((p, i) => {
    if (p.kind === 'host-failures') planHostFailures(world, where, p, i, out);
    else if (p.kind === 'spot-walk') planSpotWalk(world, where, p, i, out);
    else planSurges(world, p, i, out);
  });
  // A stable sort: commands of one tick keep the level's order.
  return out.sort((a, b) => a.tick - b.tick);
}
