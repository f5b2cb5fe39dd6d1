// What a zone's outage tells: the production-like region (bench/realistic-fleet.ts) two minutes into
// the afternoon peak, `impair-zone use1-az1`, then fifteen simulated minutes. Prints how many
// events of each kind the session logged in them, and the incidents it opened: one event for each
// cause, the instances or volumes it reached listed in it.
// Runnable alone: npx tsx bench/zone-events.ts [hosts] (a multiple of 20 from 20 to 200,000, 1,000
// unless given).
import { Session } from '../src/game/session.js';
import { PEAK_START, realisticLevel } from './realistic-fleet.js';
import { hostCount, readArgs } from './args.js';

const script = 'bench/zone-events.ts';
const { positionals } = readArgs({ script, usage: `${script} [hosts]`, positionals: 1 });
const hosts = positionals[0] === undefined ? 1000 : hostCount(script, '[hosts]', positionals[0]);

const session = new Session(realisticLevel(hosts, PEAK_START, '24h'), 'bench');
session.run(120);
const from = session.events.length;
session.enqueue('impair-zone use1-az1', 'scenario');
session.run(15 * 60);
const told = session.events.slice(from);
const byKind = new Map<string, { events: number; listed: number }>();
for (const e of told) {
  const kind = byKind.get(e.kind) ?? { events: 0, listed: 0 };
  kind.events++;
  kind.listed += e.instanceIds?.length ?? e.volumeIds?.length ?? 0;
  byKind.set(e.kind, kind);
}
console.log(`${hosts} hosts, impair-zone use1-az1 at 15:02, the next 15 minutes: ${told.length} events`);
for (const [kind, { events, listed }] of [...byKind].sort())
  console.log(`  ${kind.padEnd(32)} ${String(events).padStart(4)}${listed ? `  listing ${listed}` : ''}`);
for (const inc of session.incidents) console.log(`  ${inc.id} ${inc.title}`);
