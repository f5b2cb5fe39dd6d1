// The way out: a connection an instance starts to a service on the internet (a payment API, a
// package repository), hop by hop. From a public subnet it leaves by the route to the internet
// gateway, which maps the instance's public address; from a private subnet by the route to a NAT
// gateway, which sends it from its own Elastic IP out of its own (public) subnet. Network ACLs are
// stateless on every subnet crossed, so the replies need their own rules back in to the
// ephemeral ports that started the connection; security groups are stateful.
// (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html,
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html)
import { ipToNumber } from './cidr.js';
import { agrees } from './counted.js';
import { isNatTarget, natDown } from './nat.js';
import type { Hop, HopContext, HopResult } from './network.js';
import type { Instance, NatGateway, NetworkAcl, Route, Subnet, VpcLayout, World } from './types.js';
import {
  aclDecision,
  aclEntryText,
  EPHEMERAL_PORTS,
  groupsText,
  networkAclOf,
  placeFinder,
  routeFor,
  routeState,
  routeTableOf,
  type AclDecision,
} from './vpc.js';

/** The service on the internet the model's instances call: an address of TEST-NET-2 (RFC 5737). */
export const INTERNET_SERVICE = '198.51.100.20';

interface EgressContext extends HopContext {
  /** The service's address, as a number. */
  service: number;
  /** The route the instance's subnet gives the service's address, worked out once. */
  route: Route | null;
  /** The NAT gateway that route leads to, when it leads to one. */
  nat: NatGateway | null;
}

interface EgressRule {
  hop: Hop;
  /** Only on the way through a NAT gateway. */
  viaNat?: true;
  ok: (c: EgressContext) => boolean;
  detail: (c: EgressContext, ok: boolean) => string;
  rule?: (c: EgressContext) => string | null;
}

const what = (c: EgressContext) => (c.protocol === 'icmp' ? 'icmp' : `${c.protocol}/${c.port}`);
const aclName = (acl: NetworkAcl) => `${acl.id} (${acl.name})`;
const routeText = (r: Route | null) => (r ? `${r.destination} -> ${r.target}` : 'no route');
const portsText = (p: readonly [number, number]) => `${p[0]}-${p[1]}`;
const natName = (n: NatGateway) => `${n.id} (${n.name})`;
const hostOf = (c: EgressContext) => (c.instance.hostId ? c.world.hosts[c.instance.hostId] : undefined);
const zoneOf = (world: World, zoneId: string) => world.zones.find((z) => z.zoneId === zoneId)!;
const aclOut = (c: EgressContext) =>
  aclDecision(networkAclOf(c.layout, c.subnet).outbound, c.protocol, [c.port, c.port], c.service);
/** The replies come back from the service's port to the instance's ephemeral ports (Linux). */
const aclIn = (c: EgressContext) =>
  aclDecision(networkAclOf(c.layout, c.subnet).inbound, c.protocol, EPHEMERAL_PORTS.linux, c.service);

/** Where the route leads that is not a way out: missing, a blackhole, or the VPC itself. */
function routeProblem(c: EgressContext): string | null {
  const table = routeTableOf(c.layout, c.subnet);
  const name = `${table.id} (${table.name})`;
  const r = c.route;
  if (!r) return `${name} has no route to ${INTERNET_SERVICE}: the packet is dropped`;
  if (routeState(c.layout, r) === 'blackhole')
    return `${name} sends it by ${routeText(r)}, whose target is gone (blackhole)`;
  if (r.target === 'local') return `${name} keeps ${INTERNET_SERVICE} inside the VPC (local route)`;
  return null;
}

/**
 * What the NAT gateway's own subnet does to the connection: the route out to the internet
 * gateway, and its network ACL four times (the connection in from the instance and out to the
 * service, the replies in from the service to the NAT's ports 1024-65535 and out to the
 * instance's ephemeral ports). The first that stops it, or null.
 */
function natSubnetProblem(c: EgressContext): { detail: string; rule: string } | null {
  const nat = c.nat!;
  const subnet = c.layout.subnets[nat.subnetId]!;
  const table = routeTableOf(c.layout, subnet);
  const r = routeFor(table, c.service);
  if (!r || r.target !== c.layout.internetGatewayId || routeState(c.layout, r) === 'blackhole')
    return {
      detail: `${natName(nat)}'s subnet ${subnet.id} (${subnet.name}) uses ${table.id} (${table.name}), which sends ${INTERNET_SERVICE} by ${routeText(r)}, not the internet gateway: a NAT gateway needs a public subnet`,
      rule: routeText(r),
    };
  const acl = networkAclOf(c.layout, subnet);
  const instanceIp = ipToNumber(c.eni.privateIp)!;
  const checks: [AclDecision, string][] = [
    [aclDecision(acl.inbound, c.protocol, [c.port, c.port], instanceIp), `the connection in from ${c.eni.privateIp}`],
    [aclDecision(acl.outbound, c.protocol, [c.port, c.port], c.service), `the connection out to ${INTERNET_SERVICE}`],
    [
      aclDecision(acl.inbound, c.protocol, EPHEMERAL_PORTS.internet, c.service),
      `the replies in to the NAT gateway's ports ${portsText(EPHEMERAL_PORTS.internet)}`,
    ],
    [
      aclDecision(acl.outbound, c.protocol, EPHEMERAL_PORTS.linux, instanceIp),
      `the replies out to ${c.eni.privateIp}'s ephemeral ports ${portsText(EPHEMERAL_PORTS.linux)}`,
    ],
  ];
  const denied = checks.find(([d]) => !d.allow);
  if (denied)
    return {
      detail: `${aclName(acl)} on ${natName(nat)}'s subnet ${subnet.name} stops ${denied[1]} (port ${denied[0].port}): network ACLs are stateless`,
      rule: aclEntryText(denied[0].rule),
    };
  return null;
}

/** The way out, in order; the hops marked viaNat only when the route leads to a NAT gateway. */
const EGRESS: readonly EgressRule[] = [
  {
    hop: 'guest',
    ok: (c) => c.instance.state === 'running' && c.instance.guestHealthy && c.instance.guestRestartUntil === null,
    detail: (c, ok) =>
      ok
        ? `the guest opens ${what(c)} to ${INTERNET_SERVICE} from ${c.eni.privateIp}, an ephemeral port of ${portsText(EPHEMERAL_PORTS.linux)}`
        : c.instance.state !== 'running'
          ? `${c.instance.id} is ${c.instance.state}: it sends nothing`
          : 'the guest OS is not responding: it sends nothing',
  },
  {
    hop: 'nitro-card',
    ok: (c) => hostOf(c)?.health !== 'failed' && !zoneOf(c.world, c.instance.zoneId).impaired,
    detail: (c, ok) =>
      ok
        ? `host ${hostOf(c)!.id}'s Nitro card sends it out of ${c.eni.id} (${c.eni.privateIp})`
        : zoneOf(c.world, c.instance.zoneId).impaired
          ? `${c.instance.zoneId} is impaired: nothing leaves its hosts`
          : 'its host has failed',
  },
  {
    hop: 'security-group-out',
    ok: () => true,
    detail: (c) =>
      `${groupsText(c.world, c.eni)} ${agrees(c.eni.securityGroupIds.length, 'lets', 'let')} it out and, being stateful, its replies back in`,
    // The model's groups keep the outbound rule EC2 gives every new group.
    rule: () => 'outbound: all traffic to 0.0.0.0/0 (the default rule)',
  },
  {
    hop: 'network-acl-out',
    ok: (c) => aclOut(c).allow,
    detail: (c, ok) =>
      `${aclName(networkAclOf(c.layout, c.subnet))} ${ok ? 'lets' : 'does not let'} ${what(c)} out to ${INTERNET_SERVICE}`,
    rule: (c) => aclEntryText(aclOut(c).rule),
  },
  {
    hop: 'route-table',
    ok: (c) => routeProblem(c) === null,
    detail: (c) => {
      const problem = routeProblem(c);
      if (problem) return problem;
      const table = routeTableOf(c.layout, c.subnet);
      return c.nat
        ? `${table.id} (${table.name}) sends it by ${routeText(c.route)}: a private subnet's way out`
        : `${table.id} (${table.name}) sends it by ${routeText(c.route)}: a public subnet's way out`;
    },
    rule: (c) => routeText(c.route),
  },
  {
    hop: 'nat-gateway',
    viaNat: true,
    ok: (c) => natDown(c.world, c.nat!) === null,
    detail: (c, ok) =>
      ok
        ? `${natName(c.nat!)} in ${c.nat!.zoneId} takes the connection and sends it on from its Elastic IP ${c.nat!.publicIp} (source NAT: ${c.eni.privateIp} becomes ${c.nat!.publicIp}); it carries only connections started inside`
        : `${natDown(c.world, c.nat!)}; the connection goes nowhere`,
    rule: (c) => `${c.nat!.allocationId} ${c.nat!.publicIp}`,
  },
  {
    hop: 'nat-subnet',
    viaNat: true,
    ok: (c) => natSubnetProblem(c) === null,
    detail: (c) => {
      const problem = natSubnetProblem(c);
      if (problem) return problem.detail;
      const subnet = c.layout.subnets[c.nat!.subnetId]!;
      const table = routeTableOf(c.layout, subnet);
      return `${natName(c.nat!)}'s subnet ${subnet.name} sends it by ${table.name}'s ${routeText(routeFor(table, c.service))}, and its ACL lets it and its replies through`;
    },
    rule: (c) =>
      natSubnetProblem(c)?.rule ??
      routeText(routeFor(routeTableOf(c.layout, c.layout.subnets[c.nat!.subnetId]!), c.service)),
  },
  {
    hop: 'internet-gateway',
    ok: (c) => c.layout.internetGatewayId !== null && (c.nat !== null || c.eni.publicIp !== null),
    detail: (c, ok) =>
      ok
        ? c.nat
          ? `internet gateway ${c.layout.internetGatewayId} sends it to the internet from ${c.nat.publicIp}`
          : `internet gateway ${c.layout.internetGatewayId} maps ${c.eni.privateIp} to its public address ${c.eni.publicIp}`
        : c.layout.internetGatewayId === null
          ? `no internet gateway is attached to ${c.layout.id}`
          : `${c.eni.privateIp} has no public IPv4 address for the internet gateway to map it to: without one, the way out is a NAT gateway`,
  },
  {
    hop: 'destination',
    // The far end is the model's choice: always up, so what is tested is the path.
    ok: () => true,
    detail: (c) => `${INTERNET_SERVICE}, a service on the internet, answers ${what(c)}`,
  },
  {
    hop: 'network-acl-in',
    ok: (c) => aclIn(c).allow,
    detail: (c, ok) => {
      const acl = networkAclOf(c.layout, c.subnet);
      return ok
        ? `${aclName(acl)} lets the replies from ${INTERNET_SERVICE} in to ${c.eni.privateIp}'s ephemeral ports ${portsText(EPHEMERAL_PORTS.linux)}`
        : `${aclName(acl)} stops the replies from ${INTERNET_SERVICE} to ephemeral port ${aclIn(c).port} (of ${portsText(EPHEMERAL_PORTS.linux)}): network ACLs are stateless`;
    },
    rule: (c) => aclEntryText(aclIn(c).rule),
  },
];

function egressContext(
  world: World,
  layout: VpcLayout,
  subnet: Subnet,
  instance: Instance,
  protocol: string,
  port: number,
): EgressContext {
  const eni = world.enis[instance.eniId]!;
  const service = ipToNumber(INTERNET_SERVICE)!;
  const route = routeFor(routeTableOf(layout, subnet), service);
  const nat = route && isNatTarget(layout, route.target) ? layout.natGateways![route.target]! : null;
  return { world, layout, instance, eni, subnet, protocol, port, service, route, nat };
}

const rulesFor = (c: EgressContext) => EGRESS.filter((r) => !r.viaNat || c.nat !== null);

/**
 * The path of a connection `instance` starts to a service on the internet (INTERNET_SERVICE) on
 * `protocol`/`port`, by its primary interface, hop by hop, stopping at the first hop that drops
 * it; each hop says what it did and the rule, route or gateway that decided.
 */
export function egressPath(world: World, instance: Instance, protocol: string, port: number): HopResult[] {
  const { layout, subnet } = placeFinder(world)(world.enis[instance.eniId]!);
  const c = egressContext(world, layout, subnet, instance, protocol, port);
  const results: HopResult[] = [];
  for (const rule of rulesFor(c)) {
    const ok = rule.ok(c);
    results.push({ hop: rule.hop, ok, detail: rule.detail(c, ok), rule: rule.rule?.(c) ?? null });
    if (!ok) break;
  }
  return results;
}

/**
 * egressPath's verdict for many instances calling out on the same port, as the roster asks of a
 * workload's members: whether the connection and its replies get through.
 */
export function egressOpen(world: World, protocol: string, port: number): (instance: Instance) => boolean {
  const place = placeFinder(world);
  return (instance) => {
    const { layout, subnet } = place(world.enis[instance.eniId]!);
    const c = egressContext(world, layout, subnet, instance, protocol, port);
    return rulesFor(c).every((r) => r.ok(c));
  };
}
