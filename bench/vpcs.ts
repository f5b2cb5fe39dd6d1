// Benchmark regions hold more instances than one VPC has addresses (a /16 at most), so their fleets
// are spread over several VPCs, as a region that size is run: each VPC a 10.0.0.0/16 (they may
// overlap, being isolated) with a /18 subnet per zone, filled in turn; each VPC has its own copy of
// the security groups, since a group belongs to one VPC.

/** A /18's addresses past the five AWS reserves. */
const PER_SUBNET = 2 ** 14 - 5;

interface Entry {
  zone: string;
  count: number;
  securityGroups: string[];
  subnet?: string;
}

interface Group {
  name: string;
  ingress: unknown[];
  vpc?: string;
}

/**
 * Gives each fleet entry a subnet with room for it (at most three zones: the /18s of a /16) and
 * the security groups of that subnet's VPC; returns the level's `vpcs` and `securityGroups`.
 */
export function spreadOverVpcs(
  fleet: Entry[],
  zones: readonly { id: string }[],
  groups: readonly Group[],
): { vpcs: unknown[]; securityGroups: Group[] } {
  const at = new Map(zones.map((z) => [z.id, { vpc: 0, used: 0 }]));
  let count = 1;
  const groupIn = (name: string, vpc: number) => (vpc === 0 ? name : `${name}-v${vpc}`);
  for (const entry of fleet) {
    const cursor = at.get(entry.zone)!;
    if (cursor.used + entry.count > PER_SUBNET) [cursor.vpc, cursor.used] = [cursor.vpc + 1, 0];
    cursor.used += entry.count;
    count = Math.max(count, cursor.vpc + 1);
    entry.subnet = `v${cursor.vpc}-${entry.zone}`;
    entry.securityGroups = entry.securityGroups.map((g) => groupIn(g, cursor.vpc));
  }
  const vpcs = Array.from({ length: count }, (_, v) => ({
    name: `v${v}`,
    subnets: zones.map((z, k) => ({ name: `v${v}-${z.id}`, zone: z.id, cidr: `10.0.${k * 64}.0/18` })),
  }));
  const securityGroups = vpcs.flatMap((_, v) =>
    groups.map((g) => ({ ...g, name: groupIn(g.name, v), ...(v === 0 ? {} : { vpc: `v${v}` }) })),
  );
  return { vpcs, securityGroups };
}
