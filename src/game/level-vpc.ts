// A level's `vpc` (or `vpcs`, several): each VPC's block, subnets, route tables, network ACLs and
// internet gateway, checked field by field and turned into the model's VPC specs. A level without
// either runs in the default VPC.
import {
  ACL_ACTIONS,
  blocksOverlap,
  blockWithin,
  isCanonical,
  MAX_ACL_RULE,
  parseCidr,
  parsePortRange,
  PROTOCOLS,
  VPC_BLOCK_BITS,
  VPC_CIDR,
  VPC_NAME,
  VPC_NAME_EXPECTED,
  VPC_NAME_MAX,
  type NetworkAclEntry,
  type VpcSpec,
} from '../sim/index.js';
import type { Field } from '../input/fields.js';

/**
 * Amazon VPC's default quotas (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html):
 * 200 subnets, route tables and network ACLs per VPC, 50 routes per table, 20 rules per direction
 * of a network ACL. A subnet is a /16 to a /28 (subnet sizing).
 */
export const VPC_BOUNDS = {
  subnets: 200,
  routeTables: 200,
  routesPerTable: 50,
  networkAcls: 200,
  rulesPerAcl: 20,
  subnetBits: [16, 28] as const,
  /** NAT gateways: 5 per zone is Amazon VPC's default quota; 20 bounds a level of several zones. */
  natGateways: 20,
  /**
   * VPCs per Region: Amazon VPC's default quota is 5, raised on request; 50 lets a level hold a
   * region of a million instances, a /16 holding at most 65,531 (the model's bound).
   */
  vpcs: 50,
} as const;

function cidrIn(
  f: Field,
  within: string | null,
  what: string,
): { cidr: string; block: { base: number; bits: number } } {
  const cidr = f.string(undefined, `an IPv4 CIDR such as ${what}`);
  const block = parseCidr(cidr);
  if (!block || !isCanonical(block))
    f.fail(`an IPv4 CIDR such as ${what}, its address the first of its block (octets 0 to 255, prefix 0 to 32)`);
  if (within && !blockWithin(block, parseCidr(within)!)) f.fail(`a block inside the VPC's ${within}`);
  return { cidr, block };
}

/** A rule's `port`: 443 or "1024-65535", low end first, within 0-65535. */
export function portRange(f: Field): [number, number] {
  const text =
    typeof f.value === 'number'
      ? String(f.int(0, 65535))
      : f.string(/^\d+(-\d+)?$/, 'a port or range such as 443 or 1024-65535');
  return parsePortRange(text) ?? f.fail('a port or range within 0-65535, low end first');
}

function aclEntries(f: Field): NetworkAclEntry[] {
  const items = f.optionalItems();
  if (items.length > VPC_BOUNDS.rulesPerAcl)
    f.fail(`at most ${VPC_BOUNDS.rulesPerAcl.toLocaleString('en-US')} rules`, items.length.toLocaleString('en-US'));
  const entries = items.map((e) => {
    e.keys(['rule', 'protocol', 'port', 'cidr', 'action']);
    const protocol = e.at('protocol').oneOf(PROTOCOLS);
    const [fromPort, toPort] = e.at('port').or<[number, number]>([0, 65535], portRange);
    return {
      ruleNumber: e.at('rule').int(1, MAX_ACL_RULE),
      protocol,
      fromPort,
      toPort,
      cidr: cidrIn(e.at('cidr'), null, '0.0.0.0/0').cidr,
      action: e.at('action').oneOf(ACL_ACTIONS),
    };
  });
  const seen = new Map<number, number>();
  entries.forEach((e, i) => {
    const first = seen.get(e.ruleNumber);
    if (first !== undefined)
      items[i]!.at('rule').fail(`a rule number of its own (${items[first]!.path}.rule already is ${e.ruleNumber})`);
    seen.set(e.ruleNumber, i);
  });
  return entries;
}

function list(f: Field, max: number): Field[] {
  const items = f.optionalItems();
  if (items.length > max)
    f.fail(`at most ${max.toLocaleString('en-US')} entries`, items.length.toLocaleString('en-US'));
  return items;
}

function uniqueNames(fields: Field[], builtIn: string | null): string[] {
  const names: string[] = [];
  for (const f of fields) {
    const name = f.at('name').string(VPC_NAME, VPC_NAME_EXPECTED);
    if (name.length > VPC_NAME_MAX) f.at('name').fail(`at most ${VPC_NAME_MAX} characters`);
    if (names.includes(name)) f.at('name').fail(`a name of its own ('${name}' is given twice)`);
    names.push(name);
  }
  if (builtIn) names.push(builtIn);
  return [...new Set(names)];
}

/**
 * Reads a level's VPCs: `vpc` (one) or `vpcs` (a list, each named); an empty list when neither is
 * there (the default VPC). `zoneRef` turns a zone name or id into the zone id, refusing one the
 * level does not have. Subnet names are unique across the level, so a fleet entry's `subnet` names
 * one subnet whichever VPC holds it.
 */
export function vpcSpecs(one: Field, many: Field, zoneRef: (f: Field) => string): VpcSpec[] {
  if (one.present && many.present) many.fail('no vpcs beside vpc: list every VPC in vpcs');
  if (one.present) return [vpcSpec(one, zoneRef, false)];
  if (!many.present) return [];
  const fields = list(many, VPC_BOUNDS.vpcs);
  if (fields.length === 0) many.fail('at least one VPC');
  uniqueNames(fields, null);
  const specs = fields.map((f) => vpcSpec(f, zoneRef, true));
  const subnetPaths = new Map<string, string>();
  specs.forEach((spec, i) =>
    spec.subnets.forEach((s, j) => {
      const seen = subnetPaths.get(s.name);
      const at = fields[i]!.at('subnets').items()[j]!.at('name');
      if (seen) at.fail(`a subnet name of its own across the level's VPCs ('${s.name}' is ${seen})`);
      subnetPaths.set(s.name, at.path);
    }),
  );
  return specs;
}

/** One VPC: `named` when it is one of `vpcs`, where each needs a name. */
function vpcSpec(f: Field, zoneRef: (f: Field) => string, named: boolean): VpcSpec {
  f.keys(['name', 'cidr', 'internetGateway', 'subnets', 'routeTables', 'networkAcls', 'natGateways']);
  const name = named ? f.at('name').string() : f.at('name').or(null, (x) => x.string(VPC_NAME, VPC_NAME_EXPECTED));
  const vpcBlock = f.at('cidr').or({ cidr: VPC_CIDR, block: parseCidr(VPC_CIDR)! }, (x) => {
    const given = cidrIn(x, null, VPC_CIDR);
    const [lo, hi] = VPC_BLOCK_BITS;
    if (given.block.bits < lo || given.block.bits > hi) x.fail(`a /${lo} to a /${hi}, as AWS allows a VPC`);
    return given;
  });
  const vpcCidr = vpcBlock.cidr;
  const internetGateway = f.at('internetGateway').or(true, (x) => x.boolean());
  const natFields = list(f.at('natGateways'), VPC_BOUNDS.natGateways);
  const natNames = uniqueNames(natFields, null);
  if (natNames.includes('igw')) natFields[natNames.indexOf('igw')]!.at('name').fail('a name other than igw');
  const targets = internetGateway ? ['igw', ...natNames] : natNames;

  const tableFields = list(f.at('routeTables'), VPC_BOUNDS.routeTables);
  const tableNames = uniqueNames(tableFields, 'main');
  const routeTables = tableFields.map((t) => {
    t.keys(['name', 'routes']);
    const routes = list(t.at('routes'), VPC_BOUNDS.routesPerTable).map((r) => {
      r.keys(['destination', 'target']);
      const destination = cidrIn(r.at('destination'), null, '0.0.0.0/0');
      if (blocksOverlap(destination.block, vpcBlock.block) && destination.block.bits >= vpcBlock.block.bits)
        r.at('destination').fail(`a block outside the VPC's ${vpcCidr} (the local route covers it)`);
      const target = r.at('target').string();
      if (!targets.includes(target))
        r.at('target').fail(
          `a target the VPC has: ${targets.join(', ') || 'none'}${internetGateway ? '' : ' (internetGateway is false, so no igw)'}`,
        );
      return { destination: destination.cidr, target };
    });
    const dest = routes.map((r) => r.destination);
    dest.forEach((d, i) => {
      if (dest.indexOf(d) !== i) t.at('routes').items()[i]!.at('destination').fail('a destination of its own');
    });
    return { name: t.at('name').string(), routes };
  });

  const aclFields = list(f.at('networkAcls'), VPC_BOUNDS.networkAcls);
  const aclNames = uniqueNames(aclFields, 'default');
  const networkAcls = aclFields.map((a) => {
    a.keys(['name', 'inbound', 'outbound']);
    return {
      name: a.at('name').string(),
      inbound: aclEntries(a.at('inbound')),
      outbound: aclEntries(a.at('outbound')),
    };
  });

  const subnetFields = list(f.at('subnets'), VPC_BOUNDS.subnets);
  if (subnetFields.length === 0) f.at('subnets').fail('at least one subnet');
  uniqueNames(subnetFields, null);
  const blocks: { block: { base: number; bits: number }; path: string }[] = [];
  const subnets = subnetFields.map((s) => {
    s.keys(['name', 'zone', 'cidr', 'routeTable', 'networkAcl', 'publicIp']);
    const { cidr, block } = cidrIn(s.at('cidr'), vpcCidr, '10.0.1.0/24');
    const [lo, hi] = VPC_BOUNDS.subnetBits;
    if (block.bits < lo || block.bits > hi) s.at('cidr').fail(`a /${lo} to a /${hi}`);
    const clash = blocks.find((b) => blocksOverlap(b.block, block));
    if (clash) s.at('cidr').fail(`a block no other subnet uses (${clash.path} overlaps it)`);
    blocks.push({ block, path: `${s.path}.cidr` });
    const ref = (key: string, names: string[], what: string) =>
      s.at(key).or(null, (x) => {
        const name = x.string();
        if (!names.includes(name)) x.fail(`${what} of this VPC (${names.join(', ')})`);
        return name;
      });
    return {
      name: s.at('name').string(),
      zoneId: zoneRef(s.at('zone')),
      cidr,
      routeTable: ref('routeTable', tableNames, 'a route table'),
      networkAcl: ref('networkAcl', aclNames, 'a network ACL'),
      mapPublicIp: s.at('publicIp').or(true, (x) => x.boolean()),
    };
  });
  const natGateways = natFields.map((n) => {
    n.keys(['name', 'subnet']);
    const subnet = n.at('subnet').string();
    if (!subnets.some((x) => x.name === subnet))
      n.at('subnet').fail(`a subnet of this VPC (${subnets.map((x) => x.name).join(', ')})`);
    return { name: n.at('name').string(), subnet };
  });
  return { name, cidr: vpcCidr, internetGateway, routeTables, networkAcls, subnets, natGateways };
}

/**
 * A fleet entry's `subnet`: a subnet of one of the level's VPCs in the entry's zone, with the VPC's
 * place in the list; null when absent (the first VPC's subnet in the zone).
 */
export function subnetRef(f: Field, vpcs: readonly VpcSpec[], zoneId: string): { name: string | null; vpc: number } {
  if (!f.present) {
    if (vpcs[0] && !vpcs[0].subnets.some((s) => s.zoneId === zoneId))
      f.fail(
        `a subnet: the level's ${vpcs.length > 1 ? 'first VPC' : 'vpc'} has none in ${zoneId} for this entry to default to`,
      );
    return { name: null, vpc: 0 };
  }
  const name = f.string();
  if (vpcs.length === 0) f.fail('no subnet: the level has no vpc, so its instances run in the default VPC');
  const vpc = vpcs.findIndex((v) => v.subnets.some((s) => s.name === name));
  if (vpc < 0) f.fail(`a subnet of the level's VPCs (${vpcs.flatMap((v) => v.subnets.map((s) => s.name)).join(', ')})`);
  const subnet = vpcs[vpc]!.subnets.find((s) => s.name === name)!;
  if (subnet.zoneId !== zoneId) f.fail(`a subnet in the entry's zone ${zoneId} (${name} is in ${subnet.zoneId})`);
  return { name, vpc };
}

/** A security group's `vpc`: the place of one of the level's `vpcs` by its name; 0 (the first) when absent. */
export function groupVpc(f: Field, vpcs: readonly VpcSpec[]): number {
  if (!f.present) return 0;
  const name = f.string();
  const names = vpcs.map((v) => v.name);
  if (!names.includes(name))
    f.fail(vpcs.length > 1 ? `a VPC of this level's vpcs (${names.join(', ')})` : 'no vpc: the level has one VPC');
  return names.indexOf(name);
}
