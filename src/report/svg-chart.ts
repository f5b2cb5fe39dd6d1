// Line charts as inline SVG, so an HTML report needs no scripts or network. Every series has its
// own colour, dash pattern and width (wider underneath), so lines that run together stay visible
// and the chart reads in grey and on paper; a legend names each. Time runs on the simulated wall
// clock with ticks at round minutes, and incidents are marked where they started and were mitigated.

export interface Series {
  name: string;
  values: number[];
}

/** A moment to mark on the time axis, e.g. an incident's start or its mitigation. */
export interface Marker {
  tick: number;
  /** What it marks, e.g. an incident id; markers of one kind at one tick share a label. */
  name: string;
  kind: 'start' | 'mitigated';
}

export interface ChartSpec {
  title: string;
  unit: string;
  /** Seconds since the level started, one per sample. */
  ticks: number[];
  /**
   * A series is styled by its place in this list, drawn or not, so charts given the same list
   * (the workloads' served and failed requests) draw each series alike.
   */
  series: Series[];
  markers: Marker[];
  /** The level's start, in seconds since 1970 (UTC): ticks fall on round minutes of the wall clock. */
  startEpochSeconds: number;
  /** Whole units only (instances): the value axis steps by whole numbers. */
  integer?: boolean;
}

// Colour-blind-safe (Okabe-Ito) with distinct dashes; widths fall so a later line sits inside an earlier one.
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 3', '12 4', '6 2 2 2'];
const WIDTHS = [4, 3, 2.4, 2, 1.8, 1.6, 1.5, 1.4];
const W = 760;
/** The chart's height down to the time axis labels, with the usual two rows of marker labels. */
const PLOT_H = 240;
const PAD = { left: 60, right: 16, top: 30, bottom: 30 };
const LEGEND_ROW = 18;
const LEGEND_COLUMN = 250;
const MARKER_COLOURS = { start: '#b91c1c', mitigated: '#15803d' };
/**
 * Marker labels sit in rows above the plot; a label goes to the first row where it overprints nothing,
 * and incidents close together open more rows (the plot moves down to make room), up to a limit past
 * which the row that ends first is shared.
 */
const LABEL_ROWS = 2;
const MAX_LABEL_ROWS = 8;
const LABEL_ROW = 11;
/** A generous width per character of 11px system-ui text, so labels are spaced, not packed. */
const CHAR_WIDTH = 6.2;

interface PlacedMarker extends Marker {
  label: string;
  row: number;
  textX: number;
  anchor: 'start' | 'end';
}

/**
 * Markers at the same tick and of the same kind share one line and one label (`INC-2, INC-3 start`);
 * labels are placed left to right, each in the first row where it clears the one before it.
 */
function markerLabels(markers: Marker[], x: (t: number) => number): PlacedMarker[] {
  const merged = new Map<string, Marker & { names: string[] }>();
  for (const m of markers) {
    const key = `${m.kind}@${m.tick}`;
    const seen = merged.get(key);
    if (seen) seen.names.push(m.name);
    else merged.set(key, { ...m, names: [m.name] });
  }
  const rowEnds: number[] = [];
  return [...merged.values()]
    .sort((a, b) => a.tick - b.tick || a.kind.localeCompare(b.kind))
    .map(({ names, ...m }) => {
      const label = `${names.join(', ')} ${m.kind}`;
      const width = label.length * CHAR_WIDTH;
      const at = x(m.tick);
      const anchor = at + 3 + width > W - PAD.right ? 'end' : 'start';
      const left = anchor === 'start' ? at + 3 : at - 3 - width;
      const free = rowEnds.findIndex((end) => end + 6 <= left);
      const row =
        free >= 0 ? free : rowEnds.length < MAX_LABEL_ROWS ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
      rowEnds[row] = left + width;
      return { ...m, label, row, textX: anchor === 'start' ? at + 3 : at - 3, anchor };
    });
}

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** A step of 1, 2 or 5 times a power of ten that divides `max` into at most `most` bands. */
function niceStep(max: number, most: number, integer: boolean): number {
  const raw = max / most;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return integer ? Math.max(1, Math.ceil(step)) : step;
}

/** Value-axis ticks from 0 past the largest value, on round numbers. */
export function valueTicks(max: number, integer = false): number[] {
  const top = max > 0 ? max : 1;
  const step = niceStep(top, 5, integer);
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 240];

/** Time-axis ticks on round wall-clock minutes, at most about eight of them. */
export function timeTicks(first: number, last: number, startEpochSeconds: number): number[] {
  const span = Math.max(60, last - first);
  const step = 60 * (MINUTE_STEPS.find((m) => span / (60 * m) <= 8) ?? 480);
  const firstWall = startEpochSeconds + first;
  const from = Math.ceil(firstWall / step) * step - startEpochSeconds;
  const out: number[] = [];
  for (let t = from; t <= last; t += step) out.push(t);
  return out;
}

const fmt = (n: number) =>
  Math.abs(n) >= 10000 ? `${Number((n / 1000).toPrecision(3))}k` : String(Number(n.toPrecision(6)));
const wallClock = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().slice(11, 16);

/** A series is worth a line only if it moves. */
export const moves = (s: Series) => s.values.some((v) => v !== s.values[0]);

/** A sentence for series that never moved, e.g. `queue length stayed at 0 outstanding I/Os throughout.` */
export function flatSentence(flat: Series[], unit: string): string {
  if (!flat.length) return '';
  const parts = flat.map((s) => `${s.name} at ${fmt(s.values[0] ?? 0)}`);
  return `Flat throughout, so not drawn: ${parts.join(', ')} (${unit}).`;
}

/**
 * A chart of the series that move, as a <figure>; series that never move are named in a sentence
 * instead, a chart with no moving series is only that sentence, and one with no series is nothing.
 */
export function lineChart(spec: ChartSpec): string {
  // A level without such series (no Spot pools) has nothing to chart or to say.
  if (!spec.series.length) return '';
  const drawn = spec.series.filter(moves);
  const flat = spec.series.filter((s) => !moves(s));
  const caption = `${escapeXml(spec.title)} <span class="unit">(${escapeXml(spec.unit)})</span>`;
  if (!drawn.length)
    return `<figure class="flat"><figcaption>${caption}</figcaption><p>${escapeXml(flatSentence(flat, spec.unit))}</p></figure>`;
  const { ticks } = spec;
  const first = ticks[0] ?? 0;
  const last = ticks[ticks.length - 1] ?? first + 1;
  const span = Math.max(1, last - first);
  const yTicks = valueTicks(Math.max(...drawn.flatMap((s) => s.values)), spec.integer);
  const yMax = yTicks[yTicks.length - 1]!;
  const x = (t: number) => PAD.left + ((t - first) / span) * (W - PAD.left - PAD.right);
  const placed = markerLabels(
    spec.markers.filter((m) => m.tick >= first && m.tick <= last),
    x,
  );
  // Rows of marker labels past the usual two push the plot down, keeping its own height.
  const labelRows = Math.max(LABEL_ROWS, ...placed.map((m) => m.row + 1));
  const padTop = PAD.top + (labelRows - LABEL_ROWS) * LABEL_ROW;
  const chartH = PLOT_H + padTop - PAD.top;
  const y = (v: number) => chartH - PAD.bottom - (v / yMax) * (chartH - padTop - PAD.bottom);
  const grid = yTicks.map(
    (v) =>
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`,
  );
  const xTicks = timeTicks(first, last, spec.startEpochSeconds).map(
    (t) =>
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${chartH - PAD.bottom}" y2="${chartH - PAD.bottom + 4}" stroke="#6b7280"/><text x="${x(t).toFixed(1)}" y="${chartH - 10}" text-anchor="middle">${wallClock(spec.startEpochSeconds + t)}</text>`,
  );
  const markers = placed.map((m) => {
    const mx = x(m.tick).toFixed(1);
    const colour = MARKER_COLOURS[m.kind];
    return `<g class="marker"><line x1="${mx}" x2="${mx}" y1="${padTop - 4}" y2="${chartH - PAD.bottom}" stroke="${colour}" stroke-width="1.2" stroke-dasharray="${m.kind === 'start' ? '5 3' : '2 2'}"/><text x="${m.textX.toFixed(1)}" y="${11 + m.row * LABEL_ROW}" text-anchor="${m.anchor}" fill="${colour}">${escapeXml(m.label)}</text></g>`;
  });
  const style = (s: Series) => {
    const i = spec.series.indexOf(s);
    return `stroke="${COLOURS[i % COLOURS.length]}" stroke-width="${WIDTHS[Math.min(i, WIDTHS.length - 1)]}" stroke-dasharray="${DASHES[i % DASHES.length]}"`;
  };
  const lines = drawn.map((s) => {
    const points = s.values.map((v, j) => `${x(ticks[j]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return `<polyline fill="none" ${style(s)} stroke-linejoin="round" points="${points}"><title>${escapeXml(s.name)}</title></polyline>`;
  });
  const perRow = Math.max(1, Math.floor((W - PAD.left) / LEGEND_COLUMN));
  const legend = drawn.map((s, i) => {
    const lx = PAD.left + (i % perRow) * LEGEND_COLUMN;
    const ly = chartH + 4 + Math.floor(i / perRow) * LEGEND_ROW;
    return `<g transform="translate(${lx},${ly})"><line x1="0" x2="30" y1="8" y2="8" ${style(s)}/><text x="38" y="12">${escapeXml(s.name)}</text></g>`;
  });
  const height = chartH + 8 + Math.ceil(drawn.length / perRow) * LEGEND_ROW;
  const note = flat.length ? `<p class="flat">${escapeXml(flatSentence(flat, spec.unit))}</p>` : '';
  return [
    `<figure><figcaption>${caption}</figcaption>`,
    `<svg viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeXml(`${spec.title}: ${drawn.map((s) => s.name).join(', ')}`)}" font-family="system-ui, sans-serif" font-size="11" fill="#374151">`,
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${chartH - PAD.bottom}" y2="${chartH - PAD.bottom}" stroke="#6b7280"/>`,
    grid.join(''),
    xTicks.join(''),
    lines.join(''),
    markers.join(''),
    `<g class="legend">${legend.join('')}</g>`,
    `</svg>${note}</figure>`,
  ].join('');
}
