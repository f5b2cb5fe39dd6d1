// IPv4 addresses and CIDR blocks as numbers: the arithmetic security groups, network ACLs and
// route tables all match on.

/** A dotted-quad address as a number, or null when it is not one. */
export function ipToNumber(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
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

/** Whether the block's base address is its first (10.0.1.0/24, not 10.0.1.7/24), as EC2 requires of a subnet or route. */
export function isCanonical(block: { base: number; bits: number }): boolean {
  return block.base % blockSize(block.bits) === 0;
}
