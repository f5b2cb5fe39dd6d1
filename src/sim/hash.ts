// A stable 64-bit fingerprint of a world, computed by walking the value rather than building one
// JSON string, so that it stays cheap for worlds far larger than a string can hold.

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193) >>> 0;
}

/** Code units that mark what follows in the stream hashed: a value's kind, or the end of an object. */
const MARK = { null: 0, number: 1, string: 2, boolean: 3, array: 4, object: 5, objectEnd: 6 } as const;
const COLON = 0x3a;
const EQUALS = 0x3d;
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
/** Objects with more keys than this are tables, not records: their sorted keys are not kept. */
const MAX_RECORD_KEYS = 64;
/** Orders of the same keys kept for each number of keys and first key. */
const MAX_KEY_ORDERS = 16;

/**
 * The hash of a stream of UTF-16 code units, fed one at a time or a string at a time: a value is
 * hashed as the text `\u0001` + number, `\u0002` + length + `:` + string, and so on would be,
 * without the text being made (a world of a million instances has tens of millions of fields).
 */
class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01234567;
  /**
   * Sorted key lists by the number of keys and the first, for objects whose keys come in the same
   * order: records of one kind share theirs, and a world holds a million records of a few kinds.
   */
  private readonly sortedKeys = new Map<number, Map<string, { keys: string[]; sorted: string[] }[]>>();

  unit(c: number): void {
    this.a = mix(this.a, c);
    const b = Math.imul(this.b ^ c, 0x5bd1e995) >>> 0;
    this.b = (b ^ (b >>> 15)) >>> 0;
  }

  text(s: string): void {
    let { a, b } = this;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = mix(a, c);
      b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
      b = (b ^ (b >>> 15)) >>> 0;
    }
    this.a = a;
    this.b = b;
  }

  value(v: unknown): void {
    if (v === null || v === undefined) {
      this.unit(MARK.null);
      return this.unit(LETTER_N);
    }
    switch (typeof v) {
      case 'number':
        this.unit(MARK.number);
        return this.text(String(v));
      case 'string':
        this.unit(MARK.string);
        this.text(String(v.length));
        this.unit(COLON);
        return this.text(v);
      case 'boolean':
        this.unit(MARK.boolean);
        return this.unit(v ? LETTER_T : LETTER_F);
      case 'object':
        if (Array.isArray(v)) {
          this.unit(MARK.array);
          this.text(String(v.length));
          for (const item of v) this.value(item);
          return;
        }
        this.unit(MARK.object);
        for (const key of this.sorted(Object.keys(v as object))) {
          const field = (v as Record<string, unknown>)[key];
          if (field === undefined) continue;
          this.text(key);
          this.unit(EQUALS);
          this.value(field);
        }
        return this.unit(MARK.objectEnd);
      default:
        throw new TypeError(`cannot fingerprint a ${typeof v}`);
    }
  }

  /** `keys` sorted, as a list kept for objects whose keys come in the same order. */
  private sorted(keys: string[]): string[] {
    if (keys.length < 2) return keys;
    // A table's keys (instance ids and the like) are seen once each: only records' are kept.
    if (keys.length > MAX_RECORD_KEYS) return [...keys].sort();
    let byFirst = this.sortedKeys.get(keys.length);
    if (!byFirst) this.sortedKeys.set(keys.length, (byFirst = new Map()));
    let seen = byFirst.get(keys[0]!);
    if (!seen) byFirst.set(keys[0]!, (seen = []));
    for (const s of seen) if (sameKeys(s.keys, keys)) return s.sorted;
    const sorted = [...keys].sort();
    if (seen.length < MAX_KEY_ORDERS) seen.push({ keys, sorted });
    return sorted;
  }

  hex(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Hash of any plain JSON value; object keys are sorted so key order never matters. */
export function fingerprint(value: unknown): string {
  const f = new Fingerprint();
  f.value(value);
  return f.hex();
}
