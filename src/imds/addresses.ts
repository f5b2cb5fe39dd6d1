// Where each instance's metadata service is reached. Linux routes all of 127.0.0.0/8 to the
// loopback interface, so every instance gets an address of its own there, all on one port: a stock
// client changes only its endpoint, as it would move from 169.254.169.254 to fleetops. The address
// follows from the instance's launch number alone, so it never moves and costs no bookkeeping.
// 127.0.0.1 is kept for the path-prefix form (`http://127.0.0.1:PORT/i-0abc.../latest/...`).

/** The address that serves every instance under a path prefix of its ID. */
export const PREFIX_ADDRESS = '127.0.0.1';

/** Last octets 1..254 (no network- or broadcast-looking .0 and .255), second octets from 1. */
const PER_OCTET = 254;
const PER_SECOND_OCTET = PER_OCTET * 256;
/** Instances that can have an address of their own: 127.1.0.1 up to 127.254.255.254. */
export const MAX_ADDRESSES = PER_SECOND_OCTET * 254;

/** The loopback address of the instance with this launch number (1, 2, ...), e.g. 127.1.0.1; null past MAX_ADDRESSES. */
export function addressOf(launchSeq: number): string | null {
  const n = launchSeq - 1;
  if (!Number.isInteger(n) || n < 0 || n >= MAX_ADDRESSES) return null;
  return `127.${1 + Math.floor(n / PER_SECOND_OCTET)}.${Math.floor(n / PER_OCTET) % 256}.${1 + (n % PER_OCTET)}`;
}

/** The launch number an address belongs to, or null for an address no instance has. */
export function launchSeqOf(address: string): number | null {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (a < 1 || a > 254 || b > 255 || c < 1 || c > PER_OCTET) return null;
  return (a - 1) * PER_SECOND_OCTET + b * PER_OCTET + (c - 1) + 1;
}
