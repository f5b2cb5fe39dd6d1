// One IMDS request in, one response out: token issue and checks, path rules and the metadata
// tree. It reads the session and never changes the world; the token store is its only state.
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Session } from '../game/session.js';
import { instanceMetadata, listing, lookup } from './metadata.js';
import { MAX_TTL_SECONDS, type TokenStore } from './tokens.js';

export interface ImdsRequest {
  method: string;
  /** The request target as sent, e.g. `/latest/meta-data/instance-id`. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface ImdsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
export const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';

const COMMON_HEADERS = { server: 'EC2ws' };

/** The small XHTML page IMDS answers errors with, e.g. `<h1>404 - Not Found</h1>`. */
function errorPage(status: number): string {
  const title = `${status} - ${STATUS_CODES[status] ?? 'Error'}`;
  return [
    '<?xml version="1.0" encoding="iso-8859-1"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"',
    '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    ` <head>\n  <title>${title}</title>\n </head>`,
    ` <body>\n  <h1>${title}</h1>\n </body>`,
    '</html>',
    '',
  ].join('\n');
}

export function failure(status: number, headers: Record<string, string> = {}): ImdsResponse {
  return { status, headers: { ...COMMON_HEADERS, 'content-type': 'text/html', ...headers }, body: errorPage(status) };
}

function success(body: string, headers: Record<string, string> = {}): ImdsResponse {
  return { status: 200, headers: { ...COMMON_HEADERS, 'content-type': 'text/plain', ...headers }, body };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The names along a request's path, or null for a path IMDS must refuse: not absolute, badly
 * percent-encoded, or stepping outside the tree with `.`, `..` or an encoded slash. Empty
 * segments are dropped, as IMDS does (AWS's own client sends `//latest/...`).
 */
export function pathNames(url: string): string[] | null {
  let path = url.split(/[?#]/, 1)[0]!;
  if (/^https?:\/\//i.test(path)) path = path.replace(/^https?:\/\/[^/]*/i, '') || '/';
  if (!path.startsWith('/')) return null;
  const names: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (name === '.' || name === '..' || /[/\\\0]/.test(name)) return null;
    names.push(name);
  }
  return names;
}

/**
 * The API versions IMDS lists at `/`, oldest first, as EC2 answers `GET http://169.254.169.254/`.
 * Every one answers as `latest` does here; clients such as cloud-init ask for a dated one
 * (2021-03-23, 2018-09-24, then 2009-04-04) before reading the tree.
 */
export const API_VERSIONS = [
  '1.0',
  '2007-01-19',
  '2007-03-01',
  '2007-08-29',
  '2007-10-10',
  '2007-12-15',
  '2008-02-01',
  '2008-09-01',
  '2009-04-04',
  '2011-01-01',
  '2011-05-01',
  '2012-01-12',
  '2014-02-25',
  '2014-11-05',
  '2015-10-20',
  '2016-04-19',
  '2016-06-30',
  '2016-09-02',
  '2018-03-28',
  '2018-08-17',
  '2018-09-24',
  '2019-10-01',
  '2020-10-27',
  '2021-01-03',
  '2021-03-23',
  '2021-07-15',
  '2022-09-24',
  'latest',
] as const;
const VERSIONS: ReadonlySet<string> = new Set(API_VERSIONS);

/** `/<version>/api/token` under any version the service lists (see issueToken). */
const isTokenPath = (names: string[]) =>
  names.length === 3 && VERSIONS.has(names[0]!) && names[1] === 'api' && names[2] === 'token';

/**
 * `PUT /latest/api/token`. A PUT to a dated version's token path gets 403: "Issuing PUT requests to
 * any version-specific path, for example /2021-03-23/api/token, results in the metadata service
 * returning 403 Forbidden errors. This behavior is intended." (EC2 User Guide, "Retrieve instance
 * metadata").
 */
function issueToken(
  session: Session,
  instanceId: string,
  version: string,
  req: ImdsRequest,
  tokens: TokenStore,
): ImdsResponse {
  if (req.method !== 'PUT') return failure(405, { allow: 'PUT' });
  if (version !== 'latest') return failure(403);
  // A request that passed through a proxy gets no token: IMDSv2's defence against open proxies.
  if (header(req.headers, 'x-forwarded-for') !== undefined) return failure(403);
  const text = header(req.headers, TTL_HEADER);
  const ttl = text !== undefined && /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (ttl < 1 || ttl > MAX_TTL_SECONDS) return failure(400);
  return success(tokens.issue(instanceId, ttl, session.tick), { [TTL_HEADER]: String(ttl) });
}

/**
 * Answers one request to an instance's IMDS. The instance's metadata options (EC2's names) decide:
 * with `httpEndpoint: disabled` every request gets 403, which the AWS SDKs read as a turned-off
 * endpoint ("Request forbidden: IMDS is disabled or the caller has insufficient permissions");
 * with `httpTokens: required` a request without a token gets 401.
 */
export function handleRequest(
  session: Session,
  instanceId: string,
  req: ImdsRequest,
  tokens: TokenStore,
): ImdsResponse {
  const instance = session.world.instances[instanceId];
  const names = pathNames(req.url);
  if (!instance) return failure(404);
  const options = instance.metadataOptions;
  if (options.httpEndpoint === 'disabled') return failure(403);
  if (!names) return failure(400);
  if (isTokenPath(names)) return issueToken(session, instanceId, names[0]!, req, tokens);
  if (req.method !== 'GET' && req.method !== 'HEAD') return failure(405, { allow: 'GET, HEAD' });

  const token = header(req.headers, TOKEN_HEADER);
  let tokenHeaders: Record<string, string> = {};
  if (token !== undefined) {
    // A bad token is refused even where IMDSv1 is allowed, as AWS does.
    const left = tokens.remaining(instanceId, token, session.tick);
    if (left === null) return failure(401);
    tokenHeaders = { [TTL_HEADER]: String(left) };
  } else if (options.httpTokens === 'required') {
    return failure(401);
  }

  if (names.length === 0) return success(API_VERSIONS.join('\n'), tokenHeaders);
  if (!VERSIONS.has(names[0]!)) return failure(404);
  const node = lookup(instanceMetadata(session, instance), names.slice(1));
  if (node === undefined) return failure(404);
  // A version lists its entries bare (`dynamic`, `meta-data`); deeper folders mark theirs with a slash.
  const body = typeof node === 'string' ? node : listing(node, names.length >= 2);
  // For HEAD the server sends the headers (with this body's length) and no body.
  return success(body, tokenHeaders);
}
