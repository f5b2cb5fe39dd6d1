// `fleetops class REPORTS… [--out class.html|md|json]`: many responders' JSON reports of one level
// compared in one page. A file of another schema or level is skipped with a line saying why; bad
// input (no reports, a missing or oversized file, too many files, an unknown format) exits 2.
import { statSync } from 'node:fs';
import { InputError } from '../../input/input-error.js';
import { NotUtf8 } from '../../input/utf8.js';
import { counted } from '../../sim/index.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { readText } from '../files.js';
import { optionText } from '../options.js';
import { outputOption } from '../output-path.js';
import { outputName, reportFormat, tellBeside, writeFileAtomic } from '../output.js';

/** Bounds on what a class reads: reports per class, bytes per report (a report of an hour's level is about 50 kB). */
const MAX_CLASS_REPORTS = 500;
const MAX_REPORT_BYTES = 5 * 1024 * 1024;

const CLASS_OPTIONS = {
  out: {
    value: true,
    help: 'write the class view here (its extension picks md, json or html) instead of printing Markdown',
  },
  format: { value: true, help: "md, json or html (default: from --out's extension, else md)" },
} as const satisfies Record<string, OptionSpec>;

async function classCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('class', argv, CLASS_OPTIONS);
  // The report modules (and the schema validator) load only when a class is asked for.
  const { buildClass, classBlocks } = await import('../../report/class.js');
  if (positionals.length === 0)
    throw new InputError(
      'class: expected JSON reports of one level, e.g. fleetops class reports/r-*.json --out class.html',
    );
  if (positionals.length > MAX_CLASS_REPORTS)
    throw new InputError(`class: ${positionals.length} files; at most ${MAX_CLASS_REPORTS} reports make one class`);
  const out = outputOption(options, 'out', positionals);
  const format = reportFormat('class', out, optionText(options, 'format'));
  const inputs = positionals.map((file) => {
    const size = (() => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    })();
    if (size > MAX_REPORT_BYTES)
      throw new InputError(
        `class: ${file}: ${size.toLocaleString('en-US')} bytes; a report is at most ${MAX_REPORT_BYTES.toLocaleString('en-US')} bytes`,
      );
    try {
      return { file, text: readText(file, MAX_REPORT_BYTES, 'a report') };
    } catch (err) {
      // Skipped like any other file that is not a report, rather than ending the class.
      if (err instanceof NotUtf8) return { file, text: null, notTextAt: err.line };
      throw err;
    }
  });
  const { view, skipped } = buildClass(inputs);
  for (const s of skipped) console.error(`fleetops: class: skipped ${s.file}: ${s.reason}`);
  if (!view) throw new InputError('class: none of the files is a fleetops/report@2 JSON report');
  const { htmlPage } = await import('../../report/html.js');
  const { markdownOf } = await import('../../report/markdown.js');
  const text =
    format === 'json'
      ? `${JSON.stringify(view, null, 2)}\n`
      : format === 'html'
        ? htmlPage(`fleetops class: ${view.level.title}`, classBlocks(view))
        : markdownOf(classBlocks(view));
  if (!out) {
    process.stdout.write(text);
    return 0;
  }
  writeFileAtomic(out, text);
  tellBeside(out)(
    `class      ${counted(view.rows.length, 'report')} of ${view.level.id}${view.skipped.length ? `, ${view.skipped.length} skipped` : ''}\nwritten    ${outputName(out)}`,
  );
  return 0;
}

export default {
  summary: `compare responders: JSON reports of one level (at most ${MAX_CLASS_REPORTS}, ${MAX_REPORT_BYTES / 1024 / 1024} MiB each) as one table with the spread and recurring action items`,
  positionals: '<report.json...>',
  options: CLASS_OPTIONS,
  run: classCommand,
} satisfies Subcommand;
