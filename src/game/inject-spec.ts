// What a level says may happen to the player, before the seed has decided the details: a time or a
// window, a chance, a target chosen among a set, a count, a magnitude, and fault processes that run
// through the whole level. inject-plan.ts turns these into commands at the start of a play.
import { MARKETS, parseCommand, parseDuration, ParseError, VERB_TABLE, type Command } from '../sim/index.js';
import { InputError } from '../input/input-error.js';
import { CONTROL_IN_LINE } from '../input/control.js';
import type { Field } from '../input/fields.js';

/** A closed range of numbers; a fixed value is a range whose ends are equal. */
export interface Range {
  min: number;
  max: number;
}

export const TARGET_KINDS = ['instance', 'host', 'volume', 'zone', 'spot-pool'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A set to draw a target from: every filter given must hold. */
export interface Selector {
  kind: TargetKind;
  workload: string | null;
  /** Zone name or id. */
  zone: string | null;
  /** Instance type (instance, spot-pool) or volume type (volume). */
  type: string | null;
  market: 'spot' | 'on-demand' | null;
  /** host: carries at least this many running instances. */
  minInstances: number;
  /** spot-pool: holds at least one running Spot instance. */
  inUse: boolean;
}

/** One inject of a level, as written. */
export interface InjectSpec {
  /** Ticks from the start of play: each planned command draws its own time in this window. */
  at: Range;
  /** The chance, 0 to 1, that the inject happens at all in a play. */
  probability: number;
  /** How many distinct targets are hit (a fixed count without a target repeats the command). */
  count: Range;
  target: Selector | null;
  /** A drawn number for {magnitude} (and {capacity}); whole when both ends are whole. */
  magnitude: Range | null;
  /** The command with its placeholders, checked for syntax when the level loads. */
  command: string;
}

export const PROCESS_KINDS = ['host-failures', 'spot-walk', 'demand-surges'] as const;

/** Hours in a year, to turn an annual failure rate into an hourly one. */
export const HOURS_PER_YEAR = 8766;

export type ProcessSpec =
  | { kind: 'host-failures'; hosts: Selector; ratePerHostHour: number; during: Range; max: number }
  | { kind: 'spot-walk'; pool: Selector; every: number; step: number; floor: number; ceiling: number; during: Range }
  | {
      kind: 'demand-surges';
      workload: string;
      ratePerHour: number;
      factor: Range;
      length: Range;
      during: Range;
      max: number;
    };

/** Bounds of what an inject or process may ask for. */
export const LIMITS = {
  count: 20,
  magnitude: 100000,
  processMax: 20,
  ratePerHostHour: 10,
  ratePerHour: 60,
  afr: 1,
  speedup: 1e6,
  minEvery: 60,
  surgeSeconds: 86400,
} as const;

/** Which placeholders each kind of target fills; {magnitude} is filled whenever a magnitude is given. */
export const TARGET_PLACEHOLDERS: Record<TargetKind, readonly string[]> = {
  instance: ['instance', 'name', 'host', 'zone', 'type'],
  host: ['host', 'zone'],
  volume: ['volume', 'instance', 'zone', 'type'],
  zone: ['zone'],
  'spot-pool': ['pool', 'type', 'zone', 'capacity'],
};
const SAMPLE: Record<string, string> = {
  instance: 'i-0123456789abcdef0',
  name: 'web-1',
  host: 'use1-az1-r01-h01',
  volume: 'vol-0123456789abcdef0',
  zone: 'use1-az1',
  type: 'm6i.large',
  pool: 'm6i.large use1-az1',
  capacity: '3',
  magnitude: '2',
};

const RANGE = /^\s*([^.\s]+(?:\.\d+)?)\s*\.\.\s*([^.\s]+(?:\.\d+)?)\s*$/;

/** A duration or a window `"5m..25m"`, inside [0, `end`); `past` says what `end` is, where it is not the level's. */
export function timeRange(
  f: Field,
  end: number,
  expected = 'a time such as 20:00 or a window such as 5m..25m',
  past = `before the level ends at ${end} s`,
): Range {
  const text = typeof f.value === 'number' ? String(f.value) : f.string(undefined, expected);
  const parts = RANGE.exec(text);
  const [a, b] = parts
    ? [parseDuration(parts[1]!), parseDuration(parts[2]!)]
    : [parseDuration(text), parseDuration(text)];
  if (a === null || b === null) f.fail(expected);
  if (b < a) f.fail(`${expected}, earliest first`);
  if (b >= end) f.fail(`${expected}, ${past}`);
  return { min: a, max: b };
}

/** A number or a range `"1.5..3"` within [lo, hi]; whole numbers only when `whole`. */
export function numberRange(f: Field, lo: number, hi: number, whole: boolean): Range {
  const kind = whole ? 'a whole number' : 'a number';
  const expected = `${kind} from ${lo} to ${hi}, or a range such as ${whole ? `${lo}..${Math.min(hi, lo + 2)}` : '1.5..3'}`;
  const text = typeof f.value === 'number' ? String(f.value) : typeof f.value === 'string' ? f.value : f.fail(expected);
  // Numbers as a command writes them, without leading zeros (`01..2` is refused, as `--count 01` is).
  const parts = /^\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?)\s*(?:\.\.\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?)\s*)?$/.exec(text);
  if (!parts) f.fail(expected);
  const min = Number(parts[1]);
  const max = parts[2] === undefined ? min : Number(parts[2]);
  if ((whole && (!Number.isInteger(min) || !Number.isInteger(max))) || min < lo || max > hi) f.fail(expected);
  if (max < min) f.fail(`${expected}, smallest first`);
  return { min, max };
}

const SELECTOR_FIELDS: Record<TargetKind, readonly string[]> = {
  instance: ['kind', 'workload', 'zone', 'type', 'market'],
  host: ['kind', 'workload', 'zone', 'minInstances'],
  volume: ['kind', 'workload', 'zone', 'type'],
  zone: ['kind', 'workload'],
  'spot-pool': ['kind', 'zone', 'type', 'inUse'],
};

/**
 * A target set. `workloads` and `zones` are the level's, so a misspelt name is refused at load
 * rather than matching nothing in play.
 */
export function selector(
  f: Field,
  workloads: readonly string[],
  zones: ReadonlyMap<string, string>,
  fixedKind?: TargetKind,
): Selector {
  const kind = fixedKind ?? f.at('kind').oneOf(TARGET_KINDS);
  f.keys(fixedKind ? SELECTOR_FIELDS[kind].filter((k) => k !== 'kind') : SELECTOR_FIELDS[kind]);
  const workload = f.at('workload').or(null, (w) => {
    const name = w.string();
    if (!workloads.includes(name)) w.fail(`a workload of this level (${workloads.join(', ') || 'none defined'})`);
    return name;
  });
  const zone = f.at('zone').or(null, (z) => {
    const id = zones.get(z.string());
    return id ?? z.fail('a zone of this level');
  });
  return {
    kind,
    workload,
    zone,
    type: f
      .at('type')
      .or(null, (t) =>
        t.string(
          /^[a-z0-9]+(\.[a-z0-9]+)?$/,
          kind === 'volume' ? 'a volume type such as gp2' : 'an instance type such as m6i.large',
        ),
      ),
    market: f.at('market').or(null, (m) => m.oneOf(MARKETS)),
    minInstances: f.at('minInstances').or(kind === 'host' ? 1 : 0, (m) => m.int(1, 1000)),
    inUse: f.at('inUse').or(false, (u) => u.boolean()),
  };
}

/** Fills `{name}` placeholders; unknown ones are left as written. */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * Magnitudes a range can draw that a command may refuse where another draw would pass: its ends,
 * and for a range of fractions one that is not whole (a command taking a whole number refuses it).
 * Drawn as inject-plan.ts draws them: whole when both ends are, else to hundredths.
 */
function magnitudeProbes(r: Range): number[] {
  if (r.min === r.max || (Number.isInteger(r.min) && Number.isInteger(r.max))) return [r.min, r.max];
  const half = Math.floor(r.min) + 0.5;
  return [r.min, r.max, half >= r.min && half <= r.max ? half : Math.round((r.min + r.max) * 50) / 100];
}

function checkedCommand(f: Field, text: string): Command {
  try {
    return parseCommand(text);
  } catch (err) {
    if (err instanceof ParseError) throw new InputError(`${f.source}: ${f.path}: ${err.message}`);
    throw err;
  }
}

export function injectSpec(
  f: Field,
  end: number,
  workloads: readonly string[],
  zones: ReadonlyMap<string, string>,
): InjectSpec {
  f.keys(['at', 'probability', 'count', 'target', 'magnitude', 'command']);
  const at = timeRange(f.at('at'), end);
  const target = f.at('target').or(null, (t) => selector(t, workloads, zones));
  const magnitude = f.at('magnitude').or(null, (m) => numberRange(m, 0, LIMITS.magnitude, false));
  const command = f.at('command').string(undefined, 'a command such as fail-host {host}');
  // One line, as a command at the prompt is: a newline or a tab, even at an end, is not taken off unseen.
  if (CONTROL_IN_LINE.test(command))
    f.at('command').fail('a command on one line, without tabs or other control characters');
  const allowed = [...(target ? TARGET_PLACEHOLDERS[target.kind] : []), ...(magnitude ? ['magnitude'] : [])];
  for (const m of command.matchAll(/\{(\w+)\}/g)) {
    const name = m[1]!;
    if (!allowed.includes(name) || (name === 'capacity' && !magnitude)) {
      f.at('command').fail(
        `placeholders this inject fills (${
          allowed
            .filter((p) => p !== 'capacity' || magnitude)
            .map((p) => `{${p}}`)
            .join(', ') || 'none: give a target or a magnitude'
        }), not {${name}}`,
      );
    }
  }
  // A brace left once the placeholders are taken out (`{name`, `{}`) would reach the command as it is.
  if (/[{}]/.test(command.replace(/\{\w+\}/g, '')))
    f.at('command').fail(`a command whose braces are placeholders only, such as {${allowed[0] ?? 'host'}}`);
  const { verb } = checkedCommand(f.at('command'), fillPlaceholders(command, SAMPLE));
  // The scenario acts on the world; a responder's own verbs (hint, ack, note) are the player's.
  if (VERB_TABLE.get(verb)!.scope === 'game')
    f.at('command').fail(`a command that acts on the world, not ${verb}, which is the responder's own`);
  if (magnitude && command.includes('{magnitude}'))
    for (const m of magnitudeProbes(magnitude)) {
      try {
        parseCommand(fillPlaceholders(command, { ...SAMPLE, magnitude: String(m) }));
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        f.at('magnitude').fail(`a range whose every draw the command takes (${m} gives: ${err.message})`);
      }
    }
  return {
    at,
    probability: f.at('probability').or(1, (p) => p.number(0, 1)),
    count: f.at('count').or({ min: 1, max: 1 }, (c) => numberRange(c, 1, LIMITS.count, true)),
    target,
    magnitude,
    command,
  };
}

/** A host failure rate: per host per hour, or an annual failure rate sped up for the level. */
function hostFailureRate(f: Field): number {
  const perHour = f.at('ratePerHostHour');
  const afr = f.at('afr');
  if (perHour.present && afr.present) afr.fail('either afr (with speedup) or ratePerHostHour, not both');
  if (perHour.present) {
    if (f.at('speedup').present) f.at('speedup').fail('nothing: speedup goes with afr');
    return perHour.number(0, LIMITS.ratePerHostHour);
  }
  if (!afr.present) afr.fail(`an annual failure rate from 0 to ${LIMITS.afr} (with speedup), or ratePerHostHour`);
  const rate = (afr.number(0, LIMITS.afr) * f.at('speedup').or(1, (s) => s.number(1, LIMITS.speedup))) / HOURS_PER_YEAR;
  if (rate > LIMITS.ratePerHostHour)
    f.at('speedup').fail(`a speedup that keeps the rate within ${LIMITS.ratePerHostHour} per host per hour`);
  return rate;
}

export function processSpec(
  f: Field,
  end: number,
  workloads: readonly string[],
  zones: ReadonlyMap<string, string>,
): ProcessSpec {
  const kind = f.at('kind').oneOf(PROCESS_KINDS);
  const during = (d: Field) => d.or({ min: 0, max: end - 1 }, (x) => timeRange(x, end, 'a window such as 5m..35m'));
  const max = (m: Field) => m.or(3, (x) => x.int(0, LIMITS.processMax));
  switch (kind) {
    case 'host-failures':
      f.keys(['kind', 'hosts', 'afr', 'speedup', 'ratePerHostHour', 'during', 'max']);
      return {
        kind,
        hosts: f.at('hosts').or(selectorDefault('host'), (h) => selector(h, workloads, zones, 'host')),
        ratePerHostHour: hostFailureRate(f),
        during: during(f.at('during')),
        max: max(f.at('max')),
      };
    case 'spot-walk': {
      f.keys(['kind', 'pool', 'every', 'step', 'floor', 'ceiling', 'during']);
      const floor = f.at('floor').or(0, (x) => x.number(0, 1));
      const ceiling = f.at('ceiling').or(1, (x) => x.number(0, 4));
      if (ceiling < floor) f.at('ceiling').fail(`a share at least floor (${floor})`);
      const every = f.at('every').or(300, (x) => {
        const r = timeRange(x, end, 'a period such as 5m');
        if (r.min !== r.max || r.min < LIMITS.minEvery) x.fail(`a period of at least ${LIMITS.minEvery} s, such as 5m`);
        return r.min;
      });
      return {
        kind,
        pool: f.at('pool').or(selectorDefault('spot-pool'), (p) => selector(p, workloads, zones, 'spot-pool')),
        every,
        step: f.at('step').or(0.2, (x) => x.number(0, 1)),
        floor,
        ceiling,
        during: during(f.at('during')),
      };
    }
    case 'demand-surges': {
      f.keys(['kind', 'workload', 'ratePerHour', 'factor', 'length', 'during', 'max']);
      const w = f.at('workload');
      const workload = w.string();
      if (!workloads.includes(workload)) w.fail(`a workload of this level (${workloads.join(', ') || 'none defined'})`);
      return {
        kind,
        workload,
        ratePerHour: f.at('ratePerHour').number(0, LIMITS.ratePerHour),
        factor: f.at('factor').or({ min: 1.5, max: 3 }, (x) => numberRange(x, 1, 10, false)),
        length: f.at('length').or({ min: 300, max: 600 }, (x) => {
          const r = timeRange(
            x,
            LIMITS.surgeSeconds + 1,
            'a length such as 5m..10m',
            `at most ${LIMITS.surgeSeconds} s (24h)`,
          );
          if (r.min < LIMITS.minEvery) x.fail(`a length of at least ${LIMITS.minEvery} s, such as 5m..10m`);
          return r;
        }),
        during: during(f.at('during')),
        max: max(f.at('max')),
      };
    }
  }
}

function selectorDefault(kind: TargetKind): Selector {
  return {
    kind,
    workload: null,
    zone: null,
    type: null,
    market: null,
    minInstances: kind === 'host' ? 1 : 0,
    inUse: false,
  };
}
