// Silent mistakes: commands the world accepts that quietly serve nothing or shut clients out. EC2
// would say nothing; a colleague looking over the shoulder would, so fleetops says it as an event
// the moment it happens, with the reason, so the log explains a missed objective.
import {
  type EventLog,
  counted,
  networkAclOf,
  placeFinder,
  routeTableOf,
  tracePath,
  instancePaths,
  egressPath,
  INTERNET_SERVICE,
  ipToNumber,
  routeFor,
  type Hop,
  type HopResult,
  type Subnet,
  type VpcLayout,
  clientAddress,
  holdsData,
  servingCapacity,
  rows,
  admitsClients,
  clientsText,
  servingSplit,
  type Instance,
  type SimEvent,
  type World,
  type Workload,
  attachedTo,
  firstFew,
} from '../sim/index.js';

const label = (inst: Instance) => inst.name ?? inst.id;

/** Names, at most a few, then how many more. */
const names = (list: readonly Instance[]): string => firstFew(list, label);

/** Adds an instance to its workload's list: lists kept in the order their first member was met. */
function addTo(groups: Map<string, Instance[]>, inst: Instance): void {
  const list = groups.get(inst.workload!);
  if (list) list.push(inst);
  else groups.set(inst.workload!, [inst]);
}

/** Instances grouped by workload, in the order first met. */
function byWorkload(list: readonly Instance[]): Map<string, Instance[]> {
  const groups = new Map<string, Instance[]>();
  for (const inst of list) addTo(groups, inst);
  return groups;
}

const serveNothing = (list: readonly Instance[]) => (list.length > 1 ? 'they serve nothing' : 'it serves nothing');

/**
 * Launches for a workload that its clients cannot reach, or that hold none of its data: one event
 * per workload and fault, naming the instances (a `--count 3` launch is one mistake).
 */
function launched(world: World, instances: readonly Instance[], events: EventLog): void {
  const members = instances.filter((i) => i.workload && world.workloads[i.workload]);
  const shut = byWorkload(members.filter((i) => !admitsClients(world, i, world.workloads[i.workload!]!)));
  const empty = byWorkload(members.filter((i) => !holdsData(world.workloads[i.workload!]!, attachedTo(world, i))));
  for (const [workload, list] of shut) {
    const why = `${names(list)} launched into no group that admits ${workload}'s clients (${clientsText(world.workloads[workload]!)}): ${serveNothing(list)}`;
    events.emit('launched-unreachable', 'warn', list[0]!.id, why, { workload, instances: list.length });
  }
  for (const [workload, list] of empty) {
    const why = `${names(list)} launched for ${workload} without its data: ${serveNothing(list)} until a volume restored from ${workload}'s snapshot is attached`;
    events.emit('launched-without-data', 'warn', list[0]!.id, why, { workload, instances: list.length });
  }
}

/** A revoked rule that leaves running members of a workload unreachable by its clients. */
function revoked(world: World, groupId: string, events: EventLog): void {
  const group = world.securityGroups[groupId];
  if (!group) return;
  const shutOut = new Map<string, Instance[]>();
  // Members alike in workload, subnet and groups are admitted alike: one look for each such set,
  // found by the names themselves (no key is written out for each of tens of thousands of members).
  const admitted = new Map<Workload, Map<string | undefined, Map<string, boolean>>>();
  // An indexed loop: it runs once, over the whole region, mostly before V8 has optimized it, and an
  // iterator there allocates a record at every step.
  const instances = rows(world, 'instances');
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (inst.state !== 'running' || !inst.workload) continue;
    const wl = world.workloads[inst.workload];
    if (!wl) continue;
    const eni = world.enis[inst.eniId]!;
    const groups = eni.securityGroupIds;
    if (!groups.includes(groupId)) continue;
    let inWorkload = admitted.get(wl);
    if (!inWorkload) admitted.set(wl, (inWorkload = new Map()));
    let inSubnet = inWorkload.get(eni.subnetId);
    if (!inSubnet) inWorkload.set(eni.subnetId, (inSubnet = new Map()));
    const alike = groups.length === 1 ? groups[0]! : groups.join(' ');
    let admits = inSubnet.get(alike);
    if (admits === undefined) inSubnet.set(alike, (admits = admitsClients(world, inst, wl)));
    if (!admits) addTo(shutOut, inst);
  }
  for (const [workload, list] of shutOut) {
    const wl = world.workloads[workload]!;
    events.emit(
      'clients-shut-out',
      'warn',
      groupId,
      `${group.name} no longer admits ${workload}'s clients (${clientsText(wl)}): ${names(list)} ${list.length > 1 ? 'serve' : 'serves'} nothing now`,
      { workload, instances: list.length },
    );
  }
}

/** The VPC changes whose harm is said: an entry, route or association that may close the path. */
export const NETWORK_CHANGES: ReadonlySet<string> = new Set([
  'network-acl-entry-created',
  'network-acl-entry-replaced',
  'network-acl-entry-deleted',
  'route-created',
  'route-replaced',
  'route-deleted',
  'route-table-association-replaced',
  'network-acl-association-replaced',
  'nat-gateway-deleted',
]);

/** The hops a VPC change can close. */
const VPC_HOPS: ReadonlySet<Hop> = new Set(['network-acl-in', 'network-acl-out', 'route-table']);
/** And on the way out, the NAT gateway's own subnet too. */
const VPC_HOPS_OUT: ReadonlySet<Hop> = new Set([...VPC_HOPS, 'nat-subnet']);

/** Members a change cut off, by workload, with the first subnet's reason. */
type Cut = Map<string, { list: Instance[]; why: string }>;

/**
 * The running members of workloads whose path (`pathOf`) a change now closes at one of `hops`,
 * among those `concerned` picks by their subnet. A subnet's ACL and route table treat all its
 * members alike: one trace per workload and subnet that gets far enough to judge them decides for
 * the rest, so a large fleet is not traced member by member.
 */
function cutOff(
  world: World,
  concerned: (wl: Workload, layout: VpcLayout, subnet: Subnet) => boolean,
  pathOf: (inst: Instance, wl: Workload) => HopResult[],
  hops: ReadonlySet<Hop>,
): Cut {
  const cut: Cut = new Map();
  const place = placeFinder(world);
  const verdicts = new Map<string, HopResult | null>();
  for (const inst of rows(world, 'instances')) {
    const wl = inst.workload ? world.workloads[inst.workload] : undefined;
    if (!wl || inst.state !== 'running') continue;
    const { layout, subnet } = place(world.enis[inst.eniId]!);
    if (!concerned(wl, layout, subnet)) continue;
    const key = `${wl.name} ${subnet.id}`;
    if (!verdicts.has(key)) {
      const drop = pathOf(inst, wl).find((h) => !h.ok);
      if (drop && !hops.has(drop.hop)) continue;
      verdicts.set(key, drop ?? null);
    }
    const drop = verdicts.get(key);
    if (!drop) continue;
    const entry = cut.get(wl.name) ?? { list: [], why: drop.detail };
    entry.list.push(inst);
    cut.set(wl.name, entry);
  }
  return cut;
}

/**
 * A network ACL, route or NAT gateway change that leaves running members of a workload
 * unreachable by their clients, or (for a workload that calls the internet) without their way out.
 */
function closedPath(world: World, change: SimEvent, events: EventLog): void {
  // Only the subnets behind what changed: the subnet itself, or one using the changed ACL or table.
  const behind = (layout: VpcLayout, subnet: Subnet) =>
    subnet.id === change.subject ||
    networkAclOf(layout, subnet).id === change.subject ||
    routeTableOf(layout, subnet).id === change.subject;
  const shutOut = cutOff(
    world,
    (_, layout, subnet) => behind(layout, subnet),
    (inst, wl) => tracePath(world, inst, 'tcp', wl.port, clientAddress(wl)),
    VPC_HOPS,
  );
  for (const [workload, { list, why }] of shutOut) {
    events.emit(
      'clients-shut-out',
      'warn',
      change.subject,
      `after ${change.message}, ${workload}'s clients (${clientsText(world.workloads[workload]!)}) cannot reach ${names(list)}: ${why}`,
      { workload, instances: list.length },
    );
  }
  // The way out also crosses the subnet of the NAT gateway a subnet's route leads to.
  const service = ipToNumber(INTERNET_SERVICE)!;
  const natBehind = (layout: VpcLayout, subnet: Subnet) => {
    const route = routeFor(routeTableOf(layout, subnet), service);
    const nat = route ? layout.natGateways?.[route.target] : undefined;
    return nat !== undefined && (nat.id === change.subject || behind(layout, layout.subnets[nat.subnetId]!));
  };
  const wayOut = cutOff(
    world,
    (wl, layout, subnet) => wl.egressPort !== undefined && (behind(layout, subnet) || natBehind(layout, subnet)),
    (inst, wl) => egressPath(world, inst, 'tcp', wl.egressPort!),
    VPC_HOPS_OUT,
  );
  for (const [workload, { list, why }] of wayOut) {
    events.emit(
      'way-out-closed',
      'warn',
      change.subject,
      `after ${change.message}, ${names(list)} cannot reach the internet for ${workload}'s calls (tcp ${world.workloads[workload]!.egressPort}): ${why}`,
      { workload, instances: list.length },
    );
  }
}

/**
 * An Elastic IP taken from a running member of a workload, where that alone now keeps its clients
 * from it (served from the internet, nothing on the internet routes to an instance without a
 * public address) or closes its way out (the internet gateway maps only an instance's public
 * address): EC2 User Guide, "Elastic IP addresses"; Amazon VPC User Guide, "Internet gateways".
 * Said only where the address is what is in the way, by any of the instance's interfaces: not for
 * an instance its clients could not reach anyway.
 */
function addressTaken(world: World, instanceId: string, change: SimEvent, events: EventLog): void {
  const inst = world.instances[instanceId];
  const wl = inst?.workload ? world.workloads[inst.workload] : undefined;
  if (!inst || !wl || inst.state !== 'running') return;
  // A trace stops at the first hop that drops: past the internet, the security groups are the
  // rule that most often keeps clients out, and they are asked apart.
  const drop = instancePaths(world, inst, 'tcp', wl.port, clientAddress(wl)).best.hops.find((h) => !h.ok);
  const inWay = drop?.hop === 'internet' && admitsClients(world, inst, wl) ? drop : undefined;
  const out =
    wl.egressPort === undefined ? undefined : egressPath(world, inst, 'tcp', wl.egressPort).find((h) => !h.ok);
  const wayOut = out?.hop === 'internet-gateway' && !drop ? out : undefined;
  if (!inWay && !wayOut) return;
  const harm = inWay
    ? `${wl.name}'s clients (${clientsText(wl)}) cannot reach ${label(inst)}: ${inWay.detail}`
    : `${label(inst)} cannot reach the internet for ${wl.name}'s calls (tcp ${wl.egressPort}): ${wayOut!.detail}`;
  events.emit('public-address-lost', 'warn', instanceId, `after ${change.message}, ${harm}`, {
    workload: wl.name,
    instances: 1,
  });
}

/**
 * The kinds of event that tell a workload's members were cut off by a network change, each with the
 * changed security group, ACL, route table, subnet or NAT gateway (or the instance whose Elastic IP
 * was taken) as its subject and the workload in its data: clients shut out, the way out closed, or
 * the public address gone.
 */
export const CUT_OFF: ReadonlySet<string> = new Set(['clients-shut-out', 'way-out-closed', 'public-address-lost']);

/** Looks at one tick's events for accepted commands that quietly do harm. */
export function noticeMistakes(world: World, tickEvents: readonly SimEvent[], events: EventLog): void {
  const launches: Instance[] = [];
  for (const e of tickEvents) {
    const inst = e.kind === 'instance-launched' ? world.instances[e.subject] : undefined;
    if (inst) launches.push(inst);
    if (e.kind === 'ingress-revoked') revoked(world, e.subject, events);
    if (NETWORK_CHANGES.has(e.kind)) closedPath(world, e, events);
    if (e.kind === 'address-disassociated') addressTaken(world, e.subject, e, events);
    // An Elastic IP moved to another instance is taken from the one that held it.
    const from = e.kind === 'address-associated' ? e.data?.from : undefined;
    if (typeof from === 'string') addressTaken(world, from, e, events);
  }
  if (launches.length) launched(world, launches, events);
}

/** Instances serving each workload now, to tell afterwards which a responder's commands left with none. */
export function servingCounts(world: World): Map<string, number> {
  return new Map(Object.keys(world.workloads).map((name) => [name, servingCapacity(world, name).instances]));
}

/** After a responder's commands: each workload they left with nothing serving it, said once, with why. */
export function noticeUnserved(
  world: World,
  before: ReadonlyMap<string, number>,
  commands: readonly string[],
  events: EventLog,
): void {
  for (const [name, had] of before) {
    if (had === 0 || servingCapacity(world, name).instances > 0) continue;
    const { idle } = servingSplit(world, name);
    const why = idle
      .slice(0, 3)
      .map(({ instance, why }) => `${label(instance)}: ${why}`)
      .join('; ');
    events.emit(
      'workload-unserved',
      'error',
      name,
      `after ${commands.join(', ')}, no instance serves ${name} (${counted(had, 'instance')} did)${why ? `: ${why}` : ''}`,
      { workload: name },
    );
  }
}
