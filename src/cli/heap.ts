// A level's world must fit the heap this Node runs with: one too big for it is refused before it is
// built, in one line saying how much it needs, instead of V8 aborting partway through.
import { getHeapStatistics } from 'node:v8';
import { InputError } from '../input/input-error.js';
import { levelSize, type Level } from '../game/level.js';

/**
 * Heap a world takes, in bytes per host and per instance (with its interface, volumes, derived
 * data and a full event log): `npm run bench`'s realistic region holds 208 to 211 MiB at 10,000
 * hosts and 108,000 instances, which these put at 220 MiB, and 1,631 MiB at 100,000 hosts
 * (README, Performance).
 */
const BYTES_PER_HOST = 1_500;
const BYTES_PER_INSTANCE = 2_000;

/** Heap a level's world is expected to take, in bytes. */
export function worldBytes(level: Level): number {
  const { hosts, instances } = levelSize(level);
  return hosts * BYTES_PER_HOST + instances * BYTES_PER_INSTANCE;
}

/** Refuses a level whose world would not fit what is left of the heap. */
export function checkFitsHeap(level: Level, source: string): void {
  const { heap_size_limit: limit, used_heap_size: used } = getHeapStatistics();
  const needed = worldBytes(level);
  if (needed <= limit - used) return;
  const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
  throw new InputError(
    `${source}: its world needs about ${mib(needed)} MiB of heap and this Node has ${mib(limit - used)} MiB free; run with NODE_OPTIONS=--max-old-space-size=${mib(needed + used) + 256} or make the level smaller`,
  );
}
