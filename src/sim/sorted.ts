// Lists kept in a fixed order and changed a few entries at a time: the order is what makes a world
// kept up to date second by second and one drawn up afresh from a save walk them alike.

/** The first position whose entry does not sort before `item`. */
export function lowerBound<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most changes resorted finds by bisection. */
const BISECTED = 16;

/**
 * A new list, sorted by `compare`, without `gone` and with `added`: found by bisection when the
 * change is a few entries; else the rest kept in order and merged with `added`, sorted. Each entry
 * found by bisection moves the rest of the list along one place, so bisection serves only a
 * handful (a thousand found in a list of ninety thousand would move 45 million places), and the
 * merge, one pass, all the rest. An entry's place must not have moved since it was added. Entries
 * that compare equal keep their order, those kept before those added, as a stable sort of the two
 * lists would put them.
 */
export function resorted<T>(
  list: readonly T[],
  gone: ReadonlySet<T>,
  added: readonly T[],
  compare: (a: T, b: T) => number,
): T[] {
  const changes = gone.size + added.length;
  if (changes <= BISECTED && changes * 16 < list.length) {
    const next = list.slice();
    for (const item of gone) {
      const i = lowerBound(next, item, compare);
      if (next[i] === item) next.splice(i, 1);
    }
    for (const item of added) next.splice(lowerBound(next, item, compare), 0, item);
    return next;
  }
  const kept = gone.size ? list.filter((item) => !gone.has(item)) : list.slice();
  if (added.length === 0) return kept;
  const adding = added.slice().sort(compare);
  const next: T[] = [];
  let a = 0;
  for (const item of kept) {
    while (a < adding.length && compare(adding[a]!, item) < 0) next.push(adding[a++]!);
    next.push(item);
  }
  while (a < adding.length) next.push(adding[a++]!);
  return next;
}
