// Detail views at 80 columns (76 inside the overlay): each row's label stands apart from its value, and a long value wraps
// under itself rather than being cut at the edge of the view.
import test from 'ava';
import { Session } from '../../src/game/session.js';
import { rows } from '../../src/sim/index.js';
import { columns } from '../../src/text/width.js';
import { describe } from '../../src/tui/details.js';
import { EventsPanelLog, eventsSource, targetOf } from '../../src/tui/panels/events.js';
import { RESOURCE_VIEWS } from '../../src/tui/resources.js';
import type { Target } from '../../src/tui/panels/panel.js';
import { createTheme } from '../../src/tui/theme.js';
import { saturatingDatabase, testLevel } from '../helpers/world.js';
import { drive, FLEET } from './helpers.js';

/** The width an 80-column terminal gives a detail's lines: the overlay (78) less its border. */
const WIDTH = 76;

const plainText = (line: string) => line.replace(/\{\/?[\w-]+\}/g, '');

function detailText(session: Session, target: Target): string[] {
  const detail = describe(target, { world: session.world, incidents: null, theme: createTheme(true), width: WIDTH });
  return detail!.lines.map(plainText);
}

test('at 80x24 the volume detail keeps "Provisioned" apart from its IOPS', async (t) => {
  const d = drive(t, { cols: 80, rows: 24, patch: FLEET });
  await d.press('\t\r');
  t.regex(d.text(), /Provisioned +3\.0k IOPS, 125 MiB\/s/);
  t.notRegex(d.text(), /Provisioned3/);
});

test('at 80 columns every detail row fits, a long value wrapped rather than cut', (t) => {
  const session = new Session(testLevel(FLEET), 'details');
  const w = session.world;
  const targets: Target[] = [
    ...rows(w, 'instances').map((i): Target => ({ kind: 'instance', id: i.id })),
    ...rows(w, 'volumes').map((v): Target => ({ kind: 'volume', id: v.id })),
    ...rows(w, 'hosts').map((h): Target => ({ kind: 'host', id: h.id })),
    ...w.zones.map((z): Target => ({ kind: 'zone', id: z.zoneId })),
    ...RESOURCE_VIEWS.flatMap((view) =>
      view.rows(w).map((row): Target => ({ kind: 'resource', view: view.name, id: view.key(row as never) })),
    ),
  ];
  for (const target of targets)
    for (const line of detailText(session, target))
      t.true(columns(line) <= WIDTH, `${JSON.stringify(target)}: ${columns(line)} columns: ${line}`);
  const volume = rows(w, 'volumes')[0]!;
  const lines = detailText(session, { kind: 'volume', id: volume.id });
  t.true(
    lines.some((l) => l.trim().endsWith(volume.id)),
    'the command line wraps, the volume id whole',
  );
});

test("a resource detail's long value wraps under the value, not under the label", (t) => {
  const session = new Session(testLevel(FLEET), 'details');
  const eni = rows(session.world, 'enis').find((e) => e.publicIp)!;
  const lines = detailText(session, { kind: 'resource', view: 'eni', id: eni.id });
  const at = lines.findIndex((l) => l.startsWith('Private IP  '));
  t.true(columns(`${lines[at]} ${lines[at + 1]!.trim()}`) > WIDTH, 'the private IP row is wrapped');
  t.regex(lines[at + 1]!, /^ {12}\S/);
});

test("the log shows the scenario's changes by what they do, never as commands the player gave", (t) => {
  const session = new Session(
    testLevel({
      securityGroups: [{ name: 'web', ingress: [{ protocol: 'tcp', port: 443, cidr: '0.0.0.0/0' }] }],
      fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1', securityGroups: ['web'] }],
      injects: [{ at: 5, command: 'revoke-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0' }],
    }),
    'details',
  );
  const log = new EventsPanelLog();
  session.onEvents((events) => log.addEvents(events));
  session.run(6);
  session.enqueue('authorize-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0', 'player');
  session.run(1);
  const texts = log.entries().map((e) => e.text);
  t.false(
    texts.some((x) => x.includes('revoke-ingress')),
    texts.join('\n'),
  );
  t.true(texts.includes('applied: authorize-ingress web --protocol tcp --port 443 --cidr 0.0.0.0/0'));
});

/** A Spot pool of `count` instances named sa-N, its capacity taken away at 60 s. */
function reclaimedPool(count: number, interruption: 'stop' | 'terminate'): Session {
  return new Session(
    testLevel({
      fleet: [{ name: 'sa', count, type: 'm6i.large', zone: 'use1-az1', spot: true, interruption }],
      injects: [{ at: 60, command: 'set-spot-capacity m6i.large use1-az1 0' }],
    }),
    'details',
  );
}

test('an opened log line telling a Spot pool its instances lists every one of them; the incident counts them', (t) => {
  const session = reclaimedPool(8, 'stop');
  const log = new EventsPanelLog();
  session.onEvents((events) => log.addEvents(events));
  session.run(61);
  const entry = log.entries().find((e) => /interruption notice to 8 instances/.test(e.text))!;
  t.regex(entry.text, /and 5 more$/, 'the line itself names the first few');
  const lines = detailText(session, targetOf(session.world, entry));
  const names = Array.from({ length: 8 }, (_, i) => `sa-${i + 1}`);
  t.deepEqual(
    lines.filter((l) => /^ {2}i-/.test(l)).map((l) => /\((sa-\d)\)$/.exec(l)![1]),
    names,
  );
  t.true(lines.includes('8 instances:'));
  const [incident] = session.incidents;
  const detail = describe(
    { kind: 'incident', id: incident!.id },
    { world: session.world, incidents: session.incidents, theme: createTheme(true), width: WIDTH },
  )!
    .lines.map(plainText)
    .join('\n');
  t.regex(detail, /Instances +8: i-\w+ \(sa-1\), [^]* and 3 more/);
});

test("an opened log line telling a workload's volume alarms lists each volume with the instance it serves", (t) => {
  const session = new Session(testLevel(saturatingDatabase(4)), 'details');
  const log = new EventsPanelLog();
  session.onEvents((events) => log.addEvents(events));
  session.run(61);
  const entry = log.entries().find((e) => /^db: 4 volumes at VolumeIOPSExceededCheck/.test(e.text))!;
  const lines = detailText(session, targetOf(session.world, entry));
  t.true(lines.includes('4 volumes:'));
  t.deepEqual(
    lines
      .filter((l) => /^ {2}vol-/.test(l))
      .map((l) => / on (db-\d)$/.exec(l)![1])
      .sort(),
    ['db-1', 'db-2', 'db-3', 'db-4'],
  );
  // The line names three: the filter finds it by the fourth too.
  const fourth = entry.listed!.ids[3]!;
  t.false(entry.text.includes(fourth));
  const source = eventsSource(log, () => session.world);
  t.true(source.matches(entry, (field) => field.includes(fourth)));
  t.false(source.matches(entry, (field) => field.includes('vol-nosuch')));
});

test('an opened incident names its instances by the Name tags they had, after they have left the listings', (t) => {
  const session = reclaimedPool(2, 'terminate');
  // Terminated two minutes after the notice; an instance leaves the listings an hour after that.
  session.run(60 + 120 + 3600 + 60);
  const [incident] = session.incidents;
  t.true(
    incident!.instances.every((id) => !session.world.instances[id]),
    'the instances have left the listings',
  );
  const detail = describe(
    { kind: 'incident', id: incident!.id },
    { world: session.world, incidents: session.incidents, theme: createTheme(true), width: WIDTH },
  )!
    .lines.map(plainText)
    .join('\n');
  t.regex(detail, /Instances +2: i-\w+ \(sa-1\), i-\w+ \(sa-2\)/);
});

test("the log's own lines (the echo of what was typed) show a control character escaped, never raw", (t) => {
  const log = new EventsPanelLog();
  log.note(1, 'info', `› note a\u202eb\u001b[2J`);
  t.deepEqual(
    log.entries().map((e) => e.text),
    ['› note a\\u202eb\\u001b[2J'],
  );
});

test('an opened EBS saturation names its volumes by their Name tags, then the instances they serve', (t) => {
  const db = (n: number) => ({
    name: `db-${n}`,
    type: 'r6i.large',
    zone: 'use1-az1',
    workload: 'db',
    securityGroups: ['db'],
    volume: { type: 'gp3', size: 100, name: `db-data-${n}` },
  });
  const session = new Session(
    testLevel({
      securityGroups: [{ name: 'db', ingress: [{ protocol: 'tcp', port: 5432, cidr: '10.0.0.0/16' }] }],
      workloads: [{ name: 'db', kind: 'database', iopsPerRequest: 8, demand: { baseRps: 800, noise: 0 } }],
      fleet: [db(1), db(2)],
    }),
    '1',
  );
  session.run(180);
  const incident = session.incidents.find((i) => i.kind === 'ebs-saturation')!;
  const detail = describe(
    { kind: 'incident', id: incident.id },
    { world: session.world, incidents: session.incidents, theme: createTheme(true), width: WIDTH },
  )!
    .lines.map(plainText)
    .join('\n');
  // A value too long for the view wraps under itself.
  t.regex(
    detail,
    /Volumes +2: vol-\w+ \(db-data-\d\), vol-\w+\n +\(db-data-\d\)\nInstances +2: i-\w+ \(db-\d\), i-\w+ \(db-\d\)/,
  );
});

test("an instance's state shows why it stopped while it is stopped, and not once it is started again", (t) => {
  const session = new Session(testLevel(FLEET), 'details');
  const inst = rows(session.world, 'instances')[0]!;
  const stateLine = () => detailText(session, { kind: 'instance', id: inst.id }).find((l) => l.startsWith('State'))!;
  session.enqueue(`stop ${inst.id}`, 'player');
  session.run(120);
  t.regex(stateLine(), /^State +stopped since .*, user$/);
  session.enqueue(`start ${inst.id}`, 'player');
  session.run(1);
  t.regex(stateLine(), /^State +pending since [^,]*$/);
});
