/**
 * Seeded randomness for the fuzz and robustness tests: the same seed gives the
 * same inputs on every run and machine, so a failure names its seed and case and
 * reproduces.
 */

export type Rand = () => number;

/** mulberry32: a small deterministic PRNG with values in [0, 1). */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `list`, drawing one number from `rand`. */
export function pick<T>(rand: Rand, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}
