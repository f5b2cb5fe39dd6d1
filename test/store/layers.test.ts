// The store is an adapter: it builds on the game and the model, never on the command line or the
// dashboard (test/architecture.test.ts keeps the game and the model from importing it).
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const imports = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)].map(
        (m) => [join(dir, f), join(dir, f, '..', m[1]!)] as const,
      ),
    );

test('src/store imports only from the game, the model and itself', (t) => {
  const outside = imports('src/store').filter(
    ([, target]) => !['src/game/', 'src/sim/', 'src/store/'].some((layer) => target.startsWith(layer)),
  );
  t.deepEqual(outside, []);
});
