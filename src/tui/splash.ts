// The first frame of a sitting, drawn the moment the screen opens while the model, the levels and
// the dashboard are still loading behind it: the player sees fleetops at once, not a blank terminal.
import blessed from 'blessed';

/** A one-line box in the middle of `screen`, drawn now; detach it when the real first frame is ready. */
export function showSplash(screen: blessed.Widgets.Screen, text: string): blessed.Widgets.BoxElement {
  const box = blessed.box({
    parent: screen,
    top: 'center',
    left: 'center',
    width: text.length + 4,
    height: 3,
    border: { type: 'line' },
    content: text,
    align: 'center',
  });
  screen.render();
  return box;
}
