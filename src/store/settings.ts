// The player's settings, kept in the profile and copied into each save.
import type { Field } from '../input/fields.js';
// The dashboard clock's fastest speed: a saved setting above it could never be used.
import { MAX_SPEED, MIN_SPEED } from '../game/speeds.js';

export const COLOUR_MODES = ['auto', 'always', 'never'] as const;

export interface Settings {
  /** auto: colour unless NO_COLOR is set or the terminal cannot show it. */
  colour: (typeof COLOUR_MODES)[number];
  /** Simulated seconds per real second. */
  speed: number;
  /** Show the key bar at the foot of the dashboard. */
  keyHints: boolean;
  /** Stop the clock while the `:` prompt is open, so typing a command costs no simulated time. */
  promptPauses: boolean;
}

export const DEFAULT_SETTINGS: Settings = { colour: 'auto', speed: 1, keyHints: true, promptPauses: false };

export function checkSettings(f: Field): Settings {
  f.keys(['colour', 'speed', 'keyHints', 'promptPauses']);
  return {
    colour: f.at('colour').oneOf(COLOUR_MODES),
    speed: f.at('speed').number(MIN_SPEED, MAX_SPEED),
    keyHints: f.at('keyHints').boolean(),
    // Profiles written before this setting existed leave it out: they keep the clock running.
    promptPauses: f.at('promptPauses').or(DEFAULT_SETTINGS.promptPauses, (p) => p.boolean()),
  };
}
