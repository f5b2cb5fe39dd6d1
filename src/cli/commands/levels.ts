// `fleetops levels`: the campaign in play order with the player's progress, the level select's
// figures as text.
import { InputError } from '../../input/input-error.js';
import { campaignProgress, levelStatus } from '../../game/campaign.js';
import { readProfile } from '../../store/index.js';
import { parseArgs, type Subcommand } from '../args.js';
import { levelFiles, loadLevel } from '../files.js';
import { SAVES_OPTION, savesFolder } from '../options.js';
import { columns, pad } from '../../text/width.js';

async function levelsCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('levels', argv, SAVES_OPTION);
  if (positionals.length) throw new InputError('levels: takes no arguments, e.g. fleetops levels --saves DIR');
  const levels = levelFiles().map((f) => loadLevel(f));
  const progress = campaignProgress(
    await readProfile(savesFolder(options)),
    levels.map((l) => l.id),
  );
  const titleWidth = Math.max(...levels.map((l) => columns(l.title)));
  const idWidth = Math.max(...levels.map((l) => l.id.length));
  levels.forEach((level, i) => {
    const p = progress[i]!;
    const best = p.bestScore === null ? '' : `best ${p.bestScore} ${p.bestGrade}`;
    console.log(
      `${level.id.padEnd(idWidth)}  ${pad(level.title, titleWidth)}  ${levelStatus(p).padEnd(6)}  ${best}`.trimEnd(),
    );
  });
  return 0;
}

export default {
  summary: "list the campaign's levels with your progress: won, open or locked, and best scores",
  positionals: '',
  options: SAVES_OPTION,
  run: levelsCommand,
} satisfies Subcommand;
