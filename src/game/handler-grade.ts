// How well a trainee's handler did its job, read from every request it made (to the instances'
// metadata service and to the control endpoint) and from what the world did. Each check is worth a
// share of the handler's points; a check with nothing to judge (no notice came) is left out.
import { counted, subjectsOf, type SimEvent, type World } from '../sim/index.js';
import type { LoggedCommand } from './command-log.js';

/** One request the handler made, at the simulated second it was answered. */
export type HandlerRequest =
  | { kind: 'imds'; tick: number; instanceId: string; method: string; path: string; status: number }
  | { kind: 'control'; tick: number; method: string; path: string; status: number; command?: string };

export interface HandlerCheck {
  name: 'poll-interval' | 'token-reuse' | 'error-handling' | 'reaction-time' | 'replacement' | 'duplicates';
  /** 0..1, or null when there was nothing to judge. */
  value: number | null;
  weight: number;
  detail: string;
}

export interface HandlerNotice {
  instanceId: string;
  notice: number;
  interruption: number;
  /** Simulated seconds from the notice to the handler's first command about it; null if it never acted. */
  secondsToAct: number | null;
  firstAction: string | null;
  /** A replacement of the handler's for the same workload was running before the interruption. */
  replacedInTime: boolean;
  /** Commands about this notice beyond the first of each verb. */
  duplicates: number;
}

export interface HandlerGrade {
  /** 0..1: the weighted share of the applicable checks met. */
  value: number;
  checks: HandlerCheck[];
  notices: HandlerNotice[];
  requests: { imds: number; control: number; tokens: number; metadataReads: number };
}

/** AWS: "we recommend that you check for interruption notices every 5 seconds" (Spot interruption notices). */
export const ADVISED_POLL_SECONDS = 5;
/** A reaction within this many simulated seconds of the notice earns full marks; none after REACT_LATE. */
const REACT_PROMPT = 10;
const REACT_LATE = 60;

const WEIGHTS: Record<HandlerCheck['name'], number> = {
  'poll-interval': 20,
  'token-reuse': 15,
  'error-handling': 15,
  'reaction-time': 25,
  replacement: 15,
  duplicates: 10,
};

/** Paths where EC2 posts what a handler watches for. */
const NOTICE_PATH =
  /\/meta-data\/(spot\/(instance-action|termination-time)|events\/recommendations\/rebalance|events\/maintenance\/scheduled)$/;
const TOKEN_PATH = /\/api\/token$/;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function pollInterval(imds: Extract<HandlerRequest, { kind: 'imds' }>[]): HandlerCheck {
  const last = new Map<string, number>();
  const gaps: number[] = [];
  for (const r of imds) {
    if (r.method !== 'GET' || !NOTICE_PATH.test(r.path)) continue;
    const before = last.get(`${r.instanceId} ${r.path}`);
    if (before !== undefined) gaps.push(r.tick - before);
    last.set(`${r.instanceId} ${r.path}`, r.tick);
  }
  const m = median(gaps);
  if (m === null)
    return {
      name: 'poll-interval',
      value: 0,
      weight: WEIGHTS['poll-interval'],
      detail: 'never polled a notice path twice',
    };
  // Requests are timed in whole seconds of the world, so a handler polling every 5 s shows gaps of 5 or 6.
  const value = m <= ADVISED_POLL_SECONDS + 1 ? 1 : m <= 2 * ADVISED_POLL_SECONDS ? 0.5 : 0;
  return {
    name: 'poll-interval',
    value,
    weight: WEIGHTS['poll-interval'],
    detail: `median ${m} s between polls of a notice path (AWS advises every ${ADVISED_POLL_SECONDS} s)`,
  };
}

function tokenReuse(imds: Extract<HandlerRequest, { kind: 'imds' }>[]): HandlerCheck {
  const tokens = imds.filter((r) => r.method === 'PUT' && TOKEN_PATH.test(r.path) && r.status === 200).length;
  const reads = imds.filter((r) => r.method === 'GET').length;
  if (reads === 0)
    return { name: 'token-reuse', value: null, weight: WEIGHTS['token-reuse'], detail: 'no metadata read' };
  const perRead = tokens / reads;
  // A token lives up to six hours: one per instance, renewed when it expires, is the aim.
  const value = perRead <= 0.25 ? 1 : perRead < 0.9 ? 0.5 : 0;
  return {
    name: 'token-reuse',
    value,
    weight: WEIGHTS['token-reuse'],
    detail: `${tokens} tokens for ${reads} reads${perRead >= 0.9 ? ': a new token per request' : ''}`,
  };
}

/** After a 401 the next request to that instance should fetch a token; a 404 on a notice path is no notice. */
function errorHandling(
  imds: Extract<HandlerRequest, { kind: 'imds' }>[],
  commands: readonly LoggedCommand[],
  world: World,
): HandlerCheck {
  let unauthorized = 0;
  let recovered = 0;
  const pending = new Set<string>();
  for (const r of imds) {
    if (pending.has(r.instanceId)) {
      pending.delete(r.instanceId);
      if (r.method === 'PUT' && TOKEN_PATH.test(r.path)) recovered++;
    }
    if (r.status === 401) {
      unauthorized++;
      pending.add(r.instanceId);
    }
  }
  // Acting on an instance whose notice path said 404 and never 200: the handler took "not found" for a notice.
  const noticed = new Set(imds.filter((r) => r.status === 200 && NOTICE_PATH.test(r.path)).map((r) => r.instanceId));
  const notFound = new Set(imds.filter((r) => r.status === 404 && NOTICE_PATH.test(r.path)).map((r) => r.instanceId));
  const actedOn = (id: string) => commands.some((c) => mentions(c.text, id, world.instances[id]?.name ?? null));
  const misread = [...notFound].filter((id) => !noticed.has(id) && actedOn(id)).length;
  if (unauthorized === 0 && notFound.size === 0)
    return { name: 'error-handling', value: null, weight: WEIGHTS['error-handling'], detail: 'no 401 or 404 answered' };
  // Only what happened is judged: a run with no 401 is neither credited nor charged for 401s.
  const judged: [number, string][] = [];
  if (unauthorized > 0)
    judged.push([recovered / unauthorized, `${recovered} of ${unauthorized} 401s followed by a new token`]);
  if (notFound.size > 0)
    judged.push([
      (notFound.size - misread) / notFound.size,
      `${counted(misread, 'instance')} acted on after a 404 without a notice`,
    ]);
  return {
    name: 'error-handling',
    value: judged.reduce((sum, [v]) => sum + v, 0) / judged.length,
    weight: WEIGHTS['error-handling'],
    detail: judged.map(([, text]) => text).join('; '),
  };
}

/** Whether a command is about an instance: it names its ID or Name, or a name derived from it (`web-1-od`). */
function mentions(command: string, id: string, name: string | null): boolean {
  return command
    .split(/[\s,=]+/)
    .some((word) => word === id || (name !== null && (word === name || word.startsWith(`${name}-`))));
}

export interface GradeInput {
  requests: readonly HandlerRequest[];
  events: readonly SimEvent[];
  log: readonly LoggedCommand[];
  world: World;
}

/** Grades a handler from its requests and the session's events, commands and world. */
export function gradeHandler({ requests, events, log, world }: GradeInput): HandlerGrade {
  const imds = requests.filter((r): r is Extract<HandlerRequest, { kind: 'imds' }> => r.kind === 'imds');
  const control = requests.filter((r): r is Extract<HandlerRequest, { kind: 'control' }> => r.kind === 'control');
  const commands = log.filter((c) => c.source === 'handler');
  const running = new Map<string, number>();
  const interrupted = new Map<string, number>();
  const firstSeen = (seen: Map<string, number>, e: SimEvent) => {
    for (const id of subjectsOf(e)) if (!seen.has(id)) seen.set(id, e.tick);
  };
  for (const e of events) {
    if (e.kind === 'instance-running') firstSeen(running, e);
    if (e.kind === 'spot-interrupted') firstSeen(interrupted, e);
  }
  // Instances the handler launched: those launched in a second it sent a launch.
  const launchTicks = new Set(commands.filter((c) => c.text.startsWith('launch ')).map((c) => c.tick));
  const launched =
    launchTicks.size === 0 ? [] : Object.values(world.instances).filter((i) => launchTicks.has(i.launchedAt));
  const notices: HandlerNotice[] = [];
  for (const e of events) {
    if (e.kind !== 'spot-interruption-notice') continue;
    // A pool's notices of one second are one event; each instance's is graded on its own.
    for (const id of subjectsOf(e)) notices.push(graded(id, e.tick));
  }
  function graded(id: string, tick: number): HandlerNotice {
    const inst = world.instances[id];
    const name = inst?.name ?? null;
    const interruption = interrupted.get(id) ?? tick + 120;
    const about = commands.filter((c) => c.tick >= tick && mentions(c.text, id, name));
    const first = about[0] ?? null;
    const verbs = about.map((c) => c.text.split(' ', 1)[0]!);
    const replacedInTime = launched.some(
      (other) =>
        other.id !== id &&
        other.workload !== null &&
        other.workload === inst?.workload &&
        other.launchedAt >= tick &&
        (running.get(other.id) ?? Infinity) <= interruption,
    );
    return {
      instanceId: id,
      notice: tick,
      interruption,
      secondsToAct: first ? first.tick - tick : null,
      firstAction: first?.text ?? null,
      replacedInTime,
      duplicates: verbs.length - new Set(verbs).size,
    };
  }

  const reaction = (n: HandlerNotice) =>
    n.secondsToAct === null
      ? 0
      : n.secondsToAct <= REACT_PROMPT
        ? 1
        : Math.max(0, 1 - (n.secondsToAct - REACT_PROMPT) / (REACT_LATE - REACT_PROMPT));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const noticeChecks: HandlerCheck[] =
    notices.length === 0
      ? (['reaction-time', 'replacement', 'duplicates'] as const).map((name) => ({
          name,
          value: null,
          weight: WEIGHTS[name],
          detail: 'no interruption notice came',
        }))
      : [
          {
            name: 'reaction-time',
            value: mean(notices.map(reaction)),
            weight: WEIGHTS['reaction-time'],
            detail: notices
              .map(
                (n) =>
                  `${n.instanceId}: ${n.secondsToAct === null ? 'no action' : `acted ${n.secondsToAct} s after its notice`}`,
              )
              .join('; '),
          },
          {
            name: 'replacement',
            value: mean(notices.map((n) => (n.replacedInTime ? 1 : 0))),
            weight: WEIGHTS.replacement,
            detail: `${notices.filter((n) => n.replacedInTime).length} of ${notices.length} replaced and serving before the interruption`,
          },
          {
            name: 'duplicates',
            value: notices.some((n) => n.duplicates > 0) ? 0 : 1,
            weight: WEIGHTS.duplicates,
            detail: `${notices.reduce((a, n) => a + n.duplicates, 0)} repeated reactions to one notice`,
          },
        ];
  const checks = [pollInterval(imds), tokenReuse(imds), errorHandling(imds, commands, world), ...noticeChecks];
  const applicable = checks.filter((c) => c.value !== null);
  const weight = applicable.reduce((a, c) => a + c.weight, 0);
  return {
    value: weight === 0 ? 0 : applicable.reduce((a, c) => a + c.value! * c.weight, 0) / weight,
    checks,
    notices,
    requests: {
      imds: imds.length,
      control: control.length,
      tokens: imds.filter((r) => r.method === 'PUT' && TOKEN_PATH.test(r.path)).length,
      metadataReads: imds.filter((r) => r.method === 'GET').length,
    },
  };
}
