// The status bar: the clock (running, paused or over, and at what speed), the simulated time,
// the score, open incidents, the level and its next unmet objective. Segments drop by priority
// when the terminal is narrow; the clock's state is always there, in words.
import type { Session } from '../game/session.js';
import { counted, formatClock } from '../sim/index.js';
import { columns, fit, fitByPriority } from './format.js';
import { wallClock } from './labels.js';

/** The part of the pacer the dashboard reads and drives. */
export interface Clock {
  speed: number;
  paused: boolean;
  togglePause(): void;
  faster(): void;
  slower(): void;
}

interface Segment {
  text: string;
  priority: number;
}

export function statusSegments(session: Session, clock: Pick<Clock, 'speed' | 'paused'>): Segment[] {
  const state = session.finished
    ? '■ LEVEL OVER'
    : clock.paused
      ? `❚❚ PAUSED (${clock.speed}x)`
      : `▶ RUNNING ${clock.speed}x`;
  // Mid-level, the score projected to the end (the rest within SLO): the score as if the level
  // ended now would charge a few bad minutes against the few minutes' budget played so far.
  const score = session.finished ? session.score() : session.projectedScore();
  const open = session.incidents.filter((i) => i.state !== 'resolved');
  const unmet = score.objectives.find((o) => !o.met);
  const segments: Segment[] = [
    { text: state, priority: 10 },
    {
      text: `${wallClock(session.world, session.tick)} ${formatClock(session.tick)}/${formatClock(session.level.duration)}`,
      priority: 9,
    },
    { text: `${session.finished ? 'score' : 'projected'} ${score.points}/${score.max} ${score.grade}`, priority: 8 },
    {
      text: open.length ? counted(open.length, 'open incident') : 'no open incidents',
      priority: 7,
    },
    { text: session.level.title, priority: 5 },
    {
      text: unmet
        ? `goal: ${unmet.text}`
        : score.objectives.length
          ? session.finished
            ? 'goals: all met'
            : 'goals: all on track'
          : '',
      priority: 4,
    },
    {
      text:
        session.mode === 'exam' ? 'EXAM' : session.hintsUsed ? `training, hints -${score.hints.points}` : 'training',
      priority: 6,
    },
    { text: '? help', priority: 6 },
  ];
  return segments.filter((s) => s.text);
}

/** The bar's text, exactly `width` columns. */
export function statusLine(session: Session, clock: Pick<Clock, 'speed' | 'paused'>, width: number): string {
  const kept = fitByPriority(
    statusSegments(session, clock),
    width - 2,
    (s) => columns(s.text),
    (s) => s.priority,
    3,
  );
  return fit(` ${kept.map((s) => s.text).join(' │ ')}`, width);
}
