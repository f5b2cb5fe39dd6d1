// How the dashboard names and grades the model's things: zone names, wall-clock times, and the
// word and role for each state, so every panel says the same thing the same way.
import type { CheckStatus, Host, HostHealth, Instance, InstanceState, World } from '../sim/index.js';
import type { Role } from './theme.js';

/** Simulated wall-clock time of a tick, HH:MM:SS in UTC. */
export function wallClock(world: World, tick: number): string {
  return new Date(world.epochMs + tick * 1000).toISOString().slice(11, 19);
}

export function zoneName(world: World, zoneId: string): string {
  return world.zones.find((z) => z.zoneId === zoneId)?.name ?? zoneId;
}

export const instanceLabel = (inst: Instance): string => inst.name ?? inst.id;

const STATE_ROLES: Record<InstanceState, Role> = {
  pending: 'accent',
  running: 'ok',
  stopping: 'warn',
  stopped: 'dim',
  'shutting-down': 'warn',
  terminated: 'dim',
};

export const stateRole = (state: InstanceState): Role => STATE_ROLES[state];

const HEALTH: Record<HostHealth, { symbol: string; role: Role }> = {
  ok: { symbol: '', role: 'ok' },
  impaired: { symbol: '!', role: 'impaired' },
  failed: { symbol: 'X', role: 'error' },
};

export const healthSymbol = (health: HostHealth) => HEALTH[health];

/** Share of a host in use: the larger of its vCPU and its memory. */
export function hostUtilisation(host: Host): number {
  return Math.max(host.vcpu ? host.usedVcpu / host.vcpu : 0, host.memoryMiB ? host.usedMemoryMiB / host.memoryMiB : 0);
}

const LEVELS = '▁▂▃▄▅▆▇█';

/** One cell for a host or a group of them: X failed, ! impaired, · idle, else a bar of its use. */
export function utilisationCell(health: HostHealth, utilisation: number): { text: string; role: Role } {
  if (health !== 'ok') return { text: HEALTH[health].symbol, role: HEALTH[health].role };
  if (utilisation <= 0) return { text: '·', role: 'dim' };
  const text = LEVELS[Math.min(LEVELS.length - 1, Math.floor(utilisation * LEVELS.length))]!;
  return { text, role: utilisation >= 0.9 ? 'warn' : 'ok' };
}

const CHECK_NAMES = { system: 'sys', instance: 'inst', ebs: 'ebs' } as const;

/** Status checks as `3/3 ok`, or the passing count and what is wrong: `2/3 sys✗`, `0/3 init`. */
export function checksCell(inst: Instance): { text: string; role: Role } {
  if (inst.state !== 'running') return { text: '-', role: 'dim' };
  // The instance stays running through a reboot; only its guest is away.
  if (inst.guestRestartUntil !== null) return { text: 'booting', role: 'accent' };
  const entries = (Object.keys(CHECK_NAMES) as (keyof typeof CHECK_NAMES)[]).map(
    (k) => [k, inst.checks[k]] as [keyof typeof CHECK_NAMES, CheckStatus],
  );
  const passed = entries.filter(([, s]) => s === 'ok').length;
  if (passed === 3) return { text: '3/3 ok', role: 'ok' };
  const failing = entries.filter(([, s]) => s === 'impaired').map(([k]) => `${CHECK_NAMES[k]}✗`);
  if (failing.length) return { text: `${passed}/3 ${failing.join(' ')}`, role: 'error' };
  return { text: `${passed}/3 init`, role: 'accent' };
}
