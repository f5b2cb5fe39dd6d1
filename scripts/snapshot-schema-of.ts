// The JSON schema of a save's snapshot, made from its TypeScript type by ts-json-schema-generator:
// what scripts/snapshot-schema.ts writes, and what the test holding the written file to the types
// compares it with.
import { createGenerator } from 'ts-json-schema-generator';
import { join } from 'node:path';

type Schema = { definitions?: Record<string, unknown> } & Record<string, unknown>;

/**
 * The schema of SessionSnapshot. A branded type (Stored<T>, see src/sim/types.ts) is T itself in
 * JSON: the generator would read its brand as a field, so each is replaced by what it brands.
 * `root` is the project's folder, where the sources are read.
 */
export function snapshotSchema(root: string): Schema {
  const schema = createGenerator({
    path: join(root, 'src', 'game', 'session.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'SessionSnapshot',
    topRef: false,
    jsDoc: 'none',
    skipTypeCheck: true,
  }).createSchema('SessionSnapshot') as Schema;
  const definitions = schema.definitions ?? {};
  for (const name of Object.keys(definitions)) {
    const branded = /^Stored<(.+)>$/.exec(name)?.[1];
    if (branded === undefined) continue;
    definitions[name] = branded === 'number' ? { type: 'number' } : { $ref: `#/definitions/${branded}` };
  }
  return schema;
}
