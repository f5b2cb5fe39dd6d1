// Named random streams, one per subsystem, whose state lives in the world so that a saved world
// resumes the exact same draws. Drawing from one stream never shifts another.
import seedrandom from 'seedrandom';
import type { World } from './types.js';

type Alea = seedrandom.StatefulPRNG<seedrandom.State.Alea>;

// Generators are rebuilt from world.rng on first use and their state written back after every
// draw, so world.rng is always current and the cache is only a speed-up.
const generators = new WeakMap<World, Map<string, Alea>>();

function generator(world: World, stream: string): Alea {
  let byStream = generators.get(world);
  if (!byStream) {
    byStream = new Map();
    generators.set(world, byStream);
  }
  let gen = byStream.get(stream);
  if (!gen) {
    const saved = world.rng[stream];
    const fresh: Alea = saved ? seedrandom.alea('', { state: { ...saved } }) : seedrandom.alea(`${world.seed}:${stream}`, { state: true });
    byStream.set(stream, fresh);
    return fresh;
  }
  return gen;
}

/** A float in [0, 1) from the named stream. */
export function draw(world: World, stream: string): number {
  const gen = generator(world, stream);
  const value = gen();
  world.rng[stream] = gen.state();
  return value;
}

/** An integer in [0, n). */
export function drawInt(world: World, stream: string, n: number): number {
  return Math.floor(draw(world, stream) * n);
}

/** Roughly bell-shaped noise in [-1, 1]: the mean of four uniforms, using only exact arithmetic. */
export function drawNoise(world: World, stream: string): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += draw(world, stream);
  return sum / 2 - 1;
}
