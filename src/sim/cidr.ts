// IPv4 addresses and CIDR blocks as numbers: the arithmetic security groups, network ACLs and
// route tables all match on.

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * A dotted-quad address as a number, or null when it is not one: four parts of one to three
 * digits, each at most 255 and without a leading zero. Read character by character, as every address a region hands out
 * passes here.
 */
export function ipToNumber(ip: string): number | null {
  let n = 0;
  let part = 0;
  let digits = 0;
  let parts = 1;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || part > 255 || parts === 4) return null;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      parts++;
    } else if (c >= ZERO && c <= NINE && digits < 3) {
      // A leading zero (`010`) is octal to some readers and decimal to others: no octet has one.
      if (digits === 1 && part === 0) return null;
      part = part * 10 + (c - ZERO);
      digits++;
    } else return null;
  }
  if (parts !== 4 || digits === 0 || part > 255) return null;
  return n * 256 + part;
}

export function numberToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `10.0.1.0/24` as its first address and prefix length, or null when it is not a CIDR block. */
export function parseCidr(cidr: string): { base: number; bits: number } | null {
  const [ip, bitsText] = cidr.split('/');
  const base = ipToNumber(ip ?? '');
  const bits = Number(bitsText);
  if (base === null || !/^\d{1,2}$/.test(bitsText ?? '') || bits > 32) return null;
  return { base, bits };
}

/**
 * `443` or `8000-8100` as its first and last port, or null when it is not a range within 0-65535
 * (EC2 API reference, "IpPermission": FromPort and ToPort).
 */
export function parsePortRange(text: string): [from: number, to: number] | null {
  // Without leading zeros (`0443`), as a port is written.
  const m = /^(0|[1-9]\d*)(?:-(0|[1-9]\d*))?$/.exec(text);
  if (!m) return null;
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  return from <= to && to <= 65535 ? [from, to] : null;
}

/** Addresses in a block of this prefix length. */
export const blockSize = (bits: number) => 2 ** (32 - bits);

/** Whether `addr` lies in the block. */
export function inBlock(block: { base: number; bits: number }, addr: number): boolean {
  const size = blockSize(block.bits);
  return Math.floor(addr / size) === Math.floor(block.base / size);
}

/** Whether block `inner` lies wholly inside block `outer`. */
export function blockWithin(inner: { base: number; bits: number }, outer: { base: number; bits: number }): boolean {
  return inner.bits >= outer.bits && inBlock(outer, inner.base);
}

/** Whether two blocks share an address. */
export function blocksOverlap(a: { base: number; bits: number }, b: { base: number; bits: number }): boolean {
  return blockWithin(a, b) || blockWithin(b, a);
}

/**
 * A security group rule's block as EC2 keeps it: its address masked to the prefix, so 10.0.0.1/8
 * is 10.0.0.0/8 (AuthorizeSecurityGroupIngress takes an address with host bits set and stores the
 * block), and a revoke of either form finds it. `cidr` must parse (see parseCidr).
 */
export function maskedCidr(cidr: string): string {
  const { base, bits } = parseCidr(cidr)!;
  return `${numberToIp(base - (base % blockSize(bits)))}/${bits}`;
}

/** Whether the block's base address is its first (10.0.1.0/24, not 10.0.1.7/24), as EC2 requires of a subnet or route. */
export function isCanonical(block: { base: number; bits: number }): boolean {
  return block.base % blockSize(block.bits) === 0;
}
