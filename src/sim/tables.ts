// Entity tables are plain records keyed by id, so a world stays JSON. Hot loops walk an array of a
// table's rows instead of a large record, kept with the world's derived data (see derived.ts).
// Every insert and delete goes through here and keeps the array in step, in the order
// Object.values would give, so building a fleet row by row stays linear; a world restored from
// JSON draws it up on first use.
import { derived, derivedKind } from './derived.js';
import type { World } from './types.js';

/** The world's tables of entities keyed by id. */
export type TableName = {
  [K in keyof World]-?: World[K] extends Record<string, infer R> ? (R extends object ? K : never) : never;
}[keyof World];

export type Row<K extends TableName> = World[K][string];

const ROWS = derivedKind<Map<TableName, unknown[]>>('table rows', () => new Map());

/** Keys that a record orders by number rather than by insertion: the array cannot simply append them. */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

const lists = (world: World) => derived(world, ROWS);

/** The rows of one of the world's tables, in Object.values order; the array is the world's, not to be changed. */
export function rows<K extends TableName>(world: World, table: K): readonly Row<K>[] {
  const kept = lists(world);
  let list = kept.get(table) as Row<K>[] | undefined;
  if (!list) {
    list = Object.values(world[table]) as Row<K>[];
    kept.set(table, list);
  }
  return list;
}

/**
 * Puts a row in its table. The table is looked into once before the write (a row is never
 * undefined, so an id it holds reads as a row): a region's tables hold a million entries each, and
 * every look into one costs a miss of the processor's caches.
 */
export function insert<K extends TableName>(world: World, table: K, id: string, row: Row<K>): void {
  const records = world[table] as Record<string, Row<K>>;
  const kept = lists(world);
  const list = kept.get(table);
  const old = records[id];
  records[id] = row;
  if (!list) return;
  const at = old !== undefined ? list.indexOf(old) : list.length;
  if (at < 0 || isArrayIndex(id)) kept.delete(table);
  else list[at] = row;
}

/** Whether `id` is a key a record orders by number (see ARRAY_INDEX); an id starting with a letter never is. */
function isArrayIndex(id: string): boolean {
  const c = id.charCodeAt(0);
  return c >= 48 && c <= 57 && ARRAY_INDEX.test(id);
}

export function remove<K extends TableName>(world: World, table: K, id: string): void {
  const records = world[table] as Record<string, Row<K>>;
  if (!Object.hasOwn(records, id)) return;
  const kept = lists(world);
  const list = kept.get(table);
  const old = records[id];
  delete records[id];
  if (!list) return;
  const at = list.indexOf(old);
  if (at < 0) kept.delete(table);
  else list.splice(at, 1);
}
