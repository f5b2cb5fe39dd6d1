// The one command language: what the parser accepts, how it says what is wrong, how refusals are
// reported, and how players name instances.
import test from 'ava';
import { resolveInstance } from '../../src/sim/commands/resolve.js';
import { worldFingerprint, parseCommand, ParseError } from '../../src/sim/index.js';
import { apply, eventsOf, named, refusals, run, testSession } from '../helpers/world.js';

function parseError(line: string): string {
  try {
    parseCommand(line);
  } catch (err) {
    if (err instanceof ParseError) return err.message;
    throw err;
  }
  throw new Error(`'${line}' parsed`);
}

test('a command parses into its verb, arguments and typed flags', (t) => {
  const cmd = parseCommand('launch  m6i.large --az use1-az1 --count 3 --spot --max-price 0.05 --name "web tier"');
  t.is(cmd.verb, 'launch');
  t.deepEqual(cmd.args, { type: 'm6i.large' });
  t.deepEqual(cmd.flags, { az: 'use1-az1', count: 3, spot: true, 'max-price': 0.05, name: 'web tier' });
  t.is(cmd.text, 'launch m6i.large --az use1-az1 --count 3 --spot --max-price 0.05 --name "web tier"');
  t.deepEqual(parseCommand('schedule-event web system-reboot --in 1h30m').flags, { in: 5400 });
  t.deepEqual(parseCommand('launch m6i.large --az=use1-az2').flags, { az: 'use1-az2' });
});

test('an unknown verb is named, with a suggestion when one is close', (t) => {
  t.is(parseError('stpo web'), "unknown command 'stpo' (did you mean stop?); fleetops commands lists them");
  t.is(parseError('lanuch m6i.large'), "unknown command 'lanuch' (did you mean launch?); fleetops commands lists them");
  t.is(parseError('frobnicate'), "unknown command 'frobnicate'; fleetops commands lists them");
});

test('a missing argument is named with what it should be and the usage', (t) => {
  const message = parseError('stop');
  t.regex(message, /^stop: missing <instance> \(instance id, unique id prefix, or Name\)/);
  t.regex(message, /usage: stop <instance> \[--force\] \[--hibernate\]$/);
  t.regex(parseError('attach-volume vol-0abc'), /attach-volume: missing <instance>/);
  t.regex(parseError('reboot a b'), /reboot: too many arguments \('b'\)/);
});

test('required flags, unknown flags and bad flag values are named', (t) => {
  t.regex(parseError('launch m6i.large'), /^launch: --az is required \(zone name or id/);
  t.regex(parseError('stop web --forse'), /^stop: unknown option --forse \(did you mean --force\?\)/);
  t.is(parseError('launch m6i.large --az use1-az1 --count many'), "launch: --count expects a whole number, got 'many'");
  t.is(
    parseError('launch m6i.large --az use1-az1 --max-price cheap --spot'),
    "launch: --max-price expects a number, got 'cheap'",
  );
  t.is(
    parseError('launch m6i.large --az use1-az1 --interruption never'),
    "launch: --interruption must be one of terminate, stop, hibernate, not 'never'",
  );
  t.regex(
    parseError('schedule-event web system-reboot --in soon'),
    /--in expects a duration like 90s, 5m, 1h30m or 02:30, got 'soon'/,
  );
  t.regex(parseError('launch m6i.large --az'), /launch: --az needs a value/);
  t.regex(parseError('stop web --force=yes'), /--force takes no value/);
  t.regex(parseError('stop web --force --force'), /--force given twice/);
  t.is(parseError('stop "web'), 'unclosed " quote');
  t.is(parseError('   '), 'empty command');
});

test('a session turns a line that does not parse into a command-refused event', (t) => {
  const session = testSession();
  const ticket = session.enqueue('stpo web', 'player');
  const [refused] = eventsOf(session.events, 'command-refused');
  t.is(session.outcome(ticket), refused, 'refused at once, under its ticket');
  t.is(refused?.message, "unknown command 'stpo' (did you mean stop?); try help", 'the prompt answers help');
  t.like(refused?.data, { command: 'stpo web', ticket, source: 'player' });
  for (const source of ['script', 'handler'] as const) {
    const other = session.enqueue('stpo web', source);
    t.is(session.outcome(other)?.message, "unknown command 'stpo' (did you mean stop?); fleetops commands lists them");
  }
});

test('players cannot issue scenario commands', (t) => {
  const session = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const host = named(session.world, 'web').hostId!;
  t.is(session.outcome(session.enqueue('fail-host web', 'player'))?.kind, 'command-refused');
  session.run(1);
  t.is(session.world.hosts[host]!.health, 'ok');
  t.regex(
    eventsOf(session.events, 'command-refused')[0]!.message,
    /fail-host is a scenario command; players cannot issue it/,
  );
});

test('a refused command emits command-refused with its reason and EC2 code, and changes nothing', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const before = worldFingerprint(world);
  const events = apply(world, 'modify-instance-type web m6i.4xlarge');
  t.deepEqual(
    events.map((e) => [e.kind, e.level, e.subject]),
    [['command-refused', 'error', 'modify-instance-type']],
  );
  // The code before the reason, as the AWS SDKs print an error.
  t.regex(
    events[0]!.message,
    /^modify-instance-type web m6i\.4xlarge: IncorrectInstanceState: cannot change the type of i-0[0-9a-f]{16} \(web\): it is running$/,
  );
  t.like(events[0]!.data, { code: 'IncorrectInstanceState', command: 'modify-instance-type web m6i.4xlarge' });
  t.regex(String(events[0]!.data?.reason), /^cannot change the type of i-0[0-9a-f]{16} \(web\): it is running$/);
  t.is(worldFingerprint(world), before);
});

// EC2 API Reference, StartInstances and StopInstances: each is idempotent, answering an instance
// already in (or on its way to) the state asked for with that state.
test('start of a running instance and stop of a stopped or stopping one are applied and change nothing', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const before = worldFingerprint(world);
  t.deepEqual(
    apply(world, 'start web').map((e) => e.kind),
    ['command-applied'],
  );
  t.is(worldFingerprint(world), before);
  apply(world, 'stop web');
  const stopping = worldFingerprint(world);
  t.deepEqual(
    apply(world, 'stop web').map((e) => e.kind),
    ['command-applied'],
  );
  t.is(worldFingerprint(world), stopping);
});

test('an applied command emits command-applied after its own events', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  t.deepEqual(
    apply(world, 'reboot web').map((e) => e.kind),
    ['instance-reboot', 'command-applied'],
  );
});

test('instances are named by id, by a unique id prefix, or by Name tag', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  const web = named(world, 'web');
  for (const ref of [web.id, web.id.slice(0, 8), 'web']) t.is(resolveInstance(world, ref), web, ref);
  t.deepEqual(refusals(apply(world, `reboot ${web.id.slice(0, 6)}`)), []);
  t.not(web.guestRestartUntil, null);
});

test('a prefix that matches several instances, or none, or is too short, is refused', (t) => {
  const { world } = testSession();
  apply(world, 'launch m6i.large --az use1-az1 --count 20');
  // Twenty ids over sixteen hex digits: at least two share their first digit after 'i-0'.
  const prefixes = Object.keys(world.instances).map((id) => id.slice(0, 4));
  const shared = prefixes.find((p, i) => prefixes.indexOf(p) !== i)!;
  const ambiguous = eventsOf(apply(world, `reboot ${shared}`), 'command-refused')[0]!;
  t.is(ambiguous.data?.code, 'InvalidParameterValue');
  t.regex(ambiguous.message, new RegExp(`'${shared}' matches \\d+ instances: ${shared}`));
  t.is(eventsOf(apply(world, 'reboot i-0zzzz'), 'command-refused')[0]?.data?.code, 'InvalidInstanceID.NotFound');
  t.is(eventsOf(apply(world, 'reboot i-0'), 'command-refused')[0]?.data?.code, 'InvalidInstanceID.Malformed');
});

test("a volume or snapshot command given an instance's name says so, rather than that the name is too short", (t) => {
  const { world } = testSession({ fleet: [{ name: 'web-1', type: 'm6i.large', zone: 'use1-az1' }] });
  const refused = (command: string) => refusals(apply(world, command)).join('\n');
  t.regex(refused('modify-volume web-1 --type gp3'), /'web-1' names an instance, not a volume$/);
  t.regex(refused('modify-volume web-2 --type gp3'), /'web-2' is too short to name a volume$/);
  t.regex(refused('create-volume --az use1-az1 --snapshot web-1'), /'web-1' names an instance, not a snapshot$/);
});

test('a Name tag is unique among live instances', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] });
  t.regex(refusals(apply(world, 'launch m6i.large --az use1-az1 --name web'))[0]!, /already named web/);
  const counted = apply(world, 'launch m6i.large --az use1-az1 --name api --count 2');
  t.is(eventsOf(counted, 'instance-launched').length, 2);
  t.truthy(named(world, 'api-1'));
  t.truthy(named(world, 'api-2'));
});

test("a number outside its range is refused when the command is read, as the AWS CLI checks a parameter's range before calling", (t) => {
  const refused = (line: string) => t.throws(() => parseCommand(line), { instanceOf: ParseError })?.message;
  t.is(refused('launch m6i.large --az use1-az1 --count 0'), "launch: --count must be 1-100, not '0'");
  t.is(
    refused('create-placement-group g --strategy partition --partitions 8'),
    "create-placement-group: --partitions must be 1-7, not '8'",
  );
  t.is(
    refused('create-volume --az use1-az1 --size 99999999999999999999'),
    "create-volume: --size must be 1-65,536, not '99999999999999999999'",
  );
  t.is(
    refused('impair-host h --retire-in 99999999999999999999d'),
    "impair-host: --retire-in must be 0-604,800 s, not '99999999999999999999d'",
  );
  t.is(
    refused('set-spot-capacity m6i.large use1-az1 -1'),
    "set-spot-capacity: <capacity> must be 0-1,000,000, not '-1'",
  );
  t.regex(refused(`stop ${'x'.repeat(2000)}`)!, /^a command of 2,00\d characters; a command is at most 1,000$/);
  t.is(refused('surge-demand web 0.5 --for 10m'), "surge-demand: <factor> must be 1-10, not '0.5'");
  t.is(refused('surge-demand web 2 --for 25h'), "surge-demand: --for must be 1-86,400 s, not '25h'");
  t.is(
    refused('modify-instance-metadata-options web --http-put-response-hop-limit 65'),
    "modify-instance-metadata-options: --http-put-response-hop-limit must be 1-64, not '65'",
  );
});

test('a port range, an IPv4 block and a duration are checked when the command is read', (t) => {
  const refused = (line: string) => t.throws(() => parseCommand(line), { instanceOf: ParseError })?.message;
  for (const port of ['99999', '80-70', '443-', 'http'])
    t.is(
      refused(`authorize-ingress web --protocol tcp --port ${port} --cidr 0.0.0.0/0`),
      `authorize-ingress: --port expects a port or range within 0-65535, such as 443 or 8000-8100, got '${port}'`,
    );
  for (const cidr of ['1.2.3.4/40', '10.0.0/8', '10.0.0.0', '256.0.0.0/8'])
    t.is(
      refused(`create-network-acl-entry acl-1 --rule-number 5 --protocol tcp --cidr ${cidr} --action deny`),
      `create-network-acl-entry: --cidr expects an IPv4 range such as 0.0.0.0/0, got '${cidr}'`,
    );
  t.is(
    refused('create-route rtb-1 --destination 0.0.0.0/33 --gateway igw'),
    "create-route: --destination expects an IPv4 range such as 0.0.0.0/0, got '0.0.0.0/33'",
  );
  // Each unit once, largest first, a smaller one less than one of the unit before it; counts
  // without leading zeros, as every number in a command.
  for (const span of ['5m5m', '30s1m', '1h2d', '0443', '05m', '1h05m', '00', '1m60s', '1h90m', '1d24h', '1h0m3600s'])
    t.is(
      refused(`schedule-event web instance-reboot --in ${span}`),
      `schedule-event: --in expects a duration like 90s, 5m, 1h30m or 02:30, got '${span}'`,
    );
  t.is(parseCommand('schedule-event web instance-reboot --in 1h30m').flags.in, 5400);
  for (const [span, seconds] of [
    ['0', 0],
    ['0h30m', 1800],
    ['90m', 5400],
    ['1d23h59m59s', 172799],
    ['1h0m59s', 3659],
    ['01:05:00', 3900],
    ['02:30', 150],
  ] as const)
    t.is(parseCommand(`schedule-event web instance-reboot --in ${span}`).flags.in, seconds, span);
  t.deepEqual(parseCommand('authorize-ingress web --protocol tcp --port 0-65535 --cidr 10.0.0.0/8').flags, {
    protocol: 'tcp',
    port: '0-65535',
    cidr: '10.0.0.0/8',
  });
});

test("world references that do not exist are refused with EC2's codes", (t) => {
  const { world } = testSession();
  const code = (line: string) => eventsOf(apply(world, line), 'command-refused')[0]?.data?.code;
  t.is(code('launch m6i.huge --az use1-az1'), 'InvalidParameterValue');
  t.is(code('launch m6i.large --az use1-az9'), 'InvalidParameterValue');
  t.is(code('launch m6i.large --az use1-az1 --pg nosuch'), 'InvalidPlacementGroup.Unknown');
  t.is(code('launch m6i.large --az use1-az1 --sg nosuch'), 'InvalidGroup.NotFound');
  t.is(code('launch m6i.large --az use1-az1 --workload nosuch'), 'InvalidParameterValue');
  t.is(code('launch m6i.large --az use1-az1 --volume gp3:lots'), 'InvalidParameterValue');
  t.is(code('attach-volume vol-0nosuch web'), 'InvalidVolume.NotFound');
  t.is(code('create-placement-group g --strategy cluster --partitions 2'), 'InvalidParameterCombination');
  apply(world, 'create-placement-group g --strategy spread');
  t.is(code('create-placement-group g --strategy spread'), 'InvalidPlacementGroup.Duplicate');
});

test("ack is the session's business: with no open incident it is refused", (t) => {
  const session = testSession();
  const ticket = session.enqueue('ack INC-9', 'player');
  t.is(session.outcome(ticket), undefined, 'queued for the next tick');
  session.run(1);
  t.regex(eventsOf(session.events, 'command-refused')[0]!.message, /INC-9/);
  t.is(session.outcome(ticket), eventsOf(session.events, 'command-refused')[0]);
});

test("a command's normalised text parses back to itself, quotes and spaces included (saves replay it)", (t) => {
  for (const line of [
    'launch   m6i.large --az use1-az1 --name "web one"',
    `launch m6i.large --az use1-az1 --name 'say "hi"'`,
    `launch m6i.large --az use1-az1 --name "it's"`,
    'modify-volume vol-0abc --type=gp3 --iops 6000',
  ]) {
    const once = parseCommand(line);
    const twice = parseCommand(once.text);
    t.is(twice.text, once.text);
    t.deepEqual(twice.flags, once.flags);
  }
  t.throws(() => parseCommand(`launch m6i.large --az use1-az1 --name "it's"x'"`), { message: /unclosed|both/ });
});

test('a refusal repeats a long reference cut short, and its message a long command cut short', (t) => {
  const world = testSession({ fleet: [{ name: 'web', type: 'm6i.large', zone: 'use1-az1' }] }).world;
  const line = `stop ${'x'.repeat(900)}`;
  const [refusal] = refusals(apply(world, line));
  t.is(
    refusal,
    `${line.slice(0, 200)}… (705 more characters): InvalidInstanceID.NotFound: no instance matches '${'x'.repeat(64)}…' (836 more characters)`,
  );
  t.is(
    parseError(`set-spot-capacity m6i.large use1-az1 ${'9'.repeat(80)}`),
    `set-spot-capacity: <capacity> must be 0-1,000,000, not '${'9'.repeat(64)}…' (16 more characters)`,
  );
});

test('lengths are counted in characters as their writer counts them: an emoji is one', (t) => {
  const emoji = '😀';
  t.is(parseCommand(`note ${emoji.repeat(500)}`).args.text, emoji.repeat(500));
  t.throws(() => parseCommand(`note ${emoji.repeat(501)}`), {
    message: 'note: the text is 501 characters; at most 500 fit',
  });
  t.notThrows(() => parseCommand(`note ${emoji.repeat(495)}`), 'a command of 500 characters, 995 UTF-16 units');
  t.throws(() => parseCommand(`ack ${emoji.repeat(1000)}`), {
    message: 'a command of 1,004 characters; a command is at most 1,000',
  });
});

test('names a command gives are held as a level holds them, a launch of several takes no name already taken, and --volume has no leading zeros', (t) => {
  const { world } = testSession({ fleet: [{ name: 'web', count: 2, type: 'm6i.large', zone: 'use1-az1' }] });
  // What the refusal says after the command it repeats (clipped when long), from its code on.
  const refusal = (command: string) => {
    const text = refusals(apply(world, command))[0];
    return text?.slice(text.indexOf('InvalidParameterValue: '));
  };
  t.is(
    refusal('launch m6i.large --az use1-az1 --name web --count 3'),
    'InvalidParameterValue: an instance is already named web-1 (a launch of 3 named web names them web-1 to web-3)',
  );
  t.is(
    refusal('launch m6i.large --az use1-az1 --name web-2'),
    'InvalidParameterValue: an instance is already named web-2',
  );
  for (const [name, expected] of [
    ['i-0abc', 'a name that does not start i- (the start of an instance id)'],
    ['-web', 'a name of letters, digits, spaces, . _ or -, starting with a letter or digit'],
    ['🚀', 'a name of letters, digits, spaces, . _ or -, starting with a letter or digit'],
    ['n'.repeat(257), 'a name of at most 256 characters'],
  ])
    t.regex(
      refusal(`launch m6i.large --az use1-az1 --name ${name}`)!,
      new RegExp(
        `^InvalidParameterValue: --name '.*'(?: \\(\\d+ more characters\\))?: expected ${expected.replace(/[.()]/g, '\\$&')}$`,
        'u',
      ),
    );
  // The numbers of a volume's shorthand are written as every number in a command is.
  for (const volume of ['gp3:0100', 'gp3:100:03000'])
    t.is(
      refusal(`launch m6i.large --az use1-az1 --volume ${volume}`),
      `InvalidParameterValue: --volume expects TYPE:GiB[:IOPS[:MiBps]], got '${volume}'`,
    );
  // The names a count gives are held too: n…n-10 is one character past the bound.
  t.regex(refusal(`launch m6i.large --az use1-az1 --name ${'n'.repeat(254)} --count 10`)!, /at most 256 characters/);
  t.deepEqual(
    refusals(
      apply(
        world,
        'launch m6i.large --az use1-az1 --name web --count 1',
        'launch m6i.large --az use1-az1 --name api --count 2',
      ),
    ),
    [],
  );
  t.regex(
    refusal(`create-placement-group ${'p'.repeat(257)} --strategy spread`)!,
    /^InvalidParameterValue: <name> '.*' \(\d+ more characters\): expected a name of at most 256 characters$/,
  );
  // A volume's and a snapshot's names are the level's, each once: commands find them by it.
  const volume = (name: string) => `create-volume --az use1-az1 --size 10 --name ${name}`;
  t.deepEqual(refusals(apply(world, volume('orders-data'))), []);
  run(world, 10);
  const expected: [string, string][] = [
    [volume('ab'), "--name 'ab': expected a lower-case name of 6 to 64 characters"],
    [volume('Orders'), "--name 'Orders': expected a lower-case name of 6 to 64 characters"],
    [volume('vol-0abc'), "--name 'vol-0abc': expected a name that does not start vol- (the start of a volume id)"],
    [volume('orders-data'), 'a volume is already named orders-data'],
    ['create-snapshot orders-data --name snapx', "--name 'snapx': expected a lower-case name of 7 to 64 characters"],
  ];
  for (const [command, message] of expected) t.is(refusal(command), `InvalidParameterValue: ${message}`, command);
  t.deepEqual(refusals(apply(world, 'create-snapshot orders-data --name orders-snap')), []);
  t.is(
    refusal('create-snapshot orders-data --name orders-snap'),
    'InvalidParameterValue: a snapshot is already named orders-snap',
  );
  t.deepEqual(refusals(apply(world, `create-placement-group ${'p'.repeat(256)} --strategy spread`)), []);
});
