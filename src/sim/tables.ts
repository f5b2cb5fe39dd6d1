// Entity tables are plain records keyed by id, so a world stays JSON. Hot loops walk a cached array
// of a table's rows instead of a large record. Every insert and delete goes through here and keeps
// the cache in step, in the order Object.values would give, so building a fleet row by row stays
// linear; a world restored from JSON starts without one.

const rowCache = new WeakMap<object, unknown[]>();

/** Keys that a record orders by number rather than by insertion: the cache cannot simply append them. */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

export function rows<T>(table: Record<string, T>): readonly T[] {
  let list = rowCache.get(table) as T[] | undefined;
  if (!list) {
    list = Object.values(table);
    rowCache.set(table, list);
  }
  return list;
}

export function insert<T>(table: Record<string, T>, id: string, row: T): void {
  const list = rowCache.get(table) as T[] | undefined;
  const had = Object.hasOwn(table, id);
  const old = table[id];
  table[id] = row;
  if (!list) return;
  const at = had ? list.indexOf(old as T) : list.length;
  if (ARRAY_INDEX.test(id) || at < 0) rowCache.delete(table);
  else list[at] = row;
}

export function remove<T>(table: Record<string, T>, id: string): void {
  if (!Object.hasOwn(table, id)) return;
  const list = rowCache.get(table) as T[] | undefined;
  const old = table[id];
  delete table[id];
  if (!list) return;
  const at = list.indexOf(old as T);
  if (at < 0) rowCache.delete(table);
  else list.splice(at, 1);
}
