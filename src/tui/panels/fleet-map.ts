// The fleet map: Availability Zones, their racks and hosts, each host one cell showing health (X
// failed, ! impaired) or how full it is. When the hosts do not fit, a cell stands for a whole
// rack, and then a line for a whole zone: the map aggregates rather than scrolls.
import { counted, type HostHealth, type World } from '../../sim/index.js';
import { bar, fit, percent } from '../format.js';
import { hostUtilisation, utilisationCell } from '../labels.js';
import type { Theme } from '../theme.js';
import type { Move, Panel, Target } from './panel.js';

export type Detail = 'hosts' | 'racks' | 'zones';

interface Tally {
  hosts: number;
  vcpu: number;
  usedVcpu: number;
  impaired: number;
  failed: number;
  /** Worst health in the group, for its one cell. */
  worst: HostHealth;
  /** Share of the fullest host's resources, averaged: what "how busy" means for a group. */
  utilisation: number;
}

interface RackGroup {
  id: string;
  label: string;
  family: string;
  hostIds: string[];
  tally: Tally;
}

interface ZoneGroup {
  zoneId: string;
  name: string;
  impaired: boolean;
  racks: RackGroup[];
  tally: Tally;
}

/** What a map cell stands for. */
export interface MapTarget {
  kind: 'host' | 'rack' | 'zone';
  id: string;
}

export interface MapItem {
  target: MapTarget;
  line: number;
  col: number;
}

export interface MapDrawing {
  detail: Detail;
  lines: string[];
  items: MapItem[];
  hosts: number;
}

const keyOf = (t: MapTarget) => `${t.kind}:${t.id}`;

const RANK: Record<HostHealth, number> = { ok: 0, impaired: 1, failed: 2 };

function tally(world: World, hostIds: readonly string[]): Tally {
  const t: Tally = { hosts: 0, vcpu: 0, usedVcpu: 0, impaired: 0, failed: 0, worst: 'ok', utilisation: 0 };
  let utilSum = 0;
  for (const id of hostIds) {
    const h = world.hosts[id]!;
    t.hosts += 1;
    t.vcpu += h.vcpu;
    t.usedVcpu += h.usedVcpu;
    if (h.health === 'impaired') t.impaired += 1;
    if (h.health === 'failed') t.failed += 1;
    if (RANK[h.health] > RANK[t.worst]) t.worst = h.health;
    utilSum += hostUtilisation(h);
  }
  t.utilisation = t.hosts ? utilSum / t.hosts : 0;
  return t;
}

function merge(parts: readonly Tally[]): Tally {
  const t: Tally = { hosts: 0, vcpu: 0, usedVcpu: 0, impaired: 0, failed: 0, worst: 'ok', utilisation: 0 };
  for (const p of parts) {
    t.hosts += p.hosts;
    t.vcpu += p.vcpu;
    t.usedVcpu += p.usedVcpu;
    t.impaired += p.impaired;
    t.failed += p.failed;
    if (RANK[p.worst] > RANK[t.worst]) t.worst = p.worst;
    t.utilisation += p.utilisation * p.hosts;
  }
  t.utilisation = t.hosts ? t.utilisation / t.hosts : 0;
  return t;
}

const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The world's racks by zone, in zone then rack order; racks never change during play. */
const rackOrder = new WeakMap<World, Map<string, string[]>>();
function racksByZone(world: World): Map<string, string[]> {
  let order = rackOrder.get(world);
  if (!order) {
    order = new Map(world.zones.map((z) => [z.zoneId, [] as string[]]));
    for (const id of Object.keys(world.racks).sort(byNumber)) order.get(world.racks[id]!.zoneId)?.push(id);
    rackOrder.set(world, order);
  }
  return order;
}

export function groupFleet(world: World): ZoneGroup[] {
  const order = racksByZone(world);
  return [...world.zones]
    .sort((a, b) => byNumber(a.name, b.name))
    .map((z) => {
      const racks = (order.get(z.zoneId) ?? []).map((id) => {
        const rack = world.racks[id]!;
        return {
          id,
          label: id.slice(z.zoneId.length + 1),
          family: rack.family,
          hostIds: rack.hostIds,
          tally: tally(world, rack.hostIds),
        };
      });
      return { zoneId: z.zoneId, name: z.name, impaired: z.impaired, racks, tally: merge(racks.map((r) => r.tally)) };
    });
}

/** How many host cells (or rack cells) fit on a line, and whether there is room for a gap between them. */
function cellsPerLine(space: number, count: number): { perLine: number; pitch: number } {
  if (count * 2 <= space) return { perLine: count, pitch: 2 };
  return { perLine: Math.max(1, space), pitch: 1 };
}

const RACK_LABEL = 9; // "r01 m6id "

function linesNeeded(zones: ZoneGroup[], detail: Detail, width: number): number {
  if (detail === 'zones') return zones.length;
  let lines = 0;
  for (const z of zones) {
    lines += 1;
    if (detail === 'racks') lines += Math.ceil(z.racks.length / cellsPerLine(width - 2, z.racks.length).perLine);
    else
      for (const r of z.racks)
        lines += Math.ceil(r.hostIds.length / cellsPerLine(width - RACK_LABEL, r.hostIds.length).perLine);
  }
  return lines;
}

/** The most detailed view whose lines fit the panel. */
export function chooseDetail(zones: ZoneGroup[], width: number, height: number): Detail {
  if (linesNeeded(zones, 'hosts', width) <= height) return 'hosts';
  if (linesNeeded(zones, 'racks', width) <= height) return 'racks';
  return 'zones';
}

function zoneSummary(z: ZoneGroup, width: number, theme: Theme, selected: boolean): string {
  const t = z.tally;
  const name = width >= 40 ? `${z.name} ${z.zoneId}` : z.name;
  const meterWidth = width >= name.length + 34 ? 10 : 0;
  // Problems come straight after the name: on a narrow map they are what must not be cut.
  const problems = [
    z.impaired ? 'ZONE IMPAIRED' : '',
    t.failed ? `X ${t.failed} failed` : '',
    t.impaired ? `! ${t.impaired} impaired` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const head = selected
    ? `{inverse}${theme.line([['heading', name]], width)}{/inverse}`
    : theme.line([['heading', name]], width);
  return (
    head +
    theme.line(
      [
        [t.failed || z.impaired ? 'error' : 'impaired', problems ? ` ${problems}` : ''],
        [t.utilisation >= 0.9 ? 'warn' : 'ok', meterWidth ? ` ${bar(t.utilisation, meterWidth)}` : ''],
        ['dim', ` ${percent(t.utilisation)} used, ${counted(t.hosts, 'host')}`],
      ],
      width - name.length,
    )
  );
}

function cell(t: Pick<Tally, 'worst' | 'utilisation'>, theme: Theme, selected: boolean): string {
  const c = utilisationCell(t.worst, t.utilisation);
  return selected ? `{inverse}${theme.paint('plain', c.text)}{/inverse}` : theme.paint(c.role, c.text);
}

const LEGEND = '· idle ▁▄█ in use  ! impaired  X failed';

export function drawMap(
  world: World,
  width: number,
  height: number,
  cursor: string | null,
  theme: Theme,
  zones = groupFleet(world),
): MapDrawing {
  const hosts = zones.reduce((n, z) => n + z.tally.hosts, 0);
  const room = linesNeeded(zones, 'hosts', width) < height ? height - 1 : height;
  const detail = chooseDetail(zones, width, room);
  const lines: string[] = [];
  const items: MapItem[] = [];
  const add = (target: MapTarget, col: number) => items.push({ target, line: lines.length, col });

  for (const z of zones) {
    if (lines.length >= height) break;
    const zoneTarget: MapTarget = { kind: 'zone', id: z.zoneId };
    add(zoneTarget, 0);
    lines.push(zoneSummary(z, width, theme, cursor === keyOf(zoneTarget)));
    if (detail === 'racks') {
      const { perLine, pitch } = cellsPerLine(width - 2, z.racks.length);
      for (let i = 0; i < z.racks.length; i += perLine) {
        let line = '  ';
        z.racks.slice(i, i + perLine).forEach((r, j) => {
          const target: MapTarget = { kind: 'rack', id: r.id };
          items.push({ target, line: lines.length, col: 2 + j * pitch });
          line += cell(r.tally, theme, cursor === keyOf(target)) + (pitch === 2 ? ' ' : '');
        });
        lines.push(line);
      }
    }
    if (detail === 'hosts') {
      for (const r of z.racks) {
        const { perLine, pitch } = cellsPerLine(width - RACK_LABEL, r.hostIds.length);
        for (let i = 0; i < r.hostIds.length; i += perLine) {
          let line = theme.paint(
            'dim',
            i === 0 ? fit(`${r.label} ${r.family}`, RACK_LABEL - 1) + ' ' : ' '.repeat(RACK_LABEL),
          );
          r.hostIds.slice(i, i + perLine).forEach((id, j) => {
            const h = world.hosts[id]!;
            const target: MapTarget = { kind: 'host', id };
            items.push({ target, line: lines.length, col: RACK_LABEL + j * pitch });
            line +=
              cell({ worst: h.health, utilisation: hostUtilisation(h) }, theme, cursor === keyOf(target)) +
              (pitch === 2 ? ' ' : '');
          });
          lines.push(line);
        }
      }
    }
  }
  if (lines.length < height) lines.push(theme.paint('dim', fit(LEGEND, width).trimEnd()));
  return { detail, lines: lines.slice(0, height), items: items.filter((i) => i.line < height), hosts };
}

/** The item a move lands on: left/right step through items, up/down go to the nearest on the next line. */
export function moveOnMap(items: readonly MapItem[], current: number, move: Move, page: number): number {
  if (items.length === 0) return -1;
  const at = items[Math.max(0, current)]!;
  const onLine = (line: number) => items.map((item, index) => ({ item, index })).filter((x) => x.item.line === line);
  const nearest = (lineStep: number, repeat: number) => {
    let line = at.line;
    let found = current;
    for (let n = 0; n < repeat; n++) {
      const lines = [...new Set(items.map((i) => i.line))].filter((l) => (lineStep > 0 ? l > line : l < line));
      if (lines.length === 0) break;
      line = lineStep > 0 ? Math.min(...lines) : Math.max(...lines);
      const candidates = onLine(line);
      found = candidates.reduce(
        (best, c) => (Math.abs(c.item.col - at.col) < Math.abs(items[best]!.col - at.col) ? c.index : best),
        candidates[0]!.index,
      );
    }
    return found;
  };
  switch (move) {
    case 'left':
      return Math.max(0, current - 1);
    case 'right':
      return Math.min(items.length - 1, current + 1);
    case 'up':
      return nearest(-1, 1);
    case 'down':
      return nearest(1, 1);
    case 'page-up':
      return nearest(-1, page);
    case 'page-down':
      return nearest(1, page);
    case 'top':
      return 0;
    case 'bottom':
      return items.length - 1;
  }
}

/** Where a chosen host or rack went when the map aggregated: its rack, or its zone. */
function containing(world: World, key: string, detail: Detail): string | null {
  const [kind, id] = key.split(/:(.*)/s, 2) as [MapTarget['kind'], string];
  if (kind === 'host' && detail === 'racks') return world.hosts[id] ? `rack:${world.hosts[id]!.rackId}` : null;
  if (kind === 'host' && detail === 'zones') return world.hosts[id] ? `zone:${world.hosts[id]!.zoneId}` : null;
  if (kind === 'rack' && detail === 'zones') return world.racks[id] ? `zone:${world.racks[id]!.zoneId}` : null;
  return null;
}

export class FleetMap implements Panel {
  readonly id = 'map' as const;
  private cursor: string | null = null;
  private drawing: MapDrawing | null = null;
  private lastHeight = 10;
  /** The fleet grouped and tallied, with the world and the count of events it was drawn from. */
  private grouped: { world: World; events: number; zones: ZoneGroup[] } | null = null;

  /** `events` counts what has happened: hosts fill, empty and fail only with an event. */
  constructor(
    private readonly world: () => World,
    private readonly events: () => number,
    private readonly theme: Theme,
  ) {}

  private zones(world: World): ZoneGroup[] {
    const events = this.events();
    if (this.grouped?.world !== world || this.grouped.events !== events)
      this.grouped = { world, events, zones: groupFleet(world) };
    return this.grouped.zones;
  }

  label(): string {
    const d = this.drawing;
    // Not ▸, which marks the panel that has the focus.
    return d
      ? `fleet ${counted(d.hosts, 'host')}${d.detail === 'hosts' ? '' : `, by ${d.detail.slice(0, -1)}`}`
      : 'fleet';
  }

  render(width: number, height: number, focused: boolean): string[] {
    this.lastHeight = height;
    const world = this.world();
    const zones = this.zones(world);
    let d = drawMap(world, width, height, focused ? this.cursor : null, this.theme, zones);
    if (focused && !d.items.some((i) => keyOf(i.target) === this.cursor)) {
      // The chosen cell is not drawn at this size: choose what now stands for it, else the first.
      const stand = this.cursor ? containing(world, this.cursor, d.detail) : null;
      this.cursor =
        stand && d.items.some((i) => keyOf(i.target) === stand) ? stand : d.items[0] ? keyOf(d.items[0].target) : null;
      d = drawMap(world, width, height, this.cursor, this.theme, zones);
    }
    this.drawing = d;
    return d.lines;
  }

  private index(): number {
    const items = this.drawing?.items ?? [];
    return Math.max(
      0,
      items.findIndex((it) => keyOf(it.target) === this.cursor),
    );
  }

  move(move: Move): void {
    const items = this.drawing?.items ?? [];
    const next = moveOnMap(items, this.index(), move, Math.max(1, this.lastHeight - 2));
    if (next >= 0) this.cursor = keyOf(items[next]!.target);
  }

  pick(line: number, col: number): void {
    const items = (this.drawing?.items ?? []).filter((i) => i.line === line);
    if (items.length === 0) return;
    this.cursor = keyOf(items.reduce((a, b) => (Math.abs(b.col - col) < Math.abs(a.col - col) ? b : a)).target);
  }

  target(): Target | null {
    const item = this.drawing?.items[this.index()];
    return item ? item.target : null;
  }
}
