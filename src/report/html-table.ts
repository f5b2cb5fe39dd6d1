import { escapeXml } from './svg-chart.js';

/** A plain HTML table; every cell is escaped text. */
export function htmlTable(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}
