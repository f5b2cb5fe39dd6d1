// How EC2 spells the things the metadata service reports: DNS names derived from addresses,
// the CPU architecture of a type, and the date style of maintenance events.

/** EC2's example account id from its documentation; fleetops worlds belong to no real account. */
export const ACCOUNT_ID = '123456789012';

const dashed = (ip: string) => ip.replaceAll('.', '-');

/** IP-based private DNS name: us-east-1 keeps its historical `ec2.internal` domain. */
export function localHostname(region: string, privateIp: string): string {
  return region === 'us-east-1'
    ? `ip-${dashed(privateIp)}.ec2.internal`
    : `ip-${dashed(privateIp)}.${region}.compute.internal`;
}

/** Public DNS name of an address: us-east-1 keeps its historical `compute-1` domain. */
export function publicHostname(region: string, publicIp: string): string {
  return region === 'us-east-1'
    ? `ec2-${dashed(publicIp)}.compute-1.amazonaws.com`
    : `ec2-${dashed(publicIp)}.${region}.compute.amazonaws.com`;
}

/** Graviton families carry a `g` after their generation digit (m7g, c7gd, r6gn); the rest are x86. */
export function architectureOf(type: string): 'arm64' | 'x86_64' {
  return /^[a-z]+\d+g/.test(type) ? 'arm64' : 'x86_64';
}

/**
 * `events/maintenance/*` dates, as AWS documents them: `21 Jan 2019 09:00:43 GMT`, an RFC 1123
 * date without the weekday and without padding the day of the month (unlike the ISO 8601 used by
 * the Spot paths).
 */
export function maintenanceDate(epochMs: number): string {
  return new Date(epochMs).toUTCString().slice(5).replace(/^0/, '');
}

/** A one-line JSON object spaced as AWS documents its Spot notices: `{"action": "stop", "time": "..."}`. */
export function inlineJson(fields: Record<string, string>): string {
  return `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}
