import test from 'ava';
import {
  architectureOf,
  inlineJson,
  localHostname,
  maintenanceDate,
  publicHostname,
} from '../../src/imds/aws-formats.js';

test("maintenance dates read like AWS's example: no weekday, day of month unpadded", (t) => {
  t.is(maintenanceDate(Date.UTC(2019, 0, 21, 9, 0, 43)), '21 Jan 2019 09:00:43 GMT');
  t.is(maintenanceDate(Date.UTC(2026, 2, 2, 9, 5, 0)), '2 Mar 2026 09:05:00 GMT');
});

test('DNS names follow the region: us-east-1 keeps its historical domains', (t) => {
  t.is(localHostname('us-east-1', '10.0.16.4'), 'ip-10-0-16-4.ec2.internal');
  t.is(localHostname('eu-west-1', '10.0.16.4'), 'ip-10-0-16-4.eu-west-1.compute.internal');
  t.is(publicHostname('us-east-1', '54.1.2.3'), 'ec2-54-1-2-3.compute-1.amazonaws.com');
  t.is(publicHostname('eu-west-1', '54.1.2.3'), 'ec2-54-1-2-3.eu-west-1.compute.amazonaws.com');
});

test('Graviton families are arm64, the rest x86_64', (t) => {
  t.is(architectureOf('m7g.large'), 'arm64');
  t.is(architectureOf('c7gd.xlarge'), 'arm64');
  t.is(architectureOf('m6i.large'), 'x86_64');
  t.is(architectureOf('g5.xlarge'), 'x86_64');
});

test('Spot notices are spaced as AWS documents them', (t) => {
  t.is(
    inlineJson({ action: 'terminate', time: '2017-09-18T08:22:00Z' }),
    '{"action": "terminate", "time": "2017-09-18T08:22:00Z"}',
  );
});
