// IMDSv2 session tokens. A token names the instance it was issued to, the tick it was issued in and
// its TTL, signed with a key of this run, so it stays valid for its whole TTL however many others are
// issued, and holding them costs nothing. TTLs are simulated seconds: a paused game does not age
// tokens, and a handler whose clock runs at the game's speed (see the README on libfaketime) sees
// them expire on time by its own clock.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The longest TTL IMDS grants (six hours), per AWS's IMDSv2 documentation. */
export const MAX_TTL_SECONDS = 21600;

const MAC_BYTES = 18;

export class TokenStore {
  /** How many times each instance has left its host; a token from an earlier stay opens nothing. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, MAC_BYTES);
  }

  /**
   * A new token for the instance, valid for ttlSeconds (AWS: "a session token ... valid for the
   * TTL you specify", EC2 User Guide, "Use the Instance Metadata Service to access instance
   * metadata"). The world moves a whole second at a time and the token may be asked for late in
   * one: it opens metadata up to the end of the second ttlSeconds after this one, so that it never
   * expires early, and at most a second late.
   */
  issue(instanceId: string, ttlSeconds: number, tick: number): string {
    const payload = `${instanceId}.${this.generations.get(instanceId) ?? 0}.${tick}.${ttlSeconds}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  /**
   * Whole seconds the token has left at this tick (its TTL in the second it was issued, 1 in its
   * last), or null when it is malformed, forged, expired or another instance's.
   */
  remaining(instanceId: string, token: string, tick: number): number | null {
    const [encoded, mac, extra] = token.split('.');
    if (encoded === undefined || mac === undefined || extra !== undefined || token.length > 200) return null;
    const payload = Buffer.from(encoded, 'base64url').toString();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(payload))) return null;
    const m = /^(.+)\.(\d+)\.(\d+)\.(\d+)$/.exec(payload);
    if (!m || m[1] !== instanceId || Number(m[2]) !== (this.generations.get(instanceId) ?? 0)) return null;
    const ttl = Number(m[4]);
    const closesAt = Number(m[3]) + ttl + 1;
    return closesAt > tick ? Math.min(ttl, closesAt - tick) : null;
  }

  /** The instance has left its host: tokens it was given no longer open anything. */
  revoke(instanceId: string): void {
    this.generations.set(instanceId, (this.generations.get(instanceId) ?? 0) + 1);
  }
}
