// The folder fleetops is installed in: two up from src/cli/ and from dist/cli/ alike. Its own
// module, with nothing else, so options can name the default saves folder without loading levels.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The campaign's level files. */
export const LEVELS_DIR = join(PROJECT_ROOT, 'levels');
