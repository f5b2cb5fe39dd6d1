// Lists kept in a fixed order and changed a few entries at a time: the order is what makes a world
// kept up to date second by second and one drawn up afresh from a save walk them alike.

/**
 * The first position at or after `from` whose entry sorts after `item` (`past` true) or does not
 * sort before it (`past` false): bisection over the entries in order.
 */
function bisect<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number, from: number, past: boolean): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compare(list[mid]!, item);
    if (order < 0 || (past && order === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position whose entry does not sort before `item`. */
export function lowerBound<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  return bisect(list, item, compare, 0, false);
}

/** Where `item` itself is in `list` (found by bisection, then among entries that compare equal to it); -1 if it is not there. */
function placeOf<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  for (let i = lowerBound(list, item, compare); i < list.length; i++) {
    if (list[i] === item) return i;
    if (compare(list[i]!, item) !== 0) break;
  }
  return -1;
}

/**
 * A new list, sorted by `compare`, without `gone` and with `added`. Entries that compare equal
 * keep their order, those kept before those added, as a stable sort of the two lists would put
 * them. An entry's place must not have moved since it was added.
 *
 * Each change is found by bisection while that looks at fewer entries than a pass over the list:
 * a region's lists hold tens of thousands of records scattered over the heap, each look at one a
 * likely miss of the processor's caches, and a Spot pool's or a zone's changes reach a few dozen or
 * a few thousand of them. The entries between the changes are copied as they stand, unread. With
 * more changes, one pass: the list filtered and merged with `added`, sorted.
 */
export function resorted<T>(
  list: readonly T[],
  gone: ReadonlySet<T>,
  added: readonly T[],
  compare: (a: T, b: T) => number,
): T[] {
  const adding = added.length > 1 ? added.slice().sort(compare) : added;
  const bisections = (gone.size + adding.length) * Math.ceil(Math.log2(list.length + 1));
  return bisections < list.length ? spliced(list, gone, adding, compare) : merged(list, gone, adding, compare);
}

/** resorted by bisection: `adding` in order. */
function spliced<T>(
  list: readonly T[],
  gone: ReadonlySet<T>,
  adding: readonly T[],
  compare: (a: T, b: T) => number,
): T[] {
  const cuts: number[] = [];
  for (const item of gone) {
    const at = placeOf(list, item, compare);
    if (at >= 0) cuts.push(at);
  }
  cuts.sort((a, b) => a - b);
  // The runs of entries between changes, sliced and joined once: the list is copied in two moves
  // of memory rather than grown an entry at a time, which for a list of tens of thousands takes
  // new memory again and again.
  const pieces: (readonly T[])[] = [];
  let from = 0;
  let cut = 0;
  const copyTo = (end: number) => {
    for (; cut < cuts.length && cuts[cut]! < end; cut++) {
      pieces.push(list.slice(from, cuts[cut]));
      from = cuts[cut]! + 1;
    }
    pieces.push(list.slice(from, end));
    from = end;
  };
  let place = 0;
  for (const item of adding) {
    place = bisect(list, item, compare, place, true);
    copyTo(place);
    pieces.push([item]);
  }
  copyTo(list.length);
  return ([] as T[]).concat(...pieces);
}

/** resorted in one pass: `adding` in order. */
function merged<T>(
  list: readonly T[],
  gone: ReadonlySet<T>,
  adding: readonly T[],
  compare: (a: T, b: T) => number,
): T[] {
  // Copied at once and compacted in place: a list grown an entry at a time, as filter grows one,
  // takes new memory again and again for tens of thousands.
  const kept = list.slice();
  if (gone.size) {
    let at = 0;
    for (let i = 0; i < kept.length; i++) {
      const item = kept[i]!;
      if (!gone.has(item)) kept[at++] = item;
    }
    kept.length = at;
  }
  if (adding.length === 0) return kept;
  const next: T[] = [];
  let a = 0;
  for (const item of kept) {
    while (a < adding.length && compare(adding[a]!, item) < 0) next.push(adding[a++]!);
    next.push(item);
  }
  while (a < adding.length) next.push(adding[a++]!);
  return next;
}
