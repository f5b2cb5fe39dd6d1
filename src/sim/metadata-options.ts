// Instance metadata options, with EC2's names and defaults (API reference,
// "InstanceMetadataOptionsRequest"; EC2 User Guide, "Configure the instance metadata options").
// The model holds them per instance; the metadata service serves by them.
import type { Instance, MetadataOptions } from './types.js';

/**
 * What a launch that names no option gets: an instance of an AMI whose ImdsSupport is v2.0, as
 * current Amazon Linux is, has HttpTokens `required` and HttpPutResponseHopLimit 2, so that a
 * container on it gets a token too (API reference, "Image": ImdsSupport). An older AMI's instances
 * get a hop limit of 1, which a level sets with `imdsHopLimit`.
 */
export const DEFAULT_METADATA_OPTIONS: Readonly<MetadataOptions> = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 2,
  instanceMetadataTags: 'disabled',
};

/** HttpPutResponseHopLimit takes 1-64. */
export const MAX_HOP_LIMIT = 64;

/**
 * Whether the response to an IMDSv2 token request (the PUT) reaches a client `hops` network hops
 * beyond the instance itself: 0 for a process on the instance, 1 for a container behind a bridge
 * network, and so on. EC2 sends that response with its IP time-to-live set to the hop limit, so a
 * client as many hops away as the limit, or more, gets no answer and its request times out; with
 * the endpoint disabled nothing answers at all.
 */
export function tokenResponseReaches(options: MetadataOptions, hops: number): boolean {
  return options.httpEndpoint === 'enabled' && hops < options.httpPutResponseHopLimit;
}

/**
 * The tags IMDS lists under `tags/instance` (one path per key, its value as the body), or null
 * when the instance does not allow tags in its metadata (InstanceMetadataTags `disabled`, EC2's
 * default): then the path does not exist. fleetops' instances carry one tag, Name.
 */
export function metadataTags(instance: Instance): Record<string, string> | null {
  if (instance.metadataOptions.instanceMetadataTags !== 'enabled') return null;
  return instance.name ? { Name: instance.name } : {};
}
