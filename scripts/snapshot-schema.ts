// Writes src/store/snapshot-schema.json, the JSON schema of a save's snapshot (SessionSnapshot in
// src/game/session.ts, the world with it) that `load --fast` holds a snapshot to before restoring
// it (src/store/snapshot-check.ts). Run it after changing their shape; a test fails while the file
// and the types disagree.
//   npm run schema
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotSchema } from './snapshot-schema-of.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'src', 'store', 'snapshot-schema.json');
writeFileSync(out, `${JSON.stringify(snapshotSchema(root), null, 2)}\n`);
console.log(`wrote ${out}`);
