// What an instance built on the Nitro System shares among its attachments: EBS volumes, network
// interfaces and NVMe instance store volumes together (every type modelled here is a Nitro type).
import { refuse } from './errors.js';
import { interfacesOf } from './network.js';
import type { Instance, World } from './types.js';
import { attachedTo } from './volumes.js';

/** EC2 User Guide, "Instance volume limits": Nitro instances have "a maximum of 28 attachments". */
export const NITRO_ATTACHMENTS = 28;

/**
 * Refuses with AttachmentLimitExceeded when `inst` already has its NITRO_ATTACHMENTS: counted are
 * its attached volumes, its network interfaces and its instance store volumes. `adding` names
 * what was to be attached, for the message.
 */
export function checkAttachmentRoom(world: World, inst: Instance, adding: string): void {
  const used = attachedTo(world, inst).length + interfacesOf(world, inst).length + (inst.instanceStore?.disks ?? 0);
  if (used >= NITRO_ATTACHMENTS)
    refuse(
      'AttachmentLimitExceeded',
      `${inst.id} has ${used} attachments (EBS volumes, network interfaces and instance store volumes), the ${NITRO_ATTACHMENTS} a Nitro instance shares among them; detach one before attaching ${adding}`,
    );
}

/**
 * Device names an EBS volume attaches at on Linux (EC2 User Guide, "Device names on Linux
 * instances": /dev/sd[a-z] and /dev/xvd[b-c][a-z], with /dev/sda1 and /dev/xvda for the root).
 */
export const EBS_DEVICE = /^\/dev\/(?:xvda|sda1|sd[a-z]|xvd[bc][a-z])$/;
