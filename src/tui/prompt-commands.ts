// Commands the : prompt answers itself, beside the fleet's command language: they act on the play
// (its save, its report), not on the world, so the session never sees them.

export interface PromptCommand {
  name: 'help' | 'save' | 'export';
  usage: string;
  help: string;
}

export const PROMPT_COMMANDS: readonly PromptCommand[] = [
  { name: 'help', usage: 'help', help: 'this help' },
  {
    name: 'save',
    usage: 'save [slot]',
    help: 'save this play to a slot (default: autosave); fleetops load <slot> resumes it',
  },
  {
    name: 'export',
    usage: 'export [file.md|.json|.html]',
    help: 'write the incident report so far (default: reports/<level>-seed-<seed>.md)',
  },
];

export interface PromptLine {
  command: PromptCommand;
  /** The words after the command's name. */
  args: string[];
}

/** The prompt command a line invokes, or null when the line is for the session. */
export function promptCommand(line: string): PromptLine | null {
  const [name, ...args] = line.trim().split(/\s+/);
  const command = PROMPT_COMMANDS.find((c) => c.name === name) ?? (name === '?' ? PROMPT_COMMANDS[0]! : undefined);
  return command ? { command, args } : null;
}
