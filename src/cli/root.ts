// The folder fleetops is installed in: the nearest above this module that holds the campaign's
// levels. That is two up from src/cli/ and from dist/cli/ alike, and three up in the tests' build
// (build/src/cli/). Its own module, with nothing else, so options can name the default saves
// folder without loading levels.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `from` with levels/ in it; without one, two up (where it belongs). */
function installFolder(from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'levels'))) return dir;
  return resolve(from, '..', '..');
}

export const PROJECT_ROOT = installFolder(dirname(fileURLToPath(import.meta.url)));

/** The campaign's level files. */
export const LEVELS_DIR = join(PROJECT_ROOT, 'levels');
