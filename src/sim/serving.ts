// Whether an instance serves its workload, and if not, why: the roster's rule (running, both
// status checks passing, reachable by the workload's clients, its way out open if it calls out,
// holding its data set if stateful)
// asked of one instance, with the first failing condition named for the player.
import { egressPath } from './egress.js';
import { instancePaths, securityGroupsAllow } from './network.js';
import { clientAddress, holdsData, inService, reachedBy } from './roster.js';
import type { Instance, World, Workload } from './types.js';
import { rows } from './tables.js';
import { attachedTo } from './volumes.js';

/** Who a workload's clients are, in words: "tcp 443 from the internet". */
export function clientsText(wl: Workload): string {
  return `tcp ${wl.port} from ${wl.public ? 'the internet' : 'inside the VPC'}`;
}

/** Whether any of the instance's security groups admits its workload's clients. */
export function admitsClients(world: World, inst: Instance, wl: Workload): boolean {
  return securityGroupsAllow(world, world.enis[inst.eniId]!, 'tcp', wl.port, clientAddress(wl));
}

/**
 * Why `inst` serves none of its workload's requests, or null when it serves. The order is the
 * order a responder would check: state, status checks, security groups, the rest of the path, data.
 */
export function whyNotServing(world: World, inst: Instance): string | null {
  const wl = inst.workload ? world.workloads[inst.workload] : undefined;
  if (!wl) return 'it has no workload';
  if (inst.state !== 'running') return `it is ${inst.state}`;
  // A guest booting again (a reboot, a recovery) passes its checks meanwhile: it is down, not failing.
  if (inst.guestRestartUntil !== null) return 'its guest is booting (a reboot or a recovery)';
  if (!inService(inst)) return `it fails its ${inst.checks.system === 'impaired' ? 'system' : 'instance'} status check`;
  const blocked = networkBlock(world, inst, wl);
  if (blocked !== null) return blocked;
  if (!holdsData(wl, attachedTo(world, inst))) return `it holds no copy of ${wl.name}'s data`;
  return null;
}

/**
 * Why the network keeps `inst` from serving `wl`, or null when it does not: none of its security
 * groups admits the workload's clients, another hop of their path (a network ACL, a route) drops
 * them, or its calls out cannot get through (EC2 User Guide, "Amazon EC2 security groups for your
 * EC2 instances"; Amazon VPC User Guide, "Control subnet traffic with network access control lists").
 */
export function networkBlock(world: World, inst: Instance, wl: Workload): string | null {
  // By any of its interfaces: the one that speaks for it is the first open, else the furthest in.
  const blocked = instancePaths(world, inst, 'tcp', wl.port, clientAddress(wl)).best.hops.find((h) => !h.ok);
  if (blocked?.hop === 'security-group')
    return `none of its security groups admits ${wl.name}'s clients (${clientsText(wl)})`;
  if (blocked) return `${wl.name}'s clients cannot reach it (${clientsText(wl)}): ${blocked.detail}`;
  const out =
    wl.egressPort === undefined ? undefined : egressPath(world, inst, 'tcp', wl.egressPort).find((h) => !h.ok);
  if (out) return `its calls out (tcp ${wl.egressPort} to the internet) cannot get through: ${out.detail}`;
  return null;
}

/** The instances of a workload, split into those serving it and those not, with why. */
export function servingSplit(
  world: World,
  workload: string,
): { serving: Instance[]; idle: { instance: Instance; why: string }[] } {
  const serving: Instance[] = [];
  const idle: { instance: Instance; why: string }[] = [];
  for (const inst of rows(world, 'instances')) {
    if (inst.workload !== workload || inst.state === 'terminated') continue;
    const why = whyNotServing(world, inst);
    if (why === null) serving.push(inst);
    else idle.push({ instance: inst, why });
  }
  return { serving, idle };
}

/**
 * The members of workload `wl` that would serve it but for the network (running, status checks
 * passed, holding its data; see whyNotServing): how many there are, how many of them the network
 * keeps from serving (see networkBlock), and the first `named` of those in launch order as
 * "name: why". The path is worked out once for all of them (see reachedBy); why is asked only of
 * those named.
 */
export function shutOutMembers(
  world: World,
  wl: Workload,
  named: number,
): { count: number; members: number; first: string[] } {
  const reached = reachedBy(world, wl);
  const first: string[] = [];
  let count = 0;
  let members = 0;
  for (const inst of rows(world, 'instances')) {
    if (inst.workload !== wl.name || inst.state !== 'running' || inst.guestRestartUntil !== null || !inService(inst))
      continue;
    if (!holdsData(wl, attachedTo(world, inst))) continue;
    members++;
    if (reached(inst)) continue;
    count++;
    if (first.length < named) first.push(`${inst.name ?? inst.id}: ${networkBlock(world, inst, wl)}`);
  }
  return { count, members, first };
}
