// The exercise control endpoint: a small HTTP API on loopback through which a trainee's own
// handler (a shell script with curl, a Node or Python program) acts on the running exercise with
// the same commands the prompt takes. It submits text to the session as the 'handler' and reads
// state; it never touches the world itself.
//
//   POST /commands   body: one command (text/plain, or JSON {"command": "..."})
//                    200 {"status":"applied","tick":N,"command":"..."} once the tick has applied it
//                    422 {"status":"refused","tick":N,"reason":"..."} when the model refuses it
//                    400 {"status":"invalid","reason":"..."} when it does not parse
//   GET  /state      the clock, instances (with their IMDS endpoints), incidents and the score
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from '../game/session.js';
import { formatClock, parseCommand, ParseError, type SimEvent } from '../sim/index.js';

export interface ControlOptions {
  host?: string;
  port?: number;
  /** The IMDS endpoint of an instance, when the metadata service is up. */
  imdsEndpoint?: (instanceId: string) => string | null;
}

const MAX_BODY = 4096;

interface Waiting {
  text: string;
  resolve: (outcome: { status: number; body: object }) => void;
}

export class ControlServer {
  private server: Server | null = null;
  private readonly waiting: Waiting[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly session: Session,
    private readonly options: ControlOptions = {},
  ) {}

  /** Listens and returns the endpoint's base URL. */
  async start(): Promise<string> {
    this.unsubscribe = this.session.onEvents((events) => this.settle(events));
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const w of this.waiting.splice(0)) w.resolve({ status: 409, body: { status: 'over', reason: 'the exercise ended before the command was applied' } });
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers waiting handlers as the session applies or refuses their commands. */
  private settle(events: readonly SimEvent[]): void {
    for (const e of events) {
      const text = e.kind === 'command-applied' ? e.message : e.kind === 'command-refused' ? String(e.data?.command ?? '') : null;
      if (text === null) continue;
      const i = this.waiting.findIndex((w) => w.text === text);
      if (i < 0) continue;
      const [w] = this.waiting.splice(i, 1);
      w!.resolve(
        e.kind === 'command-applied'
          ? { status: 200, body: { status: 'applied', tick: e.tick, clock: formatClock(e.tick), command: text } }
          : { status: 422, body: { status: 'refused', tick: e.tick, clock: formatClock(e.tick), command: text, reason: e.message } },
      );
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/state') {
      if (req.method !== 'GET') return reply(405, { status: 'invalid', reason: 'use GET' }, { allow: 'GET' });
      return reply(200, this.state());
    }
    if (path !== '/commands') return reply(404, { status: 'invalid', reason: 'no such endpoint; use POST /commands or GET /state' });
    if (req.method !== 'POST') return reply(405, { status: 'invalid', reason: 'use POST with the command as the body' }, { allow: 'POST' });

    const raw = await readBody(req);
    if (raw === null) return reply(413, { status: 'invalid', reason: `a command is at most ${MAX_BODY} bytes` });
    const line = commandText(raw, req.headers['content-type']);
    if (line === null) return reply(400, { status: 'invalid', reason: 'send the command as text, or JSON {"command": "..."}' });
    if (this.session.finished) return reply(409, { status: 'over', reason: 'the exercise is over' });
    let text: string;
    try {
      text = parseCommand(line).text;
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      // Submitted all the same, so the session's record shows the handler's mistake.
      this.session.submit(line, 'handler');
      return reply(400, { status: 'invalid', reason: err.message });
    }
    const outcome = new Promise<{ status: number; body: object }>((resolve) => this.waiting.push({ text, resolve }));
    // A command the session will not queue (a scenario verb) is refused at once, settling the wait.
    this.session.submit(line, 'handler');
    const { status, body } = await outcome;
    reply(status, body);
  }

  private state(): object {
    const s = this.session;
    return {
      tick: s.tick,
      clock: formatClock(s.tick),
      finished: s.finished,
      instances: Object.values(s.world.instances).map((i) => ({
        id: i.id,
        name: i.name,
        type: i.type,
        zone: i.zoneId,
        state: i.state,
        market: i.market,
        workload: i.workload,
        privateIp: s.world.enis[i.eniId]?.privateIp ?? null,
        publicIp: s.world.enis[i.eniId]?.publicIp ?? null,
        securityGroups: (s.world.enis[i.eniId]?.securityGroupIds ?? []).map((id) => s.world.securityGroups[id]?.name ?? id),
        imds: this.options.imdsEndpoint?.(i.id) ?? null,
      })),
      incidents: s.incidents.map((i) => ({ id: i.id, severity: i.severity, state: i.state, title: i.title })),
      score: (({ points, max, grade, won }) => ({ points, max, grade, won }))(s.score()),
    };
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) tooBig = true;
    });
    req.on('end', () => resolve(tooBig ? null : body));
    req.on('error', () => resolve(null));
  });
}

function commandText(raw: string, contentType: string | undefined): string | null {
  if (!contentType?.includes('json')) return raw.trim() || null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    const command = (parsed as { command?: unknown }).command;
    return typeof command === 'string' && command.trim() ? command : null;
  } catch {
    return null;
  }
}
