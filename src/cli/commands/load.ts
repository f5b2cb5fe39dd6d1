// `fleetops load <slot>`: a saved game resumed, replayed and checked against its world hash, in the
// dashboard, or headless to the level's end.
import { summarize } from '../../game/summary.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import {
  DASHBOARD_CLOCK_OPTIONS,
  headlessWhy,
  optionText,
  PLAY_END_OPTIONS,
  realtimeOptions,
  refuseDashboardOnly,
} from '../options.js';
import { isTerminal, playInDashboard } from '../dashboard.js';
import { formatSummary, printRefusals } from '../output.js';
import { planPlayEnd } from '../play-end.js';
import { resumeSlot } from '../resume-slot.js';

const LOAD_OPTIONS = {
  fast: { value: false, help: "load from the save's snapshot instead of replaying its commands" },
  level: { value: true, help: 'the level file, for a level outside the campaign' },
  headless: {
    value: false,
    help: 'run to the end and print the summary instead of opening the dashboard (so does --json, --save, or no terminal)',
  },
  json: { value: false, help: 'print the summary as JSON' },
  ...PLAY_END_OPTIONS,
  ...DASHBOARD_CLOCK_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

async function loadCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('load', argv, LOAD_OPTIONS);
  // The dashboard's options are checked whichever way the play goes on: a bad one is never ignored.
  realtimeOptions('load', options);
  if (!(options.headless || options.json || options.save !== undefined || !isTerminal())) {
    return playInDashboard(
      'load',
      options,
      async (_campaign, building) => {
        const { session, brief } = await resumeSlot('load', positionals, options, options.fast === true, building);
        return { session, resumed: brief };
      },
      [optionText(options, 'level')].filter((f) => f !== undefined),
    );
  }
  refuseDashboardOnly('load', options, headlessWhy(options, ['headless', 'json', 'save']));
  const endPlay = planPlayEnd(options);
  const { session, line } = await resumeSlot('load', positionals, options, options.fast === true);
  const level = session.level;
  (options.json ? console.error : console.log)(line);
  session.run(level.duration - session.tick);
  const summary = summarize(session);
  console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  // As run and exercise tell them: those of the play before the save, and after it.
  printRefusals(session);
  await endPlay(session);
  return 0;
}

export default {
  summary: 'resume a saved game (replayed and checked against its world hash) in the dashboard, or headless to its end',
  positionals: '<slot>',
  options: LOAD_OPTIONS,
  run: loadCommand,
} satisfies Subcommand;
