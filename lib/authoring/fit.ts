/**
 * The meaning head, built for one sentence. The teacher draws arcs ("bank → river"); gradient descent in
 * TensorFlow.js (on the engine's backend; the gradients are written out, since tfjs-core's CommonJS build
 * registers none) fits W_Q and W_K so that each arc's key gets the largest weight
 * in its query's row; then the weights are rounded to halves between −3 and 3 (trying a few scales and
 * keeping the best rounding), polished one half-step at a time against the float64 reference, and every
 * card is held to −3…3. Every number is what the layer then computes with. The fit is seeded: the same
 * sentence, features, arcs and seed give the same cards.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMul, softmax, type Matrix } from '../attention/reference';
import { seededRandom } from '../game/random';
import { KEY_WIDTH } from './grammar';

/** The teacher's arc: `query` should attend to `key` (token indices). */
export interface MeaningArc {
  query: number;
  key: number;
}

/** How one arc came out of the fit. */
export interface ArcOutcome extends MeaningArc {
  /** The key's weight in the query's row, in the meaning head as fitted. */
  weight: number;
  /** Every arc key of this row outranks every other key. */
  reached: boolean;
  /** Why it was not reached, naming the tokens; absent when reached. */
  reason?: string;
}

export interface MeaningFit {
  wQ: Matrix;
  wK: Matrix;
  arcs: ArcOutcome[];
  /** Gradient steps taken. */
  steps: number;
  /** Wall-clock milliseconds of the whole fit (descent, rounding, polish). */
  millis: number;
  backend: string;
}

export interface FitOptions {
  seed: number;
  /** Gradient steps; 300 unless told. */
  steps?: number;
  /** Token texts, to name them in reasons. */
  tokens: readonly string[];
  /**
   * Which features (embedding columns) the head may read; the others keep zero weights. The meaning head
   * reads parts of speech and meaning, not where a word stands: that is the grammar head's job.
   */
  usable?: readonly boolean[];
  /** Milliseconds, injected so the fit stays a pure function of its inputs apart from its timing. */
  now?: () => number;
}

const CARD_LIMIT = 3;
const ADAM = { rate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const WEIGHT_LIMIT = 3;
/** Scores are divided by √d_k, as every authored lesson plays with scaling on. */
const SCORE_DIVISOR = Math.sqrt(KEY_WIDTH);

/** Query → its arc keys. */
function targetsByQuery(arcs: readonly MeaningArc[]): Map<number, number[]> {
  const byQuery = new Map<number, number[]>();
  for (const { query, key } of arcs) {
    const keys = byQuery.get(query) ?? [];
    if (!keys.includes(key)) keys.push(key);
    byQuery.set(query, keys);
  }
  return byQuery;
}

const sameRow = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x === b[i]);

/**
 * Arcs no layer can reach whatever its weights, with the reason: a dot product cannot tell apart two
 * tokens whose features are identical.
 */
export function impossibleArcs(allEmbeddings: Matrix, arcs: readonly MeaningArc[], tokens: readonly string[], usable?: readonly boolean[]): Map<string, string> {
  const embeddings = usable ? allEmbeddings.map((row) => row.filter((_, f) => usable[f])) : allEmbeddings;
  const reasons = new Map<string, string>();
  const name = (t: number) => `"${tokens[t]}" (word ${t + 1})`;
  const byQuery = targetsByQuery(arcs);
  for (const { query, key } of arcs) {
    const id = `${query}>${key}`;
    if (query === key) {
      reasons.set(id, `${name(query)} points at itself; draw the arc to another word.`);
      continue;
    }
    const keys = byQuery.get(query) ?? [];
    const twinKey = embeddings.findIndex((row, t) => t !== key && !keys.includes(t) && sameRow(row, embeddings[key]));
    if (twinKey >= 0) {
      reasons.set(id, `${name(key)} and ${name(twinKey)} have the same meaning features and part of speech, so every query scores them the same; give one of them a different feature.`);
      continue;
    }
    for (const [otherQuery, otherKeys] of byQuery) {
      if (otherQuery === query || !sameRow(embeddings[otherQuery], embeddings[query])) continue;
      const sameTargets = otherKeys.length === keys.length && otherKeys.every((k) => keys.includes(k));
      if (!sameTargets) {
        reasons.set(id, `${name(query)} and ${name(otherQuery)} have the same meaning features and part of speech, so they ask the same query and cannot look at different words; give one of them a different feature.`);
        break;
      }
    }
  }
  return reasons;
}

/** Meaning-head weights in each arc row, from plain float64 arithmetic. */
function arcRows(embeddings: Matrix, wQ: Matrix, wK: Matrix, byQuery: Map<number, number[]>): Map<number, number[]> {
  const q = matMul(embeddings, wQ);
  const k = matMul(embeddings, wK);
  const rows = new Map<number, number[]>();
  for (const query of byQuery.keys()) {
    rows.set(query, softmax(k.map((key) => key.reduce((sum, x, d) => sum + x * q[query][d], 0) / SCORE_DIVISOR)));
  }
  return rows;
}

/** Every arc key of the row strictly outranks every other key. */
function rowReached(row: readonly number[], keys: readonly number[]): boolean {
  const worstArc = Math.min(...keys.map((k) => row[k]));
  return row.every((w, t) => keys.includes(t) || w < worstArc);
}

/** What the polish maximises: arcs reached first, then their log-weights, then small numbers. */
function objective(embeddings: Matrix, wQ: Matrix, wK: Matrix, byQuery: Map<number, number[]>, feasible: ReadonlySet<string>): number {
  const rows = arcRows(embeddings, wQ, wK, byQuery);
  let reached = 0;
  let logWeight = 0;
  for (const [query, keys] of byQuery) {
    const row = rows.get(query) ?? [];
    const wanted = keys.filter((k) => feasible.has(`${query}>${k}`));
    if (wanted.length === 0) continue;
    if (rowReached(row, keys)) reached += wanted.length;
    logWeight += Math.log(wanted.reduce((sum, k) => sum + row[k], 0));
  }
  let size = 0;
  for (const m of [wQ, wK]) for (const r of m) for (const x of r) size += Math.abs(x);
  return reached * 1000 + logWeight - 0.02 * size;
}

/** Lowers the largest weights feeding a card until every card is within ±3 (cards stay in halves). */
function holdCards(embeddings: Matrix, w: Matrix): void {
  for (let guard = 0; guard < 10_000; guard++) {
    const cards = matMul(embeddings, w);
    let worst: { t: number; d: number; x: number } | null = null;
    cards.forEach((row, t) => row.forEach((x, d) => {
      if (Math.abs(x) > CARD_LIMIT && (!worst || Math.abs(x) > Math.abs(worst.x))) worst = { t, d, x };
    }));
    if (!worst) return;
    const { t, d, x } = worst;
    // The feature whose weight pushes this card furthest the wrong way gives up half a step.
    let feature = -1;
    let push = 0;
    embeddings[t].forEach((e, f) => {
      const contribution = e * w[f][d] * Math.sign(x);
      if (contribution > push) {
        push = contribution;
        feature = f;
      }
    });
    if (feature < 0) return;
    w[feature][d] -= 0.5 * Math.sign(w[feature][d]);
  }
}

function rounded(w: Matrix, scale: number): Matrix {
  return w.map((row) => row.map((x) => Math.max(-WEIGHT_LIMIT, Math.min(WEIGHT_LIMIT, Math.round(x * scale * 2) / 2)) + 0));
}

/** Fits the meaning head's W_Q and W_K (d_model × d_k) to the teacher's arcs. */
export async function fitMeaningHead(embeddings: Matrix, arcs: readonly MeaningArc[], options: FitOptions): Promise<MeaningFit> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const steps = options.steps ?? 300;
  const features = embeddings[0]?.length ?? 0;
  const tokens = embeddings.length;
  const byQuery = targetsByQuery(arcs);
  const usable = options.usable ?? new Array<boolean>(features).fill(true);
  const impossible = impossibleArcs(embeddings, arcs, options.tokens, usable);
  const feasibleArcs = arcs.filter((a) => !impossible.has(`${a.query}>${a.key}`));
  const feasible = new Set(feasibleArcs.map((a) => `${a.query}>${a.key}`));
  const fitRows = targetsByQuery(feasibleArcs);

  const random = seededRandom(options.seed);
  // Small, seeded starting weights (Box–Muller), so the descent is reproducible on every backend.
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const start = () => Float32Array.from({ length: features * KEY_WIDTH }, (_, i) => (usable[Math.floor(i / KEY_WIDTH)] ? 0.3 * gaussian() : 0));
  const usableMask = Float32Array.from({ length: features * KEY_WIDTH }, (_, i) => (usable[Math.floor(i / KEY_WIDTH)] ? 1 : 0));

  let fittedQ: Matrix = Array.from({ length: features }, () => new Array<number>(KEY_WIDTH).fill(0));
  let fittedK: Matrix = fittedQ.map((row) => [...row]);
  if (fitRows.size > 0) {
    const queries = [...fitRows.keys()];
    const target = new Float32Array(queries.length * tokens);
    queries.forEach((query, r) => {
      const keys = fitRows.get(query) ?? [];
      for (const k of keys) target[r * tokens + k] = 1 / keys.length;
    });
    // tidy: a variable keeps its own copy, the starting tensor would stay behind.
    const wQ = tf.tidy(() => tf.variable(tf.tensor2d(start(), [features, KEY_WIDTH])));
    const wK = tf.tidy(() => tf.variable(tf.tensor2d(start(), [features, KEY_WIDTH])));
    const e = tf.tensor2d(Float32Array.from(embeddings.flat()), [tokens, features]);
    const rowsOf = tf.tensor1d(Int32Array.from(queries), 'int32');
    const targets = tf.tensor2d(target, [queries.length, tokens]);
    const mask = tf.tensor2d(usableMask, [features, KEY_WIDTH]);
    const rowEmbeddings = tf.gather(e, rowsOf);
    // Adam's running moments, written out: tfjs's optimizers each keep one tensor after dispose().
    const moments = [wQ, wK].map((w) => ({ w, m: tf.tidy(() => tf.variable(tf.zerosLike(w))), v: tf.tidy(() => tf.variable(tf.zerosLike(w))) }));
    // d/dx of relu(|x| − 3)²: what pulls a card back inside ±3.
    const overflowGrad = (cards: tf.Tensor) => tf.mul(2, tf.mul(tf.relu(tf.sub(tf.abs(cards), CARD_LIMIT)), tf.sign(cards)));
    try {
      for (let step = 1; step <= steps; step++) {
        // The server's live classes share this thread: let them in every few steps.
        if (step % 25 === 0) await tf.nextFrame();
        tf.tidy(() => {
          const q = tf.matMul(e, wQ);
          const k = tf.matMul(e, wK);
          const rowQueries = tf.matMul(rowEmbeddings, wQ);
          const scores = tf.div(tf.matMul(rowQueries, k, false, true), SCORE_DIVISOR);
          // Mean cross-entropy against the arcs' keys: its gradient in the scores is (softmax − target) / rows.
          const dScores = tf.div(tf.sub(tf.softmax(scores), targets), queries.length * SCORE_DIVISOR);
          const dRowQueries = tf.matMul(dScores, k);
          const dKeys = tf.add(tf.matMul(dScores, rowQueries, true, false), overflowGrad(k));
          const dQueries = overflowGrad(q);
          // Weight decay 0.005·ΣW² keeps the numbers small.
          const dWQ = tf.add(tf.add(tf.matMul(rowEmbeddings, dRowQueries, true, false), tf.matMul(e, dQueries, true, false)), tf.mul(0.01, wQ));
          const dWK = tf.add(tf.matMul(e, dKeys, true, false), tf.mul(0.01, wK));
          [dWQ, dWK].forEach((gradient, i) => {
            const { w, m, v } = moments[i];
            const g = tf.mul(gradient, mask);
            m.assign(tf.add(tf.mul(ADAM.beta1, m), tf.mul(1 - ADAM.beta1, g)));
            v.assign(tf.add(tf.mul(ADAM.beta2, v), tf.mul(1 - ADAM.beta2, tf.square(g))));
            const mHat = tf.div(m, 1 - ADAM.beta1 ** step);
            const vHat = tf.div(v, 1 - ADAM.beta2 ** step);
            w.assign(tf.sub(w, tf.mul(ADAM.rate, tf.div(mHat, tf.add(tf.sqrt(vHat), ADAM.epsilon)))));
          });
        });
      }
      const [q, k] = await Promise.all([wQ.data(), wK.data()]);
      const toMatrix = (data: ArrayLike<number>) => Array.from({ length: features }, (_, f) => Array.from({ length: KEY_WIDTH }, (_, d) => data[f * KEY_WIDTH + d]));
      fittedQ = toMatrix(q);
      fittedK = toMatrix(k);
    } finally {
      for (const t of [wQ, wK, e, rowsOf, targets, rowEmbeddings, mask, ...moments.flatMap((x) => [x.m, x.v])]) t.dispose();
    }
  }

  // Rounding to halves can undo a close fit: try a few scales and keep the best rounded layer.
  let bestQ: Matrix = rounded(fittedQ, 1);
  let bestK: Matrix = rounded(fittedK, 1);
  let best = -Infinity;
  for (const scale of [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3]) {
    const q = rounded(fittedQ, scale);
    const k = rounded(fittedK, scale);
    holdCards(embeddings, q);
    holdCards(embeddings, k);
    const value = objective(embeddings, q, k, byQuery, feasible);
    if (value > best) {
      best = value;
      bestQ = q;
      bestK = k;
    }
  }
  // Polish: half-steps that raise the objective and keep every card within ±3.
  const cardsFit = (w: Matrix) => matMul(embeddings, w).every((row) => row.every((x) => Math.abs(x) <= CARD_LIMIT));
  for (let pass = 0; pass < 8; pass++) {
    let improved = false;
    await tf.nextFrame();
    for (const w of [bestQ, bestK]) {
      for (let f = 0; f < features; f++) {
        if (!usable[f]) continue;
        for (let d = 0; d < KEY_WIDTH; d++) {
          for (const delta of [0.5, -0.5]) {
            const old = w[f][d];
            const next = old + delta;
            if (Math.abs(next) > WEIGHT_LIMIT) continue;
            w[f][d] = next;
            const value = cardsFit(w) ? objective(embeddings, bestQ, bestK, byQuery, feasible) : -Infinity;
            if (value > best + 1e-9) {
              best = value;
              improved = true;
            } else {
              w[f][d] = old;
            }
          }
        }
      }
    }
    if (!improved) break;
  }

  const rows = arcRows(embeddings, bestQ, bestK, byQuery);
  const outcomes = arcs.map(({ query, key }): ArcOutcome => {
    const row = rows.get(query) ?? [];
    const keys = byQuery.get(query) ?? [];
    const weight = row[key] ?? 0;
    const reason = impossible.get(`${query}>${key}`);
    if (reason) return { query, key, weight, reached: false, reason };
    if (rowReached(row, keys)) return { query, key, weight, reached: true };
    const rival = row.reduce((top, w, t) => (!keys.includes(t) && (top < 0 || w > row[top]) ? t : top), -1);
    return {
      query,
      key,
      weight,
      reached: false,
      reason: `with every number a half between −3 and 3 the fit could not lift "${options.tokens[key]}" above "${options.tokens[rival]}" in "${options.tokens[query]}"'s row (${(weight * 100).toFixed(0)} % against ${(row[rival] * 100).toFixed(0)} %); add a meaning feature the two do not share.`,
    };
  });
  return { wQ: bestQ, wK: bestK, arcs: outcomes, steps: fitRows.size > 0 ? steps : 0, millis: now() - started, backend: tf.getBackend() };
}
