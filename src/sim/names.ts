// The names a level or a command gives to what the model keeps (an instance's, a volume's or a
// snapshot's Name tag, a NAT gateway's, a placement group), held to one rule in both, so that a
// command can give no name a level could not hold, and the reverse, and every name given can be
// used to name the thing again.
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

/**
 * The fewest characters a command may name a volume or snapshot by: fewer say too little to be an
 * id's start (see resolveVolume). Their names are at least as long, so that each can be named.
 */
export const SHORTEST_REFERENCE = { volume: 6, snapshot: 7 } as const;

/** A volume's or a snapshot's Name tag, which commands name it by: lower case, long enough to be looked for, not the start of an id. */
const STORAGE_NAMES = {
  volume: storageRule(SHORTEST_REFERENCE.volume, 'vol-'),
  snapshot: storageRule(SHORTEST_REFERENCE.snapshot, 'snap-'),
};

function storageRule(shortest: number, idPrefix: string) {
  return {
    pattern: new RegExp(`^[a-z][a-z0-9-]{${shortest - 1},63}$`),
    expected: `a lower-case name of ${shortest} to 64 characters`,
    idPrefix,
  };
}

/** What `name` would have to be to name a volume or snapshot (`kind`), or null when it may. */
export function storageNameProblem(kind: keyof typeof STORAGE_NAMES, name: string): string | null {
  const rule = STORAGE_NAMES[kind];
  if (!rule.pattern.test(name)) return rule.expected;
  return name.startsWith(rule.idPrefix)
    ? `a name that does not start ${rule.idPrefix} (the start of a ${kind} id)`
    : null;
}

/** A name within a VPC (a subnet, a route table, a NAT gateway): lower case, at most VPC_NAME_MAX characters. */
export const VPC_NAME = /^[a-z][a-z0-9-]*$/;
export const VPC_NAME_EXPECTED = 'a lower-case name such as public-a';
export const VPC_NAME_MAX = 64;

/**
 * Refuses a NAT gateway's name a level could not give it: not a VPC name, or `igw`, which routes
 * name the internet gateway by.
 * @throws CommandError InvalidParameterValue
 */
export function checkNatGatewayName(name: string): void {
  const problem = !VPC_NAME.test(name)
    ? VPC_NAME_EXPECTED
    : name.length > VPC_NAME_MAX
      ? `a name of at most ${VPC_NAME_MAX} characters`
      : name === 'igw'
        ? 'a name other than igw (the internet gateway, as routes name it)'
        : null;
  if (problem) refuse('InvalidParameterValue', `--name ${quoted(name)}: expected ${problem}`);
}

/**
 * Refuses a Name tag for a volume or snapshot (`kind`) that a level could not hold, or that another
 * of its kind, not deleted, already has: commands would then find two.
 * @throws CommandError InvalidParameterValue
 */
export function checkStorageName(kind: keyof typeof STORAGE_NAMES, name: string, taken: boolean): void {
  const problem = storageNameProblem(kind, name);
  if (problem) refuse('InvalidParameterValue', `--name ${quoted(name)}: expected ${problem}`);
  if (taken) refuse('InvalidParameterValue', `a ${kind} is already named ${name}`);
}
