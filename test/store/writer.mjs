// A separate fleetops process recording many results into one saves folder, for the concurrency test.
// Usage: node test/store/writer.mjs <saves dir> <player> <count>
// It runs the built store in dist/, as fleetops itself does, with no TypeScript loader: twenty of
// these start at once, and tsx cost each of them more CPU than its writes did. The test makes sure
// the build is current first.
import { recordResult, updateSettings } from '../../dist/store/profile.js';

const [dir, player, count] = process.argv.slice(2);
const folder = { dir, notify: (line) => console.error(line) };
for (let i = 0; i < Number(count); i++) {
  await recordResult(folder, { level: 'race', seed: String(i), score: { points: i, grade: 'F', won: false }, player });
  if (i % 10 === 0) await updateSettings(folder, { speed: i + 1 });
}
