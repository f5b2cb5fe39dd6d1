// `fleetops trace` as a user meets it: the hops to an instance at a moment of a run, exit 0 when
// the path is open and 1 when it is dropped, and one line with exit 2 for bad input.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';
import { fleetopsHere } from '../helpers/fleetops.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/fleetops.js', ...args], { encoding: 'utf8' });

test('an open path passes every hop; the traceroute view shows stars past the exchange', (t) => {
  const { status, stdout } = cli('trace', '08-no-route', 'web-1', '--seed', '3');
  t.is(status, 0, stdout);
  t.regex(stdout, /^ 1 ok {3}internet \(BGP\) /m);
  t.regex(stdout, /^10 ok {3}route table {6}rtb-\S+ \(main\) sends the replies/m);
  t.regex(stdout, /Reached: the request gets to the guest and the replies get back \(10 hops\)/);
  t.regex(stdout, /^ {2}4 {2}\* \* \*$/m);
});

test('a path closed by a command script is dropped at the hop that closed it, with exit 1', (t) => {
  const script = join(tempDir(t, 'trace'), 'commands.txt');
  writeFileSync(script, 'at 1m revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0\n');
  const { status, stdout } = cli('trace', '08-no-route', 'web-2', '--at', '2m', '--commands', script, '--json');
  t.is(status, 1);
  const out = JSON.parse(stdout) as {
    at: string;
    reached: boolean;
    hops: { hop: string; ok: boolean; rule: string }[];
  };
  t.is(out.at, '02:00');
  t.false(out.reached);
  const { hop, ok, rule } = out.hops.at(-1)!;
  t.deepEqual(
    { hop, ok, rule },
    { hop: 'security-group', ok: false, rule: 'no inbound rule matches: security groups only allow' },
  );
});

test('--to internet follows the way out: through the NAT gateway, and dropped there while its zone is down', (t) => {
  const open = cli('trace', '12-behind-the-nat', 'worker-b-1', '--to', 'internet');
  t.is(open.status, 0, open.stdout);
  t.regex(open.stdout, /^tcp\/443 from worker-b-1 \(i-\w+, 10\.0\.12\.4\) to the internet/m);
  t.regex(open.stdout, /^ 6 ok {3}NAT gateway {6}nat-\w+ \(nat-a\) in use1-az1 takes the connection/m);
  t.regex(open.stdout, /^10 ok {3}network ACL in {3}.* lets the replies from 198\.51\.100\.20 in/m);
  const down = cli('trace', '12-behind-the-nat', 'worker-b-1', '--to', 'internet', '--at', '45m', '--json');
  t.is(down.status, 0, 'the zone is back by then');
  const out = JSON.parse(down.stdout) as { to: string; reached: boolean; hops: { hop: string }[] };
  t.deepEqual([out.to, out.reached, out.hops.at(-1)!.hop], ['internet', true, 'network-acl-in']);
  const script = join(tempDir(t, 'trace'), 'commands.txt');
  writeFileSync(script, 'at 1m delete-nat-gateway nat-a\n');
  const gone = cli('trace', '12-behind-the-nat', 'worker-b-1', '--to', 'internet', '--at', '2m', '--commands', script);
  t.is(gone.status, 1);
  t.regex(gone.stdout, /Dropped at route table: .* whose target is gone \(blackhole\)/);
});

const BAD_INPUT: (readonly [readonly string[], RegExp])[] = [
  [['08-no-route'], /^fleetops: trace: expected a level and an instance/],
  [['08-no-route', 'web-9'], /^fleetops: trace: no instance matches 'web-9'/],
  [['08-no-route', 'web-1', '--port', '70000'], /^fleetops: trace: --port expects a port from 1 to 65535, got '70000'/],
  [['08-no-route', 'web-1', '--protocol', 'sctp'], /^fleetops: trace: --protocol expects tcp, udp or icmp/],
  [['08-no-route', 'web-1', '--at', '2h'], /^fleetops: trace: --at expects a duration from 0 to 40:00/],
  [['08-no-route', 'web-1', '--from', 'nowhere'], /^fleetops: trace: no instance matches 'nowhere'/],
  [['08-no-route', 'web-1', '--from', 'web-1'], /^fleetops: trace: --from web-1: that is the instance traced to/],
  [
    ['08-no-route', 'web-1', '--to', 'nowhere'],
    /^fleetops: trace: --to expects internet \(the way out\), got 'nowhere'/,
  ],
  [
    ['08-no-route', 'web-1', '--to', 'internet', '--from', 'web-2'],
    /^fleetops: trace: takes --from \(the way in\) or --to internet/,
  ],
];

// In this process: each is refused before any play, at a fraction of a process's start.
test.serial('bad input is one line and exit 2', async (t) => {
  const runs = await fleetopsHere(...BAD_INPUT.map(([args]) => ['trace', ...args]));
  runs.forEach(({ code, stderr }, i) => {
    const [args, message] = BAD_INPUT[i]!;
    t.is(code, 2, args.join(' '));
    t.regex(stderr, message);
    t.is(stderr.trim().split('\n').length, 1, args.join(' '));
  });
});
