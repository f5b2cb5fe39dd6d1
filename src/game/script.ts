// Timed command scripts: one command per line, `at <time> <command>`, where time is seconds or a
// clock from the start of play (90, 5m, 02:30, 1:00:00). `#` starts a comment.
import { parseCommand, parseDuration, ParseError, type Command } from '../sim/index.js';
import { InputError } from './input-error.js';

export interface TimedCommand {
  tick: number;
  command: Command;
  line: number;
}

export function parseScript(text: string, source: string): TimedCommand[] {
  const timed: TimedCommand[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const where = `${source}:${i + 1}`;
    const m = /^at\s+(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new InputError(`${where}: expected 'at <time> <command>', e.g. 'at 02:30 stop web-1'`);
    const tick = parseDuration(m[1]!);
    if (tick === null) throw new InputError(`${where}: '${m[1]}' is not a time; use seconds, 5m, 1h30m or 02:30`);
    try {
      timed.push({ tick, command: parseCommand(m[2]!), line: i + 1 });
    } catch (err) {
      if (err instanceof ParseError) throw new InputError(`${where}: ${err.message}`);
      throw err;
    }
  });
  // Stable sort: commands at the same time keep the script's order.
  return timed.sort((a, b) => a.tick - b.tick);
}
