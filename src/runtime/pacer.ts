// Pacing a session to the wall clock: the one place that owns a timer. Stepping itself stays in
// the session; the pacer decides when, at the chosen speed (ticks per real second) or paused.
import type { Session } from '../game/session.js';
import { SPEEDS } from '../game/speeds.js';

/** The share of each frame's time that ticks may take; the rest is for input and drawing. */
const TICK_SHARE = 0.6;

export interface PacerOptions {
  speed?: number;
  paused?: boolean;
  /** Called after each batch of ticks, e.g. to render once per frame. */
  onFrame?: () => void;
  /** Called once when the session reaches its end. */
  onFinish?: () => void;
  /** Real milliseconds between frames. */
  frameMs?: number;
  /**
   * Keep the simulated clock on the real one at a fixed speed: tick n is due `n / speed` real
   * seconds after start, and ticks that fall behind are caught up, never dropped, so an outside
   * program whose clock runs at the same speed from the same start (a handler under libfaketime)
   * agrees with the world. Pausing and changing speed do not apply.
   */
  anchored?: boolean;
}

export class Pacer {
  speed: number;
  paused: boolean;
  private timer: NodeJS.Timeout | null = null;
  private owed = 0;
  private last = 0;
  private startedAt = 0;
  private startTick = 0;

  constructor(
    private readonly session: Session,
    private readonly options: PacerOptions = {},
  ) {
    this.speed = options.speed ?? 1;
    this.paused = options.paused ?? false;
  }

  start(): void {
    if (this.timer) return;
    this.last = performance.now();
    this.startedAt = this.last;
    this.startTick = this.session.tick;
    this.timer = setInterval(() => this.frame(), this.frameMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  togglePause(): void {
    this.paused = !this.paused;
  }

  faster(): void {
    this.speed = SPEEDS.find((s) => s > this.speed) ?? this.speed;
  }

  slower(): void {
    this.speed = [...SPEEDS].reverse().find((s) => s < this.speed) ?? this.speed;
  }

  /**
   * Simulated seconds the world is behind the real clock on an anchored run: the ticks that were
   * due by the last frame's time and have not run, as a busy machine leaves them; 0 otherwise. A
   * tick that came due since then waits for the next frame, as it does on a machine that keeps up.
   * A handler on the level's clock (libfaketime) is that far ahead of the world, and up to a
   * frame's time more.
   */
  behind(): number {
    if (!this.options.anchored || !this.running || this.session.finished) return 0;
    const lastFrame = performance.now() - this.frameMs;
    return Math.max(0, this.dueTick(lastFrame) - this.session.tick);
  }

  /** Real milliseconds between frames. */
  private get frameMs(): number {
    return this.options.frameMs ?? 100;
  }

  /** The tick an anchored run should have reached at `now` (performance.now() ms). */
  private dueTick(now: number): number {
    return this.startTick + Math.floor(((now - this.startedAt) / 1000) * this.speed);
  }

  /** Runs the ticks the elapsed real time is owed at the current speed. */
  private frame(): void {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    if (!this.paused && !this.session.finished) {
      if (this.options.anchored) {
        this.owed = this.dueTick(now) - this.session.tick;
      } else {
        this.owed += (elapsed / 1000) * this.speed;
        // A stalled process should not replay a long gap all at once.
        this.owed = Math.min(this.owed, this.speed * 2);
      }
      // Ticks stop for the frame once they have had most of it, so keys are read between frames
      // however large the fleet; what is left over waits (within the cap above).
      const budget = now + this.frameMs * TICK_SHARE;
      while (this.owed >= 1 && !this.session.finished && performance.now() < budget) {
        this.session.advance();
        this.owed -= 1;
      }
      if (this.session.finished) this.options.onFinish?.();
    }
    this.options.onFrame?.();
  }
}
