// The `?` overlay, written from the key tables that drive the bindings.
import { KEYMAP, keyLabel, type Binding } from './keymap.js';
import { EDITOR_KEYMAP } from './line-editor.js';
import type { Role, Theme } from './theme.js';
import { VERBS } from '../sim/index.js';
import type { Level } from '../game/level.js';
import { describeObjective } from '../game/objectives.js';
import { wrap } from './format.js';
import { PROMPT_COMMANDS } from './prompt-commands.js';

/** A head and a text after it, the text wrapped under itself rather than cut at `width`. */
export function hanging(theme: Theme, [headRole, head]: [Role, string], [role, text]: [Role, string], width: number): string[] {
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

function section<A extends string>(theme: Theme, title: string, bindings: readonly Binding<A>[], width: number): string[] {
  return [theme.paint('heading', title), ...table(theme, bindings.map((b) => [b.keys.map(keyLabel).join(' '), b.help] as const), width), ''];
}

function commandLines(theme: Theme, width: number): string[] {
  const players = VERBS.filter((v) => v.scope !== 'fault');
  const forms = players.map((v) => [v.verb, ...v.args.map((a) => `<${a.name}>`), ...(v.flags.length ? ['[--...]'] : [])].join(' '));
  return table(theme, [...players.map((v, i) => [forms[i]!, v.summary] as const), ...PROMPT_COMMANDS.map((c) => [c.usage, c.help] as const)], width);
}

/** A paragraph of help, wrapped at `width` and indented under its heading. */
const para = (theme: Theme, text: string, width: number) => wrap(text, width - 2).map((l) => `  ${theme.paint('plain', l)}`);

/** The level's briefing and goals, and (unless `hints` is false) its hints. */
export function levelLines(theme: Theme, level: Level, width: number, hints = true): string[] {
  const block = (title: string, texts: readonly string[]) =>
    texts.length ? [theme.paint('heading', title), ...texts.flatMap((t) => wrap(t, width - 2).map((l) => `  ${theme.paint('plain', l)}`)), ''] : [];
  return [
    ...block(`This level: ${level.title}`, [level.briefing]),
    ...block('Goals', level.objectives.map(describeObjective)),
    ...block('Hints', hints ? level.hints : []),
  ];
}

/** The help overlay's lines for an overlay `width` columns inside. */
export function helpLines(theme: Theme, level: Level, width: number): string[] {
  return [
    ...levelLines(theme, level, width),
    ...section(theme, 'Keys', KEYMAP, width),
    ...section(theme, 'In the : prompt and the / filter', EDITOR_KEYMAP, width),
    theme.paint('heading', 'Mouse'),
    ...para(theme, 'click a panel to focus it and pick a row or a map cell; wheel to scroll', width),
    '',
    theme.paint('heading', 'Event log'),
    ...para(theme, 'a line too long for the panel is cut; Enter on it opens it whole, and Enter again opens what it is about', width),
    '',
    theme.paint('heading', 'Fleet map'),
    ...para(theme, 'one cell per host (or rack, or a line per zone when they do not fit):', width),
    ...para(theme, '· idle   ▁ to █ share of vCPU or memory in use   ! impaired   X failed', width),
    '',
    ...wrap('Commands at the : prompt (Tab completes options and ids; fleetops commands gives every option)', width).map((l) => theme.paint('heading', l)),
    ...commandLines(theme, width),
    '',
    theme.paint('dim', 'Esc or ? closes this help'),
  ];
}
