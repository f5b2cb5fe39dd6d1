// Reports in three formats from one model of the report.
import type { Session } from '../game/session.js';
import { buildReport, type RunContext } from './build.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(session: Session, format: ReportFormat, context: RunContext = {}): string {
  const report = buildReport(session, context);
  if (format === 'md') return renderMarkdown(report);
  if (format === 'html') return renderHtml(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

export { buildReport, REPORT_SCHEMA, type Report, type RunContext } from './build.js';
