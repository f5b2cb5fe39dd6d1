// What every local HTTP endpoint of fleetops (the metadata service, the control endpoint) does before
// it looks at a request: answer loopback peers only, refuse what a web page could send (any
// `Origin`, a `Host` that is not the address the client dialled, the DNS-rebinding tell), bound
// how many connections may be open and how long a slow one may take, and read at most a small body,
// refusing a larger one as soon as it is crossed, without keeping it.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Session } from '../game/session.js';
import { decodeUtf8 } from '../input/utf8.js';

/** Largest request body read, in bytes; a longer one gets 413. */
export const MAX_BODY_BYTES = 4096;

/**
 * Connections open at once, by default; further ones are closed on arrival, so a flood cannot
 * exhaust descriptors (a process may hold 1,024 by default).
 */
export const MAX_CONNECTIONS = 256;

/** A request's headers must arrive within this (ms), and the whole request within REQUEST_TIMEOUT_MS. */
const HEADERS_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 10000;

/**
 * Options for createServer: Node looks for requests past their time limits every
 * `connectionsCheckingInterval` ms, by default every 30 s, which would let a slow client hold a
 * connection six times as long as HEADERS_TIMEOUT_MS says. A request without a `Host` header
 * reaches foreignRequest, which says why it is refused, rather than getting Node's bare 400.
 */
export const SERVER_OPTIONS = { connectionsCheckingInterval: 1000, requireHostHeader: false } as const;
/** After refusing a body, what the client still sends is drained this long (ms) so it reads the answer, then cut off. */
const DRAIN_MS = 1000;

/** Parser failures Node reports before a request exists, and the status each gets (400 for the rest). */
const UNREADABLE_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  // HTTP/2's preface (PRI * HTTP/2.0), or a version Node's parser has no rules for (HTTP/3.0).
  HPE_PAUSED_H2_UPGRADE: 505,
  HPE_INVALID_VERSION: 505,
};

/** What an endpoint answers to a request it could not read: its headers and body for `status`. */
export type UnreadableAnswer = (status: number) => { headers: Record<string, string>; body: string };

/**
 * Answers a request Node could not read (headers too large or too slow, bad syntax) on its
 * socket, and closes the connection: what the client still sends is read and dropped for DRAIN_MS,
 * so that it reads the answer rather than a reset, and then the connection is cut whether or not
 * the client has closed its side. A connection only half closed would keep its place among the
 * server's MAX_CONNECTIONS: a flood of idle connections, each answered 408, would lock every other
 * client out for as long as the flood's sockets stayed open. Returns the status sent, or null when
 * the client was already gone.
 */
export function answerUnreadable(err: NodeJS.ErrnoException, socket: Socket, answer: UnreadableAnswer): number | null {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return null;
  }
  return answerOnSocket(socket, unreadableStatus(err), answer);
}

/**
 * The status for a request Node could not read (see UNREADABLE_STATUS). An HTTP/1.x request line
 * ended by a bare LF reads to Node's parser as a bad version: it is bad syntax (RFC 9112 §2.2 asks
 * for CRLF), not another version, and gets 400 rather than 505.
 */
function unreadableStatus(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): number {
  if (err.code === 'HPE_INVALID_VERSION' && /^[^\r\n]* HTTP\/1\.\d\n/.test(String(err.rawPacket ?? ''))) return 400;
  return UNREADABLE_STATUS[err.code ?? ''] ?? 400;
}

/** Answers `status` on the socket itself and closes the connection, as answerUnreadable says. */
function answerOnSocket(socket: Socket, status: number, answer: UnreadableAnswer): number {
  const { headers, body } = answer(status);
  const head = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // The parser has given up on this connection: what follows is not read as another request.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.on('end', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  return status;
}

/**
 * Bounds a server against floods: loopback peers only (others are reset before a byte is read),
 * at most `maxConnections` at once, slow requests timed out, and a client announcing a body over
 * the limit (`Expect: 100-continue`) refused before it sends it. A request `noContinue` picks out
 * (one refused on its headers alone, or never answered) gets no `100 Continue` either. A request
 * Node could not read gets `unreadable`'s answer (see answerUnreadable), then `onUnreadable` is told
 * its status; so do a CONNECT (405) and an expectation other than 100-continue (417).
 */
export interface Hardening {
  onOversized: (req: IncomingMessage, res: ServerResponse) => void;
  unreadable: UnreadableAnswer;
  onUnreadable?: (socket: Socket, status: number) => void;
  maxConnections?: number;
  noContinue?: (req: IncomingMessage) => boolean;
}

/** A `Date` header on the level's clock, which every time the endpoints report is on. */
export const levelDate = (session: Session) => new Date(session.world.epochMs + session.tick * 1000).toUTCString();

/** True for an IPv4 loopback address (127.0.0.0/8), also in its IPv4-mapped IPv6 spelling. */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

/** The IPv4 address a connection arrived at, without the IPv6 mapping prefix. */
export function localAddressOf(socket: Socket): string {
  return (socket.localAddress ?? '').replace(/^::ffff:/, '');
}

/**
 * Why a request must be refused before it is read (403), or null. `hosts` are the `Host` values
 * accepted on this connection, e.g. `127.0.0.1:9100`. A request names one of them in exactly one
 * `Host` header: Node keeps only the first of several, so a second could name another site unseen
 * (RFC 9112 section 3.2 has a server refuse a request with none or several), and every client of
 * these endpoints sends one.
 */
export function foreignRequest(req: IncomingMessage, hosts: readonly string[]): string | null {
  if (req.headers.origin !== undefined) return 'requests from web pages (with an Origin header) are refused';
  const named = headerCount(req, 'host');
  if (named !== 1)
    return `a request names its Host once, and this one ${named ? `names it ${named} times` : 'does not'}`;
  const host = req.headers.host!;
  if (!hosts.includes(host.toLowerCase())) return `Host '${host.slice(0, 100)}' is not ${hosts[0]}`;
  return null;
}

/**
 * How many times the request gives header `name` (lower case). Node keeps the first of a repeated
 * Host or Authorization and drops the rest, so a request that names two is told apart here.
 */
export function headerCount(req: IncomingMessage, name: string): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === name) count++;
  return count;
}

/** The `Host` values a client that dialled this connection's own address and port sends. */
export function dialledHosts(socket: Socket): string[] {
  const address = localAddressOf(socket);
  const port = socket.localPort;
  return address === '127.0.0.1' ? [`${address}:${port}`, `localhost:${port}`] : [`${address}:${port}`];
}

/** Hardens `server` as Hardening says. */
export function harden(
  server: Server,
  { onOversized, unreadable, onUnreadable, maxConnections = MAX_CONNECTIONS, noContinue = () => false }: Hardening,
): void {
  server.maxConnections = maxConnections;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = HEADERS_TIMEOUT_MS;
  server.on('connection', (socket: Socket) => {
    if (!isLoopback(socket.remoteAddress) || !isLoopback(socket.localAddress)) socket.resetAndDestroy();
  });
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (noContinue(req)) return void server.emit('request', req, res);
    if (declaredLength(req) > MAX_BODY_BYTES) return onOversized(req, res);
    res.writeContinue();
    server.emit('request', req, res);
  });
  // CONNECT asks for a tunnel, which no endpoint here makes: Node would drop it without a word.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => answerOnSocket(socket, 405, unreadable));
  // An expectation other than 100-continue cannot be met (RFC 9110 §10.1.1); Node's own 417 has no reason.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) =>
    answerOnSocket(res.socket!, 417, unreadable),
  );
  // The answer being sent on each connection, if one is: what the parser fails on after a request
  // (garbage pipelined behind it, a body refused unread) waits for that answer to go out. What it
  // fails on within a request not yet received whole (a body that stalls past its time) is that
  // request's own answer.
  const answering = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  // Connections whose last answer closed them: nothing the parser finds after it is answered.
  const closed = new WeakSet<Socket>();
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    answering.set(socket, { req, res });
    res.once('close', () => {
      answering.delete(socket);
      if (!res.shouldKeepAlive) closed.add(socket);
    });
  });
  const unreadableAnswered = (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = answerUnreadable(err, socket, unreadable);
    if (status !== null) onUnreadable?.(socket, status);
  };
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (closed.has(socket)) return void socket.end();
    const answer = answering.get(socket);
    // A request answered on its headers with the connection's close (a body refused unread) has had its last word.
    if (answer?.res.headersSent && !answer.res.shouldKeepAlive) return void socket.end();
    if (!answer?.req.complete) return unreadableAnswered(err, socket);
    // An answer that closes the connection is its last word; else this refusal follows it.
    const { res } = answer;
    res.once('finish', () => (res.shouldKeepAlive ? unreadableAnswered(err, socket) : socket.end()));
  });
}

const declaredLength = (req: IncomingMessage) => Number(req.headers['content-length'] ?? 0);

/** A body that is not UTF-8 text, as readBody gives it. */
export const NOT_UTF8 = Symbol('not UTF-8');

/** A body cut off before its end (its time ran out, or its client left), as readBody gives it: the connection has had its answer. */
export const CUT_OFF = Symbol('cut off');

/**
 * The request's body as text, null when it is longer than MAX_BODY_BYTES (reading stops the
 * moment the limit is crossed, or at once when `Content-Length` says so, and nothing more is
 * kept), NOT_UTF8 when its bytes are not UTF-8 (a body read with replacement characters would
 * be taken for another text than the one sent), or CUT_OFF when it never came whole.
 */
export function readBody(req: IncomingMessage): Promise<string | null | typeof NOT_UTF8 | typeof CUT_OFF> {
  if (declaredLength(req) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : (decodeUtf8(Buffer.concat(chunks)) ?? NOT_UTF8)));
    req.on('error', () => resolve(CUT_OFF));
    req.on('close', () => resolve(CUT_OFF));
  });
}

/**
 * Sends a refusal of an oversized body and closes the connection: what the client is still
 * sending is discarded unread for a moment (so it sees the answer rather than a reset), then cut.
 */
export function closeAfter(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  res.shouldKeepAlive = false;
  res
    .writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .end(body);
  req.on('data', () => {});
  req.resume();
  setTimeout(() => req.socket.destroy(), DRAIN_MS).unref();
}
