// NAT gateways: how instances in a private subnet reach the internet. A public NAT gateway lives
// in one subnet of one zone, holds an Elastic IP, and sends the traffic routed to it out of its own
// subnet, by that subnet's route to the internet gateway, from its Elastic IP; the replies come
// back to it and it hands them to the instance that started the connection. Nothing on the
// internet can start a connection through it
// (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html). It is built with
// redundancy inside its zone only: when that zone is down, every subnet that routes to it loses
// the internet, which is why AWS advises one NAT gateway per zone, each zone's private subnets
// routed to their own (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html).
import { touchEverything } from './changes.js';
import { refuse } from './errors.js';
import type { EventSink } from './events.js';
import { newId } from './ids.js';
import { allocateAddress, nextPrivateIp } from './network.js';
import type { NatGateway, Subnet, VpcLayout, World } from './types.js';
import { editableVpc, findSubnet, vpcOfSubnet, vpcsOf } from './vpc.js';

/** The VPC's NAT gateways, deleted ones included (EC2 lists those for a while too). */
export function natGatewaysOf(layout: VpcLayout): NatGateway[] {
  return layout.natGateways ? Object.values(layout.natGateways) : [];
}

/** A NAT gateway by id or Name, deleted ones included; undefined when the VPC has none such. */
export function findNatGateway(layout: VpcLayout, ref: string): NatGateway | undefined {
  const all = layout.natGateways;
  if (!all) return undefined;
  return all[ref] ?? Object.values(all).find((n) => n.name === ref && n.state !== 'deleted');
}

/** Whether a route target names one of the VPC's NAT gateways (deleted or not). */
export const isNatTarget = (layout: VpcLayout, target: string): boolean => layout.natGateways?.[target] !== undefined;

/**
 * Why a NAT gateway carries no traffic now, or null when it does: deleted, or its zone impaired
 * (it is redundant within its zone only: nat-gateway-basics).
 */
export function natDown(world: World, nat: NatGateway): string | null {
  if (nat.state === 'deleted') return `${nat.id} (${nat.name}) is deleted`;
  if (nat.state === 'pending')
    return `${nat.id} (${nat.name}) is pending: available in ${nat.availableAt - world.tick} s`;
  const zone = world.zones.find((z) => z.zoneId === nat.zoneId)!;
  if (zone.impaired)
    return `${nat.id} (${nat.name}) lives in ${zone.name} (${zone.zoneId}), which is impaired: a NAT gateway is redundant within its zone only`;
  return null;
}

/** Whether a zone holds a NAT gateway that is not deleted: its impairment reaches every subnet routed to it. */
export function zoneHoldsNat(world: World, zoneId: string): boolean {
  return vpcsOf(world).some((v) => natGatewaysOf(v).some((n) => n.zoneId === zoneId && n.state !== 'deleted'));
}

/**
 * How long a new NAT gateway stays pending, in seconds. EC2 creates one in the pending state and
 * it becomes available once it is provisioned; AWS gives no figure, and one minute is the model's
 * choice (a level's own NAT gateways are available from the start).
 */
export const NAT_PENDING_SECONDS = 60;

/**
 * Makes a NAT gateway in `subnet` with the Elastic IP `allocationId`, pending for `pendingSeconds`,
 * and returns it. Refuses (EC2's codes) an allocation that is unknown or already associated, a
 * name in use, or a subnet in an impaired zone (launches fail there too).
 */
export function createNatGateway(
  world: World,
  subnet: Subnet,
  allocationId: string,
  name: string | null,
  pendingSeconds = NAT_PENDING_SECONDS,
): NatGateway {
  const eip = world.elasticIps[allocationId];
  if (!eip) refuse('InvalidAllocationID.NotFound', `no Elastic IP allocation ${allocationId}`);
  if (eip.eniId !== null || eip.natGatewayId)
    refuse(
      'Resource.AlreadyAssociated',
      `${allocationId} (${eip.publicIp}) is associated with ${eip.natGatewayId ?? eip.eniId}: disassociate it first`,
    );
  const layout = editableVpc(world, vpcOfSubnet(world, subnet.id));
  if (name !== null && findNatGateway(layout, name))
    refuse('InvalidParameterValue', `a NAT gateway is already named ${name}`);
  const zone = world.zones.find((z) => z.zoneId === subnet.zoneId)!;
  if (zone.impaired)
    refuse('Unavailable', `${zone.name} (${zone.zoneId}) is impaired: nothing new starts there until it recovers`);
  const privateIp = nextPrivateIp(world, subnet.zoneId, layout.isDefault ? null : subnet);
  if (privateIp === null)
    refuse(
      'InsufficientFreeAddressesInSubnet',
      `subnet ${subnet.id} (${subnet.name}, ${subnet.cidr}) has no free address`,
    );
  const all = (layout.natGateways ??= {});
  const id = newId(world, 'nat', all);
  const nat: NatGateway = {
    id,
    name: name ?? id,
    subnetId: subnet.id,
    zoneId: subnet.zoneId,
    allocationId,
    publicIp: eip.publicIp,
    privateIp,
    state: pendingSeconds > 0 ? 'pending' : 'available',
    availableAt: world.tick + pendingSeconds,
  };
  all[id] = nat;
  eip.natGatewayId = id;
  return nat;
}

/** Deletes a NAT gateway: its Elastic IP is free again, and routes to it become blackholes. */
export function deleteNatGateway(world: World, nat: NatGateway): void {
  if (nat.state === 'deleted') refuse('NatGatewayNotFound', `${nat.id} (${nat.name}) is already deleted`);
  const own = editableVpc(world, vpcOfSubnet(world, nat.subnetId)).natGateways![nat.id]!;
  own.state = 'deleted';
  delete world.elasticIps[own.allocationId]!.natGatewayId;
}

/**
 * A VPC's NAT gateways from a level, each with a fresh Elastic IP in its subnet, made once the VPC is
 * in the world; the routes the level gave to a NAT gateway's name then take its id.
 */
export function buildNatGateways(
  world: World,
  layout: VpcLayout,
  specs: readonly { name: string; subnet: string }[],
): void {
  const ids = new Map<string, string>();
  for (const spec of specs)
    ids.set(
      spec.name,
      createNatGateway(world, findSubnet(layout, spec.subnet)!, allocateAddress(world), spec.name, 0).id,
    );
  for (const table of Object.values(layout.routeTables))
    for (const route of table.routes) route.target = ids.get(route.target) ?? route.target;
}

/** Makes the pending NAT gateways whose time has come available, in every VPC; once a second, cheap when there are none. */
export function advanceNatGateways(world: World, events: EventSink): void {
  if (world.vpc) advanceIn(world, world.vpc, events);
  if (world.otherVpcs) for (const layout of world.otherVpcs) advanceIn(world, layout, events);
}

function advanceIn(world: World, layout: VpcLayout, events: EventSink): void {
  const all = layout.natGateways;
  if (!all) return;
  for (const id in all) {
    const nat = all[id]!;
    if (nat.state !== 'pending' || nat.availableAt > world.tick) continue;
    nat.state = 'available';
    touchEverything(world);
    events.emit('nat-gateway-available', 'info', nat.id, `${nat.id} (${nat.name}) is available`);
  }
}

/** Tells the world a NAT gateway changed: every subnet routed to it may serve differently. */
export function natChanged(world: World, nat: NatGateway, events: EventSink, created: boolean): void {
  touchEverything(world);
  events.emit(
    created ? 'nat-gateway-created' : 'nat-gateway-deleted',
    'info',
    nat.id,
    created
      ? `${nat.id} (${nat.name}) created in ${nat.subnetId} (${nat.zoneId}), Elastic IP ${nat.publicIp}: pending for ${nat.availableAt - world.tick} s`
      : `${nat.id} (${nat.name}) deleted; ${nat.allocationId} (${nat.publicIp}) is free, and routes to it are blackholes`,
  );
}
