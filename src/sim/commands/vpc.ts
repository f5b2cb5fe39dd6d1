// The VPC's verbs: network ACL entries, routes, and which route table and network ACL a subnet
// uses, with EC2's names and error codes. Each handler checks everything before it changes
// anything; a change reaches every instance behind it, so derived data is drawn up afresh.
import { parseCidr } from '../cidr.js';
import { touchEverything } from '../changes.js';
import { refuse } from '../errors.js';
import type { EventSink } from '../events.js';
import type { NetworkAcl, NetworkAclEntry, Route, RouteTable, Subnet, VpcLayout, World } from '../types.js';
import { aclEntryText, editableLayout, findSubnet, layoutOf, MAX_ACL_RULE } from '../vpc.js';
import {
  attachInterface,
  createInterface,
  deleteInterface,
  detachInterface,
  deviceName,
  resolveInterface,
} from '../interfaces.js';
import { instanceLabel } from '../instances.js';
import type { ArgSpec, VerbSpec } from './grammar.js';
import { resolveInstance, resolveSecurityGroup } from './resolve.js';
import type { Command } from './parse.js';

type Handler = (world: World, cmd: Command, events: EventSink) => void;

const str = (cmd: Command, name: string): string => String(cmd.args[name] ?? cmd.flags[name]);

const aclArg: ArgSpec = { name: 'network-acl', kind: 'word', help: 'network ACL id or name' };
const tableArg: ArgSpec = { name: 'route-table', kind: 'word', help: 'route table id or name' };
const subnetArg: ArgSpec = { name: 'subnet', kind: 'word', help: 'subnet id or name' };
const ruleNumber: ArgSpec = {
  name: 'rule-number',
  kind: 'int',
  help: 'where the entry is read: lowest first, the first match decides',
  required: true,
  range: [1, MAX_ACL_RULE],
};
const egress: ArgSpec = { name: 'egress', kind: 'flag', help: 'an outbound entry (default: inbound)' };
const entryFlags: ArgSpec[] = [
  ruleNumber,
  egress,
  {
    name: 'protocol',
    kind: 'word',
    help: 'tcp, udp, icmp or all',
    values: ['tcp', 'udp', 'icmp', 'all'],
    required: true,
  },
  { name: 'port', kind: 'word', help: 'a port or range, e.g. 443 or 1024-65535 (default: all)' },
  {
    name: 'cidr',
    kind: 'word',
    help: 'the range the traffic comes from (inbound) or goes to (outbound)',
    required: true,
  },
  { name: 'action', kind: 'word', help: 'allow or deny', values: ['allow', 'deny'], required: true },
];
const routeFlags: ArgSpec[] = [
  { name: 'destination', kind: 'word', help: 'the destination block, e.g. 0.0.0.0/0', required: true },
  { name: 'gateway', kind: 'word', help: "the target: the VPC's internet gateway (igw, or its id)", required: true },
];

const eniArg: ArgSpec = { name: 'network-interface', kind: 'word', help: 'network interface id (eni-...)' };

export const VPC_VERBS: readonly VerbSpec[] = [
  {
    verb: 'create-network-interface',
    scope: 'world',
    summary: 'create a network interface in a subnet, available to attach',
    args: [],
    flags: [
      {
        name: 'subnet',
        kind: 'word',
        help: "subnet id or name (in the default VPC: a zone's name or id)",
        required: true,
      },
      { name: 'sg', kind: 'security-group', help: 'security groups, comma separated (default: default)' },
    ],
  },
  {
    verb: 'attach-network-interface',
    scope: 'world',
    summary: "attach an available interface to a running or stopped instance in its zone, up to the type's limit",
    args: [eniArg, { name: 'instance', kind: 'instance', help: 'instance id, unique id prefix, or Name' }],
    flags: [{ name: 'device-index', kind: 'int', help: 'eth number (default: the next free)', range: [1, 14] }],
  },
  {
    verb: 'detach-network-interface',
    scope: 'world',
    summary: 'detach an interface attached after launch (never the primary, eth0); it keeps its Elastic IP',
    args: [eniArg],
    flags: [],
  },
  {
    verb: 'delete-network-interface',
    scope: 'world',
    summary: 'delete an available interface',
    args: [eniArg],
    flags: [],
  },
  {
    verb: 'create-network-acl-entry',
    scope: 'world',
    summary: 'add a numbered allow or deny entry to a network ACL (stateless: replies need their own)',
    args: [aclArg],
    flags: entryFlags,
  },
  {
    verb: 'replace-network-acl-entry',
    scope: 'world',
    summary: 'change a network ACL entry in place, keeping its number',
    args: [aclArg],
    flags: entryFlags,
  },
  {
    verb: 'delete-network-acl-entry',
    scope: 'world',
    summary: 'remove a numbered entry from a network ACL',
    args: [aclArg],
    flags: [ruleNumber, egress],
  },
  {
    verb: 'create-route',
    scope: 'world',
    summary: 'add a route to a route table (the most specific route that holds a destination wins)',
    args: [tableArg],
    flags: routeFlags,
  },
  {
    verb: 'replace-route',
    scope: 'world',
    summary: "change a route's target",
    args: [tableArg],
    flags: routeFlags,
  },
  {
    verb: 'delete-route',
    scope: 'world',
    summary: 'remove a route from a route table (the local route cannot be removed)',
    args: [tableArg],
    flags: [routeFlags[0]!],
  },
  {
    verb: 'replace-route-table-association',
    scope: 'world',
    summary: 'make a subnet use another route table',
    args: [subnetArg],
    flags: [{ ...tableArg, required: true }],
  },
  {
    verb: 'replace-network-acl-association',
    scope: 'world',
    summary: 'make a subnet use another network ACL',
    args: [subnetArg],
    flags: [{ ...aclArg, required: true }],
  },
];

function findIn<T extends { id: string; name: string }>(table: Record<string, T>, ref: string): T | undefined {
  return table[ref] ?? Object.values(table).find((x) => x.name === ref);
}

function resolveAcl(layout: VpcLayout, ref: string): NetworkAcl {
  return (
    findIn(layout.networkAcls, ref) ?? refuse('InvalidNetworkAclID.NotFound', `no network ACL ${ref} in ${layout.id}`)
  );
}

function resolveTable(layout: VpcLayout, ref: string): RouteTable {
  return (
    findIn(layout.routeTables, ref) ?? refuse('InvalidRouteTableID.NotFound', `no route table ${ref} in ${layout.id}`)
  );
}

function resolveSubnet(layout: VpcLayout, ref: string): Subnet {
  return findSubnet(layout, ref) ?? refuse('InvalidSubnetID.NotFound', `no subnet ${ref} in ${layout.id}`);
}

/** The entry a command describes; refuses a malformed port range or block. */
function entryOf(cmd: Command): NetworkAclEntry {
  const port = cmd.flags.port === undefined ? null : str(cmd, 'port');
  const m = port === null ? ['', '0', '65535'] : /^(\d+)(?:-(\d+))?$/.exec(port);
  if (!m) refuse('InvalidParameterValue', `--port expects a port or range such as 443 or 1024-65535, got '${port}'`);
  const fromPort = Number(m[1]);
  const toPort = Number(m[2] ?? m[1]);
  if (fromPort > toPort || toPort > 65535)
    refuse('InvalidParameterValue', `--port ${port} is not a range within 0-65535`);
  const cidr = str(cmd, 'cidr');
  if (!parseCidr(cidr))
    refuse('InvalidParameterValue', `--cidr expects an IPv4 range such as 0.0.0.0/0, got '${cidr}'`);
  return {
    ruleNumber: Number(cmd.flags['rule-number']),
    protocol: str(cmd, 'protocol') as NetworkAclEntry['protocol'],
    fromPort,
    toPort,
    cidr,
    action: str(cmd, 'action') as NetworkAclEntry['action'],
  };
}

const direction = (cmd: Command) => (cmd.flags.egress === true ? 'outbound' : 'inbound');

/** The route a command describes; refuses a malformed block, a gateway the VPC has not, or a block inside the VPC's. */
function routeOf(layout: VpcLayout, cmd: Command): Route {
  const destination = str(cmd, 'destination');
  const block = parseCidr(destination);
  if (!block || block.base % 2 ** (32 - block.bits) !== 0)
    refuse('InvalidParameterValue', `--destination expects a block such as 0.0.0.0/0, got '${destination}'`);
  const gateway = str(cmd, 'gateway');
  const igw = layout.internetGatewayId;
  if (!igw || (gateway !== 'igw' && gateway !== igw))
    refuse('InvalidGatewayID.NotFound', `no internet gateway ${gateway} attached to ${layout.id}`);
  return { destination, target: igw };
}

const withinVpc = (layout: VpcLayout, destination: string) => {
  const vpc = parseCidr(layout.cidr)!;
  const block = parseCidr(destination)!;
  return (
    block.bits >= vpc.bits &&
    Math.floor(block.base / 2 ** (32 - vpc.bits)) === Math.floor(vpc.base / 2 ** (32 - vpc.bits))
  );
};

// Every instance behind an ACL or table may serve differently after a change: derived data is
// drawn up afresh (touchEverything) before the event is told.
export const VPC_HANDLERS: Record<string, Handler> = {
  'create-network-interface': (world, cmd, events) => {
    const groups = (cmd.flags.sg === undefined ? 'default' : str(cmd, 'sg')).split(',').filter(Boolean);
    const eni = createInterface(
      world,
      str(cmd, 'subnet'),
      groups.map((g) => resolveSecurityGroup(world, g).id),
    );
    events.emit(
      'network-interface-created',
      'info',
      eni.id,
      `${eni.id} (${eni.privateIp}) created in ${eni.zoneId}, available`,
    );
  },
  'attach-network-interface': (world, cmd, events) => {
    const instance = resolveInstance(world, str(cmd, 'instance'));
    const eni = resolveInterface(world, str(cmd, 'network-interface'));
    const index = attachInterface(
      world,
      eni,
      instance,
      cmd.flags['device-index'] === undefined ? null : Number(cmd.flags['device-index']),
    );
    events.emit(
      'network-interface-attached',
      'info',
      instance.id,
      `${eni.id} (${eni.privateIp}) attached to ${instanceLabel(instance)} as eth${index}`,
    );
  },
  'detach-network-interface': (world, cmd, events) => {
    const eni = resolveInterface(world, str(cmd, 'network-interface'));
    const device = deviceName(eni);
    const instance = detachInterface(world, eni);
    events.emit(
      'network-interface-detached',
      'info',
      instance.id,
      `${eni.id} (${device}) detached from ${instanceLabel(instance)}`,
    );
  },
  'delete-network-interface': (world, cmd, events) => {
    const eni = resolveInterface(world, str(cmd, 'network-interface'));
    deleteInterface(world, eni);
    events.emit('network-interface-deleted', 'info', eni.id, `${eni.id} deleted`);
  },
  'create-network-acl-entry': (world, cmd, events) => {
    const acl = resolveAcl(layoutOf(world), str(cmd, 'network-acl'));
    const entry = entryOf(cmd);
    const dir = direction(cmd);
    if (acl[dir].some((e) => e.ruleNumber === entry.ruleNumber))
      refuse('NetworkAclEntryAlreadyExists', `${acl.id} already has ${dir} rule ${entry.ruleNumber}`);
    const target = resolveAcl(editableLayout(world), acl.id);
    target[dir].push(entry);
    touchEverything(world);
    events.emit('network-acl-entry-created', 'info', acl.id, `${acl.id} (${acl.name}) ${dir}: ${aclEntryText(entry)}`);
  },
  'replace-network-acl-entry': (world, cmd, events) => {
    const acl = resolveAcl(layoutOf(world), str(cmd, 'network-acl'));
    const entry = entryOf(cmd);
    const dir = direction(cmd);
    if (!acl[dir].some((e) => e.ruleNumber === entry.ruleNumber))
      refuse('InvalidNetworkAclEntry.NotFound', `${acl.id} has no ${dir} rule ${entry.ruleNumber}`);
    const target = resolveAcl(editableLayout(world), acl.id);
    target[dir] = target[dir].map((e) => (e.ruleNumber === entry.ruleNumber ? entry : e));
    touchEverything(world);
    events.emit(
      'network-acl-entry-replaced',
      'info',
      acl.id,
      `${acl.id} (${acl.name}) ${dir} now: ${aclEntryText(entry)}`,
    );
  },
  'delete-network-acl-entry': (world, cmd, events) => {
    const acl = resolveAcl(layoutOf(world), str(cmd, 'network-acl'));
    const number = Number(cmd.flags['rule-number']);
    const dir = direction(cmd);
    const old = acl[dir].find((e) => e.ruleNumber === number);
    if (!old) refuse('InvalidNetworkAclEntry.NotFound', `${acl.id} has no ${dir} rule ${number}`);
    const target = resolveAcl(editableLayout(world), acl.id);
    target[dir] = target[dir].filter((e) => e.ruleNumber !== number);
    touchEverything(world);
    events.emit(
      'network-acl-entry-deleted',
      'info',
      acl.id,
      `${acl.id} (${acl.name}) ${dir} rule removed: ${aclEntryText(old)}`,
    );
  },
  'create-route': (world, cmd, events) => {
    const layout = layoutOf(world);
    const table = resolveTable(layout, str(cmd, 'route-table'));
    const route = routeOf(layout, cmd);
    if (withinVpc(layout, route.destination))
      refuse(
        'InvalidParameterValue',
        `${route.destination} is inside the VPC's ${layout.cidr}: the local route covers it`,
      );
    if (table.routes.some((r) => r.destination === route.destination))
      refuse('RouteAlreadyExists', `${table.id} already has a route to ${route.destination}`);
    resolveTable(editableLayout(world), table.id).routes.push(route);
    touchEverything(world);
    events.emit(
      'route-created',
      'info',
      table.id,
      `${table.id} (${table.name}): ${route.destination} -> ${route.target}`,
    );
  },
  'replace-route': (world, cmd, events) => {
    const layout = layoutOf(world);
    const table = resolveTable(layout, str(cmd, 'route-table'));
    const route = routeOf(layout, cmd);
    const old = table.routes.find((r) => r.destination === route.destination);
    if (!old || old.target === 'local')
      refuse('InvalidRoute.NotFound', `${table.id} has no route to ${route.destination} that can be replaced`);
    const target = resolveTable(editableLayout(world), table.id);
    target.routes = target.routes.map((r) => (r.destination === route.destination ? route : r));
    touchEverything(world);
    events.emit(
      'route-replaced',
      'info',
      table.id,
      `${table.id} (${table.name}): ${route.destination} -> ${route.target}`,
    );
  },
  'delete-route': (world, cmd, events) => {
    const table = resolveTable(layoutOf(world), str(cmd, 'route-table'));
    const destination = str(cmd, 'destination');
    const old = table.routes.find((r) => r.destination === destination);
    if (!old) refuse('InvalidRoute.NotFound', `${table.id} has no route to ${destination}`);
    if (old.target === 'local') refuse('InvalidParameterValue', `the local route of ${table.id} cannot be removed`);
    const target = resolveTable(editableLayout(world), table.id);
    target.routes = target.routes.filter((r) => r.destination !== destination);
    touchEverything(world);
    events.emit(
      'route-deleted',
      'info',
      table.id,
      `${table.id} (${table.name}): no more route to ${destination} (was -> ${old.target})`,
    );
  },
  'replace-route-table-association': (world, cmd, events) => {
    const layout = layoutOf(world);
    const subnet = resolveSubnet(layout, str(cmd, 'subnet'));
    const table = resolveTable(layout, str(cmd, 'route-table'));
    const edit = editableLayout(world);
    edit.subnets[subnet.id]!.routeTableId = table.main ? null : table.id;
    touchEverything(world);
    events.emit(
      'route-table-association-replaced',
      'info',
      subnet.id,
      `${subnet.id} (${subnet.name}) now uses route table ${table.id} (${table.name})`,
    );
  },
  'replace-network-acl-association': (world, cmd, events) => {
    const layout = layoutOf(world);
    const subnet = resolveSubnet(layout, str(cmd, 'subnet'));
    const acl = resolveAcl(layout, str(cmd, 'network-acl'));
    const edit = editableLayout(world);
    edit.subnets[subnet.id]!.networkAclId = acl.default ? null : acl.id;
    touchEverything(world);
    events.emit(
      'network-acl-association-replaced',
      'info',
      subnet.id,
      `${subnet.id} (${subnet.name}) now uses network ACL ${acl.id} (${acl.name})`,
    );
  },
};
