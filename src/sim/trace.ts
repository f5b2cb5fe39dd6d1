// `trace`: the question a responder asks of the network path ("can clients reach web-1 on 443,
// and if not, where are they stopped?", or with --to internet "can worker-1 get out?"), read from
// words as the dashboard prompt and the CLI take them, and answered hop by hop by the packet path
// (network.ts) or the way out (egress.ts).
import { inBlock, ipToNumber, parseCidr } from './cidr.js';
import type { VerbSpec } from './commands/spec.js';
import { resolveInstance } from './commands/resolve.js';
import { refuse } from './errors.js';
import { deviceName, privateIpsOf, publicAssociationsOf } from './interfaces.js';
import { egressPath } from './egress.js';
import {
  INTERNET_CLIENT,
  instancePaths,
  interfaceHolding,
  interfacesOf,
  tracePath,
  VPC_CLIENT,
  type HopResult,
} from './network.js';
import type { Instance, NetworkInterface, World } from './types.js';
import { placeFinder, vpcClientAddress, vpcsOf } from './vpc.js';

export const TRACE_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
export type TraceProtocol = (typeof TRACE_PROTOCOLS)[number];
export const TRACE_DESTINATIONS = ['internet'] as const;

export interface TraceQuery {
  /** The instance traced to: id, unique id prefix or Name; or a private IPv4 address, traced to the interface holding it. */
  target: string;
  /** Default: the port of the instance's workload, else 443. */
  port: number | null;
  /** Default: tcp. */
  protocol: TraceProtocol | null;
  /** `internet`, an instance, or an IPv4 address; default: where the workload's clients are. */
  from: string | null;
  /** `internet`: the way out, a connection the instance starts; absent or null: the way in. */
  to?: 'internet' | null;
}

/**
 * trace's words, declared as a verb's are so that the prompt completes them; a read-only question,
 * so not one of the world's verbs.
 */
export const TRACE_FORM: VerbSpec = {
  verb: 'trace',
  scope: 'game',
  summary: 'the network path to an instance, hop by hop',
  args: [
    {
      name: 'instance',
      kind: 'instance',
      help: 'instance id, unique id prefix, or Name; or a private IPv4 address (to the interface that holds it)',
    },
  ],
  flags: [
    { name: 'port', kind: 'int', help: "the port (default: the workload's, else 443)", range: [1, 65535] },
    { name: 'protocol', kind: 'word', help: 'tcp (default), udp or icmp', values: TRACE_PROTOCOLS },
    {
      name: 'from',
      kind: 'instance',
      help: 'internet, an instance or an IPv4 address (default: where its clients are)',
    },
    {
      name: 'to',
      kind: 'word',
      help: 'internet: the way out, a connection the instance starts (through a NAT gateway from a private subnet)',
      values: TRACE_DESTINATIONS,
    },
  ],
};

export const TRACE_USAGE =
  'trace <instance|private-ip> [--port 1-65535] [--protocol tcp|udp|icmp] [--from internet|<instance>|<ip> | --to internet]';

/**
 * Refuses text of digits and dots that is no IPv4 address (`10.0.0.256`, `010.0.0.1`): it was meant
 * as one, and would otherwise be looked for as an instance's name.
 */
function checkAddressLike(what: string, text: string): void {
  if (/^[\d.]+$/.test(text) && ipToNumber(text) === null)
    refuse(
      'InvalidParameterValue',
      `${what} ${text}: expected an IPv4 address such as 10.0.1.5 (four numbers from 0 to 255, without leading zeros)`,
    );
}

/**
 * Blocks no client sends from (RFC 6890's special-purpose addresses a host cannot be reached by),
 * with what each is: a trace from one would be traced as if a host there could send.
 */
const NO_CLIENT_BLOCKS: readonly (readonly [cidr: string, what: string])[] = [
  ['0.0.0.0/8', '"this network", no host'],
  ['127.0.0.0/8', "loopback, each host's own"],
  ['169.254.0.0/16', "link-local, each instance's own (the metadata service's)"],
  ['224.0.0.0/4', 'multicast, a group rather than a host'],
  ['240.0.0.0/4', 'reserved, and the broadcast address'],
];

/** Refuses a source address that no client sends from (see NO_CLIENT_BLOCKS). */
function checkClientAddress(from: string): void {
  const addr = ipToNumber(from);
  if (addr === null) return;
  const found = NO_CLIENT_BLOCKS.find(([cidr]) => inBlock(parseCidr(cidr)!, addr));
  if (found)
    refuse('InvalidParameterValue', `trace --from ${from}: ${found[0]} is ${found[1]}; no client sends from there`);
}

/** Reads `web-1 --port 443 --from internet`; refuses (CommandError) with what was expected. */
export function parseTraceWords(words: readonly string[]): TraceQuery {
  const query: TraceQuery = { target: '', port: null, protocol: null, from: null };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--')) {
      if (query.target)
        refuse(
          'InvalidParameterValue',
          `trace takes one instance, got '${query.target}' and '${word}'; expected ${TRACE_USAGE}`,
        );
      query.target = word;
      continue;
    }
    const name = word.slice(2);
    const value = words[++i];
    if (!['port', 'protocol', 'from', 'to'].includes(name))
      refuse('InvalidParameterValue', `trace has no --${name}; expected ${TRACE_USAGE}`);
    if (value === undefined || value.startsWith('--'))
      refuse('InvalidParameterValue', `trace --${name} needs a value; expected ${TRACE_USAGE}`);
    if (name === 'port') {
      if (!/^[1-9]\d{0,4}$/.test(value) || Number(value) > 65535)
        refuse('InvalidParameterValue', `trace --port expects a port from 1 to 65535, got '${value}'`);
      query.port = Number(value);
    } else if (name === 'protocol') {
      if (!(TRACE_PROTOCOLS as readonly string[]).includes(value))
        refuse('InvalidParameterValue', `trace --protocol expects tcp, udp or icmp, got '${value}'`);
      query.protocol = value as TraceProtocol;
    } else if (name === 'to') {
      if (value !== 'internet')
        refuse('InvalidParameterValue', `trace --to expects internet (the way out), got '${value}'`);
      query.to = value;
    } else query.from = value;
  }
  if (!query.target) refuse('InvalidParameterValue', `trace needs an instance; expected ${TRACE_USAGE}`);
  checkAddressLike('trace', query.target);
  if (query.from !== null) {
    checkAddressLike('trace --from', query.from);
    checkClientAddress(query.from);
  }
  // ICMP has types and codes, not ports: a port given with it would be taken and ignored.
  if (query.protocol === 'icmp' && query.port !== null)
    refuse('InvalidParameterValue', 'trace --port applies to tcp and udp; icmp has no ports');
  if (query.to && query.from !== null)
    refuse('InvalidParameterValue', 'trace takes --from (the way in) or --to internet (the way out), not both');
  return query;
}

export interface Trace {
  instance: Instance;
  protocol: TraceProtocol;
  port: number;
  /** Where the traffic starts, in words: `the internet (203.0.113.10)`, `web-2 (10.0.1.5)`. */
  fromText: string;
  fromInternet: boolean;
  hops: HopResult[];
  /** `internet` when the trace follows the way out: hops from the guest to the internet and the replies back. */
  to: 'internet' | null;
  /** Every hop passed: the request reached the guest (or the internet) and its reply got back; and the calls out, if any, get through. */
  reached: boolean;
  /**
   * For a way-in trace to a member of a workload that calls out to the internet: whether those
   * calls get through, and where they stop; null otherwise.
   */
  calls: { port: number; hops: HopResult[]; reached: boolean } | null;
  /** The interface traced to: the first whose path is open, else the one the packet got furthest into. */
  interfaceId: string;
  /** Every interface of the instance, with where its path stops (null: open); one entry for most instances. */
  interfaces: { id: string; device: string; publicIp: string | null; droppedAt: string | null }[];
}

const interfaceRow = (eni: NetworkInterface, hops: HopResult[]) => ({
  id: eni.id,
  device: deviceName(eni),
  publicIp: eni.publicIp,
  droppedAt: hops.find((h) => !h.ok)?.hop ?? null,
});

/** The way out: a connection the instance starts to a service on the internet, by its primary interface. */
function traceOut(world: World, instance: Instance, query: TraceQuery, egressPort: number | undefined): Trace {
  const protocol = query.protocol ?? 'tcp';
  const port = query.port ?? egressPort ?? 443;
  const hops = egressPath(world, instance, protocol, port);
  const eni = world.enis[instance.eniId]!;
  const ip = eni.privateIp;
  return {
    instance,
    protocol,
    port,
    fromText: instance.name ? `${instance.name} (${instance.id}, ${ip})` : `${instance.id} (${ip})`,
    fromInternet: false,
    to: 'internet',
    hops,
    reached: hops.every((h) => h.ok),
    calls: null,
    interfaceId: eni.id,
    interfaces: [interfaceRow(eni, hops)],
  };
}

/**
 * The attached interface holding a private address (primary or secondary): in the VPC of the
 * instance traced from, when it is one, since an address means something only inside its VPC.
 * Refuses when none does, or when several VPCs hold it and nothing says which.
 */
function holderOf(world: World, ip: string, from: string | null): NetworkInterface {
  const source =
    from !== null && from !== 'internet' && ipToNumber(from) === null ? resolveInstance(world, from) : null;
  const vpcs = source ? [placeFinder(world)(world.enis[source.eniId]!).layout] : vpcsOf(world);
  const held = vpcs.flatMap((layout) => interfaceHolding(world, ip, layout) ?? []);
  if (held.length > 1)
    refuse(
      'InvalidParameterValue',
      `trace ${ip}: ${held.length} VPCs each have an instance at that address; trace --from an instance in the VPC you mean`,
    );
  return (
    held[0] ??
    refuse(
      'InvalidParameterValue',
      `trace ${ip}: no attached network interface holds that private address${source ? ` in ${vpcs[0]!.id}` : ''}`,
    )
  );
}

/** The path to one interface, in instancePaths' shape: the address traced to names it. */
function onePath(
  world: World,
  instance: Instance,
  protocol: string,
  port: number,
  source: string | Instance,
  eni: NetworkInterface,
  address: string,
): ReturnType<typeof instancePaths> {
  const path = { eni, hops: tracePath(world, instance, protocol, port, source, eni, address) };
  return { best: path, all: [path] };
}

/** The interface of `instance` holding `ip`, private or public, as its id; null when none does. */
function ownAddressHolder(world: World, instance: Instance, ip: string): string | null {
  for (const eni of interfacesOf(world, instance))
    if (privateIpsOf(eni).includes(ip) || publicAssociationsOf(eni).some(([publicIp]) => publicIp === ip))
      return eni.id;
  return null;
}

/** Answers a trace query in the world as it stands; refuses an unknown instance or source. */
export function runTrace(world: World, query: TraceQuery): Trace {
  const held = ipToNumber(query.target) === null ? null : holderOf(world, query.target, query.from);
  const instance = held ? world.instances[held.instanceId!]! : resolveInstance(world, query.target);
  const workload = instance.workload ? world.workloads[instance.workload] : undefined;
  if (query.to === 'internet') return traceOut(world, instance, query, workload?.egressPort);
  const protocol = query.protocol ?? 'tcp';
  const port = query.port ?? workload?.port ?? 443;
  let source: string | Instance;
  let fromText: string;
  const from = query.from ?? (workload && !workload.public ? null : 'internet');
  if (from === 'internet') {
    source = INTERNET_CLIENT;
    fromText = `the internet (${INTERNET_CLIENT})`;
  } else if (from === null) {
    // A private workload's clients are other instances in the VPC.
    source = VPC_CLIENT;
    fromText = `a client inside the VPC (${vpcClientAddress(placeFinder(world)(world.enis[instance.eniId]!).layout)})`;
  } else if (ipToNumber(from) !== null) {
    const own = ownAddressHolder(world, instance, from);
    if (own)
      refuse('InvalidParameterValue', `trace --from ${from}: that address is the instance traced to (its ${own})`);
    source = from;
    fromText = from;
  } else {
    const other = resolveInstance(world, from);
    if (other.id === instance.id)
      refuse('InvalidParameterValue', `trace --from ${from}: that is the instance traced to`);
    source = other;
    const ip = world.enis[other.eniId]!.privateIp;
    fromText = other.name ? `${other.name} (${other.id}, ${ip})` : `${other.id} (${ip})`;
  }
  const { best, all: paths } = held
    ? onePath(world, instance, protocol, port, source, held, query.target)
    : instancePaths(world, instance, protocol, port, source);
  // A member's own clients' question (no --port, --from) also asks whether its calls out get through.
  const egressPort = query.port === null && query.from === null ? workload?.egressPort : undefined;
  const callHops = egressPort === undefined ? null : egressPath(world, instance, 'tcp', egressPort);
  const calls = callHops && { port: egressPort!, hops: callHops, reached: callHops.every((h) => h.ok) };
  return {
    instance,
    protocol,
    port,
    fromText,
    fromInternet: best.hops[0]?.hop === 'internet',
    to: null,
    hops: best.hops,
    reached: best.hops.every((h) => h.ok) && (calls?.reached ?? true),
    calls,
    interfaceId: best.eni.id,
    interfaces: paths.map((p) => interfaceRow(p.eni, p.hops)),
  };
}
