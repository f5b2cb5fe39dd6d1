// Command-line arguments of the benchmark's scripts, read with Node's util.parseArgs in strict mode:
// an unknown option, a missing value or a number out of its bounds is refused in one line that
// names the script and what it expected, with exit code 2, before anything is measured.
import { parseArgs } from 'node:util';

/** A script's arguments: its usage line (shown with every refusal), and the switches and values it takes. */
export interface ScriptArgs {
  script: string;
  usage: string;
  /** Option names, each a switch (`false`) or taking a value (`true`). */
  options?: Record<string, boolean>;
  /** How many positionals it takes, at most. */
  positionals?: number;
}

/** Ends the process with `message` on one line, as every refusal of a script's arguments does. */
export function refuse(script: string, message: string): never {
  console.error(`${script}: ${message}`);
  process.exit(2);
}

/** The script's options and positionals from process.argv, or the process ended on a refusal. */
export function readArgs({ script, usage, options = {}, positionals = 0 }: ScriptArgs): {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
} {
  const args = process.argv.slice(2);
  // Node's parser reads a negative number as options (`-20` as -2 and -0): no value here is below zero.
  const negative = args.find((arg) => /^-\d/.test(arg));
  if (negative !== undefined) refuse(script, `'${negative}': no argument takes a negative number; usage: ${usage}`);
  try {
    const parsed = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(options).map(([name, takesValue]) => [
          name,
          { type: takesValue ? ('string' as const) : ('boolean' as const) },
        ]),
      ),
      strict: true,
      allowPositionals: positionals > 0,
      tokens: true,
    });
    if (parsed.positionals.length > positionals) throw new Error(`unexpected argument '${parsed.positionals.at(-1)}'`);
    // Node keeps the last of an option given twice; a run measures one thing, so it is refused.
    const seen = new Set<string>();
    for (const token of parsed.tokens)
      if (token.kind === 'option') {
        if (seen.has(token.name)) throw new Error(`${token.rawName} given twice`);
        seen.add(token.name);
      }
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    // A value that starts with a dash reads as an option: Node calls it ambiguous.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec((err as Error).message);
    if (ambiguous)
      return refuse(
        script,
        `${ambiguous[1]}: expected a value, got '${args[args.indexOf(ambiguous[1]!) + 1]}'; usage: ${usage}`,
      );
    // Node's message, to its first sentence: what was wrong, without its advice on quoting.
    return refuse(script, `${(err as Error).message.split(/\.\s/)[0]}; usage: ${usage}`);
  }
}

/** `text` as a whole number from `min` to `max`, or the process ended on a refusal naming `what`. */
export function wholeNumber(script: string, what: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    refuse(script, `${what}: expected a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

/** `text` as a region's size in hosts: whole racks of 20, from 20 to 200,000. */
export function hostCount(script: string, what: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 20 || n > 200_000 || n % 20 !== 0)
    refuse(script, `${what}: expected a host count, a multiple of 20 from 20 to 200000, got '${text}'`);
  return n;
}
