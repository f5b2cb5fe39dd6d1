// `fleetops settings [name value]`: the player's settings, shown or changed. They apply to every
// play in the dashboard that does not say otherwise on its command line.
import { InputError } from '../../input/input-error.js';
import { MAX_SPEED, MIN_SPEED } from '../../game/speeds.js';
import { COLOUR_MODES, readSettings, updateSettings, type Settings } from '../../store/index.js';
import { parseArgs, type Subcommand } from '../args.js';
import { DECIMAL, SAVES_OPTION, savesFolder } from '../options.js';

interface SettingSpec {
  help: string;
  expected: string;
  parse(text: string): Settings[keyof Settings] | undefined;
}

/** Other spellings people type for a setting (NO_COLOR's, for one). */
const ALIASES: Record<string, keyof Settings> = { color: 'colour' };

const onOff = (text: string) => (text === 'on' ? true : text === 'off' ? false : undefined);

const SETTINGS: Record<keyof Settings, SettingSpec> = {
  colour: {
    help: 'colour in the dashboard: auto (unless NO_COLOR is set), always or never',
    expected: COLOUR_MODES.join(', '),
    parse: (text) => COLOUR_MODES.find((m) => m === text),
  },
  speed: {
    help: "the clock's speed a play starts at, in simulated seconds per real second",
    // As --speed takes it, so that any speed a play can start at can be kept.
    expected: `a number from ${MIN_SPEED} to ${MAX_SPEED}`,
    parse: (text) =>
      DECIMAL.test(text) && Number(text) >= MIN_SPEED && Number(text) <= MAX_SPEED ? Number(text) : undefined,
  },
  keyHints: {
    help: 'the key hints at the foot of the dashboard',
    expected: 'on or off',
    parse: onOff,
  },
  promptPauses: {
    help: 'stop the clock while the : prompt is open',
    expected: 'on or off',
    parse: onOff,
  },
};

const shown = (value: Settings[keyof Settings]) =>
  typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);

async function settingsCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('settings', argv, SAVES_OPTION);
  const folder = savesFolder(options);
  if (positionals.length === 0) {
    const settings = await readSettings(folder);
    for (const [name, spec] of Object.entries(SETTINGS))
      console.log(`${name.padEnd(12)} ${shown(settings[name as keyof Settings]).padEnd(6)} ${spec.help}`);
    return 0;
  }
  if (positionals.length !== 2)
    throw new InputError(
      'settings: expected a name and a value, e.g. fleetops settings colour never; fleetops settings lists them',
    );
  const [typed, text] = positionals as [string, string];
  // Own keys only: `__proto__` or `constructor` would otherwise find what every object inherits.
  const name = Object.hasOwn(ALIASES, typed) ? ALIASES[typed]! : typed;
  const spec = Object.hasOwn(SETTINGS, name) ? SETTINGS[name as keyof Settings] : undefined;
  if (!spec) throw new InputError(`settings: no setting '${typed}' (settings: ${Object.keys(SETTINGS).join(', ')})`);
  const value = spec.parse(text);
  if (value === undefined) throw new InputError(`settings: ${name} expects ${spec.expected}, got '${text}'`);
  const settings = await updateSettings(folder, { [name]: value });
  console.log(`${name} is now ${shown(settings[name as keyof Settings])}`);
  return 0;
}

export default {
  summary: 'show your settings, or change one: colour, speed, keyHints, promptPauses',
  positionals: '[name value]',
  options: SAVES_OPTION,
  run: settingsCommand,
} satisfies Subcommand;
