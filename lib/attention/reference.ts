/**
 * Scaled dot-product attention in float64 plain TypeScript.
 *
 * This is the truth every engine backend is compared against, so it favours clarity over speed:
 * plain loops, no tensors, no shortcuts.
 */

/** A row-major matrix: one row per token (or per input dimension for a weight matrix). */
export type Matrix = number[][];

/** How one attention pass turns compatibility scores into weights. */
export interface AttentionOptions {
  /** Divide scores by √d_k (the transformer's scaling). Off shows how softmax saturates. */
  scale: boolean;
  /** Divide scores by τ after scaling: τ > 1 flattens the weights, τ < 1 sharpens them. */
  temperature: number;
  /** Each token may attend only to itself and earlier tokens. */
  causal: boolean;
}

export const DEFAULT_ATTENTION_OPTIONS: AttentionOptions = { scale: true, temperature: 1, causal: false };

/** One head's cards: queries, keys and values, one row per token. */
export interface HeadCards {
  name: string;
  q: Matrix;
  k: Matrix;
  v: Matrix;
}

/** Everything one head computed. `scores` holds −Infinity where the causal mask hides a key. */
export interface HeadAttention extends HeadCards {
  scores: Matrix;
  weights: Matrix;
  outputs: Matrix;
}

/** A whole layer: each head, the heads' outputs side by side, and the projection through W_O. */
export interface LayerAttention {
  heads: HeadAttention[];
  concatenated: Matrix;
  output: Matrix;
}

/** A·B for plain matrices. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  if (a.length > 0 && a[0].length !== inner) {
    throw new Error(`matMul: ${a.length}×${a[0].length} cannot multiply ${inner}×${b[0]?.length ?? 0}`);
  }
  const cols = inner === 0 ? 0 : b[0].length;
  return a.map((row) => {
    const out = new Array<number>(cols).fill(0);
    for (let i = 0; i < inner; i++) {
      const x = row[i];
      if (x === 0) continue;
      const bRow = b[i];
      for (let j = 0; j < cols; j++) out[j] += x * bRow[j];
    }
    return out;
  });
}

/** The dot product of two equal-length vectors. */
export function dot(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`dot: lengths ${a.length} and ${b.length} differ`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * Softmax that cannot overflow: subtracting the row's maximum leaves the result unchanged
 * (it cancels in the ratio) but keeps every exponent ≤ 0. −Infinity entries get weight 0.
 */
export function softmax(row: readonly number[]): number[] {
  let max = -Infinity;
  for (const x of row) if (x > max) max = x;
  if (max === -Infinity) throw new Error('softmax: every entry is masked');
  const exps = row.map((x) => (x === -Infinity ? 0 : Math.exp(x - max)));
  let total = 0;
  for (const e of exps) total += e;
  return exps.map((e) => e / total);
}

/** The number every score is divided by: √d_k when scaling is on, times the temperature. */
export function scoreDivisor(keyWidth: number, options: AttentionOptions): number {
  if (!(options.temperature > 0)) throw new Error(`temperature must be positive, got ${options.temperature}`);
  return (options.scale ? Math.sqrt(keyWidth) : 1) * options.temperature;
}

/** One head: scores = QKᵀ/(√d_k·τ) with the optional causal mask, weights = softmax(scores), outputs = weights·V. */
export function attendHead(cards: HeadCards, options: AttentionOptions = DEFAULT_ATTENTION_OPTIONS): HeadAttention {
  const { q, k, v } = cards;
  if (k.length !== v.length) throw new Error(`head ${cards.name}: ${k.length} keys but ${v.length} values`);
  if (q.length !== k.length) throw new Error(`head ${cards.name}: ${q.length} queries but ${k.length} keys`);
  const keyWidth = k[0]?.length ?? 0;
  const divisor = scoreDivisor(keyWidth, options);
  const scores = q.map((query, i) =>
    k.map((key, j) => (options.causal && j > i ? -Infinity : dot(query, key) / divisor)),
  );
  const weights = scores.map(softmax);
  const outputs = matMul(weights, v);
  return { ...cards, scores, weights, outputs };
}

/** Several heads side by side: their outputs are concatenated per token, then projected by W_O (when given). */
export function attendLayer(
  heads: readonly HeadCards[],
  outputProjection: Matrix | null,
  options: AttentionOptions = DEFAULT_ATTENTION_OPTIONS,
): LayerAttention {
  const results = heads.map((head) => attendHead(head, options));
  const tokenCount = results[0]?.outputs.length ?? 0;
  const concatenated: Matrix = [];
  for (let t = 0; t < tokenCount; t++) concatenated.push(results.flatMap((r) => r.outputs[t]));
  const output = outputProjection ? matMul(concatenated, outputProjection) : concatenated.map((row) => [...row]);
  return { heads: results, concatenated, output };
}

/** The cosine of the angle between two vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  if (na === 0 || nb === 0) return 0;
  return dot(a, b) / (na * nb);
}
