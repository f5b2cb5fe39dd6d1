// The metadata service over real HTTP: one listening socket on one port answers for every instance.
// Each running instance is reached at a loopback address of its own (see addresses.ts), found from
// the address the connection arrived at, or at 127.0.0.1 under a path prefix of its ID. A second
// port answers as the instance's metadata service looks from a container on it, behind a bridge
// network: one network hop further, which is what the PUT response hop limit is about. Only
// loopback peers are answered. The server follows the session through the world's change journal,
// so keeping in step costs time in proportion to the instances that changed, not to the fleet.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Session } from '../game/session.js';
import {
  closeAfter,
  dialledHosts,
  foreignRequest,
  harden,
  levelDate,
  localAddressOf,
  readBody,
  CUT_OFF,
  SERVER_OPTIONS,
} from '../runtime/loopback-http.js';
import { beyondReach, cursor, tokenResponseReaches, touchedSince, type Cursor, type Instance } from '../sim/index.js';
import { addressOf, launchSeqOf, PREFIX_ADDRESS } from './addresses.js';
import { HeldRequests } from './held.js';
import { failure, handleRequest, type ImdsResponse } from './handler.js';
import { RequestLog, type ImdsRequestRecord } from './request-log.js';
import { TokenStore } from './tokens.js';
import { systemWords } from '../store/os-errors.js';

export type { ImdsRequestRecord } from './request-log.js';

export interface ImdsOptions {
  /** The one port every instance's address listens on; 0 (the default) lets the system pick. */
  port?: number;
  /**
   * The port every instance's address answers on as from a container on the instance, one network
   * hop beyond it (see tokenResponseReaches); 0 (the default) lets the system pick.
   */
  containerPort?: number;
  /** Requests remembered per instance for recent(). */
  recentLimit?: number;
}

export type EndpointNotice =
  | { kind: 'open'; instanceId: string; url: string }
  | { kind: 'closed'; instanceId: string; url: string }
  | { kind: 'failed'; instanceId: string; message: string };

/** The server could not listen, e.g. because its port is taken. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

const LOGGED_PATH_CHARS = 200;
/**
 * Connections open at once on the instances' port (a handler may keep one open to each of several
 * hundred instances) and on the containers' port; with the control endpoint's MAX_CONNECTIONS they
 * stay within the 1,024 descriptors a process may hold by default.
 */
const MAX_IMDS_CONNECTIONS = 512;
const MAX_CONTAINER_CONNECTIONS = 192;
/** Network hops between a client and its instance's metadata service, by the port it dialled. */
const HOPS = { instance: 0, container: 1 } as const;
/** An instance ID as the path-prefix form takes it: `/i-0abc.../latest/...`. */
const PREFIX_PATH = /^\/+(i-[0-9a-z]{1,40})(?=\/|$)/;

/**
 * The guest is up: IMDS answers only while the instance runs (with its endpoint disabled, it
 * answers 403 to everything: see handleRequest).
 */
const servesImds = (inst: Instance) => inst.state === 'running';

export class ImdsServer {
  private readonly requestedPort: number;
  private readonly requestedContainerPort: number;
  private servers: Server[] = [];
  private listenPort = 0;
  private containerListenPort = 0;
  /** Instance IDs by launch number, for instances in the world's table. */
  private readonly byLaunch = new Map<number, string>();
  /** Instances whose IMDS answers now. */
  private readonly serving = new Set<string>();
  private reader: Cursor = cursor('IMDS');
  private readonly tokens = new TokenStore();
  private readonly held = new HeldRequests();
  private readonly log: RequestLog;
  private readonly requestListeners = new Set<(record: ImdsRequestRecord) => void>();
  private readonly endpointListeners = new Set<(notice: EndpointNotice) => void>();
  private unsubscribe: (() => void) | null = null;
  private followed = false;

  constructor(
    private readonly session: Session,
    options: ImdsOptions = {},
  ) {
    this.requestedPort = options.port ?? 0;
    this.requestedContainerPort = options.containerPort ?? 0;
    this.log = new RequestLog(options.recentLimit ?? 100);
  }

  /** Listens (every loopback address; the instances' port and the containers') and follows the session; rejects with ListenError if it cannot. */
  async start(): Promise<void> {
    if (this.servers.length) return;
    try {
      this.servers.push(await this.listen(this.requestedPort, HOPS.instance, MAX_IMDS_CONNECTIONS, ''));
      this.servers.push(
        await this.listen(this.requestedContainerPort, HOPS.container, MAX_CONTAINER_CONNECTIONS, ' (for containers)'),
      );
    } catch (err) {
      await this.closeServers();
      throw err;
    }
    this.listenPort = (this.servers[0]!.address() as AddressInfo).port;
    this.containerListenPort = (this.servers[1]!.address() as AddressInfo).port;
    // Its endpoint notices follow from the events: whoever shows both hears the events first.
    this.unsubscribe = this.session.onEvents(() => this.sync(), 'consequences');
    this.sync();
  }

  /** One listening socket whose clients stand `hops` network hops beyond their instance. */
  private async listen(port: number, hops: number, maxConnections: number, what: string): Promise<Server> {
    const server = createServer(SERVER_OPTIONS, (req, res) => void this.serve(req, res, hops));
    harden(server, {
      onOversized: (req, res) => this.answer(req, res, null, failure(413), true),
      // On the level's clock, as every answer is.
      unreadable: (status) => failure(status, { date: levelDate(this.session) }),
      onUnreadable: (socket, status) => {
        const instanceId = this.instanceAt(localAddressOf(socket));
        if (instanceId) this.record(instanceId, '-', '-', status);
      },
      maxConnections,
      // No answer of the metadata service depends on a body: none is asked for (see serve).
      noContinue: () => true,
    });
    server.on('connection', (socket: Socket) => this.admit(socket));
    await new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) =>
        reject(new ListenError(`IMDS cannot listen on port ${port}${what}: ${systemWords(err) ?? err.message}`));
      server.once('error', failed);
      try {
        // Every address, so that each of 127.0.0.0/8 reaches this one socket; harden() resets any
        // connection that does not come from and arrive at a loopback address.
        server.listen(port, '0.0.0.0', () => {
          server.off('error', failed);
          resolve();
        });
      } catch (err) {
        failed(err as NodeJS.ErrnoException);
      }
    });
    return server;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.serving.clear();
    this.followed = false;
    // Started again, it looks at the whole world afresh.
    this.reader = cursor('IMDS');
    this.held.releaseAll();
    await this.closeServers();
  }

  private async closeServers(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    for (const server of servers) {
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** The port every instance's address answers on (0 before start). */
  get port(): number {
    return this.listenPort;
  }

  /** The port every instance's address answers on as from a container on it, one hop further (0 before start). */
  get containerPort(): number {
    return this.containerListenPort;
  }

  /** The base of the path-prefix form: `<prefixBase>/<instance-id>/latest/...`. */
  get prefixBase(): string {
    return `http://${PREFIX_ADDRESS}:${this.listenPort}`;
  }

  /** The URL a client uses for this instance (`http://127.1.0.1:PORT`), or null while its IMDS does not answer. */
  endpointOf(instanceId: string): string | null {
    return this.serving.has(instanceId) ? this.urlAt(instanceId, this.listenPort) : null;
  }

  /** The instance's endpoint as from a container on it (`http://127.1.0.1:CONTAINER_PORT`), or null while its IMDS does not answer. */
  containerEndpointOf(instanceId: string): string | null {
    return this.serving.has(instanceId) ? this.urlAt(instanceId, this.containerListenPort) : null;
  }

  /** The instance's address on `port`, or the path-prefix form when it has no address of its own. */
  private urlAt(instanceId: string, port: number): string {
    const inst = this.session.world.instances[instanceId];
    const address = inst && addressOf(inst.launchSeq);
    return address ? `http://${address}:${port}` : `http://${PREFIX_ADDRESS}:${port}/${instanceId}`;
  }

  /** The same instance under a path prefix, for clients that accept an endpoint with a path. */
  prefixEndpointOf(instanceId: string): string | null {
    return this.serving.has(instanceId) ? `${this.prefixBase}/${instanceId}` : null;
  }

  /** Instances whose IMDS answers, in the order they were launched. */
  list(): { instanceId: string; url: string }[] {
    const world = this.session.world;
    return [...this.serving]
      .map((id) => world.instances[id]!)
      .sort((a, b) => a.launchSeq - b.launchSeq)
      .map((inst) => ({ instanceId: inst.id, url: this.endpointOf(inst.id)! }));
  }

  get servingCount(): number {
    return this.serving.size;
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

  /** Looks again at the instances touched since the last look (all of them the first time). */
  private sync(): void {
    const world = this.session.world;
    const touched = touchedSince(world, this.reader);
    if (touched === null) {
      // At start, or after falling behind the journal: everything is looked at; after start, changes are told.
      const before = new Set(this.serving);
      this.byLaunch.clear();
      this.serving.clear();
      for (const id in world.instances) this.follow(world.instances[id]!, false);
      if (!this.followed) return void (this.followed = true);
      for (const id of before) if (!this.serving.has(id)) this.notifyClosed(id);
      for (const id of this.serving)
        if (!before.has(id)) this.notify({ kind: 'open', instanceId: id, url: this.endpointOf(id)! });
      return;
    }
    // What reaches an instance from its clients has no part in whether its IMDS answers.
    for (const inst of beyondReach(touched)) this.follow(inst, true);
  }

  private follow(inst: Instance, tell: boolean): void {
    const world = this.session.world;
    if (world.instances[inst.id] !== inst) {
      this.byLaunch.delete(inst.launchSeq);
      this.held.release(inst.id);
      if (this.serving.delete(inst.id) && tell) this.notifyClosed(inst.id);
      return;
    }
    this.byLaunch.set(inst.launchSeq, inst.id);
    const was = this.serving.has(inst.id);
    const now = servesImds(inst);
    if (now === was) return;
    if (now) {
      this.serving.add(inst.id);
      if (tell) this.notify({ kind: 'open', instanceId: inst.id, url: this.endpointOf(inst.id)! });
    } else {
      if (tell) this.notifyClosed(inst.id);
      this.serving.delete(inst.id);
      this.tokens.revoke(inst.id);
      this.held.release(inst.id);
    }
  }

  private notifyClosed(instanceId: string): void {
    this.notify({ kind: 'closed', instanceId, url: this.urlAt(instanceId, this.listenPort) });
  }

  /** The instance an address belongs to, if its IMDS answers. */
  private instanceAt(address: string): string | null {
    const seq = launchSeqOf(address);
    const id = seq === null ? undefined : this.byLaunch.get(seq);
    return id !== undefined && this.serving.has(id) ? id : null;
  }

  /** A connection to the address of an instance that is not running is cut, as if nothing listened there. */
  private admit(socket: Socket): void {
    if (socket.destroyed) return;
    const address = localAddressOf(socket);
    if (address !== PREFIX_ADDRESS && this.instanceAt(address) === null) socket.resetAndDestroy();
  }

  /**
   * The instance a request is for (null: none answers there), its path below the instance, and
   * whether it came by the path-prefix form.
   */
  private target(req: IncomingMessage): { instanceId: string | null; url: string; prefixed: boolean } {
    const address = localAddressOf(req.socket);
    const url = req.url ?? '/';
    if (address !== PREFIX_ADDRESS) return { instanceId: this.instanceAt(address), url, prefixed: false };
    const m = PREFIX_PATH.exec(url);
    return {
      instanceId: m && this.serving.has(m[1]!) ? m[1]! : null,
      url: m ? url.slice(m[0].length) || '/' : url,
      prefixed: true,
    };
  }

  /**
   * The instance of a PUT from `hops` hops away whose answer the instance's hop limit stops, or
   * null. EC2 sets the answer's IP time-to-live to the limit, so nothing at all comes back, not an
   * error either (EC2 User Guide, "Configure the instance metadata options": the number of network
   * hops the PUT response may make).
   */
  private unanswered(req: IncomingMessage, hops: number): string | null {
    if (req.method !== 'PUT') return null;
    const { instanceId } = this.target(req);
    const inst = instanceId === null ? undefined : this.session.world.instances[instanceId];
    return inst && !tokenResponseReaches(inst.metadataOptions, hops) ? inst.id : null;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, hops: number): Promise<void> {
    const { instanceId, url, prefixed } = this.target(req);
    // The instance stopped while this connection was kept alive: it goes as its listener would.
    if (instanceId === null && !prefixed) return void req.socket.resetAndDestroy();
    // Node's parser reads any `HTTP/d.d` request line as 1.1; the metadata service speaks 1.0 and 1.1 only (the parser refuses 1.2 and up itself).
    if (req.httpVersionMajor !== 1) return this.answer(req, res, instanceId, failure(505), true);
    const lost = this.unanswered(req, hops);
    if (lost !== null) return this.holdUnanswered(req, lost, url);
    const announced = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    // A client waiting for 100 Continue holds its body back: it is answered on its headers, which
    // is all any answer here reads, and the connection closes after, so that no body it sends
    // late is read as a next request.
    const close = announced && /^100-continue$/i.test(String(req.headers.expect ?? ''));
    if (foreignRequest(req, dialledHosts(req.socket))) return this.answer(req, res, instanceId, failure(403), close);
    if (announced && !close) {
      const body = await readBody(req);
      // A body that stalled has had the parser's 408.
      if (body === CUT_OFF) return;
      if (body === null) return this.answer(req, res, instanceId, failure(413), true);
    }
    if (instanceId === null) return this.answer(req, res, null, failure(404), close);
    let response: ImdsResponse;
    try {
      response = handleRequest(
        this.session,
        instanceId,
        { method: req.method ?? 'GET', url, headers: req.headers },
        this.tokens,
      );
    } catch (err) {
      // A bug must not take every instance's metadata down with it; it is reported, not hidden.
      response = failure(500);
      this.notify({
        kind: 'failed',
        instanceId,
        message: `IMDS request ${req.method} ${url} failed: ${(err as Error).stack ?? String(err)}`,
      });
    }
    this.answer(req, res, instanceId, response, close, url);
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    instanceId: string | null,
    response: ImdsResponse,
    close = false,
    url = req.url ?? '/',
  ): void {
    // A HEAD answer gets the length its GET would have; Node sends no body for HEAD. The date is
    // the level's, the clock every time in the metadata is on.
    const headers = {
      ...response.headers,
      'content-length': String(Buffer.byteLength(response.body)),
      date: levelDate(this.session),
    };
    res.sendDate = false;
    if (close) closeAfter(req, res, response.status, headers, response.body);
    else res.writeHead(response.status, headers).end(response.body);
    if (instanceId)
      this.record(instanceId, req.method ?? '-', url.split('?', 1)[0]!.slice(0, LOGGED_PATH_CHARS), response.status);
  }

  /** A PUT whose answer dies on the way (see unanswered): held, and logged with status 0, as no answer reached the client. */
  private holdUnanswered(req: IncomingMessage, instanceId: string, url: string): void {
    this.held.hold(instanceId, req.socket);
    this.record(instanceId, 'PUT', url.split('?', 1)[0]!.slice(0, LOGGED_PATH_CHARS), 0);
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
