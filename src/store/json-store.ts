// One JSON document in the saves folder, read and written through lowdb under its own lock.
// What is read is checked; a file that is not what it should be (empty, cut short, not JSON, another
// program's, another version's) is moved aside whole, never overwritten, and reported in one line.
// The file is written whole or not at all (see write-whole.ts), so a full disk leaves the old file
// and no stray.
import { existsSync, renameSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { sizeRefusal } from '../input/file-size.js';
import { InputError } from '../input/input-error.js';
import { utf8Text } from '../input/utf8.js';
import { JsonSyntaxError, parseJson, type Field } from '../input/fields.js';
import { errorCode, osError } from './os-errors.js';
import { makeFolder } from './folder.js';
import { LockError, withLock } from './lock.js';
import { removeStrays, writeWhole } from './write-whole.js';

/** A file that is not the document it should be; its message names the file and what was expected. */
export class Unreadable extends InputError {}

/** A document too large for its kind: it is not written, since reading it back would refuse it. */
export class TooLarge extends InputError {}

/** Where saves live, and who hears of a bad file set aside while writing (a save still gets made). */
export interface SavesFolder {
  dir: string;
  notify: (line: string) => void;
}

export interface DocumentSpec<T> {
  /** The `schema` field every such document carries, e.g. `fleetops/save@1`. */
  schema: string;
  /** What such a file is, for messages: "a fleetops save". */
  what: string;
  /** The most characters such a file may hold: a longer one is set aside like any bad file, and never written. */
  maxChars: number;
  /** Checks a parsed document (its schema already checked) and returns it typed. */
  check: (doc: Field) => T;
}

function checkText<T>(path: string, text: string, spec: DocumentSpec<T>): T {
  if (text.length === 0) throw new Unreadable(`${path}: empty file (zero bytes), expected ${spec.what}`);
  let doc: Field;
  try {
    doc = parseJson(text, path, spec.maxChars);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // Begun as a document and not ended as one, nor followed by text after a whole one: most
    // likely a write cut short.
    const cut =
      text.trimStart().startsWith('{') &&
      !text.trimEnd().endsWith('}') &&
      !(err instanceof JsonSyntaxError && err.afterDocument);
    throw new Unreadable(`${err.message}${cut ? '; the file looks cut short' : ''}`);
  }
  const schema =
    typeof doc.value === 'object' && doc.value !== null && !Array.isArray(doc.value) ? doc.value.schema : undefined;
  if (schema === undefined) throw new Unreadable(`${path}: not ${spec.what} (expected "schema": "${spec.schema}")`);
  if (schema !== spec.schema)
    throw new Unreadable(
      `${path}: schema ${JSON.stringify(schema)} is not one this fleetops reads (expected "${spec.schema}")`,
    );
  try {
    return spec.check(doc);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new Unreadable(err.message);
  }
}

/** lowdb's adapter for one checked document: reads and writes fail as one line naming the file. */
class CheckedFile<T> implements Adapter<T | null> {
  constructor(
    private readonly path: string,
    private readonly spec: DocumentSpec<T>,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      const found = await stat(this.path);
      // A pipe or a device has no size to check, and a read of one waits for a writer that may never
      // come; a folder is left to the read, which says so (EISDIR).
      if (!found.isFile() && !found.isDirectory())
        throw new Unreadable(
          `${this.path}: not a regular file (a device, pipe or socket); ${this.spec.what} is a file`,
        );
      const tooLarge = sizeRefusal(this.path, found.size, this.spec.maxChars, this.spec.what);
      if (tooLarge) throw new Unreadable(tooLarge);
      text = utf8Text(await readFile(this.path), this.path);
    } catch (err) {
      if (err instanceof Unreadable) throw err;
      if (err instanceof InputError) throw new Unreadable(err.message);
      if (errorCode(err) === 'ENOENT') return null;
      throw osError(this.path, `read ${this.spec.what}`, err);
    }
    return checkText(this.path, text, this.spec);
  }

  async write(data: T | null): Promise<void> {
    const text = documentText(this.path, data, this.spec);
    try {
      writeWhole(this.path, text);
    } catch (err) {
      throw osError(this.path, `write ${this.spec.what}`, err);
    }
  }
}

/**
 * The document as written: JSON, indented, within the characters its kind may hold. Refused with
 * TooLarge beyond them (or beyond the longest string this Node makes), so that no file is written
 * that reading would refuse.
 */
function documentText<T>(path: string, data: T | null, spec: DocumentSpec<T>): string {
  const tooLarge = (size: string) =>
    new TooLarge(
      `${path}: ${size} is more than ${spec.what} may hold (at most ${spec.maxChars.toLocaleString('en-US')} characters)`,
    );
  let text: string;
  try {
    text = `${JSON.stringify(data, null, 2)}\n`;
  } catch (err) {
    if (err instanceof RangeError) throw tooLarge('more characters than one string holds');
    throw err;
  }
  if (text.length > spec.maxChars) throw tooLarge(`${text.length.toLocaleString('en-US')} characters`);
  return text;
}

/** The first free `<path>.corrupt-<n>`; called under the lock, so no other process takes it meanwhile. */
function asideName(path: string): string {
  for (let n = 1; ; n++) if (!existsSync(`${path}.corrupt-${n}`)) return `${path}.corrupt-${n}`;
}

/** The name a file set aside as unreadable had (`morning.json` of `morning.json.corrupt-2`, see asideName); null for any other. */
export function setAsideFrom(name: string): string | null {
  return /^(.+)\.corrupt-[1-9]\d*$/.exec(name)?.[1] ?? null;
}

export class JsonStore<T extends object> {
  private readonly db: Low<T | null>;

  constructor(
    readonly path: string,
    spec: DocumentSpec<T>,
    private readonly notify: SavesFolder['notify'],
  ) {
    this.db = new Low<T | null>(new CheckedFile(path, spec), null);
  }

  /**
   * The document as it is on disk now, or null when there is no file. In a folder nothing may be
   * written to (a read-only disk), which takes no lock and where no other fleetops can be writing,
   * it is read without one, and a bad file is reported where it lies, as it cannot be set aside.
   */
  async read(): Promise<T | null> {
    // Nothing there to read or set aside: no lock is needed, and none is taken, so that a read
    // makes no folder (a mistyped --saves leaves nothing behind). A writer renames its file into
    // place whole, so a file not there now is a read just before that write.
    if (!existsSync(this.path)) return null;
    try {
      return await this.locked(() => this.load());
    } catch (err) {
      if (!(err instanceof LockError) || !err.readOnly) throw err;
    }
    return this.load(false);
  }

  /**
   * Re-reads the document (null if there is none), lets `change` make the new one from it and
   * writes that, all under the lock. A bad file is set aside and reported, and `change` gets null,
   * so that a result or a save is not lost to an old broken file.
   */
  write(change: (current: T | null) => T): Promise<T> {
    return this.locked(async (stillHeld) => {
      let current: T | null;
      try {
        current = await this.load();
      } catch (err) {
        if (!(err instanceof Unreadable)) throw err;
        this.notify(err.message);
        current = null;
      }
      this.db.data = change(current);
      stillHeld();
      removeStrays(this.path);
      await this.db.write();
      return this.db.data;
    });
  }

  private locked<R>(work: (stillHeld: () => void) => Promise<R>): Promise<R> {
    makeFolder(dirname(this.path), 'the saves folder');
    return withLock(this.path, work);
  }

  /** Reads the document; a bad file is set aside (under the lock), or with `setAside` false left where it lies. */
  private async load(setAside = true): Promise<T | null> {
    this.db.data = null;
    try {
      await this.db.read();
    } catch (err) {
      if (!(err instanceof Unreadable)) throw err;
      if (!setAside) throw new Unreadable(`${err.message}; left where it is, as nothing may be written in its folder`);
      const aside = asideName(this.path);
      try {
        renameSync(this.path, aside);
      } catch (renameErr) {
        throw osError(this.path, `set the bad file aside as ${aside}`, renameErr);
      }
      throw new Unreadable(`${err.message}; the file is kept as ${aside}`);
    }
    return this.db.data;
  }
}
