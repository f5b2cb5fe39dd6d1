// Charts a reader can use: round axes, clock ticks on whole minutes, one label per marked moment,
// and a sentence instead of a flat line.
import test from 'ava';
import { lineChart, timeTicks, valueTicks, type Marker } from '../../src/report/svg-chart.js';

const START = Date.parse('2026-03-03T08:00:00Z') / 1000;
const ticks = Array.from({ length: 241 }, (_, i) => i * 10);

test('value ticks are round numbers from 0 past the largest value; whole units step by whole numbers', (t) => {
  t.deepEqual(valueTicks(0.8), [0, 0.2, 0.4, 0.6, 0.8]);
  t.deepEqual(valueTicks(312), [0, 100, 200, 300, 400]);
  t.deepEqual(valueTicks(4, true), [0, 1, 2, 3, 4]);
  t.deepEqual(valueTicks(0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('time ticks fall on round wall-clock minutes, at most about eight', (t) => {
  const at = timeTicks(0, 2400, START + 25);
  t.true(at.length <= 8);
  t.true(at.every((tick) => (START + 25 + tick) % 300 === 0));
});

test('markers of one moment share a label, and labels that would overprint take another row', (t) => {
  const svg = lineChart({
    title: 'Requests served',
    unit: 'requests per second',
    ticks,
    startEpochSeconds: START,
    series: [{ name: 'web', values: ticks.map((x) => (x < 600 ? 300 : 0)) }],
    markers: [
      { tick: 500, name: 'INC-1', kind: 'start' },
      { tick: 500, name: 'INC-2', kind: 'start' },
      { tick: 520, name: 'INC-1', kind: 'mitigated' },
    ],
  });
  t.true(svg.includes('>INC-1, INC-2 start</text>'));
  const rows = [...svg.matchAll(/<text x="[\d.]+" y="(\d+)" text-anchor="\w+" fill="#[0-9a-f]+">INC/g)].map(
    (m) => m[1],
  );
  t.deepEqual(rows, ['11', '22']);
  t.true(svg.includes('>08:10</text>'));
});

test('incidents close together open more rows of labels, and the plot moves down to keep them clear', (t) => {
  const chart = (markers: Marker[]) =>
    lineChart({
      title: 'Requests served',
      unit: 'requests per second',
      ticks,
      startEpochSeconds: START,
      series: [{ name: 'web', values: ticks.map((x) => (x < 600 ? 300 : 0)) }],
      markers,
    });
  const close: Marker[] = [
    { tick: 300, name: 'INC-1', kind: 'start' },
    { tick: 310, name: 'INC-1', kind: 'mitigated' },
    { tick: 320, name: 'INC-2', kind: 'start' },
    { tick: 330, name: 'INC-2', kind: 'mitigated' },
  ];
  const svg = chart(close);
  const rows = [...svg.matchAll(/<text x="[\d.]+" y="(\d+)" text-anchor="\w+" fill="#[0-9a-f]+">INC/g)].map(
    (m) => m[1],
  );
  t.deepEqual(rows, ['11', '22', '33', '44']);
  // The marker lines and the value axis start below the fourth row, and the picture grows by two rows.
  t.regex(svg, /<line x1="[\d.]+" x2="[\d.]+" y1="48" /);
  const height = (text: string) => Number(/viewBox="0 0 \d+ (\d+)"/.exec(text)![1]);
  t.is(height(svg) - height(chart(close.slice(0, 1))), 22);
});

test('a series that never moves is a sentence, not a line; no series at all is nothing', (t) => {
  const flat = lineChart({
    title: 'EBS queue',
    unit: 'outstanding I/Os',
    ticks,
    startEpochSeconds: START,
    markers: [],
    series: [{ name: 'queue length', values: ticks.map(() => 0) }],
  });
  t.false(flat.includes('<svg'));
  t.true(flat.includes('Flat throughout, so not drawn: queue length at 0 (outstanding I/Os).'));
  t.is(
    lineChart({ title: 'Spot pools', unit: 'instances', ticks, startEpochSeconds: START, markers: [], series: [] }),
    '',
  );
});

test('a series is styled by its place among the series given, not among the lines drawn', (t) => {
  const moving = ticks.map((x) => (x < 600 ? 300 : 0));
  const flat = ticks.map(() => 0);
  const chart = (web: number[]) =>
    lineChart({
      title: 'Requests failed',
      unit: 'requests per second',
      ticks,
      startEpochSeconds: START,
      markers: [],
      series: [
        { name: 'web', values: web },
        { name: 'sessions', values: moving },
      ],
    });
  const sessionsLook = (svg: string) => /<polyline fill="none" (stroke="[^"]*")[^>]*><title>sessions</.exec(svg)![1];
  t.is(sessionsLook(chart(flat)), sessionsLook(chart(moving)), 'the same whether web is drawn before it or not');
});
