// Entity tables are plain records keyed by id, so a world stays JSON. Hot loops walk a cached array
// of a table's rows instead of a large record. Every insert and delete goes through here, so the
// cache is never stale; a world restored from JSON starts without one.

const rowCache = new WeakMap<object, unknown[]>();

export function rows<T>(table: Record<string, T>): readonly T[] {
  let list = rowCache.get(table) as T[] | undefined;
  if (!list) {
    list = Object.values(table);
    rowCache.set(table, list);
  }
  return list;
}

export function insert<T>(table: Record<string, T>, id: string, row: T): void {
  table[id] = row;
  rowCache.delete(table);
}

export function remove<T>(table: Record<string, T>, id: string): void {
  delete table[id];
  rowCache.delete(table);
}
