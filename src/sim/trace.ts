// `trace`: the question a responder asks of the network path ("can clients reach web-1 on 443,
// and if not, where are they stopped?"), read from words as the dashboard prompt and the CLI take
// them, and answered hop by hop by the packet path (network.ts).
import { ipToNumber } from './cidr.js';
import type { VerbSpec } from './commands/spec.js';
import { resolveInstance } from './commands/resolve.js';
import { refuse } from './errors.js';
import { deviceName } from './interfaces.js';
import { INTERNET_CLIENT, instancePaths, type HopResult } from './network.js';
import { VPC_CLIENT } from './roster.js';
import type { Instance, World } from './types.js';

export const TRACE_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
export type TraceProtocol = (typeof TRACE_PROTOCOLS)[number];

export interface TraceQuery {
  /** The instance traced to: id, unique id prefix or Name. */
  target: string;
  /** Default: the port of the instance's workload, else 443. */
  port: number | null;
  /** Default: tcp. */
  protocol: TraceProtocol | null;
  /** `internet`, an instance, or an IPv4 address; default: where the workload's clients are. */
  from: string | null;
}

/**
 * trace's words, declared as a verb's are so that the prompt completes them; a read-only question,
 * so not one of the world's verbs.
 */
export const TRACE_FORM: VerbSpec = {
  verb: 'trace',
  scope: 'game',
  summary: 'the network path to an instance, hop by hop',
  args: [{ name: 'instance', kind: 'instance', help: 'instance id, unique id prefix, or Name' }],
  flags: [
    { name: 'port', kind: 'int', help: "the port (default: the workload's, else 443)", range: [1, 65535] },
    { name: 'protocol', kind: 'word', help: 'tcp (default), udp or icmp', values: TRACE_PROTOCOLS },
    {
      name: 'from',
      kind: 'instance',
      help: 'internet, an instance or an IPv4 address (default: where its clients are)',
    },
  ],
};

export const TRACE_USAGE =
  'trace <instance> [--port 1-65535] [--protocol tcp|udp|icmp] [--from internet|<instance>|<ip>]';

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
    if (!['port', 'protocol', 'from'].includes(name))
      refuse('InvalidParameterValue', `trace has no --${name}; expected ${TRACE_USAGE}`);
    if (value === undefined || value.startsWith('--'))
      refuse('InvalidParameterValue', `trace --${name} needs a value; expected ${TRACE_USAGE}`);
    if (name === 'port') {
      if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        refuse('InvalidParameterValue', `trace --port expects a port from 1 to 65535, got '${value}'`);
      query.port = Number(value);
    } else if (name === 'protocol') {
      if (!(TRACE_PROTOCOLS as readonly string[]).includes(value))
        refuse('InvalidParameterValue', `trace --protocol expects tcp, udp or icmp, got '${value}'`);
      query.protocol = value as TraceProtocol;
    } else query.from = value;
  }
  if (!query.target) refuse('InvalidParameterValue', `trace needs an instance; expected ${TRACE_USAGE}`);
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
  /** Every hop passed: the request reached the guest and its reply got back. */
  reached: boolean;
  /** The interface traced to: the first whose path is open, else the one the packet got furthest into. */
  interfaceId: string;
  /** Every interface of the instance, with where its path stops (null: open); one entry for most instances. */
  interfaces: { id: string; device: string; publicIp: string | null; droppedAt: string | null }[];
}

/** Answers a trace query in the world as it stands; refuses an unknown instance or source. */
export function runTrace(world: World, query: TraceQuery): Trace {
  const instance = resolveInstance(world, query.target);
  const workload = instance.workload ? world.workloads[instance.workload] : undefined;
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
    fromText = `a client inside the VPC (${VPC_CLIENT})`;
  } else if (ipToNumber(from) !== null) {
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
  const { best, all: paths } = instancePaths(world, instance, protocol, port, source);
  return {
    instance,
    protocol,
    port,
    fromText,
    fromInternet: best.hops[0]?.hop === 'internet',
    hops: best.hops,
    reached: best.hops.every((h) => h.ok),
    interfaceId: best.eni.id,
    interfaces: paths.map((p) => ({
      id: p.eni.id,
      device: deviceName(p.eni),
      publicIp: p.eni.publicIp,
      droppedAt: p.hops.find((h) => !h.ok)?.hop ?? null,
    })),
  };
}
