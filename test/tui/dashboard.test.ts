// The dashboard driven through its keys on a headless terminal, read back as screen text.
import test from 'ava';
import { ImdsServer } from '../../src/imds/server.js';
import { drive, FLEET } from './helpers.js';

const instanceRow = (text: string, name: string) =>
  text.split('\n').find((l) => /i-[0-9a-f]{17} /.test(l) && l.includes(` ${name} `)) ?? '';

test('space pauses and resumes; + and - change the speed', async (t) => {
  const d = drive(t);
  t.regex(d.text(), /▶ RUNNING 1x/);
  await d.press(' ');
  t.regex(d.text(), /❚❚ PAUSED \(1x\)/);
  t.true(d.pacer.paused);
  await d.press(' ++');
  t.regex(d.text(), /▶ RUNNING 5x/);
  await d.press('-');
  t.is(d.pacer.speed, 2);
  t.regex(d.text(), /speed 2x/);
});

test('? opens the help with the level and every key; Esc closes it', async (t) => {
  const d = drive(t);
  await d.press('?');
  const text = d.text();
  t.regex(text, /This level: Test/);
  t.regex(text, /Shift-Tab\s+previous panel/);
  t.regex(text, /Ctrl-C\s+quit at once/);
  await d.press('\x1b');
  t.notRegex(d.text(), /previous panel/);
});

test(':stop runs through the session; its outcome shows in the log, the message line and the table', async (t) => {
  const d = drive(t);
  await d.press(' '); // paused: the command waits for the clock
  await d.press(':stop web-1\r');
  t.regex(d.text(), /queued: stop web-1 \(paused: Space runs it; its outcome shows then\)/);
  t.regex(d.text(), /› stop web-1/);
  t.regex(instanceRow(d.text(), 'web-1'), /running/);
  d.tick();
  const text = d.text();
  t.regex(text, /✓ applied: stop web-1/);
  t.regex(text, /info applied: stop web-1/);
  t.regex(instanceRow(text, 'web-1'), /stopping/);
  d.tick(120);
  t.regex(instanceRow(d.text(), 'web-1'), /stopped/);
});

test('a refused or unparsable command shows its reason and changes nothing', async (t) => {
  const d = drive(t);
  await d.press(':frobnicate web-1\r');
  t.regex(d.text(), /✗ unknown command 'frobnicate'/);
  t.regex(d.text(), /ERR\s+refused: unknown command 'frobnicate'/);
  await d.press(':fail-host web-1\r');
  t.regex(d.text(), /✗ fail-host is a scenario command; players cannot issue it/);
  // The responder's own try is theirs: the log shows its refusal, as it does a typo's.
  t.regex(d.text(), /ERR\s+refused: fail-host is a scenario command/);
  await d.press(':modify-instance-type web-2 m6i.4xlarge\r');
  d.tick();
  // The status line answers the command just typed with EC2's code and the reason.
  t.regex(d.text(), /✗ IncorrectInstanceState: cannot change the type of .*running/i);
  t.regex(d.text(), /ERR\s+refused: modify-instance-type web-2 m6i\.4xlarge: /);
  t.regex(instanceRow(d.text(), 'web-2'), /running/);
});

test('Tab completes at the prompt and lists the candidates; ↑ brings back the last command', async (t) => {
  const d = drive(t);
  await d.press(':reb\t');
  t.regex(d.text(), /^:reboot\s*$/m);
  await d.press('web\t');
  t.regex(d.text(), /web-1\s+web-2/);
  await d.press('\x15\x1b'); // Ctrl-U, Esc
  await d.press(':ack INC-9\r:\x1b[A');
  t.regex(d.text(), /^:ack INC-9/m);
});

test('/ filters the focused list; Esc clears the filter', async (t) => {
  const d = drive(t);
  await d.press('/web-2\r');
  const text = d.text();
  t.regex(text, /instances 1\/3 \/web-2/);
  t.is(instanceRow(text, 'web-1'), '');
  t.regex(instanceRow(text, 'web-2'), /running/);
  await d.press('\x1b');
  t.regex(d.text(), /instances 3 /);
});

test('Enter drills into the selected instance; the map drills into hosts', async (t) => {
  const d = drive(t);
  await d.press('j\r');
  t.regex(d.text(), /instance i-\w+ \(web-2\)/);
  t.regex(d.text(), /Checks\s+/);
  await d.press('\x1b');
  await d.press('\x1b[Z'); // Shift-Tab: back to the fleet map, which shows racks at this size
  t.regex(d.text(), /▸ fleet 33 hosts, by rack ─/);
  await d.press('j\r');
  t.regex(d.text(), /rack use1-az1-r01/);
  t.regex(d.text(), /use1-az1-r01-h01\s+ok\s+\d+% used, 1 instance\b/);
  await d.press('\x1b');
  await d.press('z'); // zoomed, there is room for every host
  t.regex(d.text(), /▸ fleet 33 hosts ─/);
  await d.press('jl\r');
  t.regex(d.text(), /host use1-az1-r01-h02/);
  t.regex(d.text(), /Instances \(0\)/);
});

test('Tab reaches every panel, including those sharing a cell on a small terminal', async (t) => {
  const d = drive(t, { cols: 80, rows: 24 });
  const seen: string[] = [];
  for (let i = 0; i < 7; i++) {
    await d.press('\t');
    seen.push(/▸ (\w+)/.exec(d.text())?.[1] ?? '?');
  }
  t.deepEqual(seen, ['volumes', 'charts', 'incidents', 'events', 'IMDS', 'fleet', 'instances']);
  await d.press('\t'.repeat(5));
  t.regex(d.text(), /IMDS not running/);
});

test('an IMDS feed fills the request log', async (t) => {
  let listener:
    ((r: { instanceId: string; method: string; path: string; status: number; tick: number }) => void) | null = null;
  const d = drive(t, {
    cols: 160,
    rows: 45,
    imds: { onRequest: (l) => ((listener = l), () => (listener = null)), endpointOf: () => null },
  });
  const web1 = Object.values(d.session.world.instances).find((i) => i.name === 'web-1')!;
  listener!({
    instanceId: web1.id,
    method: 'GET',
    path: '/latest/meta-data/spot/instance-action',
    status: 404,
    tick: 3,
  });
  // A token request past the hop limit got no answer: status 0, shown as none.
  listener!({ instanceId: web1.id, method: 'PUT', path: '/latest/api/token', status: 0, tick: 4 });
  d.dashboard.frame();
  t.regex(d.text(), /IMDS requests 2[^]*web-1\s+GET \/latest\/meta-da.*404/);
  t.regex(d.text(), /web-1\s+PUT \/latest\/api\/tok\S*\s+none/);
  d.close();
  t.is(listener, null, 'detaching stops listening');
});

test('the real metadata service: a request shows in the log, and the instance detail gives its endpoint', async (t) => {
  let server: ImdsServer | null = null;
  const d = drive(t, { cols: 160, rows: 45, imds: (session) => (server = new ImdsServer(session, { port: 0 })) });
  await server!.start();
  t.teardown(() => server!.close());
  const web1 = Object.values(d.session.world.instances).find((i) => i.name === 'web-1')!;
  const url = server!.endpointOf(web1.id)!;
  const token = await (
    await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })
  ).text();
  const id = await (
    await fetch(`${url}/latest/meta-data/instance-id`, { headers: { 'x-aws-ec2-metadata-token': token } })
  ).text();
  t.is(id, web1.id);
  d.dashboard.frame();
  t.regex(d.text(), /IMDS requests 2[^]*web-1\s+PUT \/latest\/api\/tok.*200[^]*web-1\s+GET \/latest\/meta-da.*200/);
  await d.press('\r'); // the instances panel has the focus, on web-1
  t.regex(d.text(), new RegExp(`IMDS\\s+${url.replace(/[.:/]/g, '\\$&')}, IMDSv2 only`));
});

test('too small a terminal says how big it must be, and the dashboard comes back after', async (t) => {
  const d = drive(t);
  await d.resize(70, 20);
  t.regex(d.text(), /needs a terminal of at least 80x24; this one is 70x20/);
  await d.resize(100, 30);
  t.notRegex(d.text(), /needs a terminal/);
  t.regex(d.text(), /instances 3/);
});

test('a level opens on its briefing with the clock paused; Enter or Space starts it', async (t) => {
  for (const key of ['\r', ' ']) {
    const d = drive(t, { briefing: true });
    t.regex(d.text(), /briefing[^]*This level: Test[^]*A level for tests[^]*Enter start the clock/);
    t.true(d.pacer.paused);
    await d.press(key);
    t.false(d.pacer.paused);
    t.notRegex(d.text(), /Enter start the clock/);
    d.close();
  }
});

test('q asks while the level runs; n keeps playing, y quits; Ctrl-C quits at once', async (t) => {
  const d = drive(t);
  await d.press('q');
  t.regex(d.text(), /The level is still running/);
  t.regex(d.text(), /Leaving now ends this play/);
  await d.press('n');
  t.notRegex(d.text(), /still running/);
  t.deepEqual(d.exits(), []);
  await d.press('qy');
  t.deepEqual(d.exits(), ['quit']);
  await d.press('\x03');
  t.deepEqual(d.exits(), ['quit', 'quit']);
});

test('L asks before leaving a running level for the level select, and says where the play is kept', async (t) => {
  const d = drive(t, { actions: { save: async () => '', exportReport: async () => '', keptIn: 'slot autosave' } });
  await d.press('L');
  t.regex(d.text(), /The play so far is kept in slot autosave/);
  t.regex(d.text(), /y leave for the level select/);
  await d.press('L');
  t.deepEqual(d.exits(), ['levels']);
});

test('at the end of the level the score is shown and q quits without asking', async (t) => {
  const d = drive(t);
  d.session.run(d.session.level.duration);
  d.dashboard.frame();
  t.regex(d.text(), /level over/);
  t.regex(d.text(), /Test: \d+ of 1000 points, grade [A-F]/);
  t.notRegex(d.text(), /next level/, 'no next level to offer');
  await d.press('q');
  t.deepEqual(d.exits(), ['quit']);
});

test('the level-over view shows its keys on its first screen at 80x24; after Esc, o brings it back and r still retries', async (t) => {
  const d = drive(t, { cols: 80, rows: 24 });
  d.session.run(d.session.level.duration);
  d.dashboard.frame();
  t.regex(d.text(), /r retry .*L level select/);
  await d.press('E');
  await d.press('\x1b');
  t.notRegex(d.text(), /Test: \d+ of 1000 points/);
  t.regex(d.text(), /level over: {2}o outcome {2}r retry/);
  await d.press('o');
  t.regex(d.text(), /Test: \d+ of 1000 points/);
  await d.press('\x1b');
  await d.press('r');
  t.deepEqual(d.exits(), ['retry']);
});

test('at 80 columns the level-over view wraps long score details instead of cutting them', (t) => {
  const workloads = ['web', 'api'].map((name) => ({ name, kind: 'web', demand: { baseRps: 100 } }));
  const d = drive(t, { cols: 80, rows: 40, patch: { ...FLEET, workloads } });
  d.session.run(d.session.level.duration);
  t.true(d.session.score().components[0]!.detail.length > 60, 'a detail longer than the view is wide');
  d.dashboard.frame();
  for (const c of d.session.score().components) {
    const last = c.detail.split(' ').pop()!;
    t.true(d.text().includes(last), `${c.name}: ${c.detail}`);
  }
});

test('H asks before a hint costs points: H again takes it, any other key keeps them', async (t) => {
  const d = drive(t, { patch: { ...FLEET, hints: ['Look at web-1.', 'Reboot it.'] } });
  const hints = d.session.level.hints.length;
  await d.press('H');
  t.regex(d.text(), new RegExp(`H again shows hint 1 of ${hints} for 25 points; any other key keeps them`));
  await d.press('j');
  await d.press('H');
  d.tick(1);
  t.is(d.session.hintsUsed, 0, 'asked twice, taken never');
  await d.press('H');
  d.tick(1);
  t.is(d.session.hintsUsed, 1);
  t.regex(d.text(), new RegExp(`hint 1 of ${hints} shown: -25 points`));
});

test('at the end of a level lost, n says the next level opens with a win, and r retries', async (t) => {
  const workloads = [{ name: 'web', kind: 'web', demand: { baseRps: 100 } }];
  const objectives = [{ kind: 'running', workload: 'web', min: 9 }];
  const d = drive(t, { next: 'Second shift', patch: { ...FLEET, workloads, objectives } });
  d.session.run(d.session.level.duration);
  t.false(d.session.score().won);
  d.dashboard.frame();
  t.notRegex(d.text(), /n next level/);
  await d.press('n');
  t.deepEqual(d.exits(), []);
  t.regex(d.text(), /Second shift opens once this level is won: r retries it/);
  await d.press('r');
  t.deepEqual(d.exits(), ['retry']);
});

test('at the end of the level n goes on to the next one and L to the level select', async (t) => {
  for (const [key, exit] of [
    ['n', 'next'],
    ['\r', 'next'],
    ['L', 'levels'],
  ] as const) {
    const d = drive(t, { next: 'Second shift' });
    d.session.run(d.session.level.duration);
    d.dashboard.frame();
    t.regex(d.text(), /n next level: Second shift/);
    await d.press(key);
    t.deepEqual(d.exits(), [exit]);
    d.close();
  }
});

test(':save and :export go to the play around the dashboard, and their outcome is shown', async (t) => {
  const calls: string[] = [];
  const actions = {
    save: async (slot: string | null) => (calls.push(`save ${slot}`), `saved slot ${slot ?? 'autosave'}`),
    exportReport: async (path: string | null) => {
      calls.push(`export ${path}`);
      if (path === 'nowhere/r.txt') throw new Error('nowhere/r.txt: expected a file ending .md, .json or .html');
      return `report written to ${path ?? 'reports/test.md'}`;
    },
    keptIn: null,
  };
  const d = drive(t, { actions });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  await d.press(':save morning\r');
  await settle();
  d.tick();
  t.regex(d.text(), /saved slot morning/);
  await d.press('E');
  await settle();
  d.tick();
  t.regex(d.text(), /report written to reports\/test\.md/);
  await d.press(':export nowhere/r.txt\r');
  await settle();
  d.tick();
  t.regex(d.text(), /✗ nowhere\/r\.txt: expected a file ending/);
  await d.press(':save a b\r');
  t.regex(d.text(), /✗ save: expected save \[slot\]/);
  // E exports over a view as well: the help, a list of resources.
  await d.press('?');
  await d.press('E');
  await d.press('\x1b:sg\r');
  await d.press('E');
  t.deepEqual(calls, ['save morning', 'export null', 'export nowhere/r.txt', 'export null', 'export null']);
  t.is(d.session.log.length, 0, 'none of these reached the session');
});

test('NO_COLOR draws no colour at all; otherwise states are coloured as well as named', (t) => {
  const fg = (attr: number) => (attr >> 9) & 0x1ff;
  const bg = (attr: number) => attr & 0x1ff;
  const plain = drive(t, { noColor: true });
  t.true(plain.attrs().every((a) => fg(a) === 0x1ff && bg(a) === 0x1ff));
  plain.close();
  const colour = drive(t);
  t.true(colour.attrs().some((a) => fg(a) !== 0x1ff));
  colour.close();
});

test('? over the briefing, then Esc, returns to the briefing; Enter then starts the clock', async (t) => {
  const d = drive(t, { briefing: true });
  t.regex(d.text(), /Enter start the clock/);
  await d.press('?');
  t.regex(d.text(), /Shift-Tab\s+previous panel/);
  await d.press('\x1b');
  t.regex(d.text(), /Enter start the clock/, 'the briefing is back, not the panels');
  t.true(d.pacer.paused);
  await d.press('\r');
  t.false(d.pacer.paused, 'Enter starts the clock rather than opening an instance');
  t.notRegex(d.text(), /instance i-\w+ \(web-/);
});

test('help wraps its key and command tables at 80 columns instead of cutting them', async (t) => {
  const d = drive(t, { cols: 80, rows: 24 });
  await d.press('?');
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    // The overlay's rows, not the key bar under it (which is cut to fit on purpose).
    lines.push(
      ...d
        .text()
        .split('\n')
        .filter((l) => l.startsWith('│') || l.startsWith('┌')),
    );
    await d.press('\x1b[6~'); // PgDn
  }
  const help = lines.join('\n');
  t.notRegex(help, /…/, 'nothing in the help is cut short');
  t.regex(help, /Enter on it opens it whole/);
});

test('Enter on a log line opens the whole line; Enter again opens what it is about; Esc goes back to the line', async (t) => {
  const d = drive(t, { cols: 80, rows: 24 });
  await d.press(':stop web-1 --force\r');
  d.tick();
  while (!/▸ events/.test(d.text())) await d.press('\t');
  await d.press('G\r'); // the instance's own line, after the command's, cut at this width
  t.regex(d.text(), /log line/);
  t.regex(d.text(), /i-\w+ \(web-1\) stopping/);
  t.regex(d.text(), /Enter open instance i-\w+/);
  await d.press('\r');
  t.regex(d.text(), /instance i-\w+ \(web-1\)/);
  await d.press('\x1b');
  t.regex(d.text(), /log line/);
  await d.press('\x1b');
  t.notRegex(d.text(), /log line/);
});

test('with promptPauses the clock stops while the : prompt is open and runs again after it', async (t) => {
  const d = drive(t, { promptPauses: true });
  t.false(d.pacer.paused);
  await d.press(':');
  t.true(d.pacer.paused);
  await d.press('ack INC-9\r');
  t.false(d.pacer.paused);
  await d.press(' :');
  t.true(d.pacer.paused);
  await d.press('\x1b');
  t.true(d.pacer.paused, 'a clock the player had paused stays paused');
});

test('the focused panel stands out by its border and label, in colour and without', async (t) => {
  for (const noColor of [false, true]) {
    const d = drive(t, { cols: 80, rows: 24, noColor });
    const screen = d.dashboard as unknown as {
      boxes: Map<string, { style: { border: { bold?: boolean }; label: { bold?: boolean } } }>;
    };
    t.true(screen.boxes.get('instances')!.style.border.bold, 'the focused border is bold');
    t.falsy(screen.boxes.get('volumes')!.style.border.bold);
    await d.press('\t');
    t.true(screen.boxes.get('volumes')!.style.border.bold);
    t.falsy(screen.boxes.get('instances')!.style.border.bold);
    d.close();
  }
});

test('the volumes list names each volume', async (t) => {
  const d = drive(t, {
    cols: 160,
    rows: 45,
    patch: {
      ...FLEET,
      fleet: [{ name: 'db-1', type: 'r6i.large', zone: 'use1-az1', volume: { type: 'gp2', size: 100 } }],
    },
  });
  t.regex(d.text(), /NAME/);
});

test("the level's injected faults show by their symptoms, not as the scenario's commands", async (t) => {
  const d = drive(t, { cols: 160, rows: 45 });
  d.session.enqueue('fail-host web-1', 'scenario');
  d.tick(3);
  // Its host has failed already: refused, which would tell of the inject as much.
  d.session.enqueue('fail-host web-1', 'scenario');
  d.tick(2);
  t.true(d.session.events.some((e) => e.kind === 'command-refused' && /fail-host/.test(e.message)));
  const text = d.text();
  t.notRegex(text, /fail-host/, 'the inject itself is not in the log, applied or refused');
  t.regex(text, /web-1/);
});
