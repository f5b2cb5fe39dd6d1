// Charts over time: EBS throughput and queue, Spot capacity and price, errors, the error budget
// left and the workloads' network traffic out. They draw the session's own samples (every
// SAMPLE_EVERY simulated seconds, the series the report charts too, but for the network's); a
// column averages more samples when the game runs faster, so the charts scroll at an even pace
// whatever the speed. Drawn as labelled sparklines rather than with blessed-contrib: its line
// chart needs about 50x12 cells for axes and a legend that do not cover the plot, and the charts
// panel has about 30x7 on an 80x24 terminal.
import { SAMPLE_EVERY, type Sample } from '../../game/metrics.js';
import { budgetOf } from '../../game/objectives.js';
import { formatSpan, type World } from '../../sim/index.js';
import { compact, fit, percent } from '../format.js';
import type { Theme } from '../theme.js';
import type { Panel } from './panel.js';

/** What a series may read besides the samples. */
export interface ChartContext {
  world: World;
  /** The level's SLO targets by workload: the share of seconds each must be within its limits. */
  sloTargets: ReadonlyMap<string, number>;
  /** The level's length: the budget is the whole level's, not the part played so far. */
  levelSeconds: number;
}

export interface Series {
  /** Name and unit in at most 13 columns, e.g. `EBS MiB/s`. */
  label: string;
  /** One value per sample, oldest first. */
  values(samples: readonly Sample[], context: ChartContext): number[];
  format(value: number): string;
  /** Charts of a share are drawn against 100%, not against their own peak. */
  ceiling?: number;
}

const each = <T>(record: Record<string, T>, value: (t: T) => number) =>
  Object.values(record).reduce((a, t) => a + value(t), 0);

/**
 * The error budget that will be left at the level's end if the rest of it stays within SLO, at each
 * sample, by the workload with the least: the final score's budget, projected. (Against the seconds
 * played so far instead, two bad minutes early on would read as the whole budget gone.)
 */
function budgetLeft(samples: readonly Sample[], { sloTargets, levelSeconds }: ChartContext): number[] {
  return samples.map((s) => {
    let worst = 1;
    const rest = Math.max(0, levelSeconds - s.tick);
    for (const [name, target] of sloTargets) {
      const seconds = s.workloads[name];
      // Samples saved before they counted seconds have nothing to say about the budget.
      if (seconds?.measuredSeconds !== undefined)
        worst = Math.min(
          worst,
          1 -
            budgetOf(
              { measuredSeconds: seconds.measuredSeconds + rest, goodSeconds: seconds.goodSeconds + rest },
              target,
            ).burn,
        );
    }
    return Math.max(0, worst);
  });
}

export const SERIES: readonly Series[] = [
  { label: 'EBS MiB/s', values: (ss) => ss.map((s) => s.ebs.deliveredMiBps), format: compact },
  { label: 'EBS max queue', values: (ss) => ss.map((s) => s.ebs.maxQueue), format: compact },
  { label: 'Spot capacity', values: (ss) => ss.map((s) => each(s.spot, (p) => p.capacity)), format: compact },
  {
    label: 'Spot price/OD',
    values: (ss, { world }) =>
      ss.map((s) => {
        const keys = Object.keys(s.spot).filter((k) => world.spotPools[k]);
        return keys.length
          ? keys.reduce((sum, k) => sum + s.spot[k]!.priceMicros / world.spotPools[k]!.onDemandMicros, 0) / keys.length
          : 0;
      }),
    format: percent,
    ceiling: 1,
  },
  { label: 'Errors/s', values: (ss) => ss.map((s) => each(s.workloads, (w) => w.errorRps)), format: compact },
  { label: 'Budget at end', values: budgetLeft, format: percent, ceiling: 1 },
  { label: 'Net out Mbps', values: (ss) => ss.map((s) => s.networkOutMbps ?? 0), format: compact },
];

/** Averages of `bucket` values each, the newest `columns` of them, oldest first. */
export function bucketed(values: readonly number[], columns: number, bucket: number): number[] {
  const recent = values.slice(-columns * bucket);
  // Buckets end at the newest value, so the last column is always the latest.
  const first = recent.length % bucket;
  const out: number[] = [];
  if (first) out.push(recent.slice(0, first).reduce((a, b) => a + b, 0) / first);
  for (let i = first; i < recent.length; i += bucket)
    out.push(recent.slice(i, i + bucket).reduce((a, b) => a + b, 0) / bucket);
  return out.slice(-columns);
}

const BLOCKS = ' ▁▂▃▄▅▆▇█';

/** Values as `rows` lines of block characters, right-aligned in `width`, scaled to `ceiling`. */
export function sparkline(values: readonly number[], width: number, rows: number, ceiling: number): string[] {
  const shown = values.slice(-width);
  const pad = ' '.repeat(Math.max(0, width - shown.length));
  const lines: string[] = [];
  for (let r = rows - 1; r >= 0; r--) {
    let line = pad;
    for (const v of shown) {
      const eighths = ceiling > 0 ? Math.round((Math.max(0, v) / ceiling) * rows * 8) : 0;
      // A non-zero value always shows at least the lowest block, so a trickle is not mistaken for nothing.
      line += BLOCKS[Math.min(8, Math.max(r === 0 && v > 0 ? 1 : 0, eighths - r * 8))];
    }
    lines.push(line);
  }
  return lines;
}

const LABEL = 13;
const VALUE = 6;

export class ChartsPanel implements Panel {
  readonly id = 'charts' as const;
  private span = 0;
  /** Series the panel had no row for at its last render: zoomed (z), it shows them all. */
  private hidden = 0;

  constructor(
    private readonly samples: () => readonly Sample[],
    private readonly context: () => ChartContext,
    /** Samples per chart column: more when the game runs faster. */
    private readonly bucket: () => number,
    private readonly theme: Theme,
  ) {}

  label(): string {
    // What is left out first: a narrow panel cuts its title short from the end.
    const more = this.hidden ? `, ${this.hidden} more: z` : '';
    return this.span ? `charts${more}, last ${formatSpan(this.span)}` : 'charts';
  }

  render(width: number, height: number): string[] {
    const samples = this.samples();
    if (samples.length === 0)
      return [this.theme.line([['dim', `no samples yet: one every ${SAMPLE_EVERY} simulated seconds`]], width)];
    const bucket = this.bucket();
    const shown = SERIES.slice(0, Math.max(1, Math.min(SERIES.length, height)));
    this.hidden = SERIES.length - shown.length;
    const rowsEach = Math.floor(height / shown.length);
    const sparkWidth = rowsEach >= 2 ? width : Math.max(1, width - LABEL - VALUE - 2);
    this.span = Math.min(samples.length, sparkWidth * bucket) * SAMPLE_EVERY;
    const lines: string[] = [];
    for (const s of shown) {
      const all = s.values(samples, this.context());
      const values = bucketed(all, sparkWidth, bucket);
      const ceiling = s.ceiling ?? Math.max(...values, 1e-9);
      const latest = s.format(all[all.length - 1] ?? 0);
      if (rowsEach >= 2) {
        const peak = s.ceiling ? '' : `  peak ${s.format(Math.max(...values))}`;
        lines.push(
          this.theme.line(
            [
              ['heading', s.label],
              ['plain', `  ${latest}`],
              ['dim', peak],
            ],
            width,
          ),
        );
        for (const row of sparkline(values, sparkWidth, rowsEach - 1, ceiling))
          lines.push(this.theme.paint('accent', row));
      } else {
        const [row] = sparkline(values, sparkWidth, 1, ceiling);
        lines.push(
          `${this.theme.paint('heading', fit(s.label, LABEL))} ${this.theme.paint('accent', row!)} ${this.theme.paint('plain', fit(latest, VALUE, 'right'))}`,
        );
      }
    }
    return lines;
  }

  move(): void {}

  pick(): void {}

  target(): null {
    return null;
  }
}
