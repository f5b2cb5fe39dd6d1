// `fleetops play [level] [--seed N] [--speed X] [--imds-port P]`, and `fleetops` alone: the level
// in the dashboard, at wall-clock pace, with each running instance's metadata service on loopback.
import { basename } from 'node:path';
import { InputError } from '../game/input-error.js';
import { Session } from '../game/session.js';
import { summarize } from '../game/summary.js';
import { ImdsServer, ListenError } from '../imds/server.js';
import { Pacer } from '../runtime/pacer.js';
import { formatClock } from '../sim/index.js';
import { Dashboard } from '../tui/dashboard.js';
import { guardTerminal, openScreen } from '../tui/screen.js';
import { createTheme, wantsNoColor } from '../tui/theme.js';
import { parseArgs, type OptionSpec } from './args.js';
import { levelFiles, loadLevel } from './files.js';
import { REALTIME_OPTIONS, realtimeOptions } from './realtime.js';
import { formatSummary } from './run.js';

export const PLAY_OPTIONS: Record<string, OptionSpec> = {
  seed: { value: true, help: 'the random seed (default: the level\'s)' },
  speed: REALTIME_OPTIONS.speed!,
  'imds-port': REALTIME_OPTIONS['imds-port']!,
};

/** Real milliseconds between dashboard frames: quick enough that keys feel immediate. */
const FRAME_MS = 50;

async function startImds(session: Session, port: number): Promise<ImdsServer | string> {
  const imds = new ImdsServer(session, { basePort: port });
  try {
    await imds.start();
    return imds;
  } catch (err) {
    if (err instanceof ListenError) return `IMDS not started: ${err.message}`;
    throw err;
  }
}

export async function playCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('play', argv, PLAY_OPTIONS);
  if (positionals.length > 1) throw new InputError('play: expected at most one level file or id, e.g. fleetops play 01-first-shift');
  if (options.seed === true) throw new InputError('play: --seed needs a value');
  const { speed, imdsPort } = realtimeOptions('play', options);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new InputError('play: the dashboard needs a terminal, and stdin or stdout is not one; for a headless run use fleetops run <level>');
  }
  const level = loadLevel(positionals[0] ?? basename(levelFiles()[0]!, '.json'));
  const session = new Session(level, options.seed ?? level.defaultSeed);
  const imds = await startImds(session, imdsPort);

  const screen = openScreen();
  const theme = createTheme(wantsNoColor(process.env));
  let dashboard: Dashboard | null = null;
  const pacer = new Pacer(session, { speed, frameMs: FRAME_MS, onFrame: () => dashboard?.frame() });
  const teardown = guardTerminal(screen, () => {
    pacer.stop();
    dashboard?.detach();
  });
  const quit = new Promise<void>((resolve) => {
    dashboard = new Dashboard({ session, clock: pacer, screen, theme, imds: typeof imds === 'string' ? undefined : imds, onQuit: resolve });
  });
  const name = (id: string) => session.world.instances[id]?.name ?? id;
  if (typeof imds === 'string') dashboard!.note('warn', imds);
  else {
    for (const e of imds.list()) dashboard!.note('info', `IMDS up: ${name(e.instanceId)} ${e.url}`);
    imds.onEndpoint((n) => dashboard?.note(n.kind === 'failed' ? 'warn' : 'info', n.kind === 'failed' ? n.message : `IMDS ${n.kind === 'open' ? 'up' : 'down'}: ${name(n.instanceId)} ${n.url}`));
  }
  pacer.start();
  await quit;
  teardown();
  if (typeof imds !== 'string') await imds.close();
  console.log(formatSummary(summarize(session)));
  if (!session.finished) console.log(`quit at ${formatClock(session.tick)} of ${formatClock(level.duration)}, before the level's end`);
  return session.finished && !session.score().won ? 1 : 0;
}
