// What the subcommands print and write, in one place: the summary of a play, tables, the report
// format a path or --format asks for, and files written whole or not at all.
import { columns, pad } from '../text/width.js';
import { fstatSync, statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { InputError } from '../input/input-error.js';
import { hintChargeText } from '../game/score.js';
import { costPartsText, outcome, type Summary } from '../game/summary.js';
import type { Script } from '../game/script.js';
import type { Session } from '../game/session.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { counted, percentText } from '../sim/index.js';
import { makeFolder, noFilesAdvice, writeWhole } from '../store/index.js';
import { osError } from '../store/os-errors.js';

/** A play's summary as the aligned text `run`, `exercise` and the dashboard's exit print. */
export function formatSummary(s: Summary): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const states =
    Object.entries(s.instances)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ') || 'none';
  const lines = [
    `player     ${s.player || 'unnamed'}`,
    `level      ${s.level}  ${s.title}`,
    `seed       ${s.seed}`,
    `mode       ${s.mode}${s.mode === 'training' ? `, ${counted(s.hintsUsed, 'hint')} shown` : ''}`,
    `simulated  ${s.ticks} s, ${s.startedAt} to ${s.endedAt}`,
    `world      ${s.hash}`,
    `instances  ${states}`,
    ...s.workloads.map(
      (w, i) =>
        `${i === 0 ? 'workloads ' : '          '} ${w.name} (${w.kind}): ${percentText(w.servedPct, 2)} served, SLO met ${w.sloGoodSeconds}/${w.measuredSeconds} s, ${counted(w.failedRequests, 'request')} failed (SLO: ≤ ${w.slo.latencyMs} ms mean latency, ≥ ${+(w.slo.availability * 100).toFixed(3)}% served)`,
    ),
    `cost       ${usd(s.costUsd.total)} (${costPartsText(s.costUsd)})`,
    `events     ${s.events.total} (${counted(s.events.warnings, 'warning')}, ${counted(s.events.errors, 'error')}); your commands ${s.commands.applied} applied, ${s.commands.refused} refused`,
    `data lost  ${s.dataLostGB} GB${s.unavoidableDataLostGB ? `, ${s.unavoidableDataLostGB} GB of it before any response was possible (not charged)` : ''}`,
    ...s.incidents.map(
      (i, n) => `${n === 0 ? 'incidents ' : '          '} ${i.id} ${i.severity} ${i.state.padEnd(12)} ${i.title}`,
    ),
    ...s.score.objectives.map(
      (o, n) => `${n === 0 ? 'objectives' : '          '} [${o.met ? 'x' : ' '}] ${o.text} (${o.detail})`,
    ),
    `${s.finished ? 'score     ' : 'score so far'} ${s.score.points}/${s.score.max}, grade ${s.score.grade}, ${outcome(s)}`,
    ...s.score.components.map(
      (c) => `             ${c.name.padEnd(12)} ${String(c.points).padStart(4)}/${c.weight * 10}  ${c.detail}`,
    ),
    ...(s.score.hints.used
      ? [
          `             ${'hints'.padEnd(12)} ${String(-s.score.hints.points).padStart(4)}      ${hintChargeText(s.score.hints)}`,
        ]
      : []),
  ];
  return lines.join('\n');
}

/** A format's name or a file's extension as the format it names: markdown is md, htm is html. */
const formatNamed = (name: string) => (name === 'markdown' ? 'md' : name === 'htm' ? 'html' : name);

const isReportFormat = (name: string): name is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(name);

/**
 * The report format --format names, else the one `path`'s extension implies (md without either, or
 * for a path without an extension);
 * InputError otherwise, and when the two name different formats (`--format md` into `r.json`).
 */
export function reportFormat(command: string, path: string | undefined, format: string | undefined): ReportFormat {
  // A name without an extension (/dev/stdout, a file called report) implies none.
  const implied = path && extname(path) ? formatNamed(extname(path).slice(1)) : null;
  const chosen = format !== undefined ? formatNamed(format) : (implied ?? 'md');
  if (!isReportFormat(chosen)) {
    throw new InputError(
      `${command}: ${format ? `--format ${format}` : `cannot tell the report format from '${path}'`}; use md, json or html`,
    );
  }
  if (implied !== null && isReportFormat(implied) && implied !== chosen)
    throw new InputError(
      `${command}: --format ${format} but '${path}' ends in ${extname(path!)}; drop --format, or name the file for ${chosen}`,
    );
  return chosen;
}

/** Columns padded to their widest cell (in terminal columns), two spaces apart, with no trailing blanks. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(columns(h), ...rows.map((r) => columns(r[i]!))));
  return [head, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => pad(c, widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Each refused command of a headless play, on stderr after its summary: `refused at 10s: start
 * web-1: IncorrectInstanceState: …`, with the line of `script` it came from when a script gave it
 * (`plan.txt:3: refused at …`), so a script's author finds the line to change, and `scenario: `
 * before the level's own (a fault whose cause is still there, a failed host failed again), which
 * no responder gave.
 */
export function printRefusals(session: Session, script: Script | null = null): void {
  for (const e of session.events) {
    if (e.kind !== 'command-refused') continue;
    const lines = script && e.data?.source === 'script' ? scriptLinesOf(script, e.tick, String(e.data.command)) : [];
    const where = lines.length
      ? `${script!.source}:${lines.join(',')}: `
      : e.data?.source === 'scenario'
        ? 'scenario: '
        : '';
    console.error(`${where}refused at ${e.tick}s: ${e.message}`);
  }
}

/**
 * The lines of `script` that can have given `text` at `tick`: its `at` line for that second and
 * command, else each `on` line whose command, its placeholders filled in any way, reads `text`.
 */
function scriptLinesOf(script: Script, tick: number, text: string): number[] {
  const timed = script.timed.find((t) => t.tick === tick && t.command.text === text);
  if (timed) return [timed.line];
  return script.reactions.filter((r) => templatePattern(r.template).test(text)).map((r) => r.line);
}

/** A reaction's command as a pattern its filled-in commands match: each `{placeholder}` any text. */
const templatePattern = (template: string) =>
  new RegExp(
    `^${template
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  );

/** An ISO date to the second. */
export const shortDate = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/**
 * Where a command tells what it did while writing its output to `path`: standard error when that
 * output goes to standard output (`-`, /dev/stdout, or the file stdout is redirected to), so the
 * output stays whole for whatever reads it; else (or with no `path`) standard output.
 */
export function tellBeside(path: string | undefined): (line: string) => void {
  return path !== undefined && isStandardOutput(path) ? (line) => console.error(line) : (line) => console.log(line);
}

/** How a command names where it wrote `path`: `standard output` for what goes there (see isStandardOutput), else the path. */
export const outputName = (path: string) => (isStandardOutput(path) ? 'standard output' : path);

/** Whether `path` is where standard output goes (`/dev/stdout`, or the file it is redirected to). */
export function isStandardOutput(path: string): boolean {
  try {
    const out = fstatSync(1);
    const target = statSync(path);
    return out.dev === target.dev && out.ino === target.ino;
  } catch {
    // Not there yet, or no standard output to compare with: not the same.
    return false;
  }
}

/** Writes `text` to `path`, making its folder; an InputError naming the path if the system refuses. */
export function writeFileAtomic(path: string, text: string): void {
  makeFolder(dirname(path), 'the folder');
  try {
    writeWhole(path, text);
  } catch (err) {
    throw osError(path, 'write', err, noFilesAdvice(dirname(path), err));
  }
}
