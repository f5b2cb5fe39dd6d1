// `load --fast` restores a snapshot as it is: one edited by hand, its world hashed again, is
// refused in one line naming the field before a tick of it runs, and the save is left as it was.
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { snapshotSchema } from '../../scripts/snapshot-schema-of.js';
import { PROJECT_ROOT } from '../../src/cli/root.js';
import { loadLevel } from '../../src/cli/files.js';
import type { Incident } from '../../src/game/incidents.js';
import { Session, type SessionSnapshot } from '../../src/game/session.js';
import { fingerprint, VOLUME_TYPES } from '../../src/sim/index.js';
import volumeTypeData from '../../src/sim/data/ebs-volume-types.json' with { type: 'json' };
import {
  DEFAULT_SETTINGS,
  readSlot,
  saveRecord,
  saveSession,
  slotPath,
  snapshotProblem,
} from '../../src/store/index.js';
import { tempFolder } from './helpers.js';

test('the snapshot schema is the one the types make now (npm run schema writes it)', (t) => {
  const written = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'src', 'store', 'snapshot-schema.json'), 'utf8'),
  ) as unknown;
  t.deepEqual(written, snapshotSchema(PROJECT_ROOT));
});

test('the volume types are the sourced table keys, in its order', (t) => {
  t.deepEqual([...VOLUME_TYPES], Object.keys(volumeTypeData.types));
});

const level = loadLevel('01-first-shift');

type Edit = (s: SessionSnapshot & { world: Record<string, unknown> }) => void;
const first = (table: unknown) => Object.values(table as Record<string, Record<string, unknown>>)[0]!;

/** An SLO burn of the first level's web tier, as the tracker keeps one, with `change` made to it. */
const incident = (change: Partial<Incident> = {}): Incident => ({
  id: 'INC-1',
  kind: 'slo-burn',
  title: 'web burning its error budget',
  severity: 'SEV2',
  state: 'detected',
  subject: 'web',
  instances: [],
  detectedAt: 300,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  ...change,
});

/** Each kind of hand edit, and the line that refuses it. */
const EDITS: [string, Edit, RegExp][] = [
  [
    'a state EC2 has not',
    (s) => (first(s.world.instances).state = 'flying'),
    /\.state: expected one of pending, running, .*, got "flying"$/,
  ],
  [
    'a number written as text',
    (s) => (first(s.world.volumes).sizeGiB = 'big'),
    /volumes\.vol-\w+\.sizeGiB: expected number, got "big"$/,
  ],
  [
    'a field left out',
    (s) => delete first(s.world.instances).checks,
    /instances\.i-\w+\.checks: expected a value, got nothing$/,
  ],
  ['a field of its own', (s) => (first(s.world.hosts).owner = 'me'), /hosts\.[\w-]+\.owner: unknown field$/],
  [
    'a host that is not there',
    (s) => (first(s.world.instances).hostId = 'h-nope'),
    /\.hostId: "h-nope" names no record of snapshot\.world\.hosts$/,
  ],
  [
    'a retirement naming a degraded host that is not there',
    (s) =>
      (first(s.world.instances).scheduledEvents = [
        {
          id: 'instance-event-0123456789abcdef0',
          code: 'instance-retirement',
          description: 'The instance is running on degraded hardware',
          notBefore: 600,
          notAfter: 600,
          state: 'active',
          degradedHostId: 'h-nope',
        },
      ]),
    /\.scheduledEvents\.degradedHostId: "h-nope" names no record of snapshot\.world\.hosts$/,
  ],
  [
    'an instance type fleetops lacks',
    (s) => (first(s.world.instances).type = 'z9.huge'),
    /\.type: "z9\.huge" names no instance type fleetops knows$/,
  ],
  [
    'no zones',
    (s) => (s.world.zones = []),
    /^snapshot\.world\.zones: expected the level's zones, us-east-1a \(use1-az1\), us-east-1b \(use1-az2\), us-east-1c \(use1-az4\)$/,
  ],
  [
    'a zone that is not there',
    (s) => (first(s.world.volumes).zoneId = 'use1-az9'),
    /\.zoneId: "use1-az9" names no zone of snapshot\.world\.zones$/,
  ],
  [
    'no workloads',
    (s) => (s.world.workloads = {}),
    /^snapshot\.world\.workloads: expected the level's workloads \(web, orders-db, reports\), got none$/,
  ],
  [
    'an instance without its workload',
    (s) => (first(s.world.instances).workload = 'nope'),
    /\.workload: "nope" names no record of snapshot\.world\.workloads$/,
  ],
  [
    'a running instance on no host',
    (s) => (first(s.world.instances).hostId = null),
    /^snapshot\.world\.instances\.i-\w+\.hostId: expected an id, as a running instance has one$/,
  ],
  [
    'a host that no longer lists its instance',
    (s) => (first(s.world.hosts).instanceIds = []),
    /\.hostId: "[\w-]+" does not name "i-\w+" back in its instanceIds$/,
  ],
  [
    'an instance moved to another zone than its host',
    (s) => {
      const inst = first(s.world.instances);
      inst.zoneId = s.world.zones.find((z) => z.zoneId !== inst.zoneId)!.zoneId;
    },
    /hosts\.[\w-]+\.instanceIds: "i-\w+" is in zone use1-az\d, not this record's use1-az\d$/,
  ],
  [
    'a record filed under another key',
    (s) => (first(s.world.volumes).id = 'vol-elsewhere'),
    /^snapshot\.world\.volumes\.vol-\w+\.id: expected "vol-\w+", the key it is filed under$/,
  ],
  [
    'more good seconds than measured',
    (s) => (first(s.world.workloads).stats = { ...(first(s.world.workloads).stats as object), goodSeconds: 1e9 }),
    /^snapshot\.world\.workloads\.web\.stats\.goodSeconds: expected no more than measuredSeconds$/,
  ],
  [
    'more requests served than asked for',
    (s) => (first(s.world.workloads).stats = { ...(first(s.world.workloads).stats as object), served: 9e15 }),
    /^snapshot\.world\.workloads\.web\.stats\.served: expected no more than requests, of which it is a part$/,
  ],
  [
    'a Spot ledger below its rounding residue',
    (s) => (s.world.ledger.spotMicros = -1),
    /^snapshot\.world\.ledger\.spotMicros: expected no less than 0$/,
  ],
  [
    'a negative counter',
    (s) => (s.world.counters.launch = -5),
    /^snapshot\.world\.counters\.launch: expected no less than 0$/,
  ],
  [
    'a rule for no address block',
    (s) =>
      (first(s.world.securityGroups).ingress = [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/99' }]),
    /^snapshot\.world\.securityGroups\.sg-\w+\.ingress\.0\.cidr: expected an IPv4 CIDR block$/,
  ],
  [
    'an SLO the level does not set',
    (s) => ((first(s.world.workloads).slo as { availability: number }).availability = 0),
    /^snapshot\.world\.workloads\.web\.slo: expected \{"latencyMs":\d+,"availability":0\.\d+\}, as the level describes it$/,
  ],
  [
    'a port past 65535',
    (s) => (first(s.world.workloads).port = 70000),
    /^snapshot\.world\.workloads\.web\.port: expected a port from 0 to 65535$/,
  ],
  [
    'a launch sequence past those handed out',
    (s) => (first(s.world.instances).launchSeq = 2 ** 31),
    /^snapshot\.world\.instances\.i-\w+\.launchSeq: expected a whole number from 1 to \d+, the launches counted$/,
  ],
  [
    "a place in its launch that is no instance's",
    (s) => (first(s.world.instances).amiLaunchIndex = 1.5),
    /^snapshot\.world\.instances\.i-\w+\.amiLaunchIndex: expected a whole number from 0 to \d+, its place in its launch$/,
  ],
  [
    'a place in its launch that skips one',
    (s) => (Object.values(s.world.instances).find((i) => i.launchSeq === 3)!.amiLaunchIndex = 2),
    /^snapshot\.world\.instances\.i-\w+\.amiLaunchIndex: expected 1 or 0, after i-\w+'s place in its launch$/,
  ],
  [
    'a random stream no draw leaves',
    (s) => Object.assign(first(s.world.rng), { s0: 9e15 }),
    /^snapshot\.world\.rng\.[\w:-]+: expected s0, s1 and s2 from 0 to below 1$/,
  ],
  [
    'an SLO burn of no workload',
    (s) => (s.tracker.incidents = [incident({ subject: 'use1-az1-r01-h01' })]),
    /^snapshot\.tracker\.incidents\.0\.subject: "use1-az1-r01-h01" names no record of snapshot\.world\.workloads, as a slo-burn incident's does$/,
  ],
  [
    'an incident given twice',
    (s) => (s.tracker.incidents = [incident(), incident()]),
    /^snapshot\.tracker\.incidents\.1\.id: expected an id no other incident has, got "INC-1"$/,
  ],
  [
    'an EBS saturation of no volume',
    (s) => (s.tracker.incidents = [incident({ kind: 'ebs-saturation', subject: 'web', volumes: [] })]),
    /^snapshot\.tracker\.incidents\.0\.volumes: expected only on an ebs-saturation incident, listing at least one volume, each once$/,
  ],
  [
    'volumes on an incident of another kind',
    (s) => (s.tracker.incidents = [incident({ volumes: ['vol-0123456789abcdef0'] })]),
    /^snapshot\.tracker\.incidents\.0\.volumes: expected only on an ebs-saturation incident/,
  ],
  [
    'an incident acknowledged before it was detected',
    (s) => (s.tracker.incidents = [incident({ acknowledgedAt: 100 })]),
    /^snapshot\.tracker\.incidents\.0\.acknowledgedAt: expected no earlier than detectedAt, 300$/,
  ],
  [
    'an incident resolved without a time',
    (s) => (s.tracker.incidents = [incident({ state: 'resolved' })]),
    /^snapshot\.tracker\.incidents\.0\.state: expected resolved exactly when resolvedAt is given$/,
  ],
  [
    'a sample from later in the play',
    (s) => (s.samples.at(-1)!.tick = 5000),
    /^snapshot\.samples\.\d+\.tick: expected a time no later than the snapshot's own$/,
  ],
  [
    'a clock past any date',
    (s) => (s.world.epochMs = 1e20),
    /^snapshot\.world\.epochMs: expected a number within ±9007199254740991$/,
  ],
  ['another start', (s) => (s.world.epochMs = 0), /^snapshot\.world\.epochMs: expected \d+, the level's start$/],
  [
    'a bill of -1e308',
    (s) => ((s.world.ledger as unknown as Record<string, number>).onDemandMicros = -1e308),
    /ledger\.onDemandMicros: expected a number within/,
  ],
  [
    'a name with a bidirectional control',
    (s) => (first(s.world.instances).name = 'a\u202eb'),
    /\.name: expected text without control characters/,
  ],
  [
    'an incident without its figures',
    (s) => (s.tracker.incidents = [{ id: 'INC-1' }] as never),
    /^snapshot\.tracker\.incidents\.0\.kind: expected a value, got nothing$/,
  ],
  [
    'a sample without its figures',
    (s) => (s.samples = [{ a: 1 }] as never),
    /^snapshot\.samples\.0\.tick: expected a value, got nothing$/,
  ],
  ['an empty event', (s) => (s.events = [{}] as never), /^snapshot\.events\.0\.tick: expected a value, got nothing$/],
  [
    'more hints than the level has',
    (s) => (s.hintsUsed = 50),
    /^snapshot\.hintsUsed: expected a whole number from 0 to 4/,
  ],
  [
    'more unavoidable loss than loss',
    (s) => (s.unavoidableDataLostGB = 5),
    /^snapshot\.unavoidableDataLostGB: expected no more than snapshot\.dataLostGB/,
  ],
];

type Vpc = { subnets: object; natGateways: object };
const vpc = (s: Parameters<Edit>[0]) => s.world.vpc as Vpc;

/** Edits of a level's own VPC, in a play of the level behind a NAT gateway. */
const VPC_EDITS: [string, Edit, RegExp][] = [
  [
    "a subnet's route table that is not there",
    (s) => (first(vpc(s).subnets).routeTableId = 'rtb-nope'),
    /^snapshot\.world\.vpc\.subnets\.subnet-\w+\.routeTableId: "rtb-nope" names no record of its VPC's routeTables$/,
  ],
  [
    "a NAT gateway's subnet that is not there",
    (s) => (first(vpc(s).natGateways).subnetId = 'subnet-nope'),
    /^snapshot\.world\.vpc\.natGateways\.nat-\w+\.subnetId: "subnet-nope" names no record of its VPC's subnets$/,
  ],
  [
    "an interface's subnet that is not there",
    (s) => (first(s.world.enis).subnetId = 'subnet-nope'),
    /^snapshot\.world\.enis\.eni-\w+\.subnetId: "subnet-nope" names no record of snapshot\.world\.subnets$/,
  ],
  ["the level's VPC left out", (s) => delete s.world.vpc, /^snapshot\.world\.vpc: expected a value, the level's VPC$/],
];

/** A save of ten minutes of `lvl` with its snapshot, as its file holds it. */
function tenMinutesOf(lvl: typeof level): string {
  const session = new Session(lvl, '1');
  session.run(600);
  return `${JSON.stringify(saveRecord('e', session, { settings: DEFAULT_SETTINGS, snapshot: true }), null, 2)}\n`;
}
const good = tenMinutesOf(level);
const natLevel = loadLevel('12-behind-the-nat');

/** A saves folder holding `text` (the first level's save unless told) as slot `e`, and the slot's file. */
function saved(t: Parameters<typeof tempFolder>[0], text = good) {
  const folder = tempFolder(t);
  const file = slotPath(folder, 'e');
  mkdirSync(dirname(file), { recursive: true });
  return { folder, file, text };
}

/** The save's text with `edit` made to its snapshot and the world's hash made again, as a hand would. */
function edited(text: string, edit: Edit): string {
  const doc = JSON.parse(text) as { hash: string; snapshot: SessionSnapshot & { world: Record<string, unknown> } };
  edit(doc.snapshot);
  doc.hash = fingerprint(doc.snapshot.world);
  return JSON.stringify(doc);
}

test('a snapshot fleetops wrote passes, at the start, midway and at the end of six campaign levels', async (t) => {
  const folder = tempFolder(t);
  for (const file of [
    '01-first-shift',
    '02-dead-host',
    '03-spot-reclaim',
    '06-zone-down',
    '09-long-night',
    '12-behind-the-nat',
  ]) {
    const lvl = loadLevel(file);
    const session = new Session(lvl, '3');
    for (const tick of [0, Math.floor(lvl.duration / 2), lvl.duration]) {
      session.run(tick - session.tick);
      await saveSession(folder, 'ok', session, { settings: DEFAULT_SETTINGS, snapshot: true });
      t.is(snapshotProblem(await readSlot(folder, 'ok'), lvl), null, `${file} at ${tick}`);
    }
  }
});

test("a Spot ledger's rounding residue below zero, as fleetops wrote it before keeping it at zero or more, passes", async (t) => {
  const { folder, file, text } = saved(t);
  writeFileSync(
    file,
    edited(text, (s) => (s.world.ledger.spotMicros = -1.4097167877480388e-11)),
  );
  t.is(snapshotProblem(await readSlot(folder, 'e'), level), null);
});

for (const [what, edit, line] of EDITS) {
  test(`a snapshot edited by hand is refused in one line: ${what}`, async (t) => {
    const { folder, file, text } = saved(t);
    writeFileSync(file, edited(text, edit));
    t.regex(snapshotProblem(await readSlot(folder, 'e'), level) ?? 'passed', line);
  });
}

test('a snapshot whose VPC was edited by hand is refused in one line', async (t) => {
  const natGood = tenMinutesOf(natLevel);
  for (const [what, edit, line] of VPC_EDITS) {
    const { folder, file } = saved(t, natGood);
    writeFileSync(file, edited(natGood, edit));
    t.regex(snapshotProblem(await readSlot(folder, 'e'), natLevel) ?? 'passed', line, what);
  }
});

test('load --fast refuses an edited snapshot with exit 2 and leaves the save as it was; a replay still loads it', async (t) => {
  const { folder, file, text } = saved(t);
  const bad = edited(text, (s) => (s.samples = [{ a: 1 }] as never));
  writeFileSync(file, bad);
  const load = (...extra: string[]) =>
    spawnSync(process.execPath, ['bin/fleetops.js', 'load', 'e', '--headless', '--saves', folder.dir, ...extra], {
      encoding: 'utf8',
      cwd: PROJECT_ROOT,
    });
  const fast = load('--fast');
  t.is(fast.status, 2);
  t.is(
    fast.stderr,
    `fleetops: ${file}: snapshot.samples.0.tick: expected a value, got nothing; the snapshot is not as fleetops writes it, so the save is left as it was: load it without --fast to replay its commands\n`,
  );
  t.is(readFileSync(file, 'utf8'), bad);
  const replayed = load();
  t.is(replayed.status, 0, replayed.stderr);
  t.regex(replayed.stdout, /^loaded {5}slot e: 01-first-shift, seed 1, training, at 10:00 \(replay;/m);
  // Without a snapshot, --fast replays, and says why.
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(text) as object), snapshot: null }));
  const without = load('--fast');
  t.is(without.status, 0, without.stderr);
  t.regex(without.stdout, /\(replay, as the save holds no snapshot; world [0-9a-f]{16} as saved\)$/m);
});
