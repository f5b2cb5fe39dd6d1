// A trace as lines to read: each hop with its verdict and the rule that decided, then what a
// traceroute from outside shows of the same path, and why the two differ. The dashboard paints
// the lines; `fleetops trace` prints them plain.
import { INTERNET_SERVICE, type Trace } from '../sim/index.js';
import { wrap } from './format.js';
import type { Role } from './theme.js';

export type TraceLine = readonly [Role, string];

const LABEL_WIDTH = 16;
/** Number, verdict and hop name: ` 7 DROP security group  `. */
const LEAD = 2 + 1 + 4 + 1 + LABEL_WIDTH + 1;

/** The hop names as the trace prints them. */
const HOP_LABELS: Record<string, string> = {
  source: 'source',
  'source-route': 'source route',
  'source-acl-out': 'source ACL out',
  internet: 'internet (BGP)',
  exchange: 'exchange',
  edge: 'edge (IGW)',
  'nitro-card': 'Nitro card',
  eni: 'ENI',
  'network-acl-in': 'network ACL in',
  'security-group': 'security group',
  guest: 'guest',
  'network-acl-out': 'network ACL out',
  'route-table': 'route table',
  'source-acl-in': 'source ACL in',
  'security-group-out': 'security group',
  'nat-gateway': 'NAT gateway',
  'nat-subnet': "NAT's subnet",
  'internet-gateway': 'internet gateway',
  destination: 'internet',
};

/** Text after a hanging label, wrapped to `width`. */
function hang(role: Role, label: string, text: string, width: number): TraceLine[] {
  const body = wrap(text, Math.max(20, width - LEAD));
  return body.map((l, i): TraceLine => [role, `${i === 0 ? label.padEnd(LEAD) : ''.padEnd(LEAD)}${l}`]);
}

/** The trace, hop by hop, then the traceroute view; lines at most `width` columns. */
export function traceLines(trace: Trace, width: number): TraceLine[] {
  const publicIp = trace.interfaces.find((i) => i.id === trace.interfaceId)!.publicIp;
  const { instance, protocol, port, hops } = trace;
  const name = instance.name ? `${instance.name} (${instance.id})` : instance.id;
  const what = protocol === 'icmp' ? 'icmp' : `${protocol}/${port}`;
  const via =
    trace.interfaces.length > 1 ? ` via ${trace.interfaces.find((i) => i.id === trace.interfaceId)!.device}` : '';
  const title = trace.to
    ? `${what} from ${trace.fromText} to the internet (${INTERNET_SERVICE})`
    : `${what} from ${trace.fromText} to ${name}${via}`;
  const out: TraceLine[] = wrap(title, Math.max(20, width)).map((l): TraceLine => ['heading', l]);
  if (trace.interfaces.length > 1)
    for (const i of trace.interfaces)
      out.push([
        'dim',
        `  ${i.device} ${i.id} ${i.publicIp ?? 'no public address'}: ${i.droppedAt ? `dropped at ${HOP_LABELS[i.droppedAt]}` : 'open'}`,
      ]);
  out.push(['plain', '']);
  hops.forEach((h, i) => {
    const mark = h.ok ? 'ok  ' : 'DROP';
    const label = `${String(i + 1).padStart(2)} ${mark} ${HOP_LABELS[h.hop]!}`;
    out.push(...hang(h.ok ? 'plain' : 'error', label, h.detail, width));
    if (h.rule) out.push(...hang('dim', '', `rule: ${h.rule}`, width));
  });
  out.push(['plain', '']);
  const last = hops[hops.length - 1]!;
  if (!last.ok) out.push(['error', `Dropped at ${HOP_LABELS[last.hop]}: ${last.detail}.`]);
  else if (trace.to)
    out.push([
      'ok',
      `Reached: the connection gets out to the internet and its replies get back (${hops.length} hops).`,
    ]);
  else out.push(['ok', `Reached: the request gets to the guest and the replies get back (${hops.length} hops).`]);
  if (trace.calls) out.push(...callsLines(trace, width));
  if (trace.fromInternet) out.push(['plain', ''], ...tracerouteLines(trace, publicIp, width));
  return out;
}

/** A member's calls out to the internet, in one verdict: it serves only while they get through. */
function callsLines(trace: Trace, width: number): TraceLine[] {
  const { port, hops, reached } = trace.calls!;
  const name = trace.instance.name ?? trace.instance.id;
  const dropped = hops.find((h) => !h.ok);
  const text = reached
    ? `Its calls out (tcp/${port} to the internet) get through too (${hops.length} hops): 'trace ${name} --to internet' shows them.`
    : `But its calls out (tcp/${port} to the internet) are dropped at ${HOP_LABELS[dropped!.hop]}: ${dropped!.detail}. It serves nothing until they get through; 'trace ${name} --to internet' shows each hop.`;
  return [['plain', ''], ...wrap(text, Math.max(20, width)).map((l): TraceLine => [reached ? 'ok' : 'error', l])];
}

/** What `traceroute -T -p PORT` from the client shows of the same path. */
function tracerouteLines(trace: Trace, publicIp: string | null, width: number): TraceLine[] {
  if (!publicIp) return [['plain', 'From outside: without a public address there is nothing to traceroute to.']];
  const lines: TraceLine[] = [
    ['heading', `From outside: traceroute -T -p ${trace.port} ${publicIp}`],
    ['dim', '  1  client gateway'],
    ['dim', "  2  the client's ISP"],
    ['dim', '  3  AWS edge at the exchange (AS16509)'],
    ['dim', '  4  * * *'],
    ['dim', '  5  * * *'],
  ];
  if (trace.reached) lines.push(['dim', `  6  ${publicIp}  (${trace.protocol}/${trace.port} answered)`]);
  else lines.push(['dim', '  6  * * *'], ['dim', ' ..  * * *  (to the hop limit)']);
  const why =
    "Past the exchange the packet is inside AWS: the edge tunnels it to the host, and nothing on the way (edge, host, network ACL, security group) answers a traceroute's expired probes, so every hop in there shows '* * *' whether the path is open or not. The hop list above is what decides; lines of stars past the hand-off are not an outage.";
  return [...lines, ...wrap(why, Math.max(20, width)).map((l): TraceLine => ['plain', l])];
}
