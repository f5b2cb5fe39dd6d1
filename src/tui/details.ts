// The drill-down view: everything the model knows about one host, rack, zone, instance, volume or
// incident, as lines of text. It is rebuilt every frame, so it stays live while open.
import {
  counted,
  CommandError,
  formatSpan,
  runTrace,
  type TraceQuery,
  instanceType,
  fullEbsBucket,
  instanceCostMicros,
  volumeCostMicros,
  rows,
  type Host,
  type Instance,
  type Volume,
  type World,
  currentLimits,
  fullBurstCredits,
  volumeIo,
  creditsOf,
  enaCounters,
  instanceNetwork,
  internetMbps,
  networkAllowance,
  networkBalancePct,
  ENA_ALLOWANCE_COUNTERS,
  whyNotServing,
  firstFew,
  instanceLabel as labelWithId,
} from '../sim/index.js';
import { resourceDetail } from './resources.js';
import { traceLines } from './trace-view.js';
import { compact, fieldLabel, LABEL_WIDTH, pad, percent, wrap } from './format.js';
import { hanging } from './help.js';
import { checksCell, hostUtilisation, instanceLabel, wallClock, zoneName } from './labels.js';
import { memberName } from '../game/incidents.js';
import type { IncidentView } from './panels/incidents.js';
import type { Listed, Target } from './panels/panel.js';
import type { Theme } from './theme.js';

/**
 * The states a stop or a termination led to, shown with its reason, as EC2's state transition
 * reason is given for them (DescribeInstances); an instance started again has none.
 */
const STOP_REASONED: readonly Instance['state'][] = Object.freeze([
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
]);

export interface DetailContext {
  world: World;
  incidents: readonly IncidentView[] | null;
  theme: Theme;
  /** Columns available, for text that wraps. */
  width: number;
  /** Where an instance's metadata service answers, while it does. */
  imdsEndpoint?: (instanceId: string) => string | null;
}

export interface Detail {
  title: string;
  lines: string[];
}

const usd = (micros: number) => `$${(micros / 1e6).toFixed(2)}`;

/** A `Label       value` row, a long value wrapped under itself rather than cut at `width`. */
function field(theme: Theme, name: string, value: string, width: number): string[] {
  return hanging(theme, ['heading', fieldLabel(name)], ['plain', value], width);
}

/** The commands that act on what a detail shows, wrapped: the last word is the one to copy. */
const commandsLine = (theme: Theme, commands: string, width: number) =>
  hanging(theme, ['dim', 'Commands: '], ['dim', commands], width);

function since(world: World, tick: number): string {
  return `${wallClock(world, tick)} (${formatSpan(world.tick - tick)} ago)`;
}

/** The instance's workload, and whether it serves it now or why not (its checks, its path in or out, its data). */
function workloadLine(world: World, inst: Instance): string {
  const why = whyNotServing(world, inst);
  return why === null ? `${inst.workload}, serving` : `${inst.workload}, not serving: ${why}`;
}

function instanceLine(inst: Instance): string {
  return `${inst.id}  ${pad(inst.name ?? '-', 10)} ${inst.type.padEnd(12)} ${inst.state}`;
}

function hostUse(host: Host): string {
  return `${host.usedVcpu}/${host.vcpu} vCPU, ${compact(host.usedMemoryMiB / 1024)}/${compact(host.memoryMiB / 1024)} GiB memory (${percent(hostUtilisation(host))} used)`;
}

/** The instance's EBS bandwidth burst bucket: smaller sizes may exceed baseline 30 minutes a day. */
function ebsBurst(inst: Instance): string {
  const spec = instanceType(inst.type);
  const full = spec ? fullEbsBucket(spec).megabits : 0;
  return full > 0
    ? `${percent(inst.ebsBurst.megabits / full)} of its daily 30-minute bucket`
    : 'none: baseline is the maximum';
}

const gbps = (mbps: number) => `${(mbps / 1000).toFixed(mbps < 10_000 ? 3 : 1).replace(/\.?0+$/, '')} Gbps`;

/**
 * The instance's network allowances and its traffic against them (EC2 User Guide, "Amazon EC2
 * instance network bandwidth"), and the ENA driver's allowance counters as `ethtool -S eth0`
 * prints them.
 */
function networkLines(world: World, inst: Instance, f: (name: string, value: string) => string[]): string[] {
  const spec = instanceType(inst.type);
  if (!spec) return [];
  const a = networkAllowance(spec);
  const lines = [
    ...f(
      'Bandwidth',
      `${gbps(a.baselineMbps)} baseline${a.burstMbps > a.baselineMbps ? `, up to ${gbps(a.burstMbps)}` : ''} each way; internet ${gbps(internetMbps(spec))}`,
    ),
    ...f(
      'Net burst',
      a.bucketMegabits > 0
        ? `${percent(networkBalancePct(inst) / 100)} of its daily 30-minute bucket`
        : 'none: baseline is the maximum',
    ),
  ];
  const net = inst.state === 'running' ? instanceNetwork(world, inst) : null;
  if (net)
    lines.push(
      ...f(
        'NetworkOut',
        `${gbps(net.wantOutMbps * net.served)} of ${gbps(net.wantOutMbps)} asked; allowed ${gbps(net.capMbps)}`,
      ),
      ...f(
        'NetworkIn',
        `${gbps(net.wantInMbps * net.served)}; NetworkPacketsOut ${compact(net.packetsOut * net.served)}/s`,
      ),
    );
  const counters = enaCounters(inst);
  lines.push(
    ...f('ethtool -S', `eth0 (ENA), counted since the guest started:`),
    ...ENA_ALLOWANCE_COUNTERS.map((c) => `${' '.repeat(LABEL_WIDTH + 2)}${c}: ${counters[c]}`),
  );
  return lines;
}

function instanceDetail(world: World, inst: Instance, theme: Theme, endpoint: string | null, width: number): Detail {
  const f = (name: string, value: string) => field(theme, name, value, width);
  const eni = world.enis[inst.eniId];
  const groups = (eni?.securityGroupIds ?? []).map((id) => world.securityGroups[id]?.name ?? id).join(', ');
  const volumes = rows(world, 'volumes').filter((v) => v.attachment?.instanceId === inst.id);
  const spec = instanceType(inst.type);
  const lines = [
    ...f(
      'State',
      `${inst.state} since ${since(world, inst.stateSince)}${inst.stopReason && STOP_REASONED.includes(inst.state) ? `, ${inst.stopReason}` : ''}`,
    ),
    ...f(
      'Type',
      spec
        ? `${inst.type}: ${spec.vcpu} vCPU, ${compact(spec.memoryMiB / 1024)} GiB, EBS ${compact(spec.ebs.baselineMbps)}-${compact(spec.ebs.maxMbps)} Mbps`
        : inst.type,
    ),
    ...f(
      'Placement',
      `${zoneName(world, inst.zoneId)} (${inst.zoneId}), host ${inst.hostId ?? 'none'}${inst.placementGroup ? `, group ${inst.placementGroup}${inst.partition ? ` partition ${inst.partition}` : ''}` : ''}`,
    ),
    ...f(
      'Checks',
      `${checksCell(inst).text}: system ${inst.checks.system}, instance ${inst.checks.instance}, EBS ${inst.checks.ebs}`,
    ),
    ...f(
      'Market',
      inst.market === 'spot' && inst.spot
        ? `Spot (${inst.spot.poolKey.replace('|', ' in ')}), interruption ${inst.spot.behavior}`
        : 'on-demand',
    ),
  ];
  if (inst.guestRestartUntil !== null)
    lines.push(
      ...f('Guest', `restarting until ${wallClock(world, inst.guestRestartUntil)}; the instance stays running`),
    );
  if (inst.spot?.rebalanceAt !== null && inst.spot?.rebalanceAt !== undefined)
    lines.push(...f('Rebalance', `recommended at ${wallClock(world, inst.spot.rebalanceAt)}`));
  if (inst.spot?.noticeAt !== null && inst.spot?.noticeAt !== undefined)
    lines.push(
      ...f(
        'Notice',
        `${inst.spot.action ?? 'interruption'} at ${wallClock(world, inst.spot.interruptAt ?? inst.spot.noticeAt)}`,
      ),
    );
  lines.push(
    ...f(
      'Network',
      eni
        ? `${eni.privateIp}${eni.publicIp ? `, public ${eni.publicIp}` : ''}, ${eni.mac}, groups ${groups || 'none'}`
        : 'no interface',
    ),
    ...f('Workload', inst.workload ? workloadLine(world, inst) : 'none'),
    ...f('IMDS', metadataLine(inst, endpoint)),
    ...f('EBS burst', ebsBurst(inst)),
    ...networkLines(world, inst, f),
  );
  if (inst.instanceStore)
    lines.push(
      ...f(
        'Inst store',
        `${inst.instanceStore.disks} x ${inst.instanceStore.diskGB} GB NVMe, ${compact(inst.instanceStore.dataGB)} GB written (lost on stop or host failure)`,
      ),
    );
  for (const v of volumes)
    lines.push(
      ...f(
        v.id === inst.rootVolumeId ? 'Root vol' : 'Data vol',
        `${v.id} ${v.attachment!.device} ${v.type} ${v.sizeGiB} GiB`,
      ),
    );
  for (const e of inst.scheduledEvents)
    lines.push(
      ...f(
        'Event',
        `${e.code} ${e.state}, ${wallClock(world, e.notBefore)}-${wallClock(world, e.notAfter)}: ${e.description}`,
      ),
    );
  lines.push(
    ...f('Cost', `${usd(instanceCostMicros(world, inst))} so far`),
    '',
    ...commandsLine(theme, `stop, start, reboot, terminate ${instanceLabel(inst)}`, width),
  );
  return { title: `instance ${inst.id}${inst.name ? ` (${inst.name})` : ''}`, lines };
}

/** The instance's metadata options, in EC2's terms. */
function metadataLine(inst: Instance, endpoint: string | null): string {
  const o = inst.metadataOptions;
  if (o.httpEndpoint === 'disabled') return 'endpoint disabled';
  const tokens = o.httpTokens === 'required' ? 'IMDSv2 only' : 'IMDSv1 and v2';
  return `${endpoint ?? 'not served'}, ${tokens}, hop limit ${o.httpPutResponseHopLimit}${o.instanceMetadataTags === 'enabled' ? ', tags' : ''}`;
}

function volumeDetail(world: World, v: Volume, theme: Theme, width: number): Detail {
  const f = (name: string, value: string) => field(theme, name, value, width);
  const credits = creditsOf(world, v);
  const limits = currentLimits(v, credits > 0);
  const full = fullBurstCredits(v.type, v.sizeGiB);
  const inst = v.attachment ? world.instances[v.attachment.instanceId] : undefined;
  const io = volumeIo(world, v);
  const lines = [
    ...f(
      'Volume',
      `${v.type}, ${v.sizeGiB} GiB, ${v.state}${v.impaired ? ', I/O STALLED' : ''} in ${zoneName(world, v.zoneId)}`,
    ),
    ...f(
      'Provisioned',
      `${compact(v.iops)} IOPS, ${compact(v.throughputMiBps)} MiB/s; now allowed ${compact(limits.iops)} IOPS, ${compact(limits.mibps)} MiB/s`,
    ),
    ...f(
      'Attached',
      v.attachment
        ? `${inst ? instanceLabel(inst) : v.attachment.instanceId} as ${v.attachment.device}, DeleteOnTermination ${v.attachment.deleteOnTermination}`
        : 'no',
    ),
    ...f('Demand', `${compact(io.demandIops)} IOPS, ${compact(io.demandMiBps)} MiB/s`),
    ...f(
      'Delivered',
      `${compact(io.deliveredIops)} IOPS, ${compact(io.deliveredMiBps)} MiB/s, limited by ${io.limitedBy}`,
    ),
    ...f('Queue', `${compact(io.queueLength)} I/Os waiting, latency ${io.latencyMs.toFixed(1)} ms`),
    ...f(
      'Burst',
      full > 0 ? `${percent(credits / full)} of the bucket (${compact(credits)} credits)` : `${v.type} does not burst`,
    ),
  ];
  if (v.modification)
    lines.push(
      ...f(
        'Modifying',
        `${v.modification.state} to ${v.modification.target.type} ${v.modification.target.sizeGiB} GiB, ends ${wallClock(world, v.modification.endsAt)}`,
      ),
    );
  if (v.lazyLoad)
    lines.push(
      ...f('Restoring', `${compact(v.lazyLoad.remainingGiB)} GiB still to fetch from ${v.lazyLoad.snapshotId}`),
    );
  lines.push(
    ...f('Cost', `${usd(volumeCostMicros(world, v))} so far`),
    '',
    ...commandsLine(theme, `modify-volume, create-snapshot, detach-volume ${v.id}`, width),
  );
  return { title: `volume ${v.id}${v.name ? ` (${v.name})` : ''}`, lines };
}

function hostDetail(world: World, host: Host, theme: Theme, width: number): Detail {
  const f = (name: string, value: string) => field(theme, name, value, width);
  return {
    title: `host ${host.id}`,
    lines: [
      ...f('Health', `${host.health} since ${since(world, host.healthSince)}`),
      ...f('Hardware', `${host.family} in rack ${host.rackId}, ${zoneName(world, host.zoneId)}`),
      ...f('In use', hostUse(host)),
      '',
      theme.paint('heading', `Instances (${host.instanceIds.length})`),
      ...host.instanceIds
        .map((id) => world.instances[id])
        .filter((i): i is Instance => !!i)
        .map(instanceLine),
    ],
  };
}

function hostLine(host: Host): string {
  const state = host.health === 'ok' ? 'ok' : host.health.toUpperCase();
  return `${host.id}  ${state.padEnd(8)} ${percent(hostUtilisation(host)).padStart(4)} used, ${counted(host.instanceIds.length, 'instance')}`;
}

function rackDetail(world: World, rackId: string, theme: Theme, width: number): Detail | null {
  const rack = world.racks[rackId];
  if (!rack) return null;
  const hosts = rack.hostIds.map((id) => world.hosts[id]!);
  return {
    title: `rack ${rack.id}`,
    lines: [
      ...field(theme, 'Rack', `${rack.family} hosts in ${zoneName(world, rack.zoneId)}`, width),
      '',
      ...hosts.map(hostLine),
    ],
  };
}

function zoneDetail(world: World, zoneId: string, theme: Theme, width: number): Detail | null {
  const zone = world.zones.find((z) => z.zoneId === zoneId);
  if (!zone) return null;
  const hosts = rows(world, 'hosts').filter((h) => h.zoneId === zoneId);
  const instances = rows(world, 'instances').filter((i) => i.zoneId === zoneId);
  const byState = new Map<string, number>();
  for (const i of instances) byState.set(i.state, (byState.get(i.state) ?? 0) + 1);
  const racks = Object.values(world.racks).filter((r) => r.zoneId === zoneId).length;
  const f = (name: string, value: string) => field(theme, name, value, width);
  return {
    title: `zone ${zone.name} (${zone.zoneId})`,
    lines: [
      ...f('Status', zone.impaired ? 'IMPAIRED: no network path, no launches' : 'available'),
      ...f(
        'Capacity',
        `${counted(racks, 'rack')}, ${counted(hosts.length, 'host')}: ${hosts.filter((h) => h.health === 'failed').length} failed, ${hosts.filter((h) => h.health === 'impaired').length} impaired`,
      ),
      ...f('Instances', [...byState].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'),
      ...f('Volumes', String(rows(world, 'volumes').filter((v) => v.zoneId === zoneId).length)),
    ],
  };
}

/** The most instances or volumes an opened log line lists, one a line. */
const LISTED_MEMBERS = 200;

/**
 * An instance or volume as a line of a list names it: its id and Name tag, while it is still
 * listed; a volume, the instance it is attached to as well (a workload's volumes often carry no
 * Name tag of their own).
 */
function listedName(world: World, of: Listed['of'], id: string): string {
  if (of === 'instance') return labelWithId(world.instances[id] ?? { id, name: null });
  const v = world.volumes[id];
  const inst = v?.attachment ? world.instances[v.attachment.instanceId] : undefined;
  return `${labelWithId(v ?? { id, name: null })}${inst ? ` on ${inst.name ?? inst.id}` : ''}`;
}

/** The instances or volumes an event tells together, one a line, after a blank line and their count. */
function listedLines(world: World, theme: Theme, { of, ids }: Listed): string[] {
  const shown = ids.slice(0, LISTED_MEMBERS).map((id) => theme.paint('plain', `  ${listedName(world, of, id)}`));
  const more = ids.length > shown.length ? [theme.paint('dim', `  and ${ids.length - shown.length} more`)] : [];
  return ['', theme.paint('dim', `${counted(ids.length, of)}:`), ...shown, ...more];
}

function incidentDetail(world: World, inc: IncidentView, theme: Theme, width: number): Detail {
  const f = (name: string, value: string) => field(theme, name, value, width);
  const times = Object.entries(inc)
    .filter(([k, v]) => k.endsWith('At') && typeof v === 'number')
    .flatMap(([k, v]) => f(k.replace(/At$/, ''), since(world, v as number)));
  const instances = inc.instances ?? [];
  const member = { instances, instanceNames: inc.instanceNames };
  const named = (id: string, i: number) => labelWithId({ id, name: memberName(world, member, i) });
  const volumeName = (id: string) => labelWithId(world.volumes[id] ?? { id, name: null });
  return {
    title: `${inc.id} ${inc.severity}`,
    lines: [
      ...f('Title', inc.title),
      ...f('State', inc.state),
      ...(inc.volumes ? f('Volumes', `${inc.volumes.length}: ${firstFew(inc.volumes, volumeName, 5)}`) : []),
      ...(instances.length ? f('Instances', `${instances.length}: ${firstFew(instances, named, 5)}`) : []),
      ...times,
      '',
      theme.paint('dim', inc.state === 'detected' ? `Acknowledge it with :ack ${inc.id}` : ''),
    ],
  };
}

/** The detail for a target, or null when it no longer exists. */
export function describe(target: Target, ctx: DetailContext): Detail | null {
  const { world, theme } = ctx;
  switch (target.kind) {
    case 'instance': {
      const inst = world.instances[target.id];
      if (!inst) return null;
      const detail = instanceDetail(world, inst, theme, ctx.imdsEndpoint?.(inst.id) ?? null, ctx.width);
      return { ...detail, lines: [...detail.lines, ...offer(world, theme, followUp(world, target))] };
    }
    case 'volume': {
      const v = world.volumes[target.id];
      return v ? volumeDetail(world, v, theme, ctx.width) : null;
    }
    case 'host': {
      const h = world.hosts[target.id];
      return h ? hostDetail(world, h, theme, ctx.width) : null;
    }
    case 'rack':
      return rackDetail(world, target.id, theme, ctx.width);
    case 'zone':
      return zoneDetail(world, target.id, theme, ctx.width);
    case 'incident': {
      const inc = ctx.incidents?.find((i) => i.id === target.id);
      return inc ? incidentDetail(world, inc, theme, ctx.width) : null;
    }
    case 'message': {
      const text = wrap(target.text, ctx.width).map((l) => theme.paint('plain', l));
      const listed = target.listed ? listedLines(world, theme, target.listed) : [];
      const about = target.about
        ? ['', `${theme.paint('key', 'Enter')} ${theme.paint('plain', `open ${target.about.kind} ${target.about.id}`)}`]
        : [];
      return { title: 'log line', lines: [...text, ...listed, ...about] };
    }
    case 'resource': {
      const d = resourceDetail(target.view, world, target.id, ctx.width);
      if (!d) return null;
      const next = followUp(world, target);
      return {
        title: d.title,
        lines: [...d.lines.map(([role, text]) => theme.paint(role, text)), ...offer(world, theme, next)],
      };
    }
    case 'trace':
      return traceDetail(world, target.query, theme, ctx.width);
  }
}

/** What Enter opens from a target's detail: a log line's subject, or the trace to an instance. */
export function followUp(world: World, target: Target): Target | null {
  if (target.kind === 'message') return target.about ?? null;
  const instanceId =
    target.kind === 'instance'
      ? target.id
      : target.kind === 'resource'
        ? (resourceDetail(target.view, world, target.id, 80)?.instanceId ?? null)
        : null;
  return instanceId && world.instances[instanceId] ? { kind: 'trace', query: traceQuery(instanceId) } : null;
}

/** The trace Enter offers: to the instance's workload port from where its clients are. */
const traceQuery = (target: string): TraceQuery => ({ target, port: null, protocol: null, from: null });

function offer(world: World, theme: Theme, next: Target | null): string[] {
  if (next?.kind !== 'trace') return [];
  const name = world.instances[next.query.target]?.name ?? next.query.target;
  return ['', `${theme.paint('key', 'Enter')} ${theme.paint('plain', `trace the network path to ${name}`)}`];
}

/** What a trace follows: the way in to the instance, or with --to internet its way out. */
const traceTitle = (name: string, query: TraceQuery) =>
  query.to === 'internet' ? `trace from ${name} to the internet` : `trace to ${name}`;

/** A trace, worked out on the world as it is now; a query that no longer resolves says why. */
function traceDetail(world: World, query: TraceQuery, theme: Theme, width: number): Detail {
  try {
    const trace = runTrace(world, query);
    return {
      title: traceTitle(trace.instance.name ?? trace.instance.id, query),
      lines: traceLines(trace, width).map(([role, text]) => theme.paint(role, text)),
    };
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    return { title: traceTitle(query.target, query), lines: [theme.paint('error', err.message)] };
  }
}
