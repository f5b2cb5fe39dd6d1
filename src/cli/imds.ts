// `fleetops imds <level> [--seed N] [--speed X] [--imds-port P]`: plays a level in real time with
// every running instance's metadata service up on loopback, so an outside handler can poll it.
// Prints the endpoints, then a line per notable event, until the level ends or Ctrl-C.
import { InputError } from '../game/input-error.js';
import { Session } from '../game/session.js';
import { summarize } from '../game/summary.js';
import { ImdsServer, ListenError, type EndpointNotice } from '../imds/server.js';
import { Pacer, SPEEDS } from '../runtime/pacer.js';
import { formatClock, type SimEvent } from '../sim/index.js';
import { parseArgs, wholeNumber, type OptionSpec } from './args.js';
import { loadLevel } from './files.js';
import { formatSummary } from './run.js';

const MAX_SPEED = Math.max(...SPEEDS);

export const IMDS_OPTIONS: Record<string, OptionSpec> = {
  seed: { value: true, help: 'the random seed (default: the level\'s)' },
  speed: { value: true, help: `simulated seconds per real second, up to ${MAX_SPEED} (default 1)` },
  'imds-port': { value: true, help: 'first instance\'s port; the next ones follow (default: any free ports)' },
};

function speedOption(text: string | true | undefined): number {
  if (text === undefined) return 1;
  const speed = text === true || !/^\d+(\.\d+)?$/.test(text) ? NaN : Number(text);
  if (!(speed > 0 && speed <= MAX_SPEED)) throw new InputError(`imds: --speed expects a number above 0 and at most ${MAX_SPEED}, got '${text}'`);
  return speed;
}

function portOption(text: string | true | undefined): number {
  const port = wholeNumber('imds', 'imds-port', text, 0);
  if (port > 65535) throw new InputError(`imds: --imds-port expects a port from 1 to 65535 (or 0 for any free ports), got ${port}`);
  return port;
}

function label(session: Session, instanceId: string): string {
  const name = session.world.instances[instanceId]?.name;
  return name ? `${instanceId} ${name}` : instanceId;
}

function noticeLine(session: Session, notice: EndpointNotice): string {
  const clock = formatClock(session.tick);
  if (notice.kind === 'open') return `${clock}  IMDS up: ${label(session, notice.instanceId)}  ${notice.url}`;
  if (notice.kind === 'closed') return `${clock}  IMDS down: ${label(session, notice.instanceId)} (was ${notice.url})`;
  return `${clock}  ${notice.message}`;
}

/** What a player watching the endpoints wants to hear about: warnings, errors, refusals. */
const notable = (e: SimEvent) => e.level !== 'info';

export async function imdsCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('imds', argv, IMDS_OPTIONS);
  if (positionals.length !== 1) throw new InputError('imds: expected one level file or id, e.g. fleetops imds 01-first-shift --imds-port 9100');
  if (options.seed === true) throw new InputError('imds: --seed needs a value');
  const speed = speedOption(options.speed);
  const basePort = portOption(options['imds-port']);
  const level = loadLevel(positionals[0]!);
  const session = new Session(level, options.seed ?? level.defaultSeed);

  const server = new ImdsServer(session, { basePort });
  try {
    await server.start();
  } catch (err) {
    if (err instanceof ListenError) throw new InputError(`imds: ${err.message}; choose another --imds-port`);
    throw err;
  }
  console.log(`${level.id}  ${level.title}: IMDS endpoints (Ctrl-C to stop)`);
  for (const { instanceId, url } of server.list()) console.log(`${label(session, instanceId).padEnd(32)}  ${url}`);
  const quiet = [
    server.onEndpoint((notice) => console.log(noticeLine(session, notice))),
    session.onEvents((events) => {
      for (const e of events) if (notable(e)) console.log(`${formatClock(e.tick)}  ${e.message}`);
    }),
  ];

  let pacer: Pacer | undefined;
  const reason = await new Promise<string>((resolve) => {
    const interrupted = () => resolve(`stopped at ${formatClock(session.tick)}`);
    process.once('SIGINT', interrupted);
    const finished = () => {
      process.off('SIGINT', interrupted);
      resolve('the level is over');
    };
    pacer = new Pacer(session, { speed, onFinish: finished });
    pacer.start();
  });
  pacer?.stop();
  for (const stop of quiet) stop();
  await server.close();
  console.log(`\n${reason}\n${formatSummary(summarize(session))}`);
  return 0;
}
