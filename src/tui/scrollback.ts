// A log that keeps only its newest entries, each numbered so a cursor can hold on to one while
// older entries fall away.
export type Numbered<T> = T & { seq: number };

export class Scrollback<T extends object> {
  private items: Numbered<T>[] = [];
  private next = 1;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.items.push({ ...item, seq: this.next++ });
    // Trim in batches so a busy log does not shift the array on every entry.
    if (this.items.length > this.capacity * 1.25) this.items = this.items.slice(-this.capacity);
  }

  /** Entries oldest first (at most a quarter over capacity between trims). */
  entries(): readonly Numbered<T>[] {
    return this.items;
  }

  /** Number of entries ever pushed: a cheap way to tell that something new arrived. */
  get count(): number {
    return this.next - 1;
  }
}
