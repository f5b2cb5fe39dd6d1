// Named random streams, one per subsystem, whose state lives in the world so that a saved world
// resumes the exact same draws. Drawing from one stream never shifts another.
import seedrandom from 'seedrandom';
import type { RngStreams, World } from './types.js';

type AleaState = RngStreams[string];

/** Alea's multiplier: a step's carry is the whole part of ALEA_MULTIPLIER s0 + c 2^-32. */
export const ALEA_MULTIPLIER = 2091639;

/** 2^-32 */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** The stream's state in the world, seeded by seedrandom's Alea on its first draw. */
function streamState(world: World, stream: string): AleaState {
  let state = world.rng[stream];
  if (!state) {
    state = seedrandom.alea(`${world.seed}:${stream}`, { state: true }).state();
    world.rng[stream] = state;
  }
  return state;
}

/**
 * A float in [0, 1) from the named stream. This is Alea's step exactly as seedrandom takes it,
 * applied to the state kept in the world: a draw then neither allocates a copy of the state nor
 * needs a generator per world, and world.rng is current after every draw.
 */
export function draw(world: World, stream: string): number {
  return step(streamState(world, stream));
}

/** Alea's step on a stream's state. */
function step(s: AleaState): number {
  const t = ALEA_MULTIPLIER * s.s0 + s.c * TWO_TO_MINUS_32;
  s.s0 = s.s1;
  s.s1 = s.s2;
  s.c = t | 0;
  s.s2 = t - s.c;
  return s.s2;
}

/** An integer in [0, n). */
export function drawInt(world: World, stream: string, n: number): number {
  return Math.floor(draw(world, stream) * n);
}

/**
 * Integers in [0, n) written into `into` at `from` up to `to`, as drawInt would draw them one
 * after another, with the stream's state looked up once: an id takes sixteen draws, and a region
 * of a million instances makes three or four ids for each.
 */
export function drawIntsInto(world: World, stream: string, n: number, into: number[], from: number, to: number): void {
  const s = streamState(world, stream);
  for (let i = from; i < to; i++) into[i] = Math.floor(step(s) * n);
}

/** Roughly bell-shaped noise in [-1, 1]: the mean of four uniforms, using only exact arithmetic. */
export function drawNoise(world: World, stream: string): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += draw(world, stream);
  return sum / 2 - 1;
}
