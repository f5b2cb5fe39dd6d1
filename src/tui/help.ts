// The `?` overlay, written from the key tables that drive the bindings.
import { keyLabel, keymapFor, type Binding } from './keymap.js';
import { HINT_COST, teaches, type Mode } from '../game/mode.js';
import { EDITOR_KEYMAP } from './line-editor.js';
import type { Role, Theme } from './theme.js';
import { VERBS } from '../sim/index.js';
import type { Level } from '../game/level.js';
import { describeObjective } from '../game/objectives.js';
import { wrap } from './format.js';
import { PROMPT_COMMANDS } from './prompt-commands.js';

/** A head and a text after it, the text wrapped under itself rather than cut at `width`. */
export function hanging(
  theme: Theme,
  [headRole, head]: [Role, string],
  [role, text]: [Role, string],
  width: number,
): string[] {
  const [first = '', ...rest] = wrap(text, Math.max(20, width - head.length));
  const paint = (l: string) => theme.paint(role, l);
  return [`${theme.paint(headRole, head)}${paint(first)}`, ...rest.map((l) => `${' '.repeat(head.length)}${paint(l)}`)];
}

/** Rows of a key (or command form) and what it does, the forms in one column, the texts wrapped beside them. */
function table(theme: Theme, rows: readonly (readonly [string, string])[], width: number): string[] {
  const column = Math.min(Math.max(...rows.map(([form]) => form.length)), Math.floor(width / 2));
  return rows.flatMap(([form, text]) =>
    form.length > column
      ? [`  ${theme.paint('key', form)}`, ...hanging(theme, ['plain', ' '.repeat(column + 4)], ['plain', text], width)]
      : hanging(theme, ['key', `  ${form.padEnd(column)}  `], ['plain', text], width),
  );
}

function section<A extends string>(
  theme: Theme,
  title: string,
  bindings: readonly Binding<A>[],
  width: number,
): string[] {
  return [
    theme.paint('heading', title),
    ...table(
      theme,
      bindings.map((b) => [b.keys.map(keyLabel).join(' '), b.help] as const),
      width,
    ),
    '',
  ];
}

function commandLines(theme: Theme, width: number, mode: Mode): string[] {
  const players = VERBS.filter((v) => v.scope !== 'fault' && (teaches(mode) || v.verb !== 'hint'));
  const forms = players.map((v) =>
    [v.verb, ...v.args.map((a) => `<${a.name}>`), ...(v.flags.length ? ['[--...]'] : [])].join(' '),
  );
  return table(
    theme,
    [
      ...players.map((v, i) => [forms[i]!, v.summary] as const),
      ...PROMPT_COMMANDS.map((c) => [c.usage, c.help] as const),
    ],
    width,
  );
}

/** A paragraph of help, wrapped at `width` and indented under its heading. */
const para = (theme: Theme, text: string, width: number) =>
  wrap(text, width - 2).map((l) => `  ${theme.paint('plain', l)}`);

/** How far into a level's hints a play is: training shows them on request; an exam has none. */
export interface HintState {
  mode: Mode;
  /** Hints shown so far. */
  used: number;
}

function block(theme: Theme, width: number, title: string, texts: readonly string[]): string[] {
  return texts.length ? [theme.paint('heading', title), ...texts.flatMap((t) => para(theme, t, width)), ''] : [];
}

/** The hints shown so far, and how to get the next; in an exam, only that there are none. */
export function hintLines(theme: Theme, level: Level, width: number, { mode, used }: HintState): string[] {
  if (!teaches(mode))
    return [
      theme.paint('heading', 'Exam mode'),
      ...para(theme, 'no hints and no lesson: diagnose from what the fleet shows', width),
      '',
    ];
  const shown = level.hints.slice(0, used).map((h, i) => `${i + 1}. ${h}`);
  const left = level.hints.length - used;
  const next =
    left > 0
      ? `H or :hint shows the next (${left} left, ${HINT_COST} points each)`
      : level.hints.length
        ? 'all hints shown'
        : 'this level has no hints';
  return [
    ...block(theme, width, `Hints (${used} of ${level.hints.length} shown)`, shown),
    theme.paint('dim', `  ${next}`),
    '',
  ];
}

/** The level's briefing and goals; in training, its lesson too once it is over (`debrief`). */
export function levelLines(theme: Theme, level: Level, width: number, mode: Mode, debrief = false): string[] {
  return [
    ...block(theme, width, `This level: ${level.title}`, [level.briefing]),
    ...block(theme, width, 'Goals', level.objectives.map(describeObjective)),
    ...block(theme, width, 'What this level teaches', debrief && teaches(mode) && level.lesson ? [level.lesson] : []),
  ];
}

/** The help overlay's lines for an overlay `width` columns inside. */
export function helpLines(theme: Theme, level: Level, width: number, hints: HintState): string[] {
  return [
    ...levelLines(theme, level, width, hints.mode),
    ...hintLines(theme, level, width, hints),
    ...section(theme, 'Keys', keymapFor(hints.mode), width),
    ...section(theme, 'In the : prompt and the / filter', EDITOR_KEYMAP, width),
    theme.paint('heading', 'Mouse'),
    ...para(theme, 'click a panel to focus it and pick a row or a map cell; wheel to scroll', width),
    '',
    theme.paint('heading', 'Event log'),
    ...para(
      theme,
      'a line too long for the panel is cut; Enter on it opens it whole, and Enter again opens what it is about',
      width,
    ),
    '',
    theme.paint('heading', 'Fleet map'),
    ...para(theme, 'one cell per host (or rack, or a line per zone when they do not fit):', width),
    ...para(theme, '· idle   ▁ to █ share of vCPU or memory in use   ! impaired   X failed', width),
    '',
    ...wrap(
      'Commands at the : prompt (Tab completes options and ids; fleetops commands gives every option)',
      width,
    ).map((l) => theme.paint('heading', l)),
    ...commandLines(theme, width, hints.mode),
    '',
    theme.paint('dim', 'Esc or ? closes this help'),
  ];
}
