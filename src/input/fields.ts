// The field reader for JSON documents written by people (levels, saves, profiles, settings): each
// failure names the field's path (`fleet[2].zone`) and what was expected there.
import { parse, ParseErrorCode, printParseErrorCode, visit, type JSONPath, type ParseError } from 'jsonc-parser';
import { CONTROL_IN_TEXT, escapeControls } from './control.js';
import { InputError } from './input-error.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The shape of a moment as toISOString writes it (see Field.isoTime). */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export class Field {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly value: Json | undefined,
  ) {}

  /** Throws the one-line refusal of this field; `got` says what was found where the value itself would not. */
  fail(expected: string, got?: string): never {
    // JSON has no infinities: a number too large for a double (1e999) is read as one, and would be written as null.
    got ??=
      this.value === undefined
        ? 'nothing'
        : typeof this.value === 'number' && !Number.isFinite(this.value)
          ? `${this.value < 0 ? '-' : ''}a number too large for a double`
          : escapeControls(JSON.stringify(this.value).slice(0, 40));
    throw new InputError(`${this.source}: ${this.path || '(top level)'}: expected ${expected}, got ${got}`);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  at(key: string): Field {
    const obj = this.object();
    return new Field(this.source, this.path ? `${this.path}.${key}` : key, obj[key]);
  }

  object(): { [key: string]: Json } {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail('an object');
    return this.value;
  }

  /** Fails on any key not in `known`, so a misspelt field is reported, not ignored. */
  keys(known: readonly string[]): this {
    for (const key of Object.keys(this.object())) {
      if (!known.includes(key))
        throw new InputError(
          `${this.source}: ${this.path ? `${this.path}.` : ''}${key}: unknown field (expected one of ${known.join(', ')})`,
        );
    }
    return this;
  }

  /** A list of at most `max` entries. */
  items(max = Infinity): Field[] {
    if (!Array.isArray(this.value)) this.fail('a list');
    if (this.value.length > max)
      this.fail(`at most ${max.toLocaleString('en-US')} entries`, this.value.length.toLocaleString('en-US'));
    return this.value.map((_, i) => new Field(this.source, `${this.path}[${i}]`, (this.value as Json[])[i]));
  }

  /** A list of at most `max` entries, or an empty one when the field is absent. */
  optionalItems(max = Infinity): Field[] {
    return this.present ? this.items(max) : [];
  }

  /**
   * A non-empty string, matching `pattern` when given. Control characters other than a newline or
   * a tab are refused: shown in the dashboard, a summary or a report, they would move the
   * terminal's cursor or change its colours.
   */
  string(pattern?: RegExp, expected = 'a string'): string {
    // An empty string is a string: what is missing is its text.
    if (this.value === '') this.fail(`${expected}, not an empty one`);
    if (typeof this.value !== 'string' || (pattern && !pattern.test(this.value))) this.fail(expected);
    if (CONTROL_IN_TEXT.test(this.value)) this.fail(`${expected} without control characters`);
    return this.value;
  }

  /**
   * A moment as Date's toISOString writes it, such as 2026-03-02T09:00:00.000Z: a real one, so
   * that 2026-02-31, which Date.parse rolls over into March, is refused rather than read as another.
   */
  isoTime(): string {
    const text = this.string(ISO_TIME, 'a time such as 2026-03-02T09:00:00.000Z');
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || new Date(ms).toISOString() !== text) this.fail('a real date and time');
    return text;
  }

  oneOf<T extends string>(options: readonly T[]): T {
    if (typeof this.value !== 'string' || !options.includes(this.value as T)) this.fail(`one of ${options.join(', ')}`);
    return this.value as T;
  }

  number(min = -Infinity, max = Infinity): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value) || this.value < min || this.value > max) {
      this.fail(max === Infinity ? `a number >= ${min}` : `a number from ${min} to ${max}`);
    }
    return this.value;
  }

  int(min = -Infinity, max = Infinity): number {
    if (typeof this.value !== 'number' || !Number.isInteger(this.value) || this.value < min || this.value > max) {
      this.fail(max === Infinity ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`);
    }
    return this.value;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail('true or false');
    return this.value;
  }

  or<T>(fallback: T, read: (f: Field) => T): T {
    return this.present ? read(this) : fallback;
  }
}

/** How deep a document written by people or by fleetops may nest; a save's snapshot is the deepest, at 8. */
export const MAX_JSON_DEPTH = 64;

/**
 * The depth of the deepest `[` or `{` in JSON text, scanned without recursion so that text nested
 * far too deep is measured, not followed into a stack overflow. Stops counting past `limit`.
 */
export function depthOf(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** What a syntax error of jsonc-parser's means, as a refusal says it. */
const SYNTAX: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'a character JSON does not allow here',
  [ParseErrorCode.InvalidNumberFormat]: 'a number JSON cannot read',
  [ParseErrorCode.PropertyNameExpected]: 'expected a name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: "expected ':' after the name",
  [ParseErrorCode.CommaExpected]: "expected ',' or the end of the object or list",
  [ParseErrorCode.CloseBraceExpected]: "expected '}'",
  [ParseErrorCode.CloseBracketExpected]: "expected ']'",
  [ParseErrorCode.EndOfFileExpected]: 'expected nothing after the document',
  [ParseErrorCode.InvalidCommentToken]: 'a comment, which JSON does not allow',
  [ParseErrorCode.UnexpectedEndOfComment]: 'a comment, which JSON does not allow',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string with no closing quote on its line',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number cut short',
  [ParseErrorCode.InvalidUnicode]: 'a \\u escape without four hex digits',
  [ParseErrorCode.InvalidEscapeCharacter]: 'an escape JSON does not have',
  [ParseErrorCode.InvalidCharacter]: 'a control character inside a string',
};

/** The first syntax error in `text`, by jsonc-parser with JSON's own rules; null if it finds none. */
function syntaxError(text: string): ParseError | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0] ?? null;
}

/** A path as Field names it: `fleet[2].volume`. */
const pathText = (path: JSONPath) =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i > 0 ? `.${part}` : part)).join('');

/**
 * The first key an object in `text` (valid JSON) holds twice: the key, where it appears again (line
 * and column from 1) and the object's path; null when every key appears once. JSON.parse keeps the
 * last value silently, so a field set twice would play with one of them unread (RFC 8259 §4: names
 * within an object SHOULD be unique).
 */
function repeatedKey(text: string): { key: string; line: number; column: number; path: string } | null {
  const open: Set<string>[] = [];
  let found: ReturnType<typeof repeatedKey> = null;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, _offset, _length, line, column, path) => {
        const keys = open.at(-1)!;
        if (keys.has(key)) found ??= { key, line: line + 1, column: column + 1, path: pathText(path()) };
        keys.add(key);
      },
    },
    { disallowComments: true },
  );
  return found;
}

/**
 * Parses JSON text of at most `maxChars` characters and `MAX_JSON_DEPTH` levels of nesting, with
 * no key twice in one object, reporting a syntax error with its line and column, a repeated key
 * with where it repeats, and either bound as one line.
 */
/** Text that is not JSON, and whether a whole document came before the fault (text added after it). */
export class JsonSyntaxError extends InputError {
  constructor(
    message: string,
    readonly afterDocument: boolean,
  ) {
    super(message);
  }
}

/** Whether `text` is one whole JSON document. */
function isDocument(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function parseJson(text: string, source: string, maxChars: number): Field {
  if (text.length > maxChars)
    throw new InputError(
      `${source}: ${text.length.toLocaleString('en-US')} characters is more than such a file may hold (at most ${maxChars.toLocaleString('en-US')})`,
    );
  if (depthOf(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new InputError(`${source}: nested more than ${MAX_JSON_DEPTH} levels deep; no fleetops file nests that deep`);
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    // V8's message names no position for some errors and says 'Unexpected string' for a missing
    // colon: jsonc-parser finds where and what, by the same grammar.
    const found = syntaxError(text);
    if (!found)
      throw new InputError(
        `${source}: not valid JSON (${escapeControls((err as Error).message.replace(/\s+/g, ' ').slice(0, 120))})`,
      );
    const before = text.slice(0, found.offset);
    const line = before.split('\n').length;
    const column = found.offset - before.lastIndexOf('\n');
    const what = SYNTAX[found.error] ?? printParseErrorCode(found.error);
    const afterDocument = isDocument(before);
    const ends = found.offset >= text.trimEnd().length ? ', where the text ends' : '';
    throw new JsonSyntaxError(
      `${source}:${line}:${column}: not valid JSON (${afterDocument ? 'text after the end of the document' : what}${ends})`,
      afterDocument,
    );
  }
  const repeated = repeatedKey(text);
  if (repeated) {
    const { key, line, column, path } = repeated;
    throw new InputError(
      `${source}:${line}:${column}: ${path ? `${path}: ` : ''}"${escapeControls(key.slice(0, 40))}" is given twice in one object; JSON keeps only the last, so give it once`,
    );
  }
  return new Field(source, '', doc);
}
