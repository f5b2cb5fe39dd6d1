// A stable 64-bit fingerprint of a world, computed by walking the value rather than building one
// JSON string, so that it stays cheap for worlds far larger than a string can hold.

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193) >>> 0;
}

class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01234567;

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
    if (v === null || v === undefined) return this.text('\u0000n');
    switch (typeof v) {
      case 'number':
        return this.text(`\u0001${v}`);
      case 'string':
        return this.text(`\u0002${v.length}:${v}`);
      case 'boolean':
        return this.text(v ? '\u0003t' : '\u0003f');
      case 'object':
        if (Array.isArray(v)) {
          this.text(`\u0004${v.length}`);
          for (const item of v) this.value(item);
          return;
        }
        this.text('\u0005');
        for (const key of Object.keys(v as object).sort()) {
          const field = (v as Record<string, unknown>)[key];
          if (field === undefined) continue;
          this.text(`${key}=`);
          this.value(field);
        }
        return this.text('\u0006');
      default:
        throw new TypeError(`cannot fingerprint a ${typeof v}`);
    }
  }

  hex(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}

/** Hash of any plain JSON value; object keys are sorted so key order never matters. */
export function fingerprint(value: unknown): string {
  const f = new Fingerprint();
  f.value(value);
  return f.hex();
}
