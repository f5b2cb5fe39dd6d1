// IMDSv2 session tokens. A token belongs to the instance that issued it and lives for its TTL in
// simulated seconds, so a paused game does not age tokens and a 60x game ages them 60 times faster.
import { randomBytes } from 'node:crypto';

export const MAX_TTL_SECONDS = 21600;

/**
 * Live tokens kept per instance. A handler that asks for a token before every request would
 * otherwise hold six hours of tokens; past this many the oldest is forgotten.
 */
export const MAX_TOKENS_PER_INSTANCE = 1000;

export class TokenStore {
  /** Expiry tick of each live token, by instance, oldest first. */
  private readonly byInstance = new Map<string, Map<string, number>>();

  constructor(private readonly generate: () => string = () => randomBytes(42).toString('base64')) {}

  issue(instanceId: string, ttlSeconds: number, tick: number): string {
    let tokens = this.byInstance.get(instanceId);
    if (!tokens) this.byInstance.set(instanceId, (tokens = new Map()));
    const token = this.generate();
    tokens.set(token, tick + ttlSeconds);
    if (tokens.size > MAX_TOKENS_PER_INSTANCE) {
      for (const [old, expiresAt] of tokens) if (expiresAt <= tick) tokens.delete(old);
      if (tokens.size > MAX_TOKENS_PER_INSTANCE) tokens.delete(tokens.keys().next().value!);
    }
    return token;
  }

  /** Seconds the token has left at this tick, or null when it is unknown, expired or another instance's. */
  remaining(instanceId: string, token: string, tick: number): number | null {
    const expiresAt = this.byInstance.get(instanceId)?.get(token);
    return expiresAt !== undefined && expiresAt > tick ? expiresAt - tick : null;
  }

  /** The instance has left its host: tokens it was given no longer open anything. */
  revoke(instanceId: string): void {
    this.byInstance.delete(instanceId);
  }
}
