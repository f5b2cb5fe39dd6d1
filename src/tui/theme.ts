// Colour is a second channel, never the only one: every state the dashboard shows also has a word
// or a symbol, so with NO_COLOR (https://no-color.org) nothing is lost but the tint. blessed does
// not honour NO_COLOR itself; this layer does.
import blessed from 'blessed';
import { columns, fit } from './format.js';

export type Role = 'plain' | 'ok' | 'warn' | 'error' | 'impaired' | 'dim' | 'accent' | 'heading' | 'selected' | 'key';

interface Style {
  colour?: string;
  attrs?: string[];
}

const STYLES: Record<Role, Style> = {
  plain: {},
  ok: { colour: 'green' },
  warn: { colour: 'yellow' },
  error: { colour: 'red', attrs: ['bold'] },
  impaired: { colour: 'magenta' },
  dim: { colour: 'gray' },
  accent: { colour: 'cyan' },
  heading: { attrs: ['bold'] },
  selected: { attrs: ['inverse'] },
  key: { colour: 'cyan', attrs: ['bold'] },
};

export interface Theme {
  readonly noColor: boolean;
  /** Text wrapped in blessed tags for the role; the text itself is escaped. */
  paint(role: Role, text: string): string;
  /** Painted parts laid end to end and cut at `width` columns, ending in an ellipsis where a part is cut. */
  line(parts: readonly (readonly [Role, string])[], width: number): string;
  /** Border and label style for a panel box; the focused one stands out without colour too. */
  frame(focused: boolean): {
    border: { fg?: string; bold?: boolean };
    label: { fg?: string; bg?: string; bold?: boolean; inverse?: boolean };
  };
}

/** NO_COLOR counts when it is set to anything but the empty string. */
export function wantsNoColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

export const escapeTags = (text: string): string => blessed.escape(text);

export function createTheme(noColor: boolean): Theme {
  const tags = (role: Role): string[] => {
    const style = STYLES[role];
    const list = [...(style.attrs ?? [])];
    if (style.colour && !noColor) list.push(`${style.colour}-fg`);
    return list;
  };
  const cache = new Map<Role, [string, string]>();
  for (const role of Object.keys(STYLES) as Role[]) {
    const list = tags(role);
    cache.set(role, [
      list.map((t) => `{${t}}`).join(''),
      [...list]
        .reverse()
        .map((t) => `{/${t}}`)
        .join(''),
    ]);
  }
  return {
    noColor,
    paint(role, text) {
      const [open, close] = cache.get(role)!;
      return open + escapeTags(text) + close;
    },
    line(parts, width) {
      let out = '';
      let room = width;
      for (const [role, text] of parts) {
        if (room <= 0) break;
        // A part cut short says so, as a table's cell does (see fit): `6 ho…`, never `6 ho`.
        const cut = columns(text) > room ? fit(text, room) : text;
        out += this.paint(role, cut);
        room -= columns(cut);
      }
      return out;
    },
    frame(focused) {
      if (noColor)
        return focused ? { border: { bold: true }, label: { bold: true, inverse: true } } : { border: {}, label: {} };
      return focused
        ? { border: { fg: 'cyan', bold: true }, label: { fg: 'black', bg: 'cyan', bold: true } }
        : { border: { fg: 'gray' }, label: {} };
    },
  };
}
