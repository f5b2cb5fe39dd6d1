// The options several subcommands share, each defined once with its help text, and the readers
// that check their values: where the saves live, who is playing, the mode, the real-time clock
// and ports, and what a play in the dashboard takes.
import { join } from 'node:path';
import { escapeControls } from '../input/control.js';
import { InputError } from '../input/input-error.js';
import { SEED, SEED_EXPECTED, SEED_MAX_CHARS } from '../input/seed.js';
import { DEFAULT_MODE, HINT_COST, MODES, type Mode } from '../game/mode.js';
import { MAX_SPEED, MIN_SPEED } from '../game/speeds.js';
// The store's small modules, not its index: these readers run before the model is loaded.
import { notAFolder } from '../store/folder.js';
import type { SavesFolder } from '../store/json-store.js';
import { defaultPlayer, PLAYER_NAME } from '../store/profile.js';
import { checkPlain, MAX_OPTION_CHARS, WHOLE_NUMBER, type OptionSpec } from './args.js';
import { PROJECT_ROOT } from './root.js';

type Options = Record<string, string | true>;

export const SAVES_OPTION = {
  saves: { value: true, help: "the saves folder (default: $FLEETOPS_SAVES, else fleetops's own saves/)" },
} as const;

/** `--player NAME`: who is responding, named in the summary and the report; `more` says what else the command does with it. */
export const playerOption = (more = '') =>
  ({
    player: {
      value: true,
      help: `the responder's name in the summary and the report (default: your login name)${more}`,
    },
  }) as const satisfies Record<string, OptionSpec>;

/** Options of a play that may end in a save and on the leaderboard (`run`, `load`, `shift`). */
export const PLAY_END_OPTIONS = {
  save: { value: true, help: 'save the session to this slot when the play ends' },
  ...playerOption("; when given, a finished level's result is recorded under it"),
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const MODE_OPTION = {
  mode: {
    value: true,
    help: `training (the default: hints on request, ${HINT_COST} points each, and the lesson) or exam (the situation only, no hints)`,
  },
} as const satisfies Record<string, OptionSpec>;

/** A decimal number as a person writes one: 10, 0.5, .5 or 2. (no sign, no exponent, no leading zero: not `05`). */
export const DECIMAL = /^(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)$/;

export const REALTIME_OPTIONS: Record<string, OptionSpec> = {
  speed: {
    value: true,
    help: `simulated seconds per real second, ${MIN_SPEED} to ${MAX_SPEED} (default 1)`,
  },
  'imds-port': {
    value: true,
    help: "the one port every instance's IMDS answers on, each at its own 127.x.y.z address (default: any free port)",
  },
  'imds-container-port': {
    value: true,
    help: "the port each instance's IMDS answers on as from a container on it, one network hop further: a PUT is not answered past the hop limit (default: any free port)",
  },
  'control-port': {
    value: true,
    help: 'port of the control endpoint for handlers, on 127.0.0.1 (default: any free port)',
  },
  handler: {
    value: true,
    help: "start this command (run by sh) as the handler, with the endpoints and token in its environment and its clock on the level's",
  },
  start: { value: true, help: "`now`: the level's clock starts at the real current time (only at --speed 1)" },
};

/** The clock and metadata service of a play in the dashboard, whichever command opens it. */
export const DASHBOARD_CLOCK_OPTIONS = {
  speed: { ...REALTIME_OPTIONS.speed!, help: "simulated seconds per real second (default: your settings', else 1)" },
  'imds-port': REALTIME_OPTIONS['imds-port']!,
  'imds-container-port': REALTIME_OPTIONS['imds-container-port']!,
} as const satisfies Record<string, OptionSpec>;

/**
 * Refuses the dashboard's clock options on a play that goes on without the dashboard (`why` says
 * what took it there: --headless, --json, no terminal): there they would do nothing, and an option
 * given is never ignored.
 */
export function refuseDashboardOnly(command: string, options: Options, why: string): void {
  const given = Object.keys(DASHBOARD_CLOCK_OPTIONS).find((name) => options[name] !== undefined);
  if (given)
    throw new InputError(
      `${command}: --${given} is the dashboard's, and this play goes on without it (${why}); drop it`,
    );
}

/** What sent a play headless: the first of the `triggers` given (options that do), else no terminal. */
export function headlessWhy(options: Options, triggers: readonly string[]): string {
  const given = triggers.find((name) => options[name] !== undefined);
  return given ? `--${given}` : 'stdin or stdout is not a terminal';
}

/** Options of every play in the dashboard, `play`'s and `load`'s alike. */
export const DASHBOARD_OPTIONS = {
  ...DASHBOARD_CLOCK_OPTIONS,
  ...playerOption('; finished levels are recorded under it'),
  unlock: { value: false, help: 'open every level of the campaign, won or not (for instructors)' },
  ...SAVES_OPTION,
} as const satisfies Record<string, OptionSpec>;

/** A value option's text; parseArgs has refused it missing or empty, so only a switch's name gets here wrongly. */
export function optionText(options: Options, name: string): string | undefined {
  const v = options[name];
  if (v === true) throw new Error(`--${name} is a switch, not an option with a value`);
  return v;
}

/** The run's seed from --seed, if given: held to a level's own rule (see SEED), its length told first. */
export function seedOption(command: string, options: Options): string | undefined {
  const seed = optionText(options, 'seed');
  // In code points, as a seed's pattern counts (see SEED), without loading the model.
  if (seed !== undefined && [...seed].length > SEED_MAX_CHARS)
    throw new InputError(
      `${command}: --seed is ${[...seed].length.toLocaleString('en-US')} characters long; a seed is at most ${SEED_MAX_CHARS.toLocaleString('en-US')}`,
    );
  if (seed !== undefined && !SEED.test(seed))
    throw new InputError(`${command}: --seed ${JSON.stringify(seed)}: expected ${SEED_EXPECTED}`);
  return seed;
}

/**
 * The name --player gives, checked, or undefined: 1 to 40 printable characters as any player's
 * name, and not only spaces, which a leaderboard would show as no one. Refused naming the option,
 * the value cut short.
 */
export function givenPlayer(options: Options): string | undefined {
  const given = optionText(options, 'player');
  if (given === undefined) return undefined;
  if (!PLAYER_NAME.test(given)) {
    const shown = JSON.stringify(given);
    throw new InputError(
      `--player ${escapeControls(shown.length > 60 ? `${shown.slice(0, 59)}…` : shown)}: expected a name of 1 to 40 printable characters, not only spaces`,
    );
  }
  return given;
}

/** The responder's name from --player, checked, else the login name. */
export function playerName(options: Options): string {
  return givenPlayer(options) ?? defaultPlayer();
}

/** The saves/ folder of fleetops's own folder, wherever the command is run from. */
export const PROJECT_SAVES = join(PROJECT_ROOT, 'saves');

/** The saves folder a command uses when not given one: FLEETOPS_SAVES, else the project's saves/. */
export const defaultSavesDir = (): string => process.env.FLEETOPS_SAVES || PROJECT_SAVES;

/** The saves folder named by --saves, $FLEETOPS_SAVES or the default; refused at once if a file is in its way. */
export function savesFolder(options: Options): SavesFolder {
  const given = optionText(options, 'saves');
  const fromEnv = process.env.FLEETOPS_SAVES;
  const [dir, named] = given ? [given, '--saves '] : fromEnv ? [fromEnv, 'FLEETOPS_SAVES='] : [PROJECT_SAVES, ''];
  // As --saves is: a folder named with a newline would break every line that names it in two.
  if (!given && fromEnv) checkPlain('FLEETOPS_SAVES', fromEnv);
  const trouble = notAFolder(dir);
  if (trouble) throw new InputError(`${named}${dir}: ${trouble}`);
  return { dir, notify: (line) => console.error(`fleetops: ${escapeControls(line)}`) };
}

export function modeOption(command: string, options: Options): Mode {
  const text = optionText(options, 'mode');
  if (text === undefined) return DEFAULT_MODE;
  if (!(MODES as readonly string[]).includes(text))
    throw new InputError(`${command}: --mode ${text}: expected ${MODES.join(' or ')}`);
  return text as Mode;
}

export interface RealtimeOptions {
  speed: number;
  imdsPort: number;
  /** The port of the instances' IMDS as from a container on each (see ImdsOptions.containerPort). */
  imdsContainerPort: number;
  controlPort: number;
  /** The handler's command line, run by `sh -c`. */
  handler: string | null;
  /** Start the level's clock at the real current time. */
  startNow: boolean;
  /** Grade the outside handler from its requests, as part of the score (exercises). */
  grade?: boolean;
}

export function realtimeOptions(command: string, options: Record<string, string | true>): RealtimeOptions {
  const text = options.speed;
  const speed = text === undefined ? 1 : text === true || !DECIMAL.test(text) ? NaN : Number(text);
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED))
    throw new InputError(
      `${command}: --speed expects a number from ${MIN_SPEED} to ${MAX_SPEED}, got '${text === true ? '' : text}'`,
    );
  const port = (name: string) => {
    const given = options[name];
    if (given === undefined) return 0;
    const value = given === true || !WHOLE_NUMBER.test(given) ? NaN : Number(given);
    if (!(value <= 65535))
      throw new InputError(
        `${command}: --${name} expects a port from 1 to 65535 (or 0 for any free port), got '${given === true ? '' : given}'`,
      );
    return value;
  };
  const handler = options.handler;
  if (handler === true || (handler !== undefined && (handler.trim() === '' || handler.length > MAX_OPTION_CHARS))) {
    throw new InputError(
      `${command}: --handler expects a command line of at most ${MAX_OPTION_CHARS.toLocaleString('en-US')} characters, e.g. --handler 'bash examples/handlers/spot-drain.sh'`,
    );
  }
  const start = options.start;
  if (start !== undefined && start !== 'now')
    throw new InputError(`${command}: --start expects 'now', got '${start === true ? '' : start}'`);
  if (start === 'now' && speed !== 1)
    throw new InputError(
      `${command}: --start now needs --speed 1, so that the level's clock and the real one stay together`,
    );
  const ports = {
    'imds-port': port('imds-port'),
    'imds-container-port': port('imds-container-port'),
    'control-port': port('control-port'),
  };
  // Each listens on a port of its own: two given the same number would find it taken by the other.
  const named = Object.entries(ports).filter(([, p]) => p !== 0);
  for (const [i, [name, p]] of named.entries()) {
    const other = named.slice(i + 1).find(([, q]) => q === p);
    if (other)
      throw new InputError(`${command}: --${name} and --${other[0]} are both ${p}: each needs a port of its own`);
  }
  return {
    speed,
    imdsPort: ports['imds-port'],
    imdsContainerPort: ports['imds-container-port'],
    controlPort: ports['control-port'],
    handler: handler ?? null,
    startNow: start === 'now',
  };
}
