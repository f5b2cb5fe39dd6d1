// A sitting at the dashboard: levels at wall-clock pace on one screen, each running instance's
// metadata service on loopback, one level after another through the level select. Every level
// left is kept in the autosave slot; every level finished is recorded for the campaign and the
// leaderboard. It wires the dashboard (tui), the saves (store), the IMDS and the pacer (runtime)
// together, so it sits above all of them and below the command line, which only checks options.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type blessed from 'blessed';
import { InputError } from '../input/input-error.js';
import type { Level } from '../game/level.js';
import { Session } from '../game/session.js';
import { ImdsServer, ListenError } from '../imds/server.js';
import { campaignProgress } from '../game/campaign.js';
import { Pacer } from '../runtime/pacer.js';
import { formatClock } from '../sim/index.js';
import {
  AUTOSAVE_SLOT,
  COMMANDS_ONLY,
  describeSave,
  defaultPlayer,
  readProfile,
  playResultOf,
  recordResult,
  saveSession,
  type Profile,
  type SaveSlot,
  type SavesFolder,
  type Settings,
} from '../store/index.js';
import { Dashboard, type Exit } from '../tui/dashboard.js';
import { chooseLevel } from '../tui/level-select.js';
import { guardTerminal } from '../tui/screen.js';
import { buildingLine, showSplash } from '../tui/splash.js';
import { createTheme, wantsNoColor, type Theme } from '../tui/theme.js';

/** Everything a sitting needs besides its first session, checked before it starts. */
export interface PlayContext {
  folder: SavesFolder;
  settings: Settings;
  /** Simulated seconds per real second at the start; the player may change it. */
  speed: number;
  /** The port every instance's IMDS answers on (0: any free port). */
  imdsPort: number;
  imdsContainerPort: number;
  player: string | undefined;
  campaign: readonly Level[];
  /** Every level of the campaign is open (`--unlock`). */
  unlockAll: boolean;
  /** Writes the report of `session` as it stands to `path`, its format from the extension; throws InputError. */
  exportReport: (session: Session, path: string) => void;
}

/** Real milliseconds between dashboard frames: quick enough that keys feel immediate. */
const FRAME_MS = 50;

function themeFor(settings: Settings): Theme {
  return createTheme(settings.colour === 'never' || (settings.colour === 'auto' && wantsNoColor(process.env)));
}

function nextLevel(campaign: readonly Level[], level: Level): Level | undefined {
  const at = campaign.findIndex((l) => l.id === level.id);
  return at < 0 ? undefined : campaign[at + 1];
}

/** IMDS endpoints noted in the log at start; an instance's details show any of them. */
const LISTED_ENDPOINTS = 10;

/** The report file a play is exported to when the player names none. */
const defaultReportPath = (session: Session) => join('reports', `${session.level.id}-seed-${session.seed}.md`);

async function startImds(session: Session, port: number, containerPort: number): Promise<ImdsServer | string> {
  const imds = new ImdsServer(session, { port, containerPort });
  try {
    await imds.start();
    return imds;
  } catch (err) {
    if (err instanceof ListenError) return `IMDS not started: ${err.message}`;
    throw err;
  }
}

/** The screen, and the level on it: its dashboard, clock and metadata service. */
export class DashboardPlay {
  private readonly theme: Theme;
  private readonly folder: SavesFolder;
  private dashboard: Dashboard | null = null;
  /** Stops the level on screen at once; set while one is. */
  private leave: (() => void) | null = null;
  /** The clock's speed, carried from one level to the next as the player left it. */
  private speed: number;
  /**
   * The ports the metadata service last listened on, taken again by the next level: a handler or a
   * `curl` pointed at them keeps working after a visit to the level select.
   */
  private imdsPorts: { port: number; containerPort: number } | null = null;

  /**
   * @param screen the screen, opened by the caller (which may have drawn on it while loading);
   *   closed when the sitting ends.
   * @param resumed how the first session was brought back from a save, when it was: it then
   *   opens without the briefing.
   */
  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly context: PlayContext,
    private resumed: string | null,
  ) {
    this.theme = themeFor(context.settings);
    this.speed = context.speed;
    // What the saves folder has to say goes to the log while the screen is up, not under it.
    this.folder = {
      ...context.folder,
      notify: (line) => (this.dashboard ? this.dashboard.announce('warn', line) : context.folder.notify(line)),
    };
  }

  async run(first: Session): Promise<{ last: Session; kept: string | null }> {
    const teardown = guardTerminal(this.screen, () => this.leave?.());
    let session: Session | null = first;
    let last = first;
    let kept: string | null = null;
    try {
      while (session) {
        last = session;
        const exit = await this.playLevel(session);
        kept = await this.keep(session);
        session = exit === 'quit' ? null : await this.following(exit, session);
      }
    } finally {
      teardown();
    }
    return { last, kept };
  }

  /**
   * The session after one the player left for another; null when they quit from the level select.
   * Going back from the level select returns to the level left, paused, as it was.
   */
  private async following(exit: Exclude<Exit, 'quit'>, left: Session): Promise<Session | null> {
    const { campaign } = this.context;
    const level = left.level;
    const next = nextLevel(campaign, level);
    // The mode holds for the whole sitting: an exam goes on as an exam.
    const play = async (l: Level, seed: string) => {
      const splash = await showSplash(this.screen, buildingLine(l));
      try {
        return new Session(l, seed, undefined, left.mode);
      } finally {
        splash.detach();
      }
    };
    if (exit === 'retry') return play(level, left.seed);
    if (exit === 'next' && next) return play(next, next.defaultSeed);
    const progress = campaignProgress(
      await this.profile(),
      campaign.map((l) => l.id),
      { unlockAll: this.context.unlockAll },
    );
    const choices = campaign.map((l, i) => ({ level: l, progress: progress[i]! }));
    const chosen = await chooseLevel(
      this.screen,
      this.theme,
      choices,
      (exit === 'levels' ? level : (next ?? level)).id,
    );
    if (chosen === 'quit') return null;
    if (chosen === 'back') {
      this.resumed = `back in ${level.title} at ${formatClock(left.tick)}`;
      return left;
    }
    const picked = campaign.find((l) => l.id === chosen.play)!;
    return play(picked, picked.defaultSeed);
  }

  /** The profile; one gone bad is set aside (and said), and the campaign starts afresh. */
  private async profile(): Promise<Profile> {
    try {
      return await readProfile(this.folder);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.folder.notify(err.message);
      return readProfile(this.folder);
    }
  }

  /**
   * Saves the play whole, snapshot included where the world is small enough, so it loads fast;
   * returns the slot as said to the player, and for a slot the player named, the save it replaced.
   */
  private async saveTo(
    slot: string,
    session: Session,
    kind: SaveSlot['kind'],
  ): Promise<{ slot: string; replaced: string }> {
    // The autosave's slot is replaced as a matter of course, and not said.
    let replaced = '';
    const saved = await saveSession(this.folder, slot, session, {
      kind,
      settings: this.context.settings,
      snapshot: true,
      replacing: (previous) => (replaced = kind === 'manual' ? `; it replaced ${describeSave(previous)}` : ''),
    });
    return { slot: `slot ${slot}${saved.snapshot ? '' : ` (${COMMANDS_ONLY})`}`, replaced };
  }

  /**
   * Autosaves a level being left, saying so while it is written (a region's world takes seconds);
   * a failure is said but does not keep the player in.
   */
  private async keep(session: Session): Promise<string | null> {
    const splash = await showSplash(this.screen, `fleetops: keeping the play in slot ${AUTOSAVE_SLOT}...`);
    try {
      return (await this.saveTo(AUTOSAVE_SLOT, session, 'auto')).slot;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.context.folder.notify(`the play could not be kept: ${err.message}`);
      return null;
    } finally {
      splash.detach();
    }
  }

  private say(role: 'ok' | 'warn' | 'error', text: string): void {
    this.dashboard?.announce(role, text);
  }

  /** Records a finished level for the campaign and the leaderboard, and says how it placed. */
  private async record(session: Session): Promise<void> {
    const { entry, rank, newBest } = await recordResult(this.folder, playResultOf(session, this.context.player));
    const next = nextLevel(this.context.campaign, session.level);
    const opened = entry.won && next ? `; ${next.title} is open` : '';
    this.say(
      'ok',
      `recorded for ${entry.player}: ${entry.score} points, grade ${entry.grade}${rank ? `, #${rank} on this level` : ''}${newBest ? ', a new best' : ''}${opened}`,
    );
  }

  /** One level in the dashboard until the player leaves it. */
  private async playLevel(session: Session): Promise<Exit> {
    const { settings, campaign } = this.context;
    session.player = this.context.player ?? defaultPlayer();
    const imds = await this.startImds(session);
    const pacer = new Pacer(session, {
      speed: this.speed,
      // A level waits for its briefing to be read; a loaded one for the player to look around.
      paused: true,
      frameMs: FRAME_MS,
      onFrame: () => this.dashboard?.frame(),
      onFinish: () =>
        void this.record(session).catch((err: unknown) =>
          this.say('error', `✗ the result could not be recorded: ${err instanceof Error ? err.message : String(err)}`),
        ),
    });
    const exit = new Promise<Exit>((resolve) => {
      this.leave = () => {
        pacer.stop();
        this.dashboard?.detach();
        this.dashboard = null;
        this.leave = null;
      };
      this.dashboard = new Dashboard({
        session,
        clock: pacer,
        screen: this.screen,
        theme: this.theme,
        imds: typeof imds === 'string' ? undefined : imds,
        keyHints: settings.keyHints,
        promptPauses: settings.promptPauses,
        briefing: this.resumed === null,
        next: nextLevel(campaign, session.level)?.title,
        actions: {
          keptIn: `slot ${AUTOSAVE_SLOT}`,
          save: async (slot) => {
            const name = slot ?? AUTOSAVE_SLOT;
            // The second saved, read as the save is made: the clock runs on while it is written.
            const tick = session.tick;
            const saved = await this.saveTo(name, session, slot ? 'manual' : 'auto');
            return `saved ${saved.slot} at ${formatClock(tick)}: fleetops load ${name} resumes it${saved.replaced}`;
          },
          exportReport: async (path) => {
            const out = path ?? defaultReportPath(session);
            // A play of the same level and seed writes to the same default path: say what it replaced.
            const replaced = existsSync(out) ? ' (replaced)' : '';
            this.context.exportReport(session, out);
            return `report as of ${formatClock(session.tick)} written to ${out}${replaced}`;
          },
        },
        onExit: (to) => {
          this.leave?.();
          resolve(to);
        },
      });
    });
    this.announceImds(session, imds);
    if (this.resumed)
      this.say(
        'ok',
        session.finished ? `${this.resumed}; the level is over` : `${this.resumed}; paused, Space resumes`,
      );
    this.resumed = null;
    pacer.start();
    const to = await exit;
    this.speed = pacer.speed;
    if (typeof imds !== 'string') await imds.close();
    return to;
  }

  /** The metadata service on the ports it had (see imdsPorts), else on those asked for. */
  private async startImds(session: Session): Promise<ImdsServer | string> {
    const asked = { port: this.context.imdsPort, containerPort: this.context.imdsContainerPort };
    let imds = this.imdsPorts ? await startImds(session, this.imdsPorts.port, this.imdsPorts.containerPort) : null;
    // Taken meanwhile by another program: the ports asked for, any free ones unless fixed.
    if (imds === null || typeof imds === 'string') imds = await startImds(session, asked.port, asked.containerPort);
    if (typeof imds !== 'string') this.imdsPorts = { port: imds.port, containerPort: imds.containerPort };
    return imds;
  }

  private announceImds(session: Session, imds: ImdsServer | string): void {
    const dashboard = this.dashboard!;
    if (typeof imds === 'string') return dashboard.note('warn', imds);
    const name = (id: string) => session.world.instances[id]?.name ?? id;
    const up = imds.list();
    for (const e of up.slice(0, LISTED_ENDPOINTS)) dashboard.note('info', `IMDS up: ${name(e.instanceId)} ${e.url}`);
    if (up.length > LISTED_ENDPOINTS)
      dashboard.note(
        'info',
        `IMDS up for ${up.length - LISTED_ENDPOINTS} more on port ${imds.port}: an instance's details show its endpoint`,
      );
    dashboard.note(
      'info',
      `IMDS as from a container on each instance (one network hop further): port ${imds.containerPort}`,
    );
    imds.onEndpoint((n) =>
      this.dashboard?.note(
        n.kind === 'failed' ? 'warn' : 'info',
        n.kind === 'failed' ? n.message : `IMDS ${n.kind === 'open' ? 'up' : 'down'}: ${name(n.instanceId)} ${n.url}`,
      ),
    );
  }
}
