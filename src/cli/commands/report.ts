// `fleetops report <slot>`: the incident report of a saved play, as far as it had gone.
import { renderReport } from '../../report/index.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { optionText, playerOption, SAVES_OPTION } from '../options.js';
import { outputOption } from '../output-path.js';
import { outputName, reportFormat, tellBeside, writeFileAtomic } from '../output.js';
import { resumeSlot } from '../resume-slot.js';

const REPORT_OPTIONS = {
  format: { value: true, help: "md, json or html (default: from --out's extension, else md)" },
  out: { value: true, help: 'write the report here instead of printing it' },
  level: { value: true, help: 'the level file, for a level outside the campaign' },
  fast: { value: false, help: "report from the save's snapshot instead of replaying its commands" },
  ...playerOption(),
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** `fleetops report <slot>`: the incident report of a saved play, as far as it had gone. */
async function reportCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('report', argv, REPORT_OPTIONS);
  const out = outputOption(
    options,
    'out',
    [optionText(options, 'level')].filter((f) => f !== undefined),
  );
  const format = reportFormat('report', out, optionText(options, 'format'));
  const { session, line, replayedForFast } = await resumeSlot('report', positionals, options, options.fast === true);
  const report = renderReport(session, format);
  if (!out) {
    // The report takes the standard output: a --fast that replayed says why on the error output.
    if (replayedForFast) process.stderr.write(`${line}\n`);
    process.stdout.write(report);
    return 0;
  }
  writeFileAtomic(out, report);
  tellBeside(out)(`${line}\nreport     ${outputName(out)}`);
  return 0;
}

export default {
  summary: 'write the incident report of a saved play, as far as it had gone',
  positionals: '<slot>',
  options: REPORT_OPTIONS,
  run: reportCommand,
} satisfies Subcommand;
