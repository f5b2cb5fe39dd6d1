// The exercise control endpoint: a small HTTP API on loopback through which a trainee's own
// handler (a shell script with curl, a Node or Python program) acts on the running exercise with
// the same commands the prompt takes. It submits text to the session as the 'handler' and reads
// state; it never touches the world itself.
//
//   POST /commands   body: one command (text/plain, or JSON {"command": "..."})
//                    200 {"status":"applied","tick":N,"command":"..."} once the tick has applied it
//                    422 {"status":"refused","tick":N,"code":"...","reason":"..."} when the model refuses it
//                        (code: EC2's error code, null for a refusal of fleetops' own)
//                    400 {"status":"invalid","reason":"..."} when it does not parse
//   GET  /state      the clock (and how far it is behind the real one), instances (with their IMDS
//                    endpoints), incidents and the score
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseContentType } from 'content-type';
import { MIMEType } from 'node:util';
import type { Session, Ticket } from '../game/session.js';
import {
  closeAfter,
  dialledHosts,
  foreignRequest,
  headerCount,
  harden,
  levelDate,
  MAX_BODY_BYTES,
  NOT_UTF8,
  readBody,
  CUT_OFF,
  SERVER_OPTIONS,
} from '../runtime/loopback-http.js';
import { parseJson } from '../input/fields.js';
import { InputError } from '../input/input-error.js';
import { formatClock, refusalCode, refusalOf, type SimEvent } from '../sim/index.js';

export interface ControlOptions {
  port?: number;
  /** The bearer token handlers must send; a fresh random one by default. */
  token?: string;
  /** The IMDS endpoint of an instance, when the metadata service is up. */
  imdsEndpoint?: (instanceId: string) => string | null;
  /** The same as from a container on the instance, one network hop further. */
  imdsContainerEndpoint?: (instanceId: string) => string | null;
  /** Simulated seconds the world is behind the real clock (see Pacer.behind); 0 without it. */
  behind?: () => number;
}

interface Answer {
  status: number;
  body: object;
}

/** A control request as the handler grading sees it: what was asked and what was answered. */
export interface ControlRecord {
  tick: number;
  method: string;
  path: string;
  status: number;
  /** The command's text, for POST /commands. */
  command?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
/** Why a request Node could not read is refused, by status (see answerUnreadable). */
const UNREADABLE_REASON: Record<number, string> = {
  405: 'no tunnel is made here; use GET /state or POST /commands',
  408: 'the request took too long to arrive',
  417: 'the only expectation met is 100-continue',
  431: "the request's headers are too large",
  505: 'the endpoint speaks HTTP/1.1 (or 1.0)',
};

/**
 * The endpoint a trainee's handler acts through, on 127.0.0.1 only: `POST /commands` (the command
 * as text, or JSON `{"command": "..."}`) answers with that command's own outcome, found by its
 * ticket; `GET /state` lists instances (with their IMDS endpoints), incidents and the score.
 * Every request needs `Authorization: Bearer <token>` (401 without it); any `Origin` header or a
 * `Host` other than the address and port dialled gets 403; a body over MAX_BODY_BYTES gets 413.
 */
export class ControlServer {
  /** The per-run bearer token. */
  readonly token: string;
  private server: Server | null = null;
  private readonly waiting = new Map<Ticket, (answer: Answer) => void>();
  private readonly requestListeners = new Set<(record: ControlRecord) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly session: Session,
    private readonly options: ControlOptions = {},
  ) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
  }

  /** Listens on 127.0.0.1 and returns the endpoint's base URL. */
  async start(): Promise<string> {
    this.unsubscribe = this.session.onEvents((events) => this.settle(events));
    const server = createServer(SERVER_OPTIONS, (req, res) => void this.handle(req, res));
    harden(server, {
      onOversized: (req, res) => this.tooLarge(req, res),
      noContinue: (req) => this.refusal(req, pathOf(req)) !== null,
      unreadable: (status) => ({
        // On the level's clock, as every answer is.
        headers: { ...JSON_HEADERS, date: levelDate(this.session) },
        body: `${JSON.stringify({ status: 'invalid', reason: UNREADABLE_REASON[status] ?? 'the request is not HTTP that fleetops can read' })}\n`,
      }),
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const answer of this.waiting.values())
      answer({ status: 409, body: { status: 'over', reason: 'the exercise ended before the command was applied' } });
    this.waiting.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every answered request, as it is answered. */
  onRequest(listener: (record: ControlRecord) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** Answers waiting handlers as the session applies or refuses their commands, by ticket. */
  private settle(events: readonly SimEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'command-applied' && e.kind !== 'command-refused') continue;
      const ticket = e.data?.ticket;
      const answer = typeof ticket === 'number' ? this.waiting.get(ticket) : undefined;
      if (!answer) continue;
      this.waiting.delete(ticket as number);
      answer(outcomeAnswer(e));
    }
  }

  /** Why the request's token is refused, or null when it is this run's. */
  private unauthorized(req: IncomingMessage): string | null {
    if (headerCount(req, 'authorization') > 1) return 'send one Authorization header, not several';
    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined)
      return 'send Authorization: Bearer <token>, the token printed when the exercise starts (FLEETOPS_CONTROL_TOKEN)';
    const given = Buffer.from(bearer);
    const expected = Buffer.from(this.token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
    return "the token is not this run's: each run prints a new one when it starts (FLEETOPS_CONTROL_TOKEN)";
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    const body = `${JSON.stringify({ status: 'invalid', reason: `a request body is at most ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes` })}\n`;
    // The level's time, as every other answer's: a handler under libfaketime reads no other clock.
    res.sendDate = false;
    closeAfter(req, res, 413, { ...JSON_HEADERS, date: levelDate(this.session) }, body);
    this.record(req, 413);
  }

  /**
   * What a request gets on its request line and headers alone, in this order: another HTTP
   * version than 1.0 or 1.1 505, a web page's or a foreign Host 403, no token 401, no such endpoint or
   * method 404 or 405, a body that would not be read as sent (see unreadableBody); null when its
   * body is to be read (or /state answered). Decided before `100 Continue`, so that a client
   * waiting for it sends no body to a request already refused.
   */
  private refusal(
    req: IncomingMessage,
    path: string | null,
  ): { status: number; kind: string; reason: string; headers?: Record<string, string> } | null {
    if (req.httpVersionMajor !== 1) return { status: 505, kind: 'invalid', reason: UNREADABLE_REASON[505]! };
    const foreign = foreignRequest(req, dialledHosts(req.socket));
    if (foreign) return { status: 403, kind: 'forbidden', reason: foreign };
    const unauthorized = this.unauthorized(req);
    if (unauthorized)
      return { status: 401, kind: 'unauthorized', reason: unauthorized, headers: { 'www-authenticate': 'Bearer' } };
    if (path === null)
      return {
        status: 403,
        kind: 'forbidden',
        reason: `the request names another host than ${dialledHosts(req.socket)[0]}`,
      };
    if (path === '/state')
      return req.method === 'GET' || req.method === 'HEAD'
        ? null
        : { status: 405, kind: 'invalid', reason: 'use GET', headers: { allow: 'GET, HEAD' } };
    if (path !== '/commands')
      return { status: 404, kind: 'invalid', reason: 'no such endpoint; use POST /commands or GET /state' };
    if (req.method !== 'POST')
      return {
        status: 405,
        kind: 'invalid',
        reason: 'use POST with the command as the body',
        headers: { allow: 'POST' },
      };
    const unreadable = unreadableBody(req);
    return unreadable && { ...unreadable, kind: 'invalid', headers: { 'accept-encoding': 'identity' } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    const reply = (status: number, body: object, headers: Record<string, string> = {}, command?: string) => {
      const text = `${JSON.stringify(body)}\n`;
      res.sendDate = false;
      res
        .writeHead(status, {
          ...JSON_HEADERS,
          'content-length': String(Buffer.byteLength(text)),
          date: levelDate(this.session),
          ...headers,
        })
        .end(text);
      this.record(req, status, command);
    };
    const refused = this.refusal(req, path);
    if (refused) {
      const { status, kind, reason, headers } = refused;
      // A body the client may still be sending is not read as a next request.
      if (req.method === 'POST') res.shouldKeepAlive = false;
      return reply(
        status,
        { status: kind, reason },
        { ...headers, ...(req.method === 'POST' ? { connection: 'close' } : {}) },
      );
    }
    if (path === '/state') return reply(200, this.state());
    const raw = await readBody(req);
    // The parser's refusal (408) has answered a body that stalled.
    if (raw === CUT_OFF) return;
    if (raw === null) return this.tooLarge(req, res);
    if (raw === NOT_UTF8) return reply(400, { status: 'invalid', reason: 'the body is not UTF-8 text' });
    const line = commandText(raw, req.headers['content-type']);
    if (typeof line !== 'string') return reply(400, { status: 'invalid', reason: line.refused });
    if (this.session.finished) return reply(409, { status: 'over', reason: 'the exercise is over' }, {}, line);
    const ticket = this.session.enqueue(line, 'handler');
    // Refused at once (it does not parse, or it is a scenario's verb): no tick needed.
    const at = this.session.outcome(ticket);
    const { status, body } = at
      ? outcomeAnswer(at)
      : await new Promise<Answer>((resolve) => this.waiting.set(ticket, resolve));
    reply(status, body, {}, line);
  }

  private record(req: IncomingMessage, status: number, command?: string): void {
    const record: ControlRecord = {
      tick: this.session.tick,
      method: req.method ?? '-',
      path: (req.url ?? '/').split('?')[0]!.slice(0, 200),
      status,
      ...(command === undefined ? {} : { command }),
    };
    for (const listener of this.requestListeners) listener(record);
  }

  private state(): object {
    const s = this.session;
    return {
      tick: s.tick,
      clock: formatClock(s.tick),
      // A busy machine can leave the world's clock a few seconds behind the real one, and so behind a
      // handler's clock that runs with it: the handler can allow for it.
      behind: this.options.behind?.() ?? 0,
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
        securityGroups: (s.world.enis[i.eniId]?.securityGroupIds ?? []).map(
          (id) => s.world.securityGroups[id]?.name ?? id,
        ),
        imds: this.options.imdsEndpoint?.(i.id) ?? null,
        imdsFromContainer: this.options.imdsContainerEndpoint?.(i.id) ?? null,
      })),
      incidents: s.incidents.map((i) => ({ id: i.id, severity: i.severity, state: i.state, title: i.title })),
      // Won or lost only once the level has ended; before, whether the objectives hold so far.
      score: (({ points, max, grade, won, objectives }) => ({
        points,
        max,
        grade,
        objectivesMet: objectives.every((o) => o.met),
        won,
      }))(s.score()),
    };
  }
}

/** The answer to a command from its outcome event: applied 200, refused 422, unparsable 400. */
function outcomeAnswer(e: SimEvent): Answer {
  const command = String(e.data?.command ?? '');
  if (e.kind === 'command-applied')
    return { status: 200, body: { status: 'applied', tick: e.tick, clock: formatClock(e.tick), command } };
  if (e.subject === 'parse') return { status: 400, body: { status: 'invalid', reason: e.message } };
  return {
    status: 422,
    body: {
      status: 'refused',
      tick: e.tick,
      clock: formatClock(e.tick),
      command,
      code: refusalCode(e),
      // The command is given beside it: the reason alone, read alike for every refusal.
      reason: refusalOf(e),
    },
  };
}

/**
 * The path a request asks for: of its target's origin form (`/commands?x`), or of its absolute
 * form (`http://127.0.0.1:PORT/commands`), which HTTP/1.1 servers take too (RFC 9112 §3.2.2) and
 * whose authority must then be the one dialled, as a Host would be; null when it is another.
 */
function pathOf(req: IncomingMessage): string | null {
  const target = req.url ?? '/';
  if (target.startsWith('/')) return target.split('?')[0]!;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return '';
  }
  return url.protocol === 'http:' && dialledHosts(req.socket).includes(url.host.toLowerCase()) ? url.pathname : null;
}

const SEND_A_COMMAND = 'send the command as text, or JSON {"command": "..."}';

/** What `curl --data` sends a body as: taken for text, as curl users send commands so. */
const FORM = 'application/x-www-form-urlencoded';

/** Character sets whose text is UTF-8 byte for byte: ASCII is a part of it. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The codings a Content-Encoding or Transfer-Encoding header lists (RFC 9110 §8.4), in lower case. */
const codings = (header: string | undefined): string[] =>
  (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');

/**
 * Why a body cannot be read as sent, with the status that says so, or null. It is read as UTF-8
 * text as it comes, so one compressed (Content-Encoding, or a transfer coding Node does not undo:
 * all but chunked) or in another character set (a `charset` parameter) would be read as something
 * else than was sent. A Content-Type is read as RFC 9110 §8.3 writes it (by the `content-type`
 * package); one that does not parse, or gives its charset twice, is read two ways by two readers.
 */
function unreadableBody(req: IncomingMessage): { status: 400 | 415 | 501; reason: string } | null {
  const encoding = req.headers['content-encoding'];
  if (codings(encoding).some((c) => c !== 'identity'))
    return {
      status: 415,
      reason: `the body is read as sent: send it without Content-Encoding (${encoding!.slice(0, 40)})`,
    };
  const transfer = req.headers['transfer-encoding'];
  if (codings(transfer).some((c) => c !== 'chunked'))
    return {
      status: 501,
      reason: `the body is read as sent: send it with no transfer coding but chunked (${transfer!.slice(0, 40)})`,
    };
  // Node keeps the first of two Content-Type headers; a client or proxy may have meant the other.
  if (headerCount(req, 'content-type') > 1) return { status: 400, reason: 'send one Content-Type header, not several' };
  const type = req.headers['content-type'];
  if (type === undefined) return null;
  let charset: string | undefined;
  let essence: string;
  try {
    // A tab is as good as a space between parameters (RFC 9110 §5.6.3); the package takes spaces only.
    const parsed = parseContentType(type.replaceAll('\t', ' '));
    essence = parsed.type;
    charset = parsed.parameters.charset?.toLowerCase();
    // The URL standard's reader keeps a parameter's first value and drops one with spaces around
    // its "=", RFC 9110's reader here keeps the last and takes the spaces.
    const other = new MIMEType(type).params.get('charset')?.toLowerCase();
    if (charset !== other)
      return {
        status: 400,
        reason: `the charset reads two ways (${charset ?? 'none'} or ${other ?? 'none'}): give it once, as charset=utf-8, with no space around "="`,
      };
  } catch {
    return {
      status: 415,
      reason: `Content-Type ${JSON.stringify(type.slice(0, 60))} is not a media type such as text/plain or application/json; charset=utf-8`,
    };
  }
  if (!essence.startsWith('text/') && essence !== FORM && !isJson(type))
    return {
      status: 415,
      reason: `a command is sent as text (text/plain), or as JSON under application/json, not as ${essence.slice(0, 60)}`,
    };
  if (charset !== undefined && !UTF8_CHARSETS.has(charset))
    return {
      status: 415,
      reason: `the body is read as UTF-8: send charset=utf-8, or no charset (${charset.slice(0, 40)})`,
    };
  return null;
}

/**
 * Whether a body of this `Content-Type` is JSON: `application/json` or a `+json` type (RFC 6839),
 * with any parameters; a type that does not parse is not.
 */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  try {
    const { type, subtype } = new MIMEType(contentType);
    return type === 'application' && (subtype === 'json' || subtype.endsWith('+json'));
  } catch {
    return false;
  }
}

/**
 * The command line a body holds: the text itself, or a JSON body's `command`, the only key of its
 * one object, given once (read as fleetops reads its own files, see parseJson); else why not.
 */
function commandText(raw: string, contentType: string | undefined): string | { refused: string } {
  if (!isJson(contentType)) {
    const text = raw.trim();
    // No command starts with a brace: this is JSON sent as another type, as `curl --data` sends it.
    if (text.startsWith('{'))
      return {
        refused: 'the body looks like JSON: send it with Content-Type: application/json, or send the command as text',
      };
    return text || { refused: SEND_A_COMMAND };
  }
  try {
    const body = parseJson(raw, 'the body', MAX_BODY_BYTES);
    const command = body.keys(['command']).at('command');
    return command.value === undefined ? { refused: SEND_A_COMMAND } : command.string(/\S/, 'a command');
  } catch (err) {
    if (err instanceof InputError) return { refused: `${err.message}; ${SEND_A_COMMAND}` };
    throw err;
  }
}
