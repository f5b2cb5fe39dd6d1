// Connections whose PUT the hop limit leaves without an answer (see ImdsServer): held without a
// byte, as the client waits on EC2 for an answer that died on the way, and let go after HOLD_MS
// from the request, or at once when the instance stops. Bounded per instance and in all, the oldest
// let go first, so that one instance's waiting clients never take the connections another
// instance's clients need.
import type { Socket } from 'node:net';

/**
 * How long a held connection is kept (ms) from the request that was not answered; real TCP gives
 * up on the lost answer after some minutes. This simulation's choice, as are the bounds below.
 */
export const HOLD_MS = 60_000;
/** Held connections per instance. */
export const HELD_PER_INSTANCE = 8;
/** Held connections in all, well under the containers' port's connection cap. */
export const HELD_IN_ALL = 64;

interface Held {
  instanceId: string;
  timer: NodeJS.Timeout;
}

export class HeldRequests {
  /** In the order they were held: the first is the oldest. */
  private readonly sockets = new Map<Socket, Held>();
  private readonly byInstance = new Map<string, Set<Socket>>();

  /** Holds `socket`, whose request for `instanceId` gets no answer, letting the oldest go past a bound. */
  hold(instanceId: string, socket: Socket): void {
    if (this.sockets.has(socket)) return;
    let mine = this.byInstance.get(instanceId);
    if (!mine) this.byInstance.set(instanceId, (mine = new Set()));
    if (mine.size >= HELD_PER_INSTANCE) this.drop(mine.values().next().value!);
    if (this.sockets.size >= HELD_IN_ALL) this.drop(this.sockets.keys().next().value!);
    const timer = setTimeout(() => this.drop(socket), HOLD_MS);
    timer.unref();
    this.sockets.set(socket, { instanceId, timer });
    mine.add(socket);
    socket.once('close', () => this.forget(socket));
  }

  /** Lets go of every connection held for the instance: it stopped, and nothing listens at its address. */
  release(instanceId: string): void {
    for (const socket of [...(this.byInstance.get(instanceId) ?? [])]) this.drop(socket);
  }

  releaseAll(): void {
    for (const socket of [...this.sockets.keys()]) this.drop(socket);
  }

  private drop(socket: Socket): void {
    this.forget(socket);
    socket.resetAndDestroy();
  }

  private forget(socket: Socket): void {
    const held = this.sockets.get(socket);
    if (!held) return;
    clearTimeout(held.timer);
    this.sockets.delete(socket);
    const mine = this.byInstance.get(held.instanceId)!;
    mine.delete(socket);
    if (mine.size === 0) this.byInstance.delete(held.instanceId);
  }
}
