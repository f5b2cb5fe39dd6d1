// The resource views (:sg, :nacl…) and :trace, driven through their keys at 80x24.
import test from 'ava';
import { complete, PLAYER_VERBS, worldCandidates } from '../../src/tui/completion.js';
import { drive, FLEET } from './helpers.js';

const SHOP = {
  ...FLEET,
  securityGroups: [
    { name: 'default', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] },
    { name: 'admin', ingress: [{ protocol: 'tcp', port: 22, cidr: '10.0.0.0/16' }] },
  ],
};

test(':sg lists the groups; / filters; Enter opens the rules; Esc goes back a step at a time', async (t) => {
  const d = drive(t, { cols: 80, rows: 24, patch: SHOP });
  await d.press(' ');
  await d.press(':sg\r');
  t.regex(d.text(), /security groups 2 · \/ filter/);
  await d.press('/admin\r');
  t.regex(d.text(), /security groups 1\/2 \/admin/);
  t.notRegex(d.text(), /tcp 443 from 0\.0\.0\.0\/0/);
  await d.press('\r');
  t.regex(d.text(), /allow tcp 22 from 10\.0\.0\.0\/16/);
  await d.press('\x1b');
  t.regex(d.text(), /security groups 1\/2 \/admin/, 'Esc from the detail returns to the filtered list');
  await d.press('\x1b');
  t.regex(d.text(), /security groups 2 · /, 'Esc clears the filter');
  await d.press('\x1b');
  t.notRegex(d.text(), /security groups/, 'Esc closes the view');
});

test(':nacl, :rt and :subnet show the default VPC; :eni opens an interface, and Enter there its trace', async (t) => {
  const d = drive(t, { cols: 80, rows: 24, patch: SHOP });
  await d.press(' ');
  await d.press(':nacl\r');
  t.regex(d.text(), /network ACLs 1 /);
  await d.press('\r');
  t.regex(d.text(), /100 allow all 0\.0\.0\.0\/0/);
  t.regex(d.text(), /\* deny all/);
  await d.press('\x1b');
  await d.press('\x1b');
  await d.press(':rt\r');
  t.regex(d.text(), /main \(main\)\s+vpc-\S+\s+0\.0\.0\.0\/0->igw /);
  await d.press('\x1b');
  await d.press(':subnet\r');
  t.regex(d.text(), /10\.0\.16\.0\/20\s+public/);
  await d.press('\x1b');
  await d.press(':eni\r');
  t.regex(d.text(), /ID +INSTANCE +DEV +PRIVATE IPS +MAC/);
  // The instance in its column, the device in DEV.
  t.regex(d.text(), /eni-\S+ +web-2 +eth0 +10\./);
  await d.press('/web-2\r');
  await d.press('\r');
  t.regex(d.text(), /Device +index 0 \(eth0\)/);
  t.regex(d.text(), /MAC +0e(:[0-9a-f]{2}){5}/);
  t.regex(d.text(), /Enter trace the network path to web-2/);
  await d.press('\r');
  t.regex(d.text(), /trace to web-2/);
  t.regex(d.text(), /1 ok {3}internet \(BGP\)/);
});

test(':trace names the hop that drops the packet and the rule', async (t) => {
  const d = drive(t, { cols: 80, rows: 24, patch: SHOP });
  await d.press(' ');
  await d.press(':trace web-1 --port 22\r');
  t.regex(d.text(), /─ trace to web-1 [(─]/);
  t.regex(d.text(), /DROP security group/);
  await d.press(':trace web-1 --port 99999\r');
  t.regex(d.text(), /✗ trace --port expects a port from 1 to 65535/);
});

test(':trace completes its instance and its flags at the prompt', (t) => {
  const d = drive(t, { cols: 80, rows: 24, patch: SHOP });
  const candidates = worldCandidates(d.session.world, () => []);
  t.deepEqual(complete('trace web', 9, candidates, PLAYER_VERBS).candidates, ['web-1', 'web-2']);
  t.is(complete('trace web-1 --pro', 17, candidates, PLAYER_VERBS).line, 'trace web-1 --protocol ');
  t.deepEqual(complete('trace web-1 --protocol ', 23, candidates, PLAYER_VERBS).candidates, ['icmp', 'tcp', 'udp']);
});

test(':nat lists the NAT gateways with the tables that use them; :trace --to internet walks the way out through one', async (t) => {
  const d = drive(t, {
    cols: 80,
    rows: 24,
    patch: {
      vpc: {
        subnets: [
          { name: 'private-a', zone: 'use1-az1', cidr: '10.0.8.0/22', routeTable: 'private', publicIp: false },
          { name: 'public-a', zone: 'use1-az1', cidr: '10.0.0.0/24', routeTable: 'public' },
        ],
        natGateways: [{ name: 'nat-a', subnet: 'public-a' }],
        routeTables: [
          { name: 'public', routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
          { name: 'private', routes: [{ destination: '0.0.0.0/0', target: 'nat-a' }] },
        ],
      },
      fleet: [{ name: 'worker-1', type: 'm6i.large', zone: 'use1-az1' }],
    },
  });
  await d.press(' ');
  await d.press(':nat\r');
  t.regex(d.text(), /NAT gateways 1 · \/ filter/);
  t.regex(d.text(), /nat-a\s+available\s+us-east-1a/);
  await d.press('\r');
  t.regex(d.text(), /Route tables sending traffic to it/);
  t.regex(d.text(), /^\W+private\W+$/m);
  await d.press('\x1b');
  await d.press('\x1b');
  await d.press(':rt\r');
  t.regex(d.text(), /0\.0\.0\.0\/0->nat-a /);
  await d.press('\x1b');
  await d.press(':trace worker-1 --to internet\r');
  t.regex(d.text(), /─ trace from worker-1 to the internet [(─]/, 'titled by the way it goes');
  t.regex(d.text(), /tcp\/443 from worker-1 .* to the internet/);
  t.regex(d.text(), /6 ok {3}NAT gateway/);
});
