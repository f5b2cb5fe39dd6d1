// `fleetops run <level> --seed N [--ticks T] [--commands FILE] [--json] [--save SLOT] [--player NAME]`:
// a headless run that prints the summary and the world hash.
import { attachScript, parseScript } from '../game/script.js';
import { Session } from '../game/session.js';
import { standing, summarize, type Summary } from '../game/summary.js';
import { hintChargeText } from '../game/score.js';
import { counted } from '../sim/index.js';
import { parseArgs, wholeNumber } from './args.js';
import { loadLevel, readText } from './files.js';
import { InputError } from '../game/input-error.js';
import { optionText, PLAY_END_OPTIONS, planPlayEnd, playerName } from './play-end.js';
import { formatClock } from '../sim/index.js';
import { MODE_OPTION, modeOption } from './mode.js';

export const RUN_OPTIONS = {
  seed: { value: true, help: "the run's random seed (default: the level's)" },
  ticks: { value: true, help: "simulated seconds to run, at most the level's duration (the default)" },
  commands: { value: true, help: 'a script of timed commands: at <time> <command>' },
  json: { value: false, help: 'print the summary as JSON' },
  ...MODE_OPTION,
  ...PLAY_END_OPTIONS,
} as const;

export function formatSummary(s: Summary): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const states =
    Object.entries(s.instances)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ') || 'none';
  const lines = [
    `player     ${s.player || 'unnamed'}`,
    `level      ${s.level}  ${s.title}`,
    `seed       ${s.seed}`,
    `mode       ${s.mode}${s.mode === 'training' ? `, ${counted(s.hintsUsed, 'hint')} shown` : ''}`,
    `simulated  ${s.ticks} s, ${s.startedAt} to ${s.endedAt}`,
    `world      ${s.hash}`,
    `instances  ${states}`,
    ...s.workloads.map(
      (w, i) =>
        `${i === 0 ? 'workloads ' : '          '} ${w.name} (${w.kind}): ${w.servedPct.toFixed(2)}% served, SLO met ${w.sloGoodSeconds}/${w.measuredSeconds} s, ${counted(w.failedRequests, 'request')} failed`,
    ),
    `cost       ${usd(s.costUsd.total)} (on-demand ${usd(s.costUsd.onDemand)}, Spot ${usd(s.costUsd.spot)}, EBS ${usd(s.costUsd.ebs)}, public IPv4 ${usd(s.costUsd.publicIpv4)})`,
    `events     ${s.events.total} (${counted(s.events.warnings, 'warning')}, ${counted(s.events.errors, 'error')}); your commands ${s.commands.applied} applied, ${s.commands.refused} refused`,
    `data lost  ${s.dataLostGB} GB${s.unavoidableDataLostGB ? `, ${s.unavoidableDataLostGB} GB of it before any response was possible (not charged)` : ''}`,
    ...s.incidents.map(
      (i, n) => `${n === 0 ? 'incidents ' : '          '} ${i.id} ${i.severity} ${i.state.padEnd(12)} ${i.title}`,
    ),
    ...s.score.objectives.map(
      (o, n) => `${n === 0 ? 'objectives' : '          '} [${o.met ? 'x' : ' '}] ${o.text} (${o.detail})`,
    ),
    `${s.finished ? 'score     ' : 'score so far'} ${s.score.points}/${s.score.max}, grade ${s.score.grade}, ${standing(s)}`,
    ...s.score.components.map(
      (c) => `             ${c.name.padEnd(12)} ${String(c.points).padStart(4)}/${c.weight * 10}  ${c.detail}`,
    ),
    ...(s.score.hints.used
      ? [
          `             ${'hints'.padEnd(12)} ${String(-s.score.hints.points).padStart(4)}      ${hintChargeText(s.score.hints)}`,
        ]
      : []),
  ];
  return lines.join('\n');
}

export async function runCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs('run', argv, RUN_OPTIONS);
  if (positionals.length !== 1)
    throw new InputError(`run: expected one level file or id, e.g. fleetops run levels/01-first-shift.json --seed 7`);
  const level = loadLevel(positionals[0]!);
  const session = new Session(
    level,
    optionText(options, 'seed') ?? level.defaultSeed,
    undefined,
    modeOption('run', options),
  );
  session.player = playerName(options);
  const ticks = wholeNumber('run', 'ticks', options.ticks, level.duration);
  if (ticks > level.duration)
    throw new InputError(
      `run: --ticks ${ticks} runs past the end of ${level.id}, which lasts ${level.duration} s (${formatClock(level.duration)}); expected at most ${level.duration}`,
    );
  if (typeof options.commands === 'string')
    attachScript(session, parseScript(readText(options.commands), options.commands));
  const endPlay = planPlayEnd(options);
  session.run(ticks);
  const summary = summarize(session);
  console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  for (const e of session.events)
    if (e.kind === 'command-refused') console.error(`refused at ${e.tick}s: ${e.message}`);
  await endPlay(session);
  return 0;
}
