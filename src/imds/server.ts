// The metadata service over real HTTP: one loopback listener per running instance, opened when the
// instance starts running and closed when it stops, so a client changes only its endpoint to move
// from 169.254.169.254 to fleetops. Listeners follow the session after every tick.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Session } from '../game/session.js';
import type { Instance } from '../sim/types.js';
import { errorPage, failure, handleRequest, type ImdsResponse } from './handler.js';
import { RequestLog, type ImdsRequestRecord } from './request-log.js';
import { TokenStore } from './tokens.js';
import { systemWords } from '../store/os-errors.js';

export type { ImdsRequestRecord } from './request-log.js';

export interface ImdsOptions {
  host?: string;
  /** The n-th instance to run (from 0) listens on basePort + n; 0 lets the system pick free ports. */
  basePort?: number;
  /** Requests remembered per instance for recent(). */
  recentLimit?: number;
}

export type EndpointNotice =
  | { kind: 'open'; instanceId: string; url: string }
  | { kind: 'closed'; instanceId: string; url: string }
  | { kind: 'failed'; instanceId: string; message: string };

/** A listener that could not open, e.g. because its port is taken. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

interface Endpoint {
  server: Server;
  url: string | null;
  closed: boolean;
  /** Settles when the listener is up (true) or has failed to open (false). */
  ready: Promise<boolean>;
}

/** Parser failures Node reports before a request exists, and the status each gets. */
const MALFORMED_STATUS: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 };
const LOGGED_PATH_CHARS = 200;

/** The guest is up: IMDS answers only while the instance runs, and not at all with its endpoint disabled (HttpEndpoint). */
const servesImds = (inst: Instance) => inst.state === 'running' && inst.metadataOptions.httpEndpoint === 'enabled';

export class ImdsServer {
  readonly host: string;
  private readonly basePort: number;
  private readonly endpoints = new Map<string, Endpoint>();
  /** Each instance's place in the order instances first ran: its port is basePort + place. */
  private readonly places = new Map<string, number>();
  /** The port each instance listened on, kept so its endpoint does not move when it runs again. */
  private readonly ports = new Map<string, number>();
  private readonly tokens = new TokenStore();
  private readonly log: RequestLog;
  private readonly closing = new Set<Promise<void>>();
  private readonly requestListeners = new Set<(record: ImdsRequestRecord) => void>();
  private readonly endpointListeners = new Set<(notice: EndpointNotice) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly session: Session,
    options: ImdsOptions = {},
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.basePort = options.basePort ?? 0;
    this.log = new RequestLog(options.recentLimit ?? 100);
  }

  /** Opens the running instances' listeners and follows the session; rejects if one cannot listen. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    const failures: string[] = [];
    const stop = this.onEndpoint((n) => n.kind === 'failed' && failures.push(n.message));
    this.unsubscribe = this.session.onEvents(() => this.sync());
    this.sync();
    await Promise.all([...this.endpoints.values()].map((e) => e.ready));
    stop();
    if (failures.length > 0) {
      await this.close();
      throw new ListenError(failures[0]!);
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const id of [...this.endpoints.keys()]) this.closeEndpoint(id);
    await Promise.all(this.closing);
  }

  endpointOf(instanceId: string): string | null {
    return this.endpoints.get(instanceId)?.url ?? null;
  }

  /** Open endpoints, in the order their instances first ran. */
  list(): { instanceId: string; url: string }[] {
    return [...this.endpoints]
      .filter(([, e]) => e.url !== null)
      .map(([instanceId, e]) => ({ instanceId, url: e.url! }))
      .sort((a, b) => this.places.get(a.instanceId)! - this.places.get(b.instanceId)!);
  }

  recent(instanceId: string, n: number): ImdsRequestRecord[] {
    return this.log.recent(instanceId, n);
  }

  onRequest(listener: (record: ImdsRequestRecord) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  onEndpoint(listener: (notice: EndpointNotice) => void): () => void {
    this.endpointListeners.add(listener);
    return () => this.endpointListeners.delete(listener);
  }

  /** Opens listeners for instances that now run and closes those of instances that no longer do. */
  private sync(): void {
    const world = this.session.world;
    const running = Object.values(world.instances).filter(servesImds).sort((a, b) => a.launchSeq - b.launchSeq);
    const ids = new Set(running.map((i) => i.id));
    for (const id of [...this.endpoints.keys()]) if (!ids.has(id)) this.closeEndpoint(id);
    for (const inst of running) if (!this.endpoints.has(inst.id)) this.openEndpoint(inst.id);
  }

  private portFor(instanceId: string): number {
    if (!this.places.has(instanceId)) this.places.set(instanceId, this.places.size);
    return this.ports.get(instanceId) ?? (this.basePort === 0 ? 0 : this.basePort + this.places.get(instanceId)!);
  }

  private openEndpoint(instanceId: string): void {
    const server = createServer((req, res) => this.serve(instanceId, req, res));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.refuseMalformed(instanceId, err, socket));
    const endpoint: Endpoint = { server, url: null, closed: false, ready: Promise.resolve(false) };
    this.endpoints.set(instanceId, endpoint);
    endpoint.ready = this.listen(instanceId, endpoint, this.portFor(instanceId));
  }

  private listen(instanceId: string, endpoint: Endpoint, port: number): Promise<boolean> {
    const { server } = endpoint;
    return new Promise((resolve) => {
      const failed = (err: NodeJS.ErrnoException) => {
        server.off('listening', listening);
        // With system-chosen ports, a remembered port someone else took is not worth failing over.
        if (err.code === 'EADDRINUSE' && this.basePort === 0 && port !== 0) return resolve(this.listen(instanceId, endpoint, 0));
        const why = systemWords(err) ?? err.message;
        this.notify({ kind: 'failed', instanceId, message: `IMDS for ${instanceId} cannot listen on ${this.host}:${port}: ${why}` });
        resolve(false);
      };
      const listening = () => {
        server.off('error', failed);
        // Closed while the listener was still opening: it must not linger.
        if (endpoint.closed) return resolve(this.shut(server).then(() => false));
        const actual = (server.address() as AddressInfo).port;
        this.ports.set(instanceId, actual);
        endpoint.url = `http://${this.host}:${actual}`;
        this.notify({ kind: 'open', instanceId, url: endpoint.url });
        resolve(true);
      };
      server.once('error', failed);
      server.once('listening', listening);
      try {
        server.listen(port, this.host);
      } catch (err) {
        // A base port near the top of the range leaves later instances no valid port.
        server.off('error', failed);
        failed(err as NodeJS.ErrnoException);
      }
    });
  }

  private closeEndpoint(instanceId: string): void {
    const endpoint = this.endpoints.get(instanceId)!;
    this.endpoints.delete(instanceId);
    this.tokens.revoke(instanceId);
    endpoint.closed = true;
    if (endpoint.server.listening) void this.shut(endpoint.server);
    if (endpoint.url) this.notify({ kind: 'closed', instanceId, url: endpoint.url });
  }

  /** Stops accepting and drops kept-alive connections at once: the endpoint stops answering. */
  private shut(server: Server): Promise<void> {
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    this.closing.add(done);
    void done.then(() => this.closing.delete(done));
    return done;
  }

  private serve(instanceId: string, req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    let response: ImdsResponse;
    try {
      response = handleRequest(this.session, instanceId, { method, url, headers: req.headers }, this.tokens);
    } catch (err) {
      // A bug must not take every instance's metadata down with it; it is reported, not hidden.
      response = failure(500);
      this.notify({ kind: 'failed', instanceId, message: `IMDS request ${method} ${url} failed: ${(err as Error).stack ?? String(err)}` });
    }
    res.writeHead(response.status, response.headers).end(response.body);
    this.record(instanceId, method, url.split('?', 1)[0]!.slice(0, LOGGED_PATH_CHARS), response.status);
  }

  /** A request Node could not parse (oversized headers, bad syntax) still gets an answer, then the connection closes. */
  private refuseMalformed(instanceId: string, err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = MALFORMED_STATUS[err.code ?? ''] ?? 400;
    const page = errorPage(status);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nServer: EC2ws\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(page)}\r\nConnection: close\r\n\r\n${page}`);
    this.record(instanceId, '-', '-', status);
  }

  private record(instanceId: string, method: string, path: string, status: number): void {
    const record = { instanceId, method, path, status, tick: this.session.tick };
    this.log.add(record);
    for (const listener of this.requestListeners) listener(record);
  }

  private notify(notice: EndpointNotice): void {
    for (const listener of this.endpointListeners) listener(notice);
  }
}
