// Commands the : prompt answers itself, beside the fleet's command language: they act on the play
// (its save, its report) or only look at the world (a trace, the resource views), so the session
// never sees them.
import { RESOURCE_VIEWS } from './resources.js';

export interface PromptCommand {
  name: 'help' | 'save' | 'export' | 'trace' | 'view';
  /** The words that invoke it: a resource view is invoked by its own name (`sg`, `nacl`…). */
  words: readonly string[];
  usage: string;
  help: string;
  /** How many words may follow: a trace takes its flags, the rest at most one word. */
  maxArgs: number;
}

export const PROMPT_COMMANDS: readonly PromptCommand[] = [
  { name: 'help', words: ['help', '?'], usage: 'help', help: 'this help', maxArgs: 0 },
  {
    name: 'save',
    words: ['save'],
    usage: 'save [slot]',
    help: 'save this play to a slot (default: autosave); fleetops load <slot> resumes it',
    maxArgs: 1,
  },
  {
    name: 'export',
    words: ['export'],
    usage: 'export [file.md|.json|.html]',
    help: 'write the incident report so far (default: reports/<level>-seed-<seed>.md)',
    maxArgs: 1,
  },
  {
    name: 'trace',
    words: ['trace'],
    usage: 'trace <instance> [--...]',
    help: 'the network path to an instance hop by hop, each hop with its verdict and rule, and the view from outside; --port N, --protocol tcp|udp|icmp, --from internet|<instance>|<ip>; --to internet for its way out (route table, NAT gateway, internet gateway)',
    maxArgs: 9,
  },
  {
    name: 'view',
    words: RESOURCE_VIEWS.map((v) => v.name),
    usage: RESOURCE_VIEWS.map((v) => v.name).join('|'),
    help: `lists of the ${RESOURCE_VIEWS.map((v) => v.title).join(', ')}: / filters, Enter opens one, Esc goes back`,
    maxArgs: 0,
  },
];

export interface PromptLine {
  command: PromptCommand;
  /** The word that invoked it. */
  word: string;
  /** The words after the command's name. */
  args: string[];
}

/** The prompt command a line invokes, or null when the line is for the session. */
export function promptCommand(line: string): PromptLine | null {
  const [word = '', ...args] = line.trim().split(/\s+/);
  const command = PROMPT_COMMANDS.find((c) => c.words.includes(word));
  return command ? { command, word, args } : null;
}
