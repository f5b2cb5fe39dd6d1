// A separate fleetops process recording many results into one saves folder, for the concurrency test.
// Usage: node --import tsx test/store/writer.ts <saves dir> <player> <count>
// It imports the module that defines what it calls, not the store's index: twenty of these start at
// once, and each module loaded through tsx costs every one of them.
import { recordResult, updateSettings } from '../../src/store/profile.js';

const [dir, player, count] = process.argv.slice(2) as [string, string, string];
const folder = { dir, notify: (line: string) => console.error(line) };
for (let i = 0; i < Number(count); i++) {
  await recordResult(folder, { level: 'race', seed: String(i), score: { points: i, grade: 'F', won: false }, player });
  if (i % 10 === 0) await updateSettings(folder, { speed: i + 1 });
}
