import { describe, it, expect } from 'vitest';
import {
  attendHead,
  attendLayer,
  cosineSimilarity,
  dot,
  matMul,
  scoreDivisor,
  softmax,
  type AttentionOptions,
  type HeadCards,
} from '../../../lib/attention/reference';
import { runRecurrent } from '../../../lib/attention/recurrent';

const plain: AttentionOptions = { scale: false, temperature: 1, causal: false };

// Two tokens, worked on paper:
//   scores = Q·Kᵀ = [[1·1+1·0, 1·1+1·1], [0·1+2·0, 0·1+2·1]] = [[1, 2], [0, 2]]
//   softmax([1, 2]) = [1, e]/(1+e)        = [0.268941, 0.731059]
//   softmax([0, 2]) = [1, e²]/(1+e²)      = [0.119203, 0.880797]
//   outputs = weights·V, V = [[1, 0], [0, 2]]
const twoTokens: HeadCards = {
  name: 'paper',
  q: [
    [1, 1],
    [0, 2],
  ],
  k: [
    [1, 0],
    [1, 1],
  ],
  v: [
    [1, 0],
    [0, 2],
  ],
};

function expectMatrixClose(actual: number[][], expected: number[][], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((x, j) => {
      if (expected[i][j] === -Infinity) expect(x).toBe(-Infinity);
      else expect(x).toBeCloseTo(expected[i][j], digits);
    });
  });
}

describe('attendHead, checked against numbers worked by hand', () => {
  it('computes scores, softmax weights and weighted values', () => {
    const head = attendHead(twoTokens, plain);
    expect(head.scores).toEqual([
      [1, 2],
      [0, 2],
    ]);
    expectMatrixClose(head.weights, [
      [0.268941, 0.731059],
      [0.119203, 0.880797],
    ]);
    // Row 0: 0.268941·[1,0] + 0.731059·[0,2]; row 1: 0.119203·[1,0] + 0.880797·[0,2].
    expectMatrixClose(head.outputs, [
      [0.268941, 1.462117],
      [0.119203, 1.761594],
    ]);
    expect(head.q).toBe(twoTokens.q);
  });

  it('divides by √d_k when scaling is on', () => {
    const head = attendHead(twoTokens, { ...plain, scale: true });
    expectMatrixClose(head.scores, [
      [1 / Math.SQRT2, 2 / Math.SQRT2],
      [0, 2 / Math.SQRT2],
    ]);
    // softmax([0.7071, 1.4142]): the gap shrinks from 1 to 0.7071, so the row flattens.
    expectMatrixClose(head.weights, [
      [0.330238, 0.669762],
      [0.19557, 0.80443],
    ]);
  });

  it('divides by the temperature: τ > 1 flattens a row, τ < 1 sharpens it', () => {
    const warm = attendHead(twoTokens, { ...plain, temperature: 2 });
    expectMatrixClose(warm.scores, [
      [0.5, 1],
      [0, 1],
    ]);
    expectMatrixClose(warm.weights, [
      [0.377541, 0.622459],
      [0.268941, 0.731059],
    ]);
    const cold = attendHead(twoTokens, { ...plain, temperature: 0.5 });
    expect(cold.weights[0][1]).toBeCloseTo(Math.exp(4) / (Math.exp(2) + Math.exp(4)), 12);
    expect(cold.weights[0][1]).toBeGreaterThan(warm.weights[0][1]);
    // Scale and temperature multiply: √2 · 0.5 divides scores by 0.7071.
    expect(scoreDivisor(2, { scale: true, temperature: 0.5, causal: false })).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('refuses a temperature that is not positive', () => {
    expect(() => attendHead(twoTokens, { ...plain, temperature: 0 })).toThrow(/temperature must be positive/);
    expect(() => scoreDivisor(2, { ...plain, temperature: -1 })).toThrow(/temperature/);
  });

  it('with the causal mask, a token gives later tokens score −∞ and weight exactly 0', () => {
    const head = attendHead(twoTokens, { ...plain, causal: true });
    expect(head.scores).toEqual([
      [1, -Infinity],
      [0, 2],
    ]);
    expect(head.weights[0]).toEqual([1, 0]);
    // Token 0 sees only itself, so its output is its own value.
    expect(head.outputs[0]).toEqual([1, 0]);
    // The last token sees everything, so the mask does not change its row.
    expect(head.weights[1]).toEqual(attendHead(twoTokens, plain).weights[1]);
  });

  it('a causal mask over three tokens zeroes the whole upper triangle', () => {
    const three: HeadCards = { name: 't', q: [[1], [1], [1]], k: [[3], [2], [1]], v: [[1], [2], [3]] };
    const head = attendHead(three, { ...plain, causal: true });
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        expect(head.scores[i][j]).toBe(-Infinity);
        expect(head.weights[i][j]).toBe(0);
      }
      expect(head.weights[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('refuses cards whose counts do not match', () => {
    expect(() => attendHead({ ...twoTokens, v: [[1, 0]] })).toThrow(/2 keys but 1 values/);
    expect(() => attendHead({ ...twoTokens, q: [[1, 1]] })).toThrow(/1 queries but 2 keys/);
  });
});

describe('softmax', () => {
  it('sums to 1 and keeps the order of the scores', () => {
    const w = softmax([0, Math.log(3)]);
    expect(w[0]).toBeCloseTo(0.25, 12);
    expect(w[1]).toBeCloseTo(0.75, 12);
  });

  it('stays finite for large scores (1000 and 1001 would overflow exp without the max shift)', () => {
    expect(Math.exp(1000)).toBe(Infinity);
    const w = softmax([1000, 1001]);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(w[0]).toBeCloseTo(1 / (1 + Math.E), 12);
    expect(w[1]).toBeCloseTo(Math.E / (1 + Math.E), 12);
    // Same for very negative scores, which would underflow every exp to 0 and divide 0 by 0.
    expect(softmax([-1000, -1001])[0]).toBeCloseTo(Math.E / (1 + Math.E), 12);
  });

  it('stays finite through a whole head with large scores', () => {
    const head = attendHead({ name: 'big', q: [[1], [1]], k: [[1000], [1001]], v: [[1], [0]] }, plain);
    expect(head.scores).toEqual([
      [1000, 1001],
      [1000, 1001],
    ]);
    expect(head.weights.flat().every(Number.isFinite)).toBe(true);
    expect(head.outputs[0][0]).toBeCloseTo(1 / (1 + Math.E), 12);
  });

  it('gives masked (−∞) entries weight 0 and refuses a row with nothing visible', () => {
    expect(softmax([2, -Infinity, 2])).toEqual([0.5, 0, 0.5]);
    expect(() => softmax([-Infinity, -Infinity])).toThrow(/every entry is masked/);
  });
});

describe('attendLayer: several heads, concatenated, then W_O', () => {
  // Both heads have equal keys, so with the causal mask token 0 sees only itself and token 1 averages.
  const headA: HeadCards = { name: 'a', q: [[1], [1]], k: [[0], [0]], v: [[2], [4]] };
  const headB: HeadCards = { name: 'b', q: [[1], [1]], k: [[0], [0]], v: [[0], [2]] };
  const causal: AttentionOptions = { ...plain, causal: true };

  it('concatenates the heads per token, in head order', () => {
    const layer = attendLayer([headA, headB], null, causal);
    // Token 0: A gives 2, B gives 0. Token 1: A gives (2+4)/2 = 3, B gives (0+2)/2 = 1.
    expect(layer.concatenated).toEqual([
      [2, 0],
      [3, 1],
    ]);
    expect(layer.heads.map((h) => h.name)).toEqual(['a', 'b']);
    // Without W_O the output is the concatenation, as a copy that can be changed safely.
    expect(layer.output).toEqual(layer.concatenated);
    expect(layer.output[0]).not.toBe(layer.concatenated[0]);
  });

  it('projects the concatenation through W_O', () => {
    const wO = [
      [1, 2],
      [1, -1],
    ];
    // [2, 0]·W_O = [2, 4]; [3, 1]·W_O = [3+1, 6−1] = [4, 5].
    expect(attendLayer([headA, headB], wO, causal).output).toEqual([
      [2, 4],
      [4, 5],
    ]);
  });

  it('applies the same options to every head', () => {
    const layer = attendLayer([twoTokens, { ...twoTokens, name: 'copy' }], null, { ...plain, scale: true });
    expect(layer.heads[1].weights).toEqual(layer.heads[0].weights);
    expect(layer.concatenated[0]).toEqual([...layer.heads[0].outputs[0], ...layer.heads[1].outputs[0]]);
  });
});

describe('matMul, dot and cosine', () => {
  it('multiplies matrices and refuses shapes that do not fit', () => {
    expect(
      matMul(
        [
          [1, 2],
          [3, 4],
        ],
        [[5], [6]],
      ),
    ).toEqual([[17], [39]]);
    expect(() => matMul([[1, 2]], [[1]])).toThrow(/cannot multiply/);
    expect(() => dot([1], [1, 2])).toThrow(/lengths 1 and 2 differ/);
  });

  it('cosine is 1 for the same direction, 0 at right angles, −1 opposite, 0 for a zero vector', () => {
    expect(cosineSimilarity([1, 1], [2, 2])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 0], [-3, 0])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
  });
});

describe('runRecurrent: the carried context forgets early tokens', () => {
  it('carries h_t = carry·h_{t−1} + x_t', () => {
    const trace = runRecurrent([[1, 0], [0, 1], [0, 0]], 0.5);
    expect(trace.states).toEqual([
      [1, 0],
      [0.5, 1],
      [0.25, 0.5],
    ]);
    expect(trace.finalContext).toEqual([0.25, 0.5]);
  });

  it('gives token i the share carry^(last−i), normalised to sum to 1', () => {
    // Raw contributions 0.25, 0.5, 1 out of 1.75: the first token keeps only 1/7.
    const { shares } = runRecurrent([[1], [1], [1]], 0.5);
    expect(shares[0]).toBeCloseTo(1 / 7, 12);
    expect(shares[1]).toBeCloseTo(2 / 7, 12);
    expect(shares[2]).toBeCloseTo(4 / 7, 12);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('with carry 1 nothing fades and every token has an equal share', () => {
    const { shares } = runRecurrent([[1], [2], [3], [4]], 1);
    for (const s of shares) expect(s).toBeCloseTo(0.25, 12);
  });

  it('refuses a carry outside (0, 1]', () => {
    expect(() => runRecurrent([[1]], 0)).toThrow(/carry must be in/);
    expect(() => runRecurrent([[1]], 1.5)).toThrow(/carry must be in/);
  });
});
