/**
 * The attention engine: the same layer as `reference.ts`, computed by TensorFlow.js in float32 on the
 * chosen backend. Every head of a lesson runs in one batched computation and comes back in one
 * read, which is what keeps the reveal cheap on a GPU (one round trip, not one per head).
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_BACKEND, initBackend, type BackendName, type BackendProbes } from './backends';
import {
  scoreDivisor,
  type AttentionOptions,
  type HeadAttention,
  type HeadCards,
  type LayerAttention,
  type Matrix,
} from './reference';

export { ENGINE_BACKENDS, type BackendName } from './backends';

/** A running engine. tfjs has one backend per process: create one engine per process. */
export interface AttentionEngine {
  /** The backend actually in use, after any fallback. */
  readonly backend: BackendName;
  /** The whole layer, shaped as `reference.attendLayer` returns it; masked scores are −Infinity. */
  attendLayer(heads: HeadCards[], wO: Matrix | null, options: AttentionOptions): Promise<LayerAttention>;
  /** Tensors tfjs holds right now; constant between calls when nothing leaks. */
  numTensors(): number;
  /** Refuses further work. The backend stays registered, so a later engine starts quickly. */
  dispose(): void;
}

export interface EngineOptions extends BackendProbes {
  /** Wanted backend; falls back (webgpu → wasm → cpu) when it cannot start. Defaults to wasm. */
  backend?: BackendName;
  /** Receives the one line that explains a fallback. Defaults to stderr. */
  log?: (line: string) => void;
}

/**
 * Added to a masked score before softmax. Finite on purpose: WGSL does not promise that infinities
 * survive arithmetic, while exp(−1e30 − max) is exactly 0 in float32 on every backend.
 */
const MASKED_LOGIT = -1e30;

interface LayerShape {
  heads: number;
  tokens: number;
  keyWidth: number;
  valueWidth: number;
  outWidth: number | null;
}

function widthOf(rows: Matrix, what: string, width: number): void {
  rows.forEach((row, t) => {
    if (row.length !== width) throw new Error(`attention engine: ${what} row ${t} has ${row.length} numbers, expected ${width}`);
  });
}

/** Checks that the heads can be stacked into [H, T, d] tensors and that W_O fits their concatenation. */
function layerShape(heads: readonly HeadCards[], wO: Matrix | null): LayerShape {
  const first = heads[0];
  if (!first) throw new Error('attention engine: a layer needs at least one head');
  const tokens = first.q.length;
  if (tokens === 0) throw new Error(`attention engine: head "${first.name}" has no tokens`);
  const keyWidth = first.k[0]?.length ?? 0;
  const valueWidth = first.v[0]?.length ?? 0;
  for (const head of heads) {
    for (const [kind, rows] of [['q', head.q], ['k', head.k], ['v', head.v]] as const) {
      if (rows.length !== tokens) {
        throw new Error(`attention engine: head "${head.name}" has ${rows.length} ${kind} rows but head "${first.name}" has ${tokens}`);
      }
    }
    // The batched matMul needs one d_k and one d_v for the whole stack (the lesson loader checks it too).
    if ((head.k[0]?.length ?? 0) !== keyWidth) {
      throw new Error(`attention engine: head "${head.name}" has key width ${head.k[0]?.length ?? 0} but head "${first.name}" has ${keyWidth}; heads run batched and must share d_k`);
    }
    if ((head.v[0]?.length ?? 0) !== valueWidth) {
      throw new Error(`attention engine: head "${head.name}" has value width ${head.v[0]?.length ?? 0} but head "${first.name}" has ${valueWidth}; heads run batched and must share d_v`);
    }
    widthOf(head.q, `head "${head.name}" q`, keyWidth);
    widthOf(head.k, `head "${head.name}" k`, keyWidth);
    widthOf(head.v, `head "${head.name}" v`, valueWidth);
  }
  let outWidth: number | null = null;
  if (wO) {
    const concatWidth = heads.length * valueWidth;
    if (wO.length !== concatWidth) throw new Error(`attention engine: W_O has ${wO.length} rows but the heads' outputs have ${concatWidth} numbers together`);
    outWidth = wO[0]?.length ?? 0;
    widthOf(wO, 'W_O', outWidth);
  }
  return { heads: heads.length, tokens, keyWidth, valueWidth, outWidth };
}

/** Stacks one matrix per head into a flat [H, T, width] buffer. */
function stack(matrices: readonly Matrix[], tokens: number, width: number): Float32Array {
  const out = new Float32Array(matrices.length * tokens * width);
  let i = 0;
  for (const m of matrices) for (const row of m) for (const x of row) out[i++] = x;
  return out;
}

function flatten(m: Matrix, width: number): Float32Array {
  const out = new Float32Array(m.length * width);
  let i = 0;
  for (const row of m) for (const x of row) out[i++] = x;
  return out;
}

/** Cuts `count` matrices of rows×cols out of the read-back buffer, starting at `offset`. */
function unpack(data: Float32Array, offset: number, count: number, rows: number, cols: number): Matrix[] {
  const out: Matrix[] = [];
  let i = offset;
  for (let c = 0; c < count; c++) {
    const m: Matrix = [];
    for (let r = 0; r < rows; r++) {
      m.push(Array.from(data.subarray(i, i + cols)));
      i += cols;
    }
    out.push(m);
  }
  return out;
}

/** Starts tfjs on the wanted backend (or its fallback) and returns an engine bound to it. */
export async function createAttentionEngine(options: EngineOptions = {}): Promise<AttentionEngine> {
  const log = options.log ?? ((line: string) => console.error(line));
  const backend = await initBackend(options.backend ?? DEFAULT_BACKEND, log, options);
  let disposed = false;

  async function attendLayer(heads: HeadCards[], wO: Matrix | null, attention: AttentionOptions): Promise<LayerAttention> {
    if (disposed) throw new Error('attention engine: used after dispose()');
    const shape = layerShape(heads, wO);
    const divisor = scoreDivisor(shape.keyWidth, attention);
    // Another engine in this process may have switched tfjs's global backend since this one started.
    if (tf.getBackend() !== backend) await tf.setBackend(backend);

    const { heads: H, tokens: T, keyWidth: dk, valueWidth: dv, outWidth } = shape;
    const packed = tf.tidy(() => {
      const q = tf.tensor3d(stack(heads.map((h) => h.q), T, dk), [H, T, dk]);
      const k = tf.tensor3d(stack(heads.map((h) => h.k), T, dk), [H, T, dk]);
      const v = tf.tensor3d(stack(heads.map((h) => h.v), T, dv), [H, T, dv]);
      const scores = tf.div(tf.matMul(q, k, false, true), tf.scalar(divisor));
      let logits = scores;
      if (attention.causal) {
        const mask = new Float32Array(T * T);
        for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = MASKED_LOGIT;
        logits = tf.add(scores, tf.tensor2d(mask, [T, T]));
      }
      // tf.softmax subtracts each row's maximum first, so large scores cannot overflow.
      const weights = tf.softmax(logits);
      const outputs = tf.matMul(weights, v);
      // Functional ops throughout: tfjs-core alone does not register the chained (tensor.op()) forms.
      const parts = [tf.reshape(scores, [-1]), tf.reshape(weights, [-1]), tf.reshape(outputs, [-1])];
      if (wO && outWidth !== null) {
        const concatenated = tf.reshape(tf.transpose(outputs, [1, 0, 2]), [T, H * dv]);
        parts.push(tf.reshape(tf.matMul(concatenated, tf.tensor2d(flatten(wO, outWidth), [H * dv, outWidth])), [-1]));
      }
      // One buffer for everything: on a GPU each read is a round trip.
      return tf.concat(parts);
    });
    let data: Float32Array;
    try {
      data = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }

    const scoreMats = unpack(data, 0, H, T, T);
    const weightMats = unpack(data, H * T * T, H, T, T);
    const outputMats = unpack(data, 2 * H * T * T, H, T, dv);
    if (attention.causal) {
      for (const m of scoreMats) for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i][j] = -Infinity;
    }
    const results: HeadAttention[] = heads.map((head, h) => ({
      ...head,
      scores: scoreMats[h],
      weights: weightMats[h],
      outputs: outputMats[h],
    }));
    const concatenated: Matrix = [];
    for (let t = 0; t < T; t++) concatenated.push(results.flatMap((r) => r.outputs[t]));
    const output =
      wO && outWidth !== null
        ? unpack(data, 2 * H * T * T + H * T * dv, 1, T, outWidth)[0]
        : concatenated.map((row) => [...row]);
    return { heads: results, concatenated, output };
  }

  return {
    backend,
    attendLayer,
    numTensors: () => tf.memory().numTensors,
    dispose: () => {
      disposed = true;
    },
  };
}
