// What keeping a region's objects costs V8, apart from the model: records shaped as an instance's,
// made and kept (as a region's build keeps them) or made and let go; and fresh ids put into plain
// records keyed by id (the world's tables), into Maps, into arrays, or only entered as keys. The building of a 100,000-host region
// makes about 1,080,000 instances and three ids each. Prints one line of JSON, CPU times in ms.
//   npx tsx bench/objects.ts [count] (1,000 to 2,000,000; 1,080,000 unless given)
import { flat } from '../src/sim/ids.js';
import { cpuMs } from './cpu.js';
import { readArgs, wholeNumber } from './args.js';

const script = 'bench/objects.ts';
const { positionals } = readArgs({ script, usage: `${script} [count]`, positionals: 1 });
const count =
  positionals[0] === undefined ? 1_080_000 : wholeNumber(script, '[count]', positionals[0], 1000, 2_000_000);

/** Records with an instance's fields and kinds of value; all kept, or all let go but every 1,024th. */
function records(keep: boolean): number {
  const kept: object[] = [];
  const started = cpuMs();
  for (let i = 0; i < count; i++) {
    const record = {
      id: `i-${i}`,
      name: null,
      type: 'm6i.4xlarge',
      zoneId: 'use1-az1',
      hostId: null,
      state: 'running',
      stateSince: -5,
      transitionAt: null,
      stopReason: null,
      market: 'on-demand',
      spot: null,
      placementGroup: null,
      partition: 0,
      eniId: `eni-${i}`,
      rootVolumeId: `vol-${i}`,
      instanceStore: null,
      guestHealthy: true,
      guestRestartUntil: null,
      autoRecovery: true,
      workload: 'web',
      launchSeq: i + 1,
      amiLaunchIndex: i,
      launchedAt: 0,
      restartedAt: null,
      costMicros: -0,
      costMark: null,
      billedSince: null,
    };
    if (keep || (i & 1023) === 0) kept.push(record);
  }
  return Math.round(cpuMs() - started);
}

/**
 * Fresh 17-digit hex ids as the model writes them (flat strings), three to a record, put into three
 * tables: records keyed by id (the world's tables), Maps, arrays (no key at all), or records
 * replaced every 1,024 keys, which stay small while V8 still enters every key into its table of
 * property names (the string table) as a key of a record must be.
 */
function tables(kind: 'record' | 'map' | 'list' | 'interned'): number {
  const ids = ['i', 'vol', 'eni'].map((prefix) =>
    Array.from({ length: count }, (_, i) =>
      flat(prefix, '-0', ((i * 2654435761 + 0x9e3779b9) % 2 ** 53).toString(16).padStart(16, '0')),
    ),
  );
  const started = cpuMs();
  if (kind === 'record') {
    const held = ids.map(() => ({}) as Record<string, number>);
    for (let i = 0; i < count; i++) for (let t = 0; t < 3; t++) held[t]![ids[t]![i]!] = i;
  } else if (kind === 'map') {
    const held = ids.map(() => new Map<string, number>());
    for (let i = 0; i < count; i++) for (let t = 0; t < 3; t++) held[t]!.set(ids[t]![i]!, i);
  } else if (kind === 'list') {
    const held = ids.map(() => [] as string[]);
    for (let i = 0; i < count; i++) for (let t = 0; t < 3; t++) held[t]!.push(ids[t]![i]!);
  } else {
    let held: Record<string, number> = {};
    for (let i = 0; i < count; i++) {
      if ((i & 1023) === 0) held = {};
      for (let t = 0; t < 3; t++) held[ids[t]![i]!] = i;
    }
  }
  return Math.round(cpuMs() - started);
}

console.log(
  JSON.stringify({
    count,
    recordsKeptCpuMs: records(true),
    recordsDroppedCpuMs: records(false),
    idsIntoListsCpuMs: tables('list'),
    idsInternedCpuMs: tables('interned'),
    idsIntoRecordsCpuMs: tables('record'),
    idsIntoMapsCpuMs: tables('map'),
  }),
);
