// Playing a session at wall-clock pace with its outside interfaces up: the metadata service of
// every running instance, and the control endpoint a trainee's handler acts through. Prints the
// endpoints and the control token, starts the handler (`--handler`) with them in its environment,
// then a line per notable event, until the level ends or Ctrl-C.
import { pad } from '../text/width.js';
import { ControlServer } from '../control/server.js';
import { InputError } from '../input/input-error.js';
import type { Level } from '../game/level.js';
import type { Session } from '../game/session.js';
import { ImdsServer, ListenError, type EndpointNotice } from '../imds/server.js';
import { HandlerProcess, handlerClock, type HandlerClock } from '../runtime/handler-process.js';
import { Pacer } from '../runtime/pacer.js';
import { formatClock, type SimEvent } from '../sim/index.js';
import { systemReason } from '../store/os-errors.js';
import type { RealtimeOptions } from './options.js';

/** Real ms between frames: short, so the world's second turns close to when the handler's clock says. */
const FRAME_MS = 20;

/**
 * Real ms the endpoints stay up once the level is over, so that a handler polling /state sees it
 * finished and won or lost: the time a handler polling every 5 simulated seconds (as AWS advises
 * for the interruption notice) takes to look once more, and at least a second. A handler started
 * with --handler that exits sooner ends the wait.
 */
const endGraceMs = (speed: number) => Math.max(1000, 5000 / speed);

/**
 * Signals that stop a real-time play as Ctrl-C does, the handler and what it started stopped with
 * it and the report still written: a closed terminal's SIGHUP, and the SIGTERM of `kill`, `timeout`
 * or a supervisor.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Calls `stop` with the first of STOP_SIGNALS to arrive; returns what stops listening. */
function onStopSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  const quiet = () => STOP_SIGNALS.forEach((signal) => process.off(signal, heard));
  const heard = (signal: NodeJS.Signals) => {
    quiet();
    stop(signal);
  };
  STOP_SIGNALS.forEach((signal) => process.on(signal, heard));
  return quiet;
}

/** Waits out the end's grace (see endGraceMs): until it has passed, the handler has exited, or a stop signal. */
function endGrace(handler: HandlerProcess | null, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      quiet();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const quiet = onStopSignal(done);
    void handler?.whenExited().then(done);
  });
}

/** How a real-time play ended: why, in words, and the signal that stopped it before its end, if one did. */
export interface RealtimeEnd {
  reason: string;
  signal: NodeJS.Signals | null;
}

/** Endpoint lines printed at start; the rest are in GET /state. */
const LISTED_ENDPOINTS = 20;

/** The level as --start now plays it: its calendar moved to the current second. */
export function startingNow(level: Level, nowMs: number): Level {
  return { ...level, world: { ...level.world, epochMs: Math.floor(nowMs / 1000) * 1000 } };
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

function clockLine(clock: HandlerClock, session: Session, speed: number, handler: boolean): string {
  const start = new Date(session.world.epochMs + session.tick * 1000).toISOString();
  const level = `times in IMDS and HTTP Date headers are the level's: ${start} at ${speed}x`;
  if (clock.kind === 'real') return `clock      ${level}, not this machine's; ${clock.reason}`;
  return handler
    ? `clock      ${level}, and so is the handler's clock (libfaketime)`
    : `clock      ${level}; a handler started with --handler runs on it (libfaketime)`;
}

/** Runs the session to its end (or a stop signal, see STOP_SIGNALS) in real time; returns how it ended. */
export async function runRealtime(command: string, session: Session, options: RealtimeOptions): Promise<RealtimeEnd> {
  const imds = new ImdsServer(session, { port: options.imdsPort, containerPort: options.imdsContainerPort });
  // Made once the clock starts, below; asked before that, the world is not behind.
  let pacer: Pacer | undefined;
  const control = new ControlServer(session, {
    port: options.controlPort,
    imdsEndpoint: (id) => imds.endpointOf(id),
    imdsContainerEndpoint: (id) => imds.containerEndpointOf(id),
    behind: () => pacer?.behind() ?? 0,
  });
  let controlUrl: string;
  try {
    await imds.start();
    controlUrl = await control.start();
  } catch (err) {
    await imds.close();
    if (err instanceof ListenError)
      throw new InputError(`${command}: ${err.message}; choose other ports with --imds-port and --imds-container-port`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code)
      throw new InputError(
        `${command}: the control endpoint cannot listen on port ${options.controlPort}: ${systemReason(err)}; choose another --control-port`,
      );
    throw err;
  }
  const quiet: (() => void)[] = [];
  if (options.grade) {
    session.gradeHandler();
    quiet.push(
      imds.onRequest((r) =>
        session.recordHandlerRequest({
          kind: 'imds',
          tick: r.tick,
          instanceId: r.instanceId,
          method: r.method,
          path: r.path,
          status: r.status,
        }),
      ),
      control.onRequest((r) => session.recordHandlerRequest({ kind: 'control', ...r })),
    );
  }
  const endpoints = imds.list();
  const clock = handlerClock(session.world.epochMs + session.tick * 1000, options.speed);
  console.log(`${session.level.id}  ${session.level.title}, at ${options.speed}x (Ctrl-C to stop)`);
  console.log(`control    ${controlUrl}  (POST /commands, GET /state)`);
  console.log(`token      ${control.token}  (send Authorization: Bearer <token>)`);
  console.log(`imds       port ${imds.port}: each instance at its own 127.x.y.z, or ${imds.prefixBase}/<instance-id>`);
  console.log(
    `containers port ${imds.containerPort}: the same addresses as from a container on the instance, one network hop further`,
  );
  console.log(clockLine(clock, session, options.speed, options.handler !== null));
  for (const { instanceId, url } of endpoints.slice(0, LISTED_ENDPOINTS))
    console.log(`${pad(label(session, instanceId), 32)}  ${url}`);
  if (endpoints.length > LISTED_ENDPOINTS)
    console.log(`... and ${endpoints.length - LISTED_ENDPOINTS} more (GET /state lists every instance's endpoint)`);
  quiet.push(
    imds.onEndpoint((notice) => console.log(noticeLine(session, notice))),
    session.onEvents((events) => {
      for (const e of events) if (notable(e)) console.log(`${formatClock(e.tick)}  ${e.message}`);
    }),
  );

  let handler: HandlerProcess | null = null;
  if (options.handler) {
    const env = {
      FLEETOPS_CONTROL: controlUrl,
      FLEETOPS_CONTROL_TOKEN: control.token,
      FLEETOPS_IMDS_PORT: String(imds.port),
      FLEETOPS_IMDS_CONTAINER_PORT: String(imds.containerPort),
      ...(endpoints[0] ? { AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoints[0].url } : {}),
    };
    handler = new HandlerProcess(options.handler, env, clock, (line) => console.log(`handler    ${line}`));
  }

  const end = await new Promise<RealtimeEnd>((resolve) => {
    const quiet = onStopSignal((signal) =>
      resolve({ reason: `stopped at ${formatClock(session.tick)} (${signal})`, signal }),
    );
    // The world follows the real clock from this moment, as the handler's clock does.
    pacer = new Pacer(session, {
      speed: options.speed,
      anchored: true,
      frameMs: FRAME_MS,
      onFinish: () => {
        quiet();
        resolve({ reason: 'the level is over', signal: null });
      },
    });
    handler?.start();
    pacer.start();
  });
  pacer?.stop();
  if (session.finished) await endGrace(handler, endGraceMs(options.speed));
  await handler?.stop();
  for (const stop of quiet) stop();
  await control.close();
  await imds.close();
  return end;
}
