// The summary's headline figures count what the trainee did, not what the level did to them.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadLevel } from '../../src/cli/files.js';
import { attachScript, parseScript } from '../../src/game/script.js';
import { Session } from '../../src/game/session.js';
import { costPartsText, summarize } from '../../src/game/summary.js';
import { formatSummary } from '../../src/cli/output.js';

test("the level's own injects are not counted as commands; the script's are", (t) => {
  const level = loadLevel('02-dead-host');
  const path = 'test/fixtures/levels/02-dead-host.win.txt';
  const script = parseScript(readFileSync(path, 'utf8'), path);
  const session = new Session(level, level.defaultSeed);
  attachScript(session, script);
  session.run(level.duration);
  t.true(session.log.some((c) => c.source === 'scenario'));
  const scripted = session.log.filter((c) => c.source === 'script').length;
  t.true(scripted > 0);
  t.deepEqual(summarize(session).commands, { applied: scripted, refused: 0 });
});

test('an idle run has issued no commands, and a refused one counts as refused', (t) => {
  const level = loadLevel('01-first-shift');
  const session = new Session(level, '7');
  session.run(level.duration - 1);
  t.deepEqual(summarize(session).commands, { applied: 0, refused: 0 });
  session.enqueue('fail-host web-1', 'player');
  session.enqueue('stop no-such-instance', 'player');
  session.run(1);
  t.deepEqual(summarize(session).commands, { applied: 0, refused: 2 });
});

test('a workload out of its SLO with nothing failed shows the limits a second is held to', (t) => {
  const level = loadLevel('01-first-shift');
  const session = new Session(level, '7');
  session.run(level.duration);
  const web = summarize(session).workloads.find((w) => w.name === 'web')!;
  t.is(web.failedRequests, 0);
  t.true(web.sloGoodSeconds < web.measuredSeconds, 'slow, not failing');
  t.regex(
    formatSummary(summarize(session)),
    /web \(web\): 100\.00% served, SLO met \d+\/3600 s, 0 requests failed \(SLO: ≤ 250 ms mean latency, ≥ 99\.9% served\)/,
  );
});

test("a bill's parts are shown in cents that add up to its total as shown", (t) => {
  // Each rounded alone: $0.30 + $0.00 + $0.00 + $0.01 under a total of $0.32.
  const text = costPartsText({ total: 0.32, onDemand: 0.304, spot: 0.004, ebs: 0.004, publicIpv4: 0.008 });
  const cents = [...text.matchAll(/\$(\d+\.\d\d)/g)].map((m) => Math.round(Number(m[1]) * 100));
  t.is(
    cents.reduce((a, c) => a + c, 0),
    32,
  );
  t.regex(text, /^on-demand \$0\.3\d, Spot \$0\.0\d, EBS \$0\.0\d, public IPv4 \$0\.01$/);
  t.is(
    costPartsText({ total: 1.5, onDemand: 1, spot: 0, ebs: 0.25, publicIpv4: 0.25, natGateways: 0 }),
    'on-demand $1.00, Spot $0.00, EBS $0.25, public IPv4 $0.25, NAT gateways $0.00',
  );
});

test('data lost reads the same in the summary and in the score, to one decimal', (t) => {
  const level = loadLevel('02-dead-host');
  const path = 'examples/scripts/dead-host.txt';
  const session = new Session(level, '7');
  attachScript(session, parseScript(readFileSync(path, 'utf8'), path));
  session.run(level.duration);
  const s = summarize(session);
  t.false(Number.isInteger(s.dataLostGB), `a loss with a fraction: ${s.dataLostGB} GB`);
  const details = s.score.components.map((c) => c.detail);
  t.true(
    details.some((d) => d.startsWith(`${s.dataLostGB} GB of data lost`)),
    details.join('\n'),
  );
});
