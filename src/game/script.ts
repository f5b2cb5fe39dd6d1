// Command scripts, the same language the prompt speaks, with timing and simple reactions:
//   at <time> <command>                       run at a time from the start (90, 5m, 02:30, 1:00:00)
//   on <event-kind> [after <time>] <command>  run whenever such an event happens, a second later
//                                             (plus the delay); placeholders such as {subject}
//                                             and {zone} stand for what the event is about
//                                             (see PLACEHOLDERS).
// `#` starts a comment.
import {
  characterCount,
  controlIn,
  didYouMean,
  formatClock,
  parseCommand,
  parseDuration,
  ParseError,
  subjectsOf,
  VERB_TABLE,
  vpcsOf,
  type Command,
  type SimEvent,
  type World,
} from '../sim/index.js';
import { fillPlaceholders } from './inject-spec.js';
import { InputError } from '../input/input-error.js';
import { LEVEL_BOUNDS, type Level } from './level.js';
import type { Reaction } from './command-log.js';
import type { Session } from './session.js';
import {
  isEventKind,
  lookedUpIn,
  PLACEHOLDERS,
  REACTION_EVENTS,
  toldBeforePlay,
  unfilledPlaceholder,
  type EventKind,
  type Placeholder,
} from './reaction-events.js';

export interface TimedCommand {
  tick: number;
  command: Command;
  line: number;
}

export interface Script {
  /** The script's file, for messages: `plan.txt:3: ...`. */
  source: string;
  timed: TimedCommand[];
  reactions: Reaction[];
}

/**
 * What a script may hold and do. Reactions that answer their own events (`on command-refused` a
 * command that is refused) would otherwise multiply every second and never end. A second's bound
 * leaves room for a reaction run once for each instance of a Spot pool's notices (see attachScript).
 */
export const SCRIPT_BOUNDS = {
  chars: 1_000_000,
  lines: 20_000,
  lineChars: 1000,
  /** Reactions a script may fire in one simulated second, and in a whole run. */
  reactionsPerTick: 1_000,
  reactionsPerRun: 10_000,
} as const;

const SAMPLE_VALUES: Record<Placeholder, string> = {
  subject: 'i-0123456789abcdef0',
  name: 'web-1',
  zone: 'use1-az1',
  otherZone: 'use1-az2',
  type: 'm6i.large',
  host: 'use1-az1-r01-h01',
  workload: 'web',
  rule: '--protocol tcp --port 443 --cidr 0.0.0.0/0',
};

const fill = fillPlaceholders;

/** A word of the reader's, as far as a one-line message shows it. */
const clip = (word: string): string => (word.length > 60 ? `${word.slice(0, 60)}…` : word);

/**
 * The events a mistyped one may have meant: the one it is but for case or underscores
 * (`Instance_Stopped`), else the nearest by spelling, else up to three that hold it as a word
 * (`stop`: instance-stopping, instance-stopped...). Empty when none is near.
 */
function eventSuggestion(word: string): string {
  const normal = word.toLowerCase().replaceAll('_', '-');
  if (isEventKind(normal)) return ` (did you mean ${normal}?)`;
  const near = didYouMean(normal, REACTION_EVENTS);
  if (near) return near;
  const holding = REACTION_EVENTS.filter((k) => k.split('-').some((part) => part.startsWith(normal)));
  return holding.length
    ? ` (events about it: ${holding.slice(0, 3).join(', ')}${holding.length > 3 ? ', …' : ''})`
    : '';
}

function parseAt(where: string, text: string): Command {
  try {
    return parseCommand(text);
  } catch (err) {
    if (err instanceof ParseError) throw new InputError(`${where}: ${err.message}`);
    throw err;
  }
}

function time(where: string, text: string): number {
  const tick = parseDuration(text);
  if (tick === null) throw new InputError(`${where}: '${text}' is not a time; use seconds, 5m, 1h30m or 02:30`);
  if (tick > LEVEL_BOUNDS.durationSeconds)
    throw new InputError(
      `${where}: '${text}' is later than any level lasts (at most ${formatClock(LEVEL_BOUNDS.durationSeconds)}, ${LEVEL_BOUNDS.durationSeconds} s)`,
    );
  return tick;
}

/** The names in braces in a command's text: `{subject}` and `{nosuch}` alike. */
const placeholdersIn = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

const isPlaceholder = (name: string) => (PLACEHOLDERS as readonly string[]).includes(name);

/**
 * Refuses a reaction (`on <event> <template>`) whose event is not one a script can wait for, whose
 * template is missing or names an unknown placeholder, or that would not be a command of the
 * language once filled: in a script, or in a save that keeps a script's reactions. `where` names
 * the line or field. Returns the command its template makes with sample values.
 */
export function checkReaction(where: string, event: string, template: string | undefined): Command {
  if (!isEventKind(event))
    throw new InputError(
      `${where}: no event '${clip(event)}'${eventSuggestion(event)}; fleetops commands lists the events a reaction can wait for`,
    );
  if (!template)
    throw new InputError(`${where}: 'on ${event}' needs the command to run, e.g. 'on ${event} note {subject}'`);
  const use = `use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
  const unknown = placeholdersIn(template).find((k) => !isPlaceholder(k));
  if (unknown) throw new InputError(`${where}: unknown placeholder {${unknown}}; ${use}`);
  // A brace left once the placeholders are taken out (`{}`, `{{subject}}`, `{subject`) would reach the command as it is.
  if (/[{}]/.test(template.replace(/\{\w+\}/g, '')))
    throw new InputError(`${where}: a brace that is not part of a placeholder; ${use}`);
  return responderOnly(where, parseAt(where, fill(template, SAMPLE_VALUES)));
}

/** An `at` or `on` line whose command is a note: its text is not cut at a `#`. */
const NOTE_LINE = /^\s*(?:at\s+\S+|on\s+\S+(?:\s+after\s+\S+)?)\s+note\s/;

/**
 * Refuses a scenario command (a fault such as `restore-host`) in a script, or in a script's reaction
 * kept in a save: a script speaks for the responders, who cannot issue one at the prompt or through
 * the control endpoint either. Returns the command.
 */
function responderOnly(where: string, command: Command): Command {
  if (VERB_TABLE.get(command.verb)?.scope === 'fault')
    throw new InputError(
      `${where}: ${command.verb} is a scenario command; a script acts for the responders and cannot issue it`,
    );
  return command;
}

export function parseScript(text: string, source: string): Script {
  const script: Script = { source, timed: [], reactions: [] };
  if (text.length > SCRIPT_BOUNDS.chars)
    throw new InputError(
      `${source}: ${text.length.toLocaleString('en-US')} characters is more than a script may hold (at most ${SCRIPT_BOUNDS.chars.toLocaleString('en-US')})`,
    );
  const lines = text.split(/\r?\n/);
  // A file that ends its last line with a newline has no line after it.
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > SCRIPT_BOUNDS.lines)
    throw new InputError(
      `${source}: ${lines.length.toLocaleString('en-US')} lines is more than a script may hold (at most ${SCRIPT_BOUNDS.lines.toLocaleString('en-US')})`,
    );
  lines.forEach((raw, i) => {
    const where = `${source}:${i + 1}`;
    if (raw.length > SCRIPT_BOUNDS.lineChars && characterCount(raw) > SCRIPT_BOUNDS.lineChars)
      throw new InputError(
        `${where}: a line of ${characterCount(raw).toLocaleString('en-US')} characters; a script line holds at most ${SCRIPT_BOUNDS.lineChars.toLocaleString('en-US')}`,
      );
    // A line separator (U+2028) or the like would read as a space between the line's words, or end
    // it where the line's pattern looks; a tab inside a command is its own refusal (parseCommand).
    const control = controlIn(raw, true);
    if (control) throw new InputError(`${where}: a script line is plain text; this one ${control}`);
    // A note takes the rest of its line as written, `#` included (`note issue #42 fixed`).
    const line = NOTE_LINE.test(raw) ? raw.trim() : raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const at = /^at\s+(\S+)\s+(.+)$/.exec(line);
    const on = /^on\s+(\S+)(?:\s+(?:after\s+(\S+)\s+)?(.+))?$/.exec(line);
    if (at) {
      // Only a reaction has an event to fill a placeholder from: an 'at' line would send it as written.
      const placeholder = placeholdersIn(at[2]!).find(isPlaceholder);
      if (placeholder)
        throw new InputError(
          `${where}: {${placeholder}} is filled in from the event a reaction answers, and an 'at' line answers none: name the thing itself, or write 'on <event> ${at[2]!.trim()}'`,
        );
      const command = parseAt(where, at[2]!);
      responderOnly(where, command);
      script.timed.push({ tick: time(where, at[1]!), command, line: i + 1 });
    } else if (on) {
      const event = on[1]!;
      // `on <event> after 5m` and nothing more: the command is what is missing, not a verb 'after'.
      const delayOnly = on[2] === undefined ? /^after\s+(\S+)$/.exec(on[3] ?? '') : null;
      if (delayOnly && isEventKind(event))
        throw new InputError(
          `${where}: 'on ${event} after ${delayOnly[1]}' needs the command to run, e.g. 'on ${event} after ${delayOnly[1]} note {subject}'`,
        );
      // Only as a script is read: a save keeps the reactions of the script it was played with.
      const early = isEventKind(event) ? toldBeforePlay(event) : null;
      if (early) throw new InputError(`${where}: ${early}`);
      checkReaction(where, event, on[3]);
      const unfilled = unfilledPlaceholder(event as EventKind, placeholdersIn(on[3]!));
      if (unfilled) throw new InputError(`${where}: ${unfilled}`);
      script.reactions.push({ event, delay: on[2] ? time(where, on[2]) : 0, template: on[3]!, line: i + 1 });
    } else {
      throw new InputError(
        `${where}: expected 'at <time> <command>' or 'on <event> [after <time>] <command>', e.g. 'at 02:30 stop web-1'`,
      );
    }
  });
  // Stable sort: commands at the same time keep the script's order.
  script.timed.sort((a, b) => a.tick - b.tick);
  return script;
}

/**
 * What a reaction's placeholders stand for, about `subject`: the event's subject, or one of the
 * instances it tells together; '' for one the subject does not have (see reaction-events.ts).
 */
export function eventValues(world: World, e: SimEvent, subject: string): Record<Placeholder, string> {
  // Looked up only where the event's kind says its subject is: a placement group named `web` is
  // not the workload, nor one named `use1-az1` the zone.
  const where = lookedUpIn(e.kind);
  const vol = where === 'volumes' ? world.volumes[subject] : undefined;
  const own = where === 'instances' ? world.instances[subject] : undefined;
  const inst = own ?? (vol?.attachment ? world.instances[vol.attachment.instanceId] : undefined);
  const host = where === 'hosts' ? world.hosts[subject] : undefined;
  const pool = where === 'spotPools' ? world.spotPools[subject] : undefined;
  const zoneOfSubject = where === 'zones' ? world.zones.find((z) => z.zoneId === subject)?.zoneId : undefined;
  const nat =
    where === 'natGateways' ? vpcsOf(world).find((v) => v.natGateways?.[subject])?.natGateways![subject] : undefined;
  const zone = vol?.zoneId ?? inst?.zoneId ?? host?.zoneId ?? pool?.zoneId ?? nat?.zoneId ?? zoneOfSubject ?? '';
  const other = world.zones.find((z) => z.zoneId !== zone && !z.impaired)?.zoneId ?? zone;
  const data = e.data ?? {};
  return {
    subject,
    name: own?.name ?? vol?.name ?? subject,
    zone,
    otherZone: other,
    type: vol?.type ?? inst?.type ?? pool?.type ?? '',
    // An instance that has left its host (its store lost with a stop) has it in the event's data.
    host: host?.id ?? inst?.hostId ?? (typeof data.host === 'string' ? data.host : ''),
    // A network change's cut-off tells the workload it cut off in its data.
    workload:
      inst?.workload ??
      (where === 'workloads' && world.workloads[subject]
        ? subject
        : typeof data.workload === 'string'
          ? data.workload
          : ''),
    rule: typeof data.rule === 'string' ? data.rule : '',
  };
}

/** Refuses a timed command or a reaction's delay the level would end before: it would never run. */
function checkAgainst(script: Script, level: Level): void {
  const late = script.timed.filter((t) => t.tick >= level.duration).sort((a, b) => a.line - b.line)[0];
  if (late) {
    throw new InputError(
      `${script.source}:${late.line}: at ${formatClock(late.tick)} is past the end of ${level.id}, which lasts ${formatClock(level.duration)}; its last command runs at ${formatClock(level.duration - 1)}`,
    );
  }
  const slow = script.reactions.find((r) => r.delay >= level.duration);
  if (slow)
    throw new InputError(
      `${script.source}:${slow.line}: after ${formatClock(slow.delay)} is longer than ${level.id} lasts (${formatClock(level.duration)}); the reaction would never run`,
    );
}

/**
 * Counts a script's reactions against its budget, the run's kept on the session (a loaded play
 * goes on from its save's count); throws, naming the script line that fired one too many, when a
 * second or the run has had its share.
 */
function reactionBudget(
  session: Session,
  source: string,
): (r: Reaction, tick: number, listed: number, of: 'instances' | 'volumes') => void {
  let tick = -1;
  let thisTick = 0;
  const bounds = `at most ${SCRIPT_BOUNDS.reactionsPerTick.toLocaleString('en-US')} a second, ${SCRIPT_BOUNDS.reactionsPerRun.toLocaleString('en-US')} a run`;
  return (r, now, listed, of) => {
    if (now !== tick) [tick, thisTick] = [now, 0];
    thisTick++;
    const total = ++session.reactionsFired;
    const where = `${source}:${r.line}: 'on ${r.event}' took the script past`;
    // What most likely spent the budget: one event listing many instances, or a reaction feeding itself.
    const why =
      listed > 1
        ? `the event lists ${listed.toLocaleString('en-US')} ${of} and the reaction runs once for each`
        : 'a reaction that answers its own events never ends';
    if (thisTick > SCRIPT_BOUNDS.reactionsPerTick)
      throw new InputError(
        `${where} ${SCRIPT_BOUNDS.reactionsPerTick.toLocaleString('en-US')} reactions in the second at ${formatClock(now)}; ${why} (${bounds})`,
      );
    if (total > SCRIPT_BOUNDS.reactionsPerRun)
      throw new InputError(
        `${where} ${SCRIPT_BOUNDS.reactionsPerRun.toLocaleString('en-US')} reactions in one run at ${formatClock(now)}; ${why} (${bounds})`,
      );
  };
}

/** Schedules a script's timed commands on a session and arms its reactions. */
export function attachScript(session: Session, script: Script): void {
  checkAgainst(script, session.level);
  for (const t of script.timed) session.schedule(t.tick, t.command, 'script');
  if (script.reactions.length === 0) return;
  session.reactions.push(...script.reactions);
  const spend = reactionBudget(session, script.source);
  session.onEvents((events) => {
    for (const e of events) {
      for (const r of script.reactions) {
        if (r.event !== e.kind) continue;
        // An event telling several instances or volumes together (a Spot pool's notices, a
        // workload's volume alarms) is answered for each, as an EventBridge rule is for each one's own event.
        const subjects = subjectsOf(e);
        for (const subject of subjects) {
          spend(r, e.tick, subjects.length, e.volumeIds ? 'volumes' : 'instances');
          // A reaction that does not parse once filled in becomes a refusal event, as a typo at the prompt would.
          session.enqueueAt(e.tick + 1 + r.delay, fill(r.template, eventValues(session.world, e, subject)), 'script');
        }
      }
    }
  });
}
