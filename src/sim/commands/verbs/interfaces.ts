// Elastic network interface verbs: create one in a subnet, attach it to an instance as eth1 and
// up, detach it (and attach it elsewhere: it keeps its addresses and MAC), give it secondary
// private addresses, delete it.
import { checkAttachmentRoom } from '../../attachments.js';
import { instanceLabel } from '../../instances.js';
import {
  assignPrivateIps,
  attachInterface,
  createInterface,
  deleteInterface,
  detachInterface,
  deviceName,
  MAX_IPV4_PER_INTERFACE,
  resolveInterface,
  unassignPrivateIps,
} from '../../interfaces.js';
import { ipToNumber } from '../../cidr.js';
import { refuse } from '../../errors.js';
import { resolveInstance, resolveSecurityGroup } from '../resolve.js';
import { worldVerb } from '../spec.js';
import { INSTANCE_ARG } from './args.js';

const INTERFACE_ARG = {
  name: 'network-interface',
  kind: 'network-interface',
  help: 'network interface id (eni-...)',
} as const;

export const INTERFACE_VERBS = [
  worldVerb(
    {
      verb: 'create-network-interface',
      scope: 'world',
      summary: 'create a network interface in a subnet, available to attach',
      args: [],
      flags: [
        {
          name: 'subnet',
          kind: 'subnet',
          help: "subnet id or name (in the default VPC: a zone's name or id)",
          required: true,
        },
        { name: 'sg', kind: 'security-group', help: 'security groups, comma separated (default: default)' },
      ],
    },
    (world, input, events) => {
      const groups = (input.sg ?? 'default').split(',').filter(Boolean);
      const eni = createInterface(
        world,
        input.subnet,
        groups.map((g) => resolveSecurityGroup(world, g).id),
      );
      events.emit(
        'network-interface-created',
        'info',
        eni.id,
        `${eni.id} (${eni.privateIp}) created in ${eni.zoneId}, available`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'attach-network-interface',
      scope: 'world',
      summary: "attach an available interface to a running or stopped instance in its zone, up to the type's limit",
      args: [INTERFACE_ARG, INSTANCE_ARG],
      flags: [{ name: 'device-index', kind: 'int', help: 'eth number (default: the next free)', range: [1, 14] }],
    },
    (world, input, events) => {
      const instance = resolveInstance(world, input.instance);
      const eni = resolveInterface(world, input['network-interface']);
      checkAttachmentRoom(world, instance, eni.id);
      const index = attachInterface(world, eni, instance, input['device-index'] ?? null);
      events.emit(
        'network-interface-attached',
        'info',
        instance.id,
        `${eni.id} (${eni.privateIp}) attached to ${instanceLabel(instance)} as eth${index}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'detach-network-interface',
      scope: 'world',
      summary: 'detach an interface attached after launch (never the primary, eth0); it keeps its Elastic IP',
      args: [INTERFACE_ARG],
      flags: [],
    },
    (world, input, events) => {
      const eni = resolveInterface(world, input['network-interface']);
      const device = deviceName(eni);
      const instance = detachInterface(world, eni);
      events.emit(
        'network-interface-detached',
        'info',
        instance.id,
        `${eni.id} (${device}) detached from ${instanceLabel(instance)}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'assign-private-ip-addresses',
      scope: 'world',
      summary:
        "give an interface secondary private addresses from its subnet, up to its instance type's per-interface limit",
      args: [INTERFACE_ARG],
      flags: [
        {
          name: 'secondary-private-ip-address-count',
          kind: 'int',
          help: "how many addresses, within the instance type's per-interface limit",
          range: [1, MAX_IPV4_PER_INTERFACE - 1],
          required: true,
        },
      ],
    },
    (world, input, events) => {
      const eni = resolveInterface(world, input['network-interface']);
      const added = assignPrivateIps(world, eni, input['secondary-private-ip-address-count']);
      events.emit(
        'private-ip-addresses-assigned',
        'info',
        eni.instanceId ?? eni.id,
        `${eni.id} (${deviceName(eni)}) now also holds ${added.join(', ')}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'unassign-private-ip-addresses',
      scope: 'world',
      summary: 'take secondary private addresses off an interface (an Elastic IP on one is disassociated)',
      args: [INTERFACE_ARG],
      flags: [
        {
          name: 'private-ip-addresses',
          kind: 'word',
          help: 'secondary private addresses, comma separated',
          required: true,
        },
      ],
    },
    (world, input, events) => {
      const eni = resolveInterface(world, input['network-interface']);
      const addresses = input['private-ip-addresses'].split(',').filter(Boolean);
      for (const ip of addresses)
        if (ipToNumber(ip) === null)
          refuse('InvalidParameterValue', `--private-ip-addresses expects IPv4 addresses, got '${ip}'`);
      unassignPrivateIps(world, eni, addresses);
      events.emit(
        'private-ip-addresses-unassigned',
        'info',
        eni.instanceId ?? eni.id,
        `${eni.id} (${deviceName(eni)}) no longer holds ${addresses.join(', ')}`,
      );
    },
  ),
  worldVerb(
    {
      verb: 'delete-network-interface',
      scope: 'world',
      summary: 'delete an available interface',
      args: [INTERFACE_ARG],
      flags: [],
    },
    (world, input, events) => {
      const eni = resolveInterface(world, input['network-interface']);
      deleteInterface(world, eni);
      events.emit('network-interface-deleted', 'info', eni.id, `${eni.id} deleted`);
    },
  ),
];
