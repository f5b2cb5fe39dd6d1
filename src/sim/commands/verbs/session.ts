// Game verbs: what a responder does that is not an EC2 call. The session answers them (it owns
// the incidents, the hints and the log they change), each with the input typed from here.
import { gameVerb } from '../spec.js';

/** The longest note a responder may add, in characters: a few sentences of reasoning, not a file. */
export const MAX_NOTE_LENGTH = 500;

export const GAME_VERBS = [
  gameVerb({
    verb: 'ack',
    scope: 'game',
    summary: 'acknowledge an incident',
    args: [{ name: 'incident', kind: 'incident', help: 'incident id, e.g. INC-2' }],
    flags: [],
  }),
  gameVerb({
    verb: 'hint',
    scope: 'game',
    summary: "show the level's next hint (training mode only; each one shown costs points)",
    args: [],
    flags: [],
  }),
  gameVerb({
    verb: 'note',
    scope: 'game',
    summary: `add your reasoning to the timeline and the report, as the scribe's log (the rest of the line, up to ${MAX_NOTE_LENGTH} characters)`,
    args: [
      {
        name: 'text',
        kind: 'text',
        help: 'free text: everything after the verb, quotes and -- included',
        maxLength: MAX_NOTE_LENGTH,
      },
    ],
    flags: [],
  }),
] as const;
