// The instance-type and host catalogues, loaded from the sourced data files beside this module.
import instanceTypesData from './data/instance-types.json' with { type: 'json' };
import hostFamiliesData from './data/host-families.json' with { type: 'json' };

export interface InstanceStoreSpec {
  disks: number;
  diskGB: number;
  kind: 'nvme-ssd' | 'hdd';
}

export interface InstanceTypeSpec {
  name: string;
  family: string;
  vcpu: number;
  memoryMiB: number;
  /** The "up to" figure when networkBurst, else the fixed one (Mbps, each direction). */
  networkMbps: number;
  /** Sustained bandwidth (Mbps, each direction): networkMbps for types without burst. */
  networkBaselineMbps: number;
  networkBurst: boolean;
  ebs: { baselineMbps: number; maxMbps: number; baselineIops: number; maxIops: number };
  instanceStore: InstanceStoreSpec | null;
  onDemandMicrosPerHour: number;
  /** Bare metal takes a whole host. */
  metal: boolean;
  /** The processor architecture its AMIs are built for (see architectureOf). */
  architecture: 'arm64' | 'x86_64';
  /** A burstable performance type (T family), which a cluster placement group does not take. */
  burstable: boolean;
}

/**
 * AWS's naming convention gives the processor: a `g` after a family's generation is AWS Graviton
 * (m7g, c7g, r7g: arm64), and the other families modelled here are Intel or AMD (x86_64) (EC2
 * Instance Types guide, "Amazon EC2 instance type naming conventions").
 */
function architectureOf(family: string): InstanceTypeSpec['architecture'] {
  return /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}

export interface HostFamilySpec {
  family: string;
  vcpu: number;
  memoryMiB: number;
  instanceStore: InstanceStoreSpec | null;
}

interface RawInstanceType {
  family: string;
  vcpu: number;
  memoryMiB: number;
  networkMbps: number;
  networkBaselineMbps: number;
  networkBurst: boolean;
  ebs: InstanceTypeSpec['ebs'];
  instanceStore: InstanceStoreSpec | null;
  onDemandUsdPerHour: number;
}

interface RawHostFamily {
  vcpu: number;
  memoryMiB: number;
  instanceStore: InstanceStoreSpec | null;
}

const rawTypes = (instanceTypesData as unknown as { types: Record<string, RawInstanceType> }).types;
const rawFamilies = (hostFamiliesData as unknown as { families: Record<string, RawHostFamily> }).families;

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeSpec> = new Map(
  Object.keys(rawTypes)
    .sort()
    .map((name) => {
      const raw = rawTypes[name]!;
      const spec: InstanceTypeSpec = {
        name,
        family: raw.family,
        vcpu: raw.vcpu,
        memoryMiB: raw.memoryMiB,
        networkMbps: raw.networkMbps,
        networkBaselineMbps: raw.networkBaselineMbps,
        networkBurst: raw.networkBurst,
        ebs: raw.ebs,
        instanceStore: raw.instanceStore,
        onDemandMicrosPerHour: Math.round(raw.onDemandUsdPerHour * 1_000_000),
        metal: name.endsWith('.metal'),
        architecture: architectureOf(raw.family),
        burstable: raw.family.startsWith('t'),
      };
      return [name, spec];
    }),
);

export const HOST_FAMILIES: ReadonlyMap<string, HostFamilySpec> = new Map(
  Object.keys(rawFamilies)
    .sort()
    .map((family) => {
      const raw = rawFamilies[family]!;
      return [family, { family, vcpu: raw.vcpu, memoryMiB: raw.memoryMiB, instanceStore: raw.instanceStore }];
    }),
);

export function instanceType(name: string): InstanceTypeSpec | undefined {
  return INSTANCE_TYPES.get(name);
}

export function hostFamily(family: string): HostFamilySpec | undefined {
  return HOST_FAMILIES.get(family);
}
