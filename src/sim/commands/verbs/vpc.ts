// The VPC's verbs: network ACL entries, routes, NAT gateways, and which route table and network
// ACL a subnet uses, with EC2's names and error codes. Each handler checks everything before it changes
// anything; a change reaches every instance behind it, so derived data is drawn up afresh.
import { checkNatGatewayName } from '../../names.js';
import { blockWithin, isCanonical, parseCidr, parsePortRange } from '../../cidr.js';
import { touchEverything } from '../../changes.js';
import { refuse } from '../../errors.js';
import {
  ACL_ACTIONS,
  PROTOCOLS,
  type NetworkAclEntry,
  type Route,
  type Subnet,
  type VpcLayout,
  type World,
} from '../../types.js';
import { createNatGateway, deleteNatGateway, findNatGateway, natChanged } from '../../nat.js';
import { aclEntryText, editableVpc, findInVpcs, findSubnet, MAX_ACL_RULE, vpcIdsText } from '../../vpc.js';
import { worldVerb, type FlagInput } from '../spec.js';

const ACL_ARG = { name: 'network-acl', kind: 'network-acl', help: 'network ACL id or name' } as const;
const TABLE_ARG = { name: 'route-table', kind: 'route-table', help: 'route table id or name' } as const;
const SUBNET_ARG = { name: 'subnet', kind: 'subnet', help: 'subnet id or name' } as const;
const NAT_ARG = { name: 'nat-gateway', kind: 'nat-gateway', help: 'NAT gateway id or Name' } as const;
const RULE_NUMBER = {
  name: 'rule-number',
  kind: 'int',
  help: 'where the entry is read: lowest first, the first match decides',
  required: true,
  range: [1, MAX_ACL_RULE],
} as const;
const EGRESS = { name: 'egress', kind: 'flag', help: 'an outbound entry (default: inbound)' } as const;
const ENTRY_FLAGS = [
  RULE_NUMBER,
  EGRESS,
  { name: 'protocol', kind: 'word', help: 'tcp, udp, icmp or all', values: PROTOCOLS, required: true },
  { name: 'port', kind: 'ports', help: 'a port or range, e.g. 443 or 1024-65535 (default: all)' },
  {
    name: 'cidr',
    kind: 'cidr',
    help: 'the range the traffic comes from (inbound) or goes to (outbound)',
    required: true,
  },
  { name: 'action', kind: 'word', help: 'allow or deny', values: ACL_ACTIONS, required: true },
] as const;
const DESTINATION = {
  name: 'destination',
  kind: 'cidr',
  help: 'the destination block, e.g. 0.0.0.0/0',
  required: true,
} as const;
const ROUTE_FLAGS = [
  DESTINATION,
  { name: 'gateway', kind: 'word', help: "the target: the VPC's internet gateway (igw, or its id)" },
  { name: 'nat-gateway-id', kind: 'nat-gateway', help: 'the target: a NAT gateway (id or Name), instead of --gateway' },
] as const;

function findIn<T extends { id: string; name: string }>(table: Record<string, T>, ref: string): T | undefined {
  return table[ref] ?? Object.values(table).find((x) => x.name === ref);
}

/** The VPC holding what `find` finds by `ref` among the world's VPCs; refuses with `code` when none does. */
function holding<T>(
  world: World,
  ref: string,
  find: (layout: VpcLayout) => T | undefined,
  code: string,
  what: string,
): { layout: VpcLayout; found: T } {
  return findInVpcs(world, find) ?? refuse(code, `no ${what} ${ref} in ${vpcIdsText(world)}`);
}

const aclIn = (world: World, ref: string) =>
  holding(world, ref, (l) => findIn(l.networkAcls, ref), 'InvalidNetworkAclID.NotFound', 'network ACL');

const tableIn = (world: World, ref: string) =>
  holding(world, ref, (l) => findIn(l.routeTables, ref), 'InvalidRouteTableID.NotFound', 'route table');

const subnetIn = (world: World, ref: string) =>
  holding(world, ref, (l) => findSubnet(l, ref), 'InvalidSubnetID.NotFound', 'subnet');

/** A network ACL as commands change it (the default VPC written into the world first). */
const editableAcl = (world: World, ref: string) => {
  const { layout, found } = aclIn(world, ref);
  return editableVpc(world, layout).networkAcls[found.id]!;
};

const editableTable = (world: World, ref: string) => {
  const { layout, found } = tableIn(world, ref);
  return editableVpc(world, layout).routeTables[found.id]!;
};

/** Refuses a subnet and a route table or ACL of different VPCs: a subnet takes its own VPC's. */
function sameVpc(subnet: { layout: VpcLayout; found: Subnet }, other: { layout: VpcLayout; found: { id: string } }) {
  if (subnet.layout !== other.layout)
    refuse(
      'InvalidParameterValue',
      `${other.found.id} is in ${other.layout.id} and subnet ${subnet.found.id} in ${subnet.layout.id}: a subnet takes its own VPC's`,
    );
}

/** The entry a command describes (every port without --port); its port range and block are well formed, as the parser checked them. */
function entryOf(input: FlagInput<typeof ENTRY_FLAGS>): NetworkAclEntry {
  const [fromPort, toPort] = input.port === undefined ? [0, 65535] : parsePortRange(input.port)!;
  const { cidr } = input;
  return { ruleNumber: input['rule-number'], protocol: input.protocol, fromPort, toPort, cidr, action: input.action };
}

const direction = (input: FlagInput<readonly [typeof EGRESS]>) => (input.egress === true ? 'outbound' : 'inbound');

/**
 * The route a command describes, to the internet gateway or a NAT gateway (one of the two);
 * refuses a malformed block, a gateway the VPC has not, a deleted NAT gateway, or a block inside the VPC's.
 */
function routeOf(layout: VpcLayout, input: FlagInput<typeof ROUTE_FLAGS>): Route {
  const { destination, gateway } = input;
  const nat = input['nat-gateway-id'];
  // Well formed, as the parser checked; EC2 also wants it written from its first address.
  if (!isCanonical(parseCidr(destination)!))
    refuse('InvalidParameterValue', `--destination expects a block such as 0.0.0.0/0, got '${destination}'`);
  if ((gateway === undefined) === (nat === undefined))
    refuse('InvalidParameterCombination', 'a route has one target: give --gateway or --nat-gateway-id');
  if (nat !== undefined) {
    const found = findNatGateway(layout, nat);
    if (!found || found.state === 'deleted')
      refuse('InvalidNatGatewayID.NotFound', `no available NAT gateway ${nat} in ${layout.id}`);
    return { destination, target: found.id };
  }
  const igw = layout.internetGatewayId;
  if (!igw || (gateway !== 'igw' && gateway !== igw))
    refuse('InvalidGatewayID.NotFound', `no internet gateway ${gateway} attached to ${layout.id}`);
  return { destination, target: igw };
}

const withinVpc = (layout: VpcLayout, destination: string) =>
  blockWithin(parseCidr(destination)!, parseCidr(layout.cidr)!);

// Every instance behind an ACL or table may serve differently after a change: derived data is
// drawn up afresh (touchEverything) before the event is told.
export const VPC_VERBS = [
  worldVerb(
    {
      verb: 'create-network-acl-entry',
      scope: 'world',
      summary: 'add a numbered allow or deny entry to a network ACL (stateless: replies need their own)',
      args: [ACL_ARG],
      flags: ENTRY_FLAGS,
    },
    (world, input, events) => {
      const acl = aclIn(world, input['network-acl']).found;
      const entry = entryOf(input);
      const dir = direction(input);
      if (acl[dir].some((e) => e.ruleNumber === entry.ruleNumber))
        refuse('NetworkAclEntryAlreadyExists', `${acl.id} already has ${dir} rule ${entry.ruleNumber}`);
      const target = editableAcl(world, acl.id);
      target[dir].push(entry);
      touchEverything(world);
      events.emit(
        'network-acl-entry-created',
        'info',
        acl.id,
        `${acl.id} (${acl.name}) ${dir}: ${aclEntryText(entry)}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'replace-network-acl-entry',
      scope: 'world',
      summary: 'change a network ACL entry in place, keeping its number',
      args: [ACL_ARG],
      flags: ENTRY_FLAGS,
    },
    (world, input, events) => {
      const acl = aclIn(world, input['network-acl']).found;
      const entry = entryOf(input);
      const dir = direction(input);
      if (!acl[dir].some((e) => e.ruleNumber === entry.ruleNumber))
        refuse('InvalidNetworkAclEntry.NotFound', `${acl.id} has no ${dir} rule ${entry.ruleNumber}`);
      const target = editableAcl(world, acl.id);
      target[dir] = target[dir].map((e) => (e.ruleNumber === entry.ruleNumber ? entry : e));
      touchEverything(world);
      events.emit(
        'network-acl-entry-replaced',
        'info',
        acl.id,
        `${acl.id} (${acl.name}) ${dir} now: ${aclEntryText(entry)}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'delete-network-acl-entry',
      scope: 'world',
      summary: 'remove a numbered entry from a network ACL',
      args: [ACL_ARG],
      flags: [RULE_NUMBER, EGRESS],
    },
    (world, input, events) => {
      const acl = aclIn(world, input['network-acl']).found;
      const number = input['rule-number'];
      const dir = direction(input);
      const old = acl[dir].find((e) => e.ruleNumber === number);
      if (!old) refuse('InvalidNetworkAclEntry.NotFound', `${acl.id} has no ${dir} rule ${number}`);
      const target = editableAcl(world, acl.id);
      target[dir] = target[dir].filter((e) => e.ruleNumber !== number);
      touchEverything(world);
      events.emit(
        'network-acl-entry-deleted',
        'info',
        acl.id,
        `${acl.id} (${acl.name}) ${dir} rule removed: ${aclEntryText(old)}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'create-route',
      scope: 'world',
      summary:
        'add a route to a route table, to --gateway or --nat-gateway-id (the most specific route that holds a destination wins)',
      args: [TABLE_ARG],
      flags: ROUTE_FLAGS,
    },
    (world, input, events) => {
      const { layout, found: table } = tableIn(world, input['route-table']);
      const route = routeOf(layout, input);
      if (withinVpc(layout, route.destination))
        refuse(
          'InvalidParameterValue',
          `${route.destination} is inside the VPC's ${layout.cidr}: the local route covers it`,
        );
      if (table.routes.some((r) => r.destination === route.destination))
        refuse('RouteAlreadyExists', `${table.id} already has a route to ${route.destination}`);
      editableTable(world, table.id).routes.push(route);
      touchEverything(world);
      events.emit(
        'route-created',
        'info',
        table.id,
        `${table.id} (${table.name}): ${route.destination} -> ${route.target}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'replace-route',
      scope: 'world',
      summary: "change a route's target: --gateway or --nat-gateway-id",
      args: [TABLE_ARG],
      flags: ROUTE_FLAGS,
    },
    (world, input, events) => {
      const { layout, found: table } = tableIn(world, input['route-table']);
      const route = routeOf(layout, input);
      const old = table.routes.find((r) => r.destination === route.destination);
      if (!old || old.target === 'local')
        // EC2 answers a replace of no route with InvalidParameterValue ("Use CreateRoute instead");
        // InvalidRoute.NotFound is DeleteRoute's.
        refuse('InvalidParameterValue', `${table.id} has no route to ${route.destination} that can be replaced`);
      const target = editableTable(world, table.id);
      target.routes = target.routes.map((r) => (r.destination === route.destination ? route : r));
      touchEverything(world);
      events.emit(
        'route-replaced',
        'info',
        table.id,
        `${table.id} (${table.name}): ${route.destination} -> ${route.target}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'delete-route',
      scope: 'world',
      summary: 'remove a route from a route table (the local route cannot be removed)',
      args: [TABLE_ARG],
      flags: [DESTINATION],
    },
    (world, input, events) => {
      const table = tableIn(world, input['route-table']).found;
      const destination = input.destination;
      const old = table.routes.find((r) => r.destination === destination);
      if (!old) refuse('InvalidRoute.NotFound', `${table.id} has no route to ${destination}`);
      if (old.target === 'local') refuse('InvalidParameterValue', `the local route of ${table.id} cannot be removed`);
      const target = editableTable(world, table.id);
      target.routes = target.routes.filter((r) => r.destination !== destination);
      touchEverything(world);
      events.emit(
        'route-deleted',
        'info',
        table.id,
        `${table.id} (${table.name}): no more route to ${destination} (was -> ${old.target})`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'create-nat-gateway',
      scope: 'world',
      summary: 'a NAT gateway in a public subnet, with an Elastic IP: the way out for subnets routed to it',
      args: [SUBNET_ARG],
      flags: [
        {
          name: 'allocation-id',
          kind: 'allocation',
          help: 'the Elastic IP it sends from (allocate-address)',
          required: true,
        },
        { name: 'name', kind: 'word', help: 'a Name tag, so commands and scripts can name it' },
      ],
    },
    (world, input, events) => {
      if (input.name !== undefined) checkNatGatewayName(input.name);
      const subnet = subnetIn(world, input.subnet).found;
      natChanged(world, createNatGateway(world, subnet, input['allocation-id'], input.name ?? null), events, true);
    },
  ),
  worldVerb(
    {
      verb: 'delete-nat-gateway',
      scope: 'world',
      summary: 'delete a NAT gateway: its Elastic IP is freed and routes to it become blackholes',
      args: [NAT_ARG],
      flags: [],
    },
    (world, input, events) => {
      const nat = holding(
        world,
        input['nat-gateway'],
        (l) => findNatGateway(l, input['nat-gateway']),
        // DeleteNatGateway's code; a route naming an unknown one gets InvalidNatGatewayID.NotFound.
        'NatGatewayNotFound',
        'NAT gateway',
      ).found;
      deleteNatGateway(world, nat);
      natChanged(world, nat, events, false);
    },
  ),
  worldVerb(
    {
      verb: 'replace-route-table-association',
      scope: 'world',
      summary: 'make a subnet use another route table',
      args: [SUBNET_ARG],
      flags: [{ ...TABLE_ARG, required: true }],
    },
    (world, input, events) => {
      const place = subnetIn(world, input.subnet);
      const held = tableIn(world, input['route-table']);
      sameVpc(place, held);
      const [subnet, table] = [place.found, held.found];
      editableVpc(world, place.layout).subnets[subnet.id]!.routeTableId = table.main ? null : table.id;
      touchEverything(world);
      events.emit(
        'route-table-association-replaced',
        'info',
        subnet.id,
        `${subnet.id} (${subnet.name}) now uses route table ${table.id} (${table.name})`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'replace-network-acl-association',
      scope: 'world',
      summary: 'make a subnet use another network ACL',
      args: [SUBNET_ARG],
      flags: [{ ...ACL_ARG, required: true }],
    },
    (world, input, events) => {
      const place = subnetIn(world, input.subnet);
      const held = aclIn(world, input['network-acl']);
      sameVpc(place, held);
      const [subnet, acl] = [place.found, held.found];
      editableVpc(world, place.layout).subnets[subnet.id]!.networkAclId = acl.default ? null : acl.id;
      touchEverything(world);
      events.emit(
        'network-acl-association-replaced',
        'info',
        subnet.id,
        `${subnet.id} (${subnet.name}) now uses network ACL ${acl.id} (${acl.name})`,
      );
    },
  ),
];
