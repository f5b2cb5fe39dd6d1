// Playing a session at wall-clock pace with its outside interfaces up: every running instance's
// IMDS, and the control endpoint a trainee's handler acts through. Prints the endpoints, then a
// line per notable event, until the level ends or Ctrl-C.
import { ControlServer } from '../control/server.js';
import { InputError } from '../game/input-error.js';
import type { Session } from '../game/session.js';
import { ImdsServer, ListenError, type EndpointNotice } from '../imds/server.js';
import { MAX_SPEED, Pacer } from '../runtime/pacer.js';
import { formatClock, type SimEvent } from '../sim/index.js';
import { wholeNumber, type OptionSpec } from './args.js';


export const REALTIME_OPTIONS: Record<string, OptionSpec> = {
  speed: { value: true, help: `simulated seconds per real second, up to ${MAX_SPEED} (default 1)` },
  'imds-port': { value: true, help: 'first instance\'s IMDS port; the next ones follow (default: any free ports)' },
  'control-port': { value: true, help: 'port of the control endpoint for handlers (default: any free port)' },
};

export interface RealtimeOptions {
  speed: number;
  imdsPort: number;
  controlPort: number;
}

export function realtimeOptions(command: string, options: Record<string, string | true>): RealtimeOptions {
  const text = options.speed;
  const speed = text === undefined ? 1 : text === true || !/^\d+(\.\d+)?$/.test(text) ? NaN : Number(text);
  if (!(speed > 0 && speed <= MAX_SPEED)) throw new InputError(`${command}: --speed expects a number above 0 and at most ${MAX_SPEED}, got '${text}'`);
  const port = (name: string) => {
    const value = wholeNumber(command, name, options[name], 0);
    if (value > 65535) throw new InputError(`${command}: --${name} expects a port from 1 to 65535 (or 0 for any free port), got ${value}`);
    return value;
  };
  return { speed, imdsPort: port('imds-port'), controlPort: port('control-port') };
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

/** What someone watching wants to hear about: warnings, errors, refusals, and handlers' commands. */
const notable = (e: SimEvent) => e.level !== 'info' || e.kind === 'incident-acknowledged';

/** Runs the session to its end (or Ctrl-C) in real time; returns why it stopped. */
export async function runRealtime(command: string, session: Session, options: RealtimeOptions): Promise<string> {
  const imds = new ImdsServer(session, { basePort: options.imdsPort });
  const control = new ControlServer(session, { port: options.controlPort, imdsEndpoint: (id) => imds.endpointOf(id) });
  let controlUrl: string;
  try {
    await imds.start();
    controlUrl = await control.start();
  } catch (err) {
    await imds.close();
    if (err instanceof ListenError) throw new InputError(`${command}: ${err.message}; choose another --imds-port`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`${command}: the control endpoint cannot listen (${code}); choose another --control-port`);
    throw err;
  }
  console.log(`${session.level.id}  ${session.level.title}, at ${options.speed}x (Ctrl-C to stop)`);
  console.log(`control    ${controlUrl}  (POST /commands, GET /state)`);
  for (const { instanceId, url } of imds.list()) console.log(`${label(session, instanceId).padEnd(32)}  ${url}`);
  const quiet = [
    imds.onEndpoint((notice) => console.log(noticeLine(session, notice))),
    session.onEvents((events) => {
      for (const e of events) if (notable(e)) console.log(`${formatClock(e.tick)}  ${e.message}`);
    }),
  ];

  let pacer: Pacer | undefined;
  const reason = await new Promise<string>((resolve) => {
    const interrupted = () => resolve(`stopped at ${formatClock(session.tick)}`);
    process.once('SIGINT', interrupted);
    pacer = new Pacer(session, {
      speed: options.speed,
      onFinish: () => {
        process.off('SIGINT', interrupted);
        resolve('the level is over');
      },
    });
    pacer.start();
  });
  pacer?.stop();
  for (const stop of quiet) stop();
  await control.close();
  await imds.close();
  return reason;
}
