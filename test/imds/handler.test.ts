import test from 'ava';
import { handleRequest, pathNames } from '../../src/imds/handler.js';
import { TokenStore } from '../../src/imds/tokens.js';
import { parseCommand } from '../../src/sim/index.js';
import { named, testSession } from '../helpers/world.js';

const TTL = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN = 'x-aws-ec2-metadata-token';

function setup() {
  const session = testSession({
    fleet: [
      { name: 'web-1', type: 'm6i.large', zone: 'use1-az1' },
      { name: 'legacy', type: 'm6i.large', zone: 'use1-az2', imds: 'optional', publicIp: false },
      { name: 'spot-1', type: 'm6i.large', zone: 'use1-az1', spot: true, volume: { type: 'gp3', size: 100 } },
    ],
  });
  const tokens = new TokenStore();
  const instance = (name: string) => Object.values(session.world.instances).find((i) => i.name === name)!;
  const request = (name: string, url: string, headers: Record<string, string> = {}, method = 'GET') =>
    handleRequest(session, instance(name).id, { method, url, headers }, tokens);
  const token = (name: string, ttl = '60') => request(name, '/latest/api/token', { [TTL]: ttl }, 'PUT').body;
  /** A GET with a fresh token: the body, or the status when it is not 200. */
  const read = (name: string, path: string) => {
    const res = request(name, path, { [TOKEN]: token(name) });
    return res.status === 200 ? res.body : res.status;
  };
  return { session, instance, request, token, read };
}

test('IMDSv2: PUT gives a token that opens the metadata; without one an instance requiring tokens answers 401', (t) => {
  const { instance, request } = setup();
  const put = request('web-1', '/latest/api/token', { [TTL]: '60' }, 'PUT');
  t.is(put.status, 200);
  t.is(put.headers[TTL], '60');
  t.true(put.body.length >= 40);
  const res = request('web-1', '/latest/meta-data/instance-id', { [TOKEN]: put.body });
  t.is(res.status, 200);
  t.is(res.body, instance('web-1').id);
  t.is(res.headers['content-type'], 'text/plain');
  t.is(request('web-1', '/latest/meta-data/instance-id').status, 401);
  t.is(request('web-1', '/latest/meta-data/instance-id', { [TOKEN]: 'forged' }).status, 401);
  // Tokens do not travel between instances.
  t.is(request('spot-1', '/latest/meta-data/instance-id', { [TOKEN]: put.body }).status, 401);
});

test('IMDSv1 answers where the level allows it, yet a bad token is still refused', (t) => {
  const { instance, request } = setup();
  const res = request('legacy', '/latest/meta-data/instance-id');
  t.is(res.status, 200);
  t.is(res.body, instance('legacy').id);
  t.is(request('legacy', '/latest/meta-data/instance-id', { [TOKEN]: 'stale' }).status, 401);
});

test('tokens expire in simulated seconds, and responses say how long is left', (t) => {
  const { session, request, token } = setup();
  const five = token('web-1', '5');
  session.run(5);
  // Asked for at any moment of second 0, it holds to the end of second 5: never less than its TTL.
  const res = request('web-1', '/latest/meta-data/instance-id', { [TOKEN]: five });
  t.is(res.status, 200);
  t.is(res.headers[TTL], '1');
  session.run(1);
  t.is(request('web-1', '/latest/meta-data/instance-id', { [TOKEN]: five }).status, 401);
});

test('token requests: a TTL of 1 to 21600 seconds, PUT only, never through a proxy', (t) => {
  const { request } = setup();
  const put = (headers: Record<string, string>) => request('web-1', '/latest/api/token', headers, 'PUT').status;
  t.is(put({}), 400);
  for (const bad of ['0', '21601', '-5', 'abc', '1.5', '', '60, 60']) t.is(put({ [TTL]: bad }), 400, `TTL '${bad}'`);
  t.is(put({ [TTL]: '1' }), 200);
  t.is(put({ [TTL]: '21600' }), 200);
  t.is(put({ [TTL]: '60', 'x-forwarded-for': '203.0.113.9' }), 403);
  const get = request('web-1', '/latest/api/token', { [TTL]: '60' });
  t.is(get.status, 405);
  t.is(get.headers.allow, 'PUT');
  const post = request('legacy', '/latest/meta-data/', {}, 'POST');
  t.is(post.status, 405);
  t.is(post.headers.allow, 'GET, HEAD');
});

test('paths that climb out of the tree are refused; unknown paths are 404 as in AWS', (t) => {
  for (const bad of [
    '/latest/meta-data/../../etc/passwd',
    '/latest/meta-data/%2e%2e/x',
    '/latest/%2Fmeta-data',
    '/latest/%zz',
    'latest/meta-data',
    '/latest/./meta-data',
  ]) {
    t.is(pathNames(bad), null, bad);
  }
  t.deepEqual(pathNames('//latest//meta-data/?x=1'), ['latest', 'meta-data']);
  t.deepEqual(pathNames('http://169.254.169.254/latest/api/token'), ['latest', 'api', 'token']);

  const { request } = setup();
  t.is(request('legacy', '/latest/meta-data/../instance-id').status, 400);
  const missing = request('legacy', '/latest/meta-data/no-such-thing');
  t.is(missing.status, 404);
  t.regex(missing.body, /<h1>404 - Not Found<\/h1>/);
  t.is(request('legacy', '/1999-01-01/meta-data/').status, 404);
  t.is(request('legacy', '/latest/meta-data/instance-id/deeper').status, 404);
});

test('listings as AWS prints them: bare names at the top levels, folders marked below', (t) => {
  const { read } = setup();
  const versions = String(read('web-1', '/')).split('\n');
  t.is(versions[0], '1.0');
  t.is(versions.at(-1), 'latest');
  for (const v of ['2009-04-04', '2016-09-02', '2018-09-24', '2021-03-23']) t.true(versions.includes(v), v);
  t.is(read('web-1', '/latest/'), 'dynamic\nmeta-data');
  // A dated version answers as latest does: cloud-init asks for these.
  t.is(read('web-1', '/2021-03-23/meta-data/instance-id'), read('web-1', '/latest/meta-data/instance-id'));
  t.is(read('web-1', '/2009-04-04/dynamic/instance-identity/'), 'document\npkcs7\nrsa2048\nsignature');
  t.is(read('web-1', '/latest/dynamic/'), 'fws/\ninstance-identity/');
  t.is(read('web-1', '/latest/dynamic/fws/instance-monitoring'), 'disabled');
  const top = String(read('web-1', '/latest/meta-data/')).split('\n');
  for (const entry of [
    'ami-id',
    'block-device-mapping/',
    'events/',
    'hostname',
    'instance-id',
    'instance-type',
    'local-ipv4',
    'mac',
    'network/',
    'placement/',
    'public-ipv4',
  ])
    t.true(top.includes(entry), entry);
  t.false(top.includes('spot/'), 'no Spot folder before a notice');
  // The same folder answers with or without its trailing slash.
  t.is(read('web-1', '/latest/meta-data/placement'), 'availability-zone\navailability-zone-id\nregion');
  const legacy = String(read('legacy', '/latest/meta-data')).split('\n');
  t.false(legacy.includes('public-ipv4'));
  t.false(legacy.includes('public-hostname'));
  t.is(read('legacy', '/latest/meta-data/public-ipv4'), 404);
});

test('values come from the live world', (t) => {
  const { session, instance, read } = setup();
  const web = instance('web-1');
  const eni = session.world.enis[web.eniId]!;
  t.is(read('web-1', '/latest/meta-data/instance-id'), web.id);
  t.is(read('web-1', '/latest/meta-data/instance-type'), 'm6i.large');
  t.is(read('web-1', '/latest/meta-data/ami-id'), web.amiId);
  // As EC2 writes an image id: ami- and 17 hex digits.
  t.regex(web.amiId, /^ami-[0-9a-f]{17}$/);
  t.is(read('web-1', '/latest/meta-data/instance-life-cycle'), 'on-demand');
  t.is(read('spot-1', '/latest/meta-data/instance-life-cycle'), 'spot');
  t.is(read('web-1', '/latest/meta-data/local-ipv4'), eni.privateIp);
  t.is(read('web-1', '/latest/meta-data/public-ipv4'), eni.publicIp!);
  t.is(read('web-1', '/latest/meta-data/hostname'), `ip-${eni.privateIp.replaceAll('.', '-')}.ec2.internal`);
  t.is(read('web-1', '/latest/meta-data/mac'), eni.mac);
  t.is(read('web-1', '/latest/meta-data/placement/availability-zone'), 'us-east-1a');
  t.is(read('web-1', '/latest/meta-data/placement/availability-zone-id'), 'use1-az1');
  t.is(read('web-1', '/latest/meta-data/placement/region'), 'us-east-1');
  t.is(read('web-1', '/latest/meta-data/security-groups'), 'default');
  t.is(read('web-1', '/latest/meta-data/network/interfaces/macs/'), `${eni.mac}/`);
  t.is(read('web-1', `/latest/meta-data/network/interfaces/macs/${eni.mac}/local-ipv4s`), eni.privateIp);
  t.is(read('web-1', `/latest/meta-data/network/interfaces/macs/${eni.mac}/interface-id`), eni.id);
  t.is(read('spot-1', '/latest/meta-data/block-device-mapping/'), 'ami\nebs1\nroot');
  t.is(read('spot-1', '/latest/meta-data/block-device-mapping/root'), '/dev/xvda');
  t.is(read('spot-1', '/latest/meta-data/block-device-mapping/ebs1'), 'sdf');

  const doc = JSON.parse(String(read('web-1', '/latest/dynamic/instance-identity/document')));
  t.like(doc, {
    instanceId: web.id,
    instanceType: 'm6i.large',
    availabilityZone: 'us-east-1a',
    region: 'us-east-1',
    architecture: 'x86_64',
    privateIp: eni.privateIp,
    imageId: web.amiId,
    pendingTime: '2026-03-02T09:00:00Z',
  });

  // A stop/start gives a new public address; IMDS follows at once. The identity document is made
  // again at the start, its pendingTime the start's (EC2's LaunchTime, "last launched").
  session.enqueue('stop web-1', 'player');
  session.run(31);
  session.enqueue('start web-1', 'player');
  session.run(21);
  t.is(read('web-1', '/latest/meta-data/public-ipv4'), session.world.enis[web.eniId]!.publicIp!);
  const restarted = JSON.parse(String(read('web-1', '/latest/dynamic/instance-identity/document')));
  t.is(restarted.pendingTime, '2026-03-02T09:00:31Z');
});

test('block-device-mapping lists the EBS volumes present at launch or at the last start, not those attached since, and those detached since', (t) => {
  const { session, read } = setup();
  const mapping = (name: string) =>
    Object.fromEntries(
      String(read(name, '/latest/meta-data/block-device-mapping/'))
        .split('\n')
        .map((entry) => [entry, read(name, `/latest/meta-data/block-device-mapping/${entry}`)]),
    );
  session.enqueue('create-volume --az use1-az1 --size 50 --type gp3 --name logsvol', 'player');
  session.enqueue('create-volume --az use1-az1 --size 50 --type gp3 --name coldvol', 'player');
  session.run(10);
  const volume = (name: string) => Object.values(session.world.volumes).find((v) => v.name === name)!.id;
  session.enqueue(`attach-volume ${volume('logsvol')} web-1 --device /dev/sdg`, 'player');
  session.enqueue(`attach-volume ${volume('coldvol')} spot-1 --device /dev/sdh`, 'player');
  session.run(2);
  // Attached while running: the guest sees the disk, the metadata does not list it yet.
  t.deepEqual(mapping('web-1'), { ami: '/dev/xvda', root: '/dev/xvda' });
  t.deepEqual(mapping('spot-1'), { ami: '/dev/xvda', ebs1: 'sdf', root: '/dev/xvda' });

  session.enqueue('stop web-1', 'player');
  session.run(31);
  session.enqueue('start web-1', 'player');
  session.run(21);
  t.deepEqual(mapping('web-1'), { ami: '/dev/xvda', ebs1: 'sdg', root: '/dev/xvda' });
  // A reboot is no start: the metadata stays as it was.
  session.enqueue('reboot spot-1', 'player');
  session.run(60);
  t.deepEqual(mapping('spot-1'), { ami: '/dev/xvda', ebs1: 'sdf', root: '/dev/xvda' });
  // A volume present at the start and detached while it runs stays listed until the next start.
  session.enqueue(`detach-volume ${volume('logsvol')}`, 'player');
  session.run(5);
  t.deepEqual(mapping('web-1'), { ami: '/dev/xvda', ebs1: 'sdg', root: '/dev/xvda' });
  session.enqueue('stop web-1', 'player');
  session.run(31);
  session.enqueue('start web-1', 'player');
  session.run(21);
  t.deepEqual(mapping('web-1'), { ami: '/dev/xvda', root: '/dev/xvda' });
});

test("scheduled maintenance: AWS's fields and date style, moving to history once done", (t) => {
  const { session, read } = setup();
  t.is(read('web-1', '/latest/meta-data/events/maintenance/scheduled'), '[]');
  session.schedule(0, parseCommand('schedule-event web-1 system-reboot --in 10m'), 'scenario');
  session.run(1);
  const [event] = JSON.parse(String(read('web-1', '/latest/meta-data/events/maintenance/scheduled')));
  t.deepEqual(Object.keys(event), ['NotBefore', 'Code', 'Description', 'EventId', 'NotAfter', 'State']);
  t.like(event, {
    NotBefore: '2 Mar 2026 09:10:00 GMT',
    Code: 'system-reboot',
    Description: 'scheduled reboot',
    NotAfter: '2 Mar 2026 09:26:40 GMT',
    State: 'active',
  });
  t.regex(event.EventId, /^instance-event-0[0-9a-f]{16}$/);
  session.run(600);
  t.is(read('web-1', '/latest/meta-data/events/maintenance/scheduled'), '[]');
  // Over, it says so first ("[Completed] scheduled reboot", EC2 User Guide, "Scheduled events").
  t.like(JSON.parse(String(read('web-1', '/latest/meta-data/events/maintenance/history')))[0], {
    EventId: event.EventId,
    Description: '[Completed] scheduled reboot',
    State: 'completed',
  });
});

test('HEAD answers as GET would (the server then sends its length and no body)', (t) => {
  const { request } = setup();
  const head = request('legacy', '/latest/meta-data/instance-id', {}, 'HEAD');
  t.is(head.status, 200);
  t.is(head.body, request('legacy', '/latest/meta-data/instance-id').body);
});

test('no request, good or bad, changes the world', (t) => {
  const { session, request, token } = setup();
  const before = session.hash();
  for (const name of ['web-1', 'legacy', 'spot-1']) {
    const good = token(name);
    for (const path of [
      '/',
      '/latest/meta-data/',
      '/latest/meta-data/spot/instance-action',
      '/latest/dynamic/instance-identity/document',
      '/latest/meta-data/events/maintenance/scheduled',
      '/latest/meta-data/../x',
    ]) {
      request(name, path, { [TOKEN]: good });
      request(name, path);
      request(name, path, {}, 'DELETE');
    }
    request(name, '/latest/api/token', { [TTL]: '0' }, 'PUT');
  }
  t.is(session.hash(), before);
});

test("each scheduled event code carries EC2's fields: reboots and maintenance have an end, stops and retirements do not", (t) => {
  const { session, read } = setup();
  const codes = ['system-reboot', 'instance-reboot', 'system-maintenance', 'instance-stop', 'instance-retirement'];
  for (const code of codes) session.schedule(0, parseCommand(`schedule-event web-1 ${code} --in 1h`), 'scenario');
  session.run(1);
  const events = JSON.parse(String(read('web-1', '/latest/meta-data/events/maintenance/scheduled'))) as Record<
    string,
    string
  >[];
  const fields = Object.fromEntries(events.map((e) => [e.Code, Object.keys(e)]));
  const windowed = ['NotBefore', 'Code', 'Description', 'EventId', 'NotAfter', 'State'];
  const open = ['NotBefore', 'Code', 'Description', 'EventId', 'State'];
  t.deepEqual(fields, {
    'system-reboot': windowed,
    'instance-reboot': windowed,
    'system-maintenance': windowed,
    'instance-stop': open,
    'instance-retirement': open,
  });
});

test('the categories cloud-init and agents read: network, reservation, profile, identity signatures', (t) => {
  const { session, instance, read } = setup();
  const web = instance('web-1');
  const eni = session.world.enis[web.eniId]!;
  const mac = `/latest/meta-data/network/interfaces/macs/${eni.mac}`;
  const entries = String(read('web-1', `${mac}/`)).split('\n');
  for (const name of [
    'network-card-index',
    'subnet-id',
    'subnet-ipv4-cidr-block',
    'vpc-id',
    'vpc-ipv4-cidr-block',
    'vpc-ipv4-cidr-blocks',
  ])
    t.true(entries.includes(name), name);
  t.is(read('web-1', `${mac}/network-card-index`), '0');
  t.regex(String(read('web-1', `${mac}/subnet-id`)), /^subnet-[0-9a-f]{17}$/);
  t.regex(String(read('web-1', `${mac}/vpc-id`)), /^vpc-[0-9a-f]{17}$/);
  t.is(read('web-1', `${mac}/vpc-ipv4-cidr-block`), '10.0.0.0/16');
  t.is(read('web-1', `${mac}/subnet-ipv4-cidr-block`), '10.0.0.0/20');
  t.is(
    read(
      'legacy',
      `/latest/meta-data/network/interfaces/macs/${session.world.enis[instance('legacy').eniId]!.mac}/subnet-ipv4-cidr-block`,
    ),
    '10.0.16.0/20',
  );
  t.regex(String(read('web-1', '/latest/meta-data/reservation-id')), /^r-[0-9a-f]{17}$/);
  t.is(read('web-1', '/latest/meta-data/ami-manifest-path'), '(unknown)');
  t.is(read('web-1', '/latest/meta-data/profile'), 'default-hvm');
  for (const kind of ['signature', 'pkcs7', 'rsa2048']) {
    const text = Buffer.from(String(read('web-1', `/latest/dynamic/instance-identity/${kind}`)), 'base64').toString();
    t.regex(text, /NOT SIGNED BY AWS/, kind);
  }
});

test('reservation-id and ami-launch-index: the instances one launch makes share its reservation, numbered from 0', (t) => {
  const session = testSession({
    fleet: [
      { name: 'web', type: 'm6i.large', zone: 'use1-az1', count: 3 },
      { name: 'db', type: 'm6i.large', zone: 'use1-az2' },
    ],
  });
  const tokens = new TokenStore();
  const read = (name: string, path: string) => {
    const id = named(session.world, name).id;
    const token = handleRequest(
      session,
      id,
      { method: 'PUT', url: '/latest/api/token', headers: { [TTL]: '60' } },
      tokens,
    );
    return handleRequest(
      session,
      id,
      { method: 'GET', url: `/latest/meta-data/${path}`, headers: { [TOKEN]: token.body } },
      tokens,
    ).body;
  };
  session.enqueue('launch m6i.large --az use1-az4 --count 2 --name api', 'player');
  session.advance();
  const launches = [['web-1', 'web-2', 'web-3'], ['db'], ['api-1', 'api-2']];
  const reservations = launches.map((names) => {
    names.forEach((name, i) => t.is(read(name, 'ami-launch-index'), String(i), name));
    const [first, ...rest] = names.map((name) => read(name, 'reservation-id'));
    t.regex(first!, /^r-[0-9a-f]{17}$/);
    for (const other of rest) t.is(other, first);
    return first;
  });
  t.is(new Set(reservations).size, launches.length);
  // The launch keeps its reservation when its first instance is gone.
  session.enqueue('terminate web-1', 'player');
  session.advance();
  t.is(read('web-2', 'reservation-id'), reservations[0]);
});

test('metadata options: a turned-off endpoint answers 403; instance tags only when allowed', (t) => {
  const { instance, request, read } = setup();
  const web = instance('web-1') as ReturnType<typeof instance> & { metadataOptions?: object };
  t.is(read('web-1', '/latest/meta-data/tags/instance/Name'), 404);
  web.metadataOptions = {
    httpEndpoint: 'enabled',
    httpTokens: 'required',
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: 'enabled',
  };
  t.is(read('web-1', '/latest/meta-data/tags/instance/'), 'Name');
  t.is(read('web-1', '/latest/meta-data/tags/instance/Name'), 'web-1');
  web.metadataOptions = {
    httpEndpoint: 'disabled',
    httpTokens: 'required',
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: 'enabled',
  };
  t.is(request('web-1', '/latest/api/token', { [TTL]: '60' }, 'PUT').status, 403);
  t.is(request('web-1', '/latest/meta-data/instance-id').status, 403);
});

test("a token comes from /latest/api/token only: PUT on a dated version's token path is 403, as EC2 intends", (t) => {
  const { request, token } = setup();
  for (const version of ['2021-03-23', '1.0'])
    t.is(request('web-1', `/${version}/api/token`, { [TTL]: '60' }, 'PUT').status, 403, version);
  // A token from latest opens the dated versions' metadata.
  t.is(request('web-1', '/2021-03-23/meta-data/instance-id', { [TOKEN]: token('web-1') }).status, 200);
});
