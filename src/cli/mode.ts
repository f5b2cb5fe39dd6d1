// `--mode training|exam`, shared by every command that starts a play.
import { DEFAULT_MODE, HINT_COST, MODES, type Mode } from '../game/mode.js';
import { InputError } from '../game/input-error.js';
import type { OptionSpec } from './args.js';
import { optionText } from './play-end.js';

export const MODE_OPTION = {
  mode: {
    value: true,
    help: `training (the default: hints on request, ${HINT_COST} points each, and the lesson) or exam (the situation only, no hints)`,
  },
} as const satisfies Record<string, OptionSpec>;

export function modeOption(command: string, options: Record<string, string | true>): Mode {
  const text = optionText(options, 'mode');
  if (text === undefined) return DEFAULT_MODE;
  if (!(MODES as readonly string[]).includes(text))
    throw new InputError(`${command}: --mode ${text}: expected ${MODES.join(' or ')}`);
  return text as Mode;
}
