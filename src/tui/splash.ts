// The first frame of a sitting, drawn the moment the screen opens while the model, the levels and
// the dashboard are still loading behind it: the player sees fleetops at once, not a blank terminal.
// Building a large region's world takes seconds of synchronous work, so the splash says what is
// being built, and is drawn to the terminal before that work starts.
import blessed from 'blessed';
import { levelSize, type Level } from '../game/level.js';

export interface Splash {
  /** Shows `text` and waits until the frame has gone out to the terminal. */
  say(text: string): Promise<void>;
  detach(): void;
}

/** Lets the frame just rendered go out to the terminal before synchronous work holds the process. */
const drawn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A one-line box in the middle of `screen`, drawn now (resolved once it has gone out); detach it
 * when the real first frame is ready.
 */
export async function showSplash(screen: blessed.Widgets.Screen, text: string): Promise<Splash> {
  const box = blessed.box({
    parent: screen,
    top: 'center',
    left: 'center',
    height: 3,
    border: { type: 'line' },
    align: 'center',
  });
  const show = (line: string) => {
    box.width = Math.min(line.length + 4, Number(screen.width));
    box.setContent(line);
    screen.render();
    return drawn();
  };
  await show(text);
  return { say: show, detach: () => box.detach() };
}

/** What the splash says while a level's world is built: its size, for a region that takes a while. */
export function buildingLine(level: Level): string {
  const { hosts, instances } = levelSize(level);
  return `fleetops: building ${level.title}: ${hosts.toLocaleString('en-US')} hosts, ${instances.toLocaleString('en-US')} instances...`;
}
