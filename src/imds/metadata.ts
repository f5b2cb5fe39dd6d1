// What one instance reads under /latest: AWS's metadata categories, laid out as AWS lays them out,
// with every value taken from the live world at the moment of the request.
import { createHash } from 'node:crypto';
import type { Session } from '../game/session.js';
import { simulatedTime } from '../game/summary.js';
import {
  attachedTo,
  interfacesOf,
  placeFinder,
  privateIpsOf,
  publicAssociationsOf,
  type Instance,
  type NetworkInterface,
  type ScheduledEvent,
  type World,
} from '../sim/index.js';
import {
  ACCOUNT_ID,
  architectureOf,
  inlineJson,
  localHostname,
  maintenanceDate,
  publicHostname,
} from './aws-formats.js';

/** A value, or a folder of named entries. An undefined entry does not exist (404, and unlisted). */
export type MetadataNode = string | MetadataFolder;
/** Costly entries are functions, worked out only when a request reaches them. */
type Entry = MetadataNode | undefined | (() => MetadataNode | undefined);
export interface MetadataFolder {
  readonly [name: string]: Entry;
}

const resolve = (entry: Entry) => (typeof entry === 'function' ? entry() : entry);

const IDENTITY_DOCUMENT_VERSION = '2017-09-30';

/**
 * Reboots and maintenance are windows, with a start and an end; a stop or a retirement happens
 * at or after its start and has no end (EC2 User Guide, "Scheduled events for your instances").
 */
const HAS_END: Record<ScheduledEvent['code'], boolean> = {
  'system-reboot': true,
  'instance-reboot': true,
  'system-maintenance': true,
  'instance-stop': false,
  'instance-retirement': false,
};

/**
 * An event over, completed or canceled, says so at the start of its description, as in the
 * history's example ("[Completed] scheduled reboot", "[Canceled] scheduled reboot": EC2 User Guide,
 * "Scheduled events for your instances"; API reference, "InstanceStatusEvent": Description).
 */
const DESCRIPTION_MARK: Record<ScheduledEvent['state'], string> = {
  active: '',
  completed: '[Completed] ',
  canceled: '[Canceled] ',
};

function maintenanceEvents(world: World, events: ScheduledEvent[]): string {
  const list = events.map((ev) => ({
    NotBefore: maintenanceDate(world.epochMs + ev.notBefore * 1000),
    Code: ev.code,
    Description: `${DESCRIPTION_MARK[ev.state]}${ev.description}`,
    EventId: ev.id,
    ...(HAS_END[ev.code] ? { NotAfter: maintenanceDate(world.epochMs + ev.notAfter * 1000) } : {}),
    State: ev.state,
  }));
  return JSON.stringify(list, null, 2);
}

/** A stable ID for a name, as EC2 spells resource IDs: a prefix and 17 hex digits. */
function derivedId(prefix: string, name: string): string {
  return `${prefix}-${createHash('sha256').update(name).digest('hex').slice(0, 17)}`;
}

/**
 * The reservation of the launch that made `inst`, `r-` and 17 hex digits, shared by every instance
 * that launch made (EC2 User Guide, "Instance metadata categories": reservation-id, and
 * ami-launch-index, "the order in which the instance was launched"). A launch is named by its first
 * instance's launchSeq, which stays when that instance is gone.
 */
function reservationId(world: World, inst: Instance): string {
  return derivedId('r', `${world.seed}/${inst.launchSeq - (inst.amiLaunchIndex ?? 0)}`);
}

/**
 * Stand-ins for the identity document's signatures. fleetops holds no AWS key, so these say what
 * they are in plain text, base64-encoded as the real ones are, with a digest of the document so
 * each is particular to it. No verifier will accept them.
 */
function fakeSignature(kind: string, document: string): string {
  const digest = createHash('sha256').update(document).digest('hex');
  const text = `fleetops ${kind}: NOT SIGNED BY AWS. sha256 of the document ${digest}`;
  return Buffer.from(text)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')
    .trimEnd();
}

function identityFolder(session: Session, inst: Instance): MetadataFolder {
  const document = () => identityDocument(session, inst);
  return {
    document,
    signature: () => fakeSignature('signature', document()).replaceAll('\n', ''),
    pkcs7: () => fakeSignature('pkcs7', document()),
    rsa2048: () => fakeSignature('rsa2048', document()),
  };
}

function spotFolder(session: Session, inst: Instance): MetadataFolder | undefined {
  const spot = inst.spot;
  if (!spot || spot.interruptAt === null || spot.action === null) return undefined;
  const time = simulatedTime(session, spot.interruptAt);
  return {
    'instance-action': inlineJson({ action: spot.action, time }),
    // The legacy path only ever announced terminations; instance-action covers stop and hibernate.
    'termination-time': spot.action === 'terminate' ? time : undefined,
  };
}

/**
 * The root volume as the AMI maps it, then the further EBS volumes present at launch or at the last
 * start as ebs1, ebs2... by device name.
 */
function blockDeviceMapping(world: World, inst: Instance): MetadataFolder {
  const root = world.volumes[inst.rootVolumeId]?.attachment?.device ?? '/dev/xvda';
  // The EBS volumes present at launch or at the instance's last start (see the attachment's afterStart),
  // those detached since included.
  const others = attachedTo(world, inst)
    .filter((v) => v.id !== inst.rootVolumeId && !v.attachment!.afterStart)
    .map((v) => v.attachment!.device)
    .concat(inst.detachedSinceStart ?? [])
    .sort();
  const folder: Record<string, string> = { ami: root, root };
  others.forEach((device, i) => (folder[`ebs${i + 1}`] = device.replace(/^\/dev\//, '')));
  return folder;
}

/** The instance identity document, unsigned: fleetops has no key for AWS's signature. */
function identityDocument(session: Session, inst: Instance): string {
  const world = session.world;
  const doc = {
    accountId: ACCOUNT_ID,
    architecture: architectureOf(inst.type),
    availabilityZone: world.zones.find((z) => z.zoneId === inst.zoneId)!.name,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: inst.amiId,
    instanceId: inst.id,
    instanceType: inst.type,
    kernelId: null,
    pendingTime: simulatedTime(session, inst.restartedAt ?? inst.launchedAt),
    privateIp: world.enis[inst.eniId]!.privateIp,
    ramdiskId: null,
    region: world.region,
    version: IDENTITY_DOCUMENT_VERSION,
  };
  return JSON.stringify(doc, null, 2);
}

/** One interface's folder under network/interfaces/macs/<mac>/. */
function interfaceFolder(world: World, eni: NetworkInterface): MetadataFolder {
  const { layout: vpc, subnet } = placeFinder(world)(eni);
  const groups = eni.securityGroupIds.map((id) => world.securityGroups[id]!);
  const publicIp = eni.publicIp ?? undefined;
  const associations = publicAssociationsOf(eni);
  return {
    'device-number': String(eni.deviceIndex ?? 0),
    'interface-id': eni.id,
    'network-card-index': '0',
    'ipv4-associations': associations.length ? Object.fromEntries(associations) : undefined,
    'local-hostname': localHostname(world.region, eni.privateIp),
    // One address a line, the primary first, as cloud-init reads them for secondary addresses.
    'local-ipv4s': privateIpsOf(eni).join('\n'),
    mac: eni.mac,
    'owner-id': ACCOUNT_ID,
    'public-hostname': publicIp && publicHostname(world.region, publicIp),
    'public-ipv4s': associations.length ? associations.map(([ip]) => ip).join('\n') : undefined,
    'security-group-ids': groups.map((g) => g.id).join('\n'),
    'security-groups': groups.map((g) => g.name).join('\n'),
    // The model's VPC, as trace and the resource views show it.
    'subnet-id': subnet.id,
    'subnet-ipv4-cidr-block': subnet.cidr,
    'vpc-id': vpc.id,
    'vpc-ipv4-cidr-block': vpc.cidr,
    'vpc-ipv4-cidr-blocks': vpc.cidr,
  };
}

export function instanceMetadata(session: Session, inst: Instance): MetadataFolder {
  const world = session.world;
  const eni = world.enis[inst.eniId]!;
  const zone = world.zones.find((z) => z.zoneId === inst.zoneId)!;
  const privateHost = localHostname(world.region, eni.privateIp);
  const publicIp = eni.publicIp ?? undefined;
  const publicHost = publicIp && publicHostname(world.region, publicIp);
  const byState = (active: boolean) => inst.scheduledEvents.filter((ev) => (ev.state === 'active') === active);
  const rebalanceAt = inst.spot?.rebalanceAt ?? null;
  const options = inst.metadataOptions;

  return {
    'meta-data': {
      'ami-id': inst.amiId,
      'ami-launch-index': String(inst.amiLaunchIndex ?? 0),
      'ami-manifest-path': '(unknown)',
      'block-device-mapping': () => blockDeviceMapping(world, inst),
      events: {
        maintenance: {
          scheduled: () => maintenanceEvents(world, byState(true)),
          history: () => maintenanceEvents(world, byState(false)),
        },
        recommendations: {
          rebalance:
            rebalanceAt === null ? undefined : () => inlineJson({ noticeTime: simulatedTime(session, rebalanceAt) }),
        },
      },
      hostname: privateHost,
      'instance-action': 'none',
      'instance-id': inst.id,
      'instance-life-cycle': inst.market,
      'instance-type': inst.type,
      'local-hostname': privateHost,
      'local-ipv4': eni.privateIp,
      mac: eni.mac,
      network: {
        interfaces: {
          // Every attached interface, by its MAC, as they come and go.
          macs: Object.fromEntries(interfacesOf(world, inst).map((e) => [e.mac, () => interfaceFolder(world, e)])),
        },
      },
      placement: {
        'availability-zone': zone.name,
        'availability-zone-id': zone.zoneId,
        'group-name': inst.placementGroup ?? undefined,
        'partition-number': inst.partition === null ? undefined : String(inst.partition),
        region: world.region,
      },
      profile: 'default-hvm',
      'public-hostname': publicHost,
      'public-ipv4': publicIp,
      'reservation-id': reservationId(world, inst),
      'security-groups': eni.securityGroupIds.map((id) => world.securityGroups[id]!.name).join('\n'),
      services: { domain: 'amazonaws.com', partition: 'aws' },
      spot: () => spotFolder(session, inst),
      // Only with instance tags in metadata turned on (InstanceMetadataTags=enabled).
      tags: options.instanceMetadataTags === 'enabled' && inst.name ? { instance: { Name: inst.name } } : undefined,
    },
    dynamic: {
      // Detailed (one-minute) CloudWatch monitoring, which fleetops does not model: EC2's default, basic monitoring.
      fws: { 'instance-monitoring': 'disabled' },
      'instance-identity': identityFolder(session, inst),
    },
  };
}

/** A folder's listing as IMDS prints it: one entry a line, sub-folders with a trailing slash if marked. */
export function listing(folder: MetadataFolder, markFolders: boolean): string {
  const names: string[] = [];
  for (const name of Object.keys(folder).sort()) {
    const node = resolve(folder[name]);
    if (exists(node)) names.push(markFolders && typeof node !== 'string' ? `${name}/` : name);
  }
  return names.join('\n');
}

/** Empty folders count as absent, so `spot/` appears only once a notice does. */
function exists(node: MetadataNode | undefined): node is MetadataNode {
  return (
    typeof node === 'string' || (node !== undefined && Object.values(node).some((entry) => exists(resolve(entry))))
  );
}

/** The node at a path of names below a folder, or undefined when there is none. */
export function lookup(folder: MetadataFolder, names: readonly string[]): MetadataNode | undefined {
  let node: MetadataNode | undefined = folder;
  for (const name of names) {
    if (typeof node !== 'object' || !Object.hasOwn(node, name)) return undefined;
    node = resolve(node[name]);
  }
  return exists(node) ? node : undefined;
}
