import test from 'ava';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT } from '../helpers/fleetops.js';

const ENDPOINT_LINE = /^(i-[0-9a-f]{17}) (\S+)\s+(http:\/\/127\.\d+\.\d+\.\d+:\d+)$/gm;

function fleetops(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['bin/fleetops.js', ...args], { cwd: ROOT });
}

function finished(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the printed endpoints once `count` of them are out. */
function endpoints(
  child: ChildProcessWithoutNullStreams,
  count: number,
): Promise<{ id: string; name: string; url: string }[]> {
  let out = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      const found = [...out.matchAll(ENDPOINT_LINE)].map(([, id, name, url]) => ({ id: id!, name: name!, url: url! }));
      if (found.length === count) resolve(found);
    });
  });
}

test('fleetops imds serves every running instance of a level, prints the endpoints and stops on Ctrl-C', async (t) => {
  const child = fleetops(['imds', '01-first-shift', '--speed', '5', '--imds-port', '0', '--player', 'ann']);
  t.teardown(() => child.kill('SIGKILL'));
  const done = finished(child);
  const listed = await endpoints(child, 5);
  t.deepEqual(
    listed.map((e) => e.name),
    ['web-1', 'web-2', 'web-3', 'db-1', 'batch-1'],
  );
  const web1 = listed[0]!;
  const token = await (
    await fetch(`${web1.url}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    })
  ).text();
  const res = await fetch(`${web1.url}/latest/meta-data/instance-id`, {
    headers: { 'x-aws-ec2-metadata-token': token },
  });
  t.is(await res.text(), web1.id);

  child.kill('SIGINT');
  const { code, stdout, stderr } = await done;
  t.is(code, 0, stderr);
  t.regex(stdout, /stopped at \d\d:\d\d/);
  t.regex(stdout, /^level +01-first-shift/m);
  t.regex(stdout, /^player +ann$/m);
  await t.throwsAsync(fetch(`${web1.url}/latest/meta-data/instance-id`));
});

test('fleetops imds refuses bad arguments and a taken port with one line and exit 2', async (t) => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  const taken = (squatter.address() as AddressInfo).port;

  const cases: [string[], RegExp][] = [
    [['imds'], /^fleetops: imds: expected one level file or id/],
    [['imds', '01-first-shift', '--speed', '0'], /^fleetops: imds: --speed expects a number from 0.1 to 300, got '0'/],
    [
      ['imds', '01-first-shift', '--speed', '0.0001'],
      /^fleetops: imds: --speed expects a number from 0.1 to 300, got '0.0001'/,
    ],
    [['imds', '01-first-shift', '--imds-port', '70000'], /^fleetops: imds: --imds-port expects a port from 1 to 65535/],
    [
      ['imds', '01-first-shift', '--control-port', '-5'],
      /^fleetops: imds: --control-port expects a port from 1 to 65535 \(or 0 for any free port\), got '-5'$/m,
    ],
    [
      ['imds', '01-first-shift', '--control-port', String(taken)],
      new RegExp(
        `^fleetops: imds: the control endpoint cannot listen on port ${taken}: the port is in use \\(EADDRINUSE\\); choose another --control-port\n$`,
      ),
    ],
    [
      ['imds', '01-first-shift', '--imds-port', String(taken)],
      new RegExp(
        `^fleetops: imds: IMDS cannot listen on port ${taken}: the port is in use; choose other ports with --imds-port and --imds-container-port\n$`,
      ),
    ],
    [
      ['imds', '01-first-shift', '--imds-container-port', String(taken)],
      new RegExp(
        `^fleetops: imds: IMDS cannot listen on port ${taken} \\(for containers\\): the port is in use; choose`,
      ),
    ],
    [
      ['imds', '01-first-shift', '--imds-port', '18041', '--imds-container-port', '18041'],
      /^fleetops: imds: --imds-port and --imds-container-port are both 18041: each needs a port of its own$/m,
    ],
    [
      ['imds', '01-first-shift', '--imds-container-port', '18042', '--control-port', '18042'],
      /^fleetops: imds: --imds-container-port and --control-port are both 18042: each needs a port of its own$/m,
    ],
    [
      ['imds', '01-first-shift', '--imds-container-port', '65536'],
      /^fleetops: imds: --imds-container-port expects a port from 1 to 65535/,
    ],
  ];
  const runs = await Promise.all(cases.map(([args]) => finished(fleetops(args))));
  runs.forEach(({ code, stderr }, i) => {
    t.is(code, 2, cases[i]![0].join(' '));
    t.regex(stderr, cases[i]![1]);
    t.is(stderr.trim().split('\n').length, 1, stderr);
  });
});
