// `fleetops imds <level> [--seed N] [--player NAME] [--speed X] [--imds-port P] [--control-port P] [--handler CMD] [--start now]`: plays a level
// in real time with every running instance's metadata service up on loopback, so an outside
// handler can poll it (and act through the control endpoint).
import { InputError } from '../../input/input-error.js';
import { Session } from '../../game/session.js';
import { summarize } from '../../game/summary.js';
import { parseArgs, type OptionSpec, type Subcommand } from '../args.js';
import { loadLevel } from '../files.js';
import { playerName, playerOption, REALTIME_OPTIONS, realtimeOptions, seedOption } from '../options.js';
import { formatSummary } from '../output.js';
import { runRealtime, startingNow } from '../realtime.js';

const IMDS_OPTIONS: Record<string, OptionSpec> = {
  seed: { value: true, help: "the random seed (default: the level's)" },
  ...playerOption(),
  ...REALTIME_OPTIONS,
};

async function imdsCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('imds', argv, IMDS_OPTIONS);
  if (positionals.length !== 1)
    throw new InputError('imds: expected one level file or id, e.g. fleetops imds 01-first-shift --imds-port 9100');
  const realtime = realtimeOptions('imds', options);
  const player = playerName(options);
  const level = loadLevel(positionals[0]!);
  const session = new Session(
    realtime.startNow ? startingNow(level, Date.now()) : level,
    seedOption('imds', options) ?? level.defaultSeed,
  );
  session.player = player;
  const { reason } = await runRealtime('imds', session, realtime);
  console.log(`\n${reason}\n${formatSummary(summarize(session))}`);
  return 0;
}

export default {
  summary: "play a level in real time with each running instance's metadata service on loopback",
  positionals: '<level>',
  options: IMDS_OPTIONS,
  run: imdsCommand,
} satisfies Subcommand;
