/** Seeded randomness for tests and benchmarks: a failing seed fails the same way every time. */
import type { HeadCards, Matrix } from '../../lib/attention/reference';
import { seededRandom } from '../../lib/game/random';

/** mulberry32, the same seeded source the game core uses. Returns numbers in [0, 1). */
export const mulberry32 = seededRandom;

/** rows×cols numbers drawn uniformly from [−scale, scale). */
export function randomMatrix(rng: () => number, rows: number, cols: number, scale = 1): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng() * 2 - 1) * scale));
}

export interface RandomLayerShape {
  tokens: number;
  heads: number;
  keyWidth: number;
  /** Defaults to keyWidth. */
  valueWidth?: number;
  /** Width of W_O's output, or null for no W_O. */
  outWidth: number | null;
  /** Inputs are drawn from [−scale, scale). */
  scale?: number;
}

/** Random cards for every head and, when asked, a random W_O: the same seed gives the same layer. */
export function randomLayer(seed: number, shape: RandomLayerShape): { heads: HeadCards[]; wO: Matrix | null } {
  const rng = mulberry32(seed);
  const dv = shape.valueWidth ?? shape.keyWidth;
  const scale = shape.scale ?? 1;
  const heads = Array.from({ length: shape.heads }, (_, h) => ({
    name: `head-${h}`,
    q: randomMatrix(rng, shape.tokens, shape.keyWidth, scale),
    k: randomMatrix(rng, shape.tokens, shape.keyWidth, scale),
    v: randomMatrix(rng, shape.tokens, dv, scale),
  }));
  // Fan-in scaling, as real layers are initialised: the projected output stays about as large as one
  // head's output instead of growing with √(H·d_v), which would only measure float32 summation noise.
  const fanIn = shape.heads * dv;
  const wO = shape.outWidth === null ? null : randomMatrix(rng, fanIn, shape.outWidth, 1 / Math.sqrt(fanIn));
  return { heads, wO };
}
