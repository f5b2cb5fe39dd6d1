// The level select: the campaign in play order, which levels are open, the best score on each,
// and the selected level's briefing. Resolves with the level to play, or says to go back or quit.
import blessed from 'blessed';
import { lockedBecause, levelStatus, type LevelProgress, type LevelStatus } from '../game/campaign.js';
import type { Level } from '../game/level.js';
import { describeObjective } from '../game/objectives.js';
import { counted, formatClock } from '../sim/index.js';
import { fit, wrap } from './format.js';
import { keyLabel, keyName, lookup, type Binding } from './keymap.js';
import { sizeWarning, tooSmall } from './layout.js';
import { renderTable, type Cell, type Column } from './table.js';
import type { Theme } from './theme.js';

export interface LevelChoice {
  level: Level;
  progress: LevelProgress;
}

type SelectAction = 'up' | 'down' | 'top' | 'bottom' | 'play' | 'back' | 'quit';

/** What the player chose: a level's id, back to where they came from, or out of fleetops. */
export type LevelChoiceOutcome = { play: string } | 'back' | 'quit';

const SELECT_KEYMAP: readonly Binding<SelectAction>[] = [
  { keys: ['up', 'k'], action: 'up', help: 'previous level' },
  { keys: ['down', 'j'], action: 'down', help: 'next level' },
  { keys: ['home', 'g'], action: 'top', help: 'first level' },
  { keys: ['end', 'G'], action: 'bottom', help: 'last level' },
  { keys: ['enter'], action: 'play', help: 'play' },
  { keys: ['q', 'escape'], action: 'back', help: 'back to the level you left' },
  { keys: ['C-c'], action: 'quit', help: 'quit fleetops' },
];

const actionFor = lookup(SELECT_KEYMAP);
const HINTS = `${keyLabel('up')}${keyLabel('down')} choose  ${keyLabel('enter')} play  q back  ${keyLabel('C-c')} quit`;

const STATUS_CELLS: Record<LevelStatus, Cell> = {
  won: { text: '✓ won', role: 'ok' },
  open: { text: '▶ open', role: 'accent' },
  locked: { text: '× locked', role: 'dim' },
};

const COLUMNS: readonly Column<LevelChoice>[] = [
  { title: '#', width: 2, priority: 9, align: 'right', cell: (c) => c.level.id.split('-')[0]! },
  { title: 'level', width: 18, priority: 10, grow: true, cell: (c) => c.level.title },
  { title: 'status', width: 8, priority: 8, cell: (c) => STATUS_CELLS[levelStatus(c.progress)] },
  {
    title: 'best',
    width: 8,
    priority: 7,
    align: 'right',
    cell: (c) => (c.progress.bestScore === null ? '-' : `${c.progress.bestScore} ${c.progress.bestGrade}`),
  },
  { title: 'plays', width: 5, priority: 4, align: 'right', cell: (c) => String(c.progress.plays) },
];

function detailLines(choices: readonly LevelChoice[], index: number, theme: Theme, width: number): string[] {
  const { level, progress } = choices[index]!;
  const para = (text: string) => wrap(text, width).map((l) => theme.paint('plain', l));
  const best =
    progress.bestScore === null
      ? 'not played yet'
      : `best ${progress.bestScore} points, grade ${progress.bestGrade}, in ${counted(progress.plays, 'play')}`;
  return [
    theme.paint('heading', fit(level.title, width).trimEnd()),
    theme.paint('dim', fit(`${level.id} · ${formatClock(level.duration)} simulated · ${best}`, width).trimEnd()),
    '',
    ...para(level.briefing),
    '',
    theme.paint('heading', 'Goals'),
    ...level.objectives.flatMap((o) => para(`· ${describeObjective(o)}`)),
    ...(progress.unlocked
      ? []
      : [
          '',
          theme.paint(
            'warn',
            fit(
              lockedBecause(
                choices.map((c) => c.level),
                index,
              ),
              width,
            ).trimEnd(),
          ),
        ]),
  ];
}

export function chooseLevel(
  screen: blessed.Widgets.Screen,
  theme: Theme,
  choices: readonly LevelChoice[],
  selectedId?: string,
): Promise<LevelChoiceOutcome> {
  const box = (options: blessed.Widgets.BoxOptions) =>
    blessed.box({ parent: screen, tags: true, wrap: false, ...options });
  const list = box({
    top: 0,
    left: 0,
    border: 'line',
    label: ' fleetops: the campaign ',
    style: theme.frame(true),
    clickable: true,
  });
  const detail = box({ top: 0, border: 'line', label: ' briefing ', style: theme.frame(false) });
  const message = box({ bottom: 0, left: 0, height: 1, width: '100%' });
  const sizeBox = box({ top: 0, left: 0, width: '100%', height: '100%', wrap: true, hidden: true });
  let selected = Math.max(
    0,
    choices.findIndex((c) => c.level.id === selectedId),
  );
  let offset = 0;
  let notice: string | null = null;

  const draw = () => {
    const cols = screen.width as number;
    const rows = screen.height as number;
    const small = tooSmall(cols, rows);
    for (const b of [list, detail, message]) b.hidden = small;
    sizeBox.hidden = !small;
    if (small) {
      sizeBox.setContent(sizeWarning(cols, rows));
      return screen.render();
    }
    const listWidth = Math.max(44, Math.floor(cols * 0.45));
    const height = rows - 1;
    Object.assign(list, { width: listWidth, height });
    Object.assign(detail, { left: listWidth, width: cols - listWidth, height });
    const table = renderTable(
      { columns: COLUMNS, rows: choices, width: listWidth - 2, height: height - 2, selected, offset, showCursor: true },
      theme,
    );
    offset = table.offset;
    list.setContent(table.lines.join('\n'));
    detail.setContent(detailLines(choices, selected, theme, cols - listWidth - 2).join('\n'));
    message.setContent(
      notice ? theme.paint('warn', fit(notice, cols).trimEnd()) : theme.paint('dim', fit(HINTS, cols).trimEnd()),
    );
    screen.render();
  };

  return new Promise((resolve) => {
    const finish = (choice: LevelChoiceOutcome) => {
      screen.off('keypress', onKey);
      screen.off('resize', draw);
      for (const b of [list, detail, message, sizeBox]) b.destroy();
      resolve(choice);
    };
    const onKey = (ch: string | undefined, key: blessed.Widgets.Events.IKeyEventArg) => {
      const name = keyName(ch, key);
      const action = name === null ? undefined : actionFor(name);
      if (!action) return;
      notice = null;
      const last = choices.length - 1;
      if (action === 'quit' || action === 'back') return finish(action);
      if (action === 'play') {
        if (choices[selected]!.progress.unlocked) return finish({ play: choices[selected]!.level.id });
        notice = lockedBecause(
          choices.map((c) => c.level),
          selected,
        );
      }
      selected =
        action === 'up'
          ? Math.max(0, selected - 1)
          : action === 'down'
            ? Math.min(last, selected + 1)
            : action === 'top'
              ? 0
              : action === 'bottom'
                ? last
                : selected;
      draw();
    };
    list.on('click', (data: blessed.Widgets.Events.IMouseEventArg) => {
      const row = offset + data.y - (list.atop as number) - 2; // border, then the header
      if (row >= 0 && row < choices.length) selected = row;
      draw();
    });
    screen.on('keypress', onKey);
    screen.on('resize', draw);
    draw();
  });
}
