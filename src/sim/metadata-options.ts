// Instance metadata options, with EC2's names and defaults (API reference,
// "InstanceMetadataOptionsRequest"; EC2 User Guide, "Configure the instance metadata options").
// The model holds them per instance; the metadata service serves by them.
import type { Instance, MetadataOptions } from './types.js';

/**
 * What a launch that names no option gets: HttpTokens `required`, as an account whose instance
 * metadata defaults require IMDSv2 gives every launch (API reference,
 * "ModifyInstanceMetadataDefaults"), and EC2's own hop limit of 1 (API reference,
 * "InstanceMetadataOptionsRequest": "Default: 1"), which keeps a container on the instance from
 * getting a token. An instance of an AMI whose ImdsSupport is v2.0 gets 2 (API reference, "Image"),
 * which a level gives with `imdsHopLimit: 2`.
 */
export const DEFAULT_METADATA_OPTIONS: Readonly<MetadataOptions> = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: 'disabled',
};

/** HttpPutResponseHopLimit takes 1-64. */
export const MAX_HOP_LIMIT = 64;

/**
 * Whether the response to an IMDSv2 token request (the PUT) reaches a client `hops` network hops
 * beyond the instance itself: 0 for a process on the instance, 1 for a container behind a bridge
 * network, and so on. EC2 sends that response with its IP time-to-live set to the hop limit, so a
 * client as many hops away as the limit, or more, gets no answer and its request times out (with
 * the endpoint disabled, that answer is a 403).
 */
export function tokenResponseReaches(options: MetadataOptions, hops: number): boolean {
  return hops < options.httpPutResponseHopLimit;
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
