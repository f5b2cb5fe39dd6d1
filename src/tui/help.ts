// The `?` overlay, written from the key tables that drive the bindings.
import { KEYMAP, keyLabel, type Binding } from './keymap.js';
import { EDITOR_KEYMAP } from './line-editor.js';
import type { Theme } from './theme.js';
import { VERBS } from '../sim/index.js';
import type { Level } from '../game/level.js';
import { describeObjective } from '../game/objectives.js';
import { wrap } from './format.js';
import { PROMPT_COMMANDS } from './prompt-commands.js';

function section<A extends string>(theme: Theme, title: string, table: readonly Binding<A>[]): string[] {
  const width = Math.max(...table.map((b) => b.keys.map(keyLabel).join(' ').length));
  return [theme.paint('heading', title), ...table.map((b) => `  ${theme.paint('key', b.keys.map(keyLabel).join(' ').padEnd(width))}  ${theme.paint('plain', b.help)}`), ''];
}

function commandLines(theme: Theme): string[] {
  const players = VERBS.filter((v) => v.scope !== 'fault');
  const forms = players.map((v) => [v.verb, ...v.args.map((a) => `<${a.name}>`), ...(v.flags.length ? ['[--...]'] : [])].join(' '));
  const rows = [...players.map((v, i) => [forms[i]!, v.summary] as const), ...PROMPT_COMMANDS.map((c) => [c.usage, c.help] as const)];
  const width = Math.max(...rows.map(([form]) => form.length));
  return rows.map(([form, summary]) => `  ${theme.paint('key', form.padEnd(width))}  ${theme.paint('plain', summary)}`);
}

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
    ...section(theme, 'Keys', KEYMAP),
    ...section(theme, 'In the : prompt and the / filter', EDITOR_KEYMAP),
    theme.paint('heading', 'Mouse'),
    theme.paint('plain', '  click a panel to focus it and pick a row or a map cell; wheel to scroll'),
    '',
    theme.paint('heading', 'Fleet map'),
    theme.paint('plain', '  one cell per host (or rack, or a line per zone when they do not fit):'),
    theme.paint('plain', '  · idle   ▁ to █ share of vCPU or memory in use   ! impaired   X failed'),
    '',
    theme.paint('heading', 'Commands at the : prompt (Tab completes options and ids; `fleetops commands` gives every option)'),
    ...commandLines(theme),
    '',
    theme.paint('dim', 'Esc or ? closes this help'),
  ];
}
