// The names a level or a command gives to what the model keeps (an instance's or a volume's Name
// tag, a placement group), held to one rule in both, so that a command can give no name a level
// could not hold, and the reverse.
import { characterCount } from './characters.js';
import { quoted } from './commands/echo.js';
import { refuse } from './errors.js';

/** At most this many characters: EC2's bound on a tag's value (256 Unicode characters). */
export const NAME_MAX_CHARS = 256;

/**
 * An instance's Name tag, which commands name it by (quoted if it holds a space): no leading `-`
 * or `#` (an option, a comment), and not `i-...` (see instanceNameProblem).
 */
export const INSTANCE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._ -]*[A-Za-z0-9._-])?$/;
export const INSTANCE_NAME_EXPECTED = 'a name of letters, digits, spaces, . _ or -, starting with a letter or digit';
export const NOT_AN_ID = 'a name that does not start i- (the start of an instance id)';

/** What `name` would have to be to name an instance, or null when it may. */
export function instanceNameProblem(name: string): string | null {
  if (characterCount(name) > NAME_MAX_CHARS) return `a name of at most ${NAME_MAX_CHARS} characters`;
  if (!INSTANCE_NAME.test(name)) return INSTANCE_NAME_EXPECTED;
  return name.startsWith('i-') ? NOT_AN_ID : null;
}

/**
 * Refuses a name a command gives (`flag`, e.g. `--name`) that is longer than NAME_MAX_CHARS.
 * @throws CommandError InvalidParameterValue
 */
export function checkNameLength(flag: string, name: string): void {
  if (characterCount(name) > NAME_MAX_CHARS)
    refuse('InvalidParameterValue', `${flag} ${quoted(name)}: expected a name of at most ${NAME_MAX_CHARS} characters`);
}

/**
 * Refuses an instance name a command gives that a level could not hold.
 * @throws CommandError InvalidParameterValue
 */
export function checkInstanceName(flag: string, name: string): void {
  const problem = instanceNameProblem(name);
  if (problem) refuse('InvalidParameterValue', `${flag} ${quoted(name)}: expected ${problem}`);
}
