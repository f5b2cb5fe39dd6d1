// `fleetops saves`: the saved games in the saves folder, newest first, and the files set aside as unreadable.
import { join } from 'node:path';
import { InputError } from '../../input/input-error.js';
import { formatClock } from '../../sim/index.js';
import { listSlots, setAsideSlots } from '../../store/index.js';
import { parseArgs, type Subcommand } from '../args.js';
import { SAVES_OPTION, savesFolder } from '../options.js';
import { shortDate, table } from '../output.js';

async function savesCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('saves', argv, SAVES_OPTION);
  if (positionals.length) throw new InputError('saves: takes no arguments, e.g. fleetops saves --saves DIR');
  const folder = savesFolder(options);
  const slots = await listSlots(folder);
  const aside = setAsideSlots(folder);
  if (slots.length === 0) console.log(`no saves in ${folder.dir}`);
  else {
    const rows = slots.map((s) => [s.slot, s.level, s.seed, s.mode, formatClock(s.tick), shortDate(s.savedAt), s.kind]);
    console.log(table(['slot', 'level', 'seed', 'mode', 'at', 'saved', 'kind'], rows));
  }
  if (aside.length)
    console.log(`set aside as unreadable (kept, never loaded), in ${join(folder.dir, 'slots')}: ${aside.join(', ')}`);
  return 0;
}

export default {
  summary: 'list the saved games',
  positionals: '',
  options: SAVES_OPTION,
  run: savesCommand,
} satisfies Subcommand;
