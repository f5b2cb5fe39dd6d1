// Elastic IP verbs: allocate an address and move it between instances.
import { ipToNumber } from '../../cidr.js';
import { refuse } from '../../errors.js';
import { instanceLabel } from '../../instances.js';
import { deviceName, resolveInterface } from '../../interfaces.js';
import { allocateAddress, associateAddress, disassociateAddress } from '../../network.js';
import type { Instance, NetworkInterface, World } from '../../types.js';
import { resolveInstance } from '../resolve.js';
import { worldVerb } from '../spec.js';
import { INSTANCE_ARG } from './args.js';

const INTERFACE_FLAG = {
  name: 'network-interface',
  kind: 'network-interface',
  help: 'which of its interfaces: eth1, or an interface id (default: eth0)',
} as const;

const PRIVATE_IP_FLAG = {
  name: 'private-ip-address',
  kind: 'word',
  help: "which of the interface's private addresses (default: its primary)",
} as const;

/** The private address a command names, checked as an address (whether the interface holds it is the model's rule). */
function privateIpOf(eni: NetworkInterface, given: string | undefined): string {
  if (given === undefined) return eni.privateIp;
  if (ipToNumber(given) === null)
    refuse('InvalidParameterValue', `--private-ip-address expects an IPv4 address, got '${given}'`);
  return given;
}

/** The instance's interface a command names (`eth1` or an interface id), else its primary. */
function interfaceOf(world: World, instance: Instance, ref: string | undefined): NetworkInterface {
  if (ref === undefined) return world.enis[instance.eniId]!;
  const eni = resolveInterface(world, ref, instance);
  if (eni.instanceId !== instance.id)
    refuse('InvalidParameterCombination', `${eni.id} is not attached to ${instance.id}`);
  return eni;
}

export const ADDRESS_VERBS = [
  worldVerb(
    { verb: 'allocate-address', scope: 'world', summary: 'allocate an Elastic IP', args: [], flags: [] },
    (world, _input, events) => {
      const id = allocateAddress(world);
      events.emit('address-allocated', 'info', id, `${id} allocated: ${world.elasticIps[id]!.publicIp}`);
    },
  ),
  worldVerb(
    {
      verb: 'associate-address',
      scope: 'world',
      summary: 'give an instance an Elastic IP (allocates one if none is named)',
      args: [INSTANCE_ARG],
      flags: [
        { name: 'allocation', kind: 'allocation', help: 'Elastic IP allocation id' },
        INTERFACE_FLAG,
        PRIVATE_IP_FLAG,
      ],
    },
    (world, input, events) => {
      const instance = resolveInstance(world, input.instance);
      const given = input.allocation;
      if (given && !world.elasticIps[given])
        refuse('InvalidAllocationID.NotFound', `no Elastic IP allocation ${given}`);
      if (instance.state === 'terminated' || instance.state === 'shutting-down')
        refuse('IncorrectInstanceState', `${instance.id} is ${instance.state}`);
      const eni = interfaceOf(world, instance, input['network-interface']);
      const privateIp = privateIpOf(eni, input['private-ip-address']);
      if (privateIp !== eni.privateIp && !eni.secondaryIps?.some((s) => s.privateIp === privateIp))
        refuse('InvalidParameterValue', `${privateIp} is not a private address of ${eni.id}`);
      const allocationId = given ?? allocateAddress(world);
      // EC2 moves an address already associated elsewhere (AllowReassociation): its holder loses it.
      const heldBy = given ? world.enis[world.elasticIps[given]!.eniId ?? '']?.instanceId : null;
      associateAddress(world, eni, allocationId, privateIp);
      const on =
        (eni.id === instance.eniId ? '' : ` on ${deviceName(eni)} (${eni.id})`) +
        (privateIp === eni.privateIp ? '' : ` at ${privateIp}`);
      const from = heldBy && heldBy !== instance.id ? world.instances[heldBy] : undefined;
      events.emit(
        'address-associated',
        'info',
        instance.id,
        `${world.elasticIps[allocationId]!.publicIp} (${allocationId}) now points at ${instanceLabel(instance)}${on}${from ? `, taken from ${instanceLabel(from)}` : ''}`,
        from ? { from: from.id } : undefined,
      );
    },
  ),
  worldVerb(
    {
      verb: 'disassociate-address',
      scope: 'world',
      summary: "take an instance's Elastic IP away",
      args: [INSTANCE_ARG],
      flags: [INTERFACE_FLAG, PRIVATE_IP_FLAG],
    },
    (world, input, events) => {
      const instance = resolveInstance(world, input.instance);
      const eni = interfaceOf(world, instance, input['network-interface']);
      const allocationId = disassociateAddress(world, eni, privateIpOf(eni, input['private-ip-address']));
      events.emit(
        'address-disassociated',
        'info',
        instance.id,
        `${allocationId} taken from ${instanceLabel(instance)}`,
      );
    },
  ),
];
