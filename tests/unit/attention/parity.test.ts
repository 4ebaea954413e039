/**
 * Every engine backend against the float64 reference.
 *
 * Tolerance: |engine − reference| ≤ 1e-5 · max(1, |reference|). tfjs computes in float32, whose
 * spacing near 16 is already 2e-6, so an absolute 1e-5 cannot hold for large scores or projected
 * outputs (unscaled 64-wide dot products reach ~12, W_O sums hundreds of float32 products); below
 * magnitude 1 — every weight — the bound is the plain absolute 1e-5.
 *
 * tfjs has one global backend per process: the backends run one after another in this file, each in
 * its own describe (vitest runs a file's tests sequentially; files run in separate forks).
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { probeWebGPU, type BackendName } from '../../../lib/attention/backends';
import { createAttentionEngine, ENGINE_BACKENDS, type AttentionEngine } from '../../../lib/attention/engine';
import { attendLayer, type AttentionOptions, type HeadCards, type LayerAttention, type Matrix } from '../../../lib/attention/reference';
import { attentionOptionsFor, computeCards } from '../../../lib/lessons/cards';
import { curatedLessons } from '../../../lib/lessons/curated';
import { randomLayer, type RandomLayerShape } from '../../helpers/random';

const TOLERANCE = 1e-5;

interface Worst {
  abs: number;
  rel: number;
  where: string;
}

/** Compares two matrices entry by entry; −Infinity must sit in the same places. */
function compare(actual: Matrix, expected: Matrix, where: string, worst: Worst): void {
  expect(actual.length, `${where}: rows`).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length, `${where}[${i}]: columns`).toBe(expected[i].length);
    row.forEach((x, j) => {
      const y = expected[i][j];
      if (y === -Infinity || x === -Infinity) {
        expect(x, `${where}[${i}][${j}]`).toBe(y);
        return;
      }
      const abs = Math.abs(x - y);
      const rel = abs / Math.max(1, Math.abs(y));
      if (!(abs <= worst.abs)) worst.abs = abs;
      if (!(rel <= worst.rel)) {
        worst.rel = rel;
        worst.where = `${where}[${i}][${j}]: ${x} vs ${y}`;
      }
    });
  });
}

function compareLayers(actual: LayerAttention, expected: LayerAttention, label: string): Worst {
  const worst: Worst = { abs: 0, rel: 0, where: '' };
  expect(actual.heads.map((h) => h.name)).toEqual(expected.heads.map((h) => h.name));
  actual.heads.forEach((head, h) => {
    const ref = expected.heads[h];
    // Cards pass through untouched: they are what students hold.
    expect(head.q).toEqual(ref.q);
    expect(head.k).toEqual(ref.k);
    expect(head.v).toEqual(ref.v);
    compare(head.scores, ref.scores, `${label} ${head.name}.scores`, worst);
    compare(head.weights, ref.weights, `${label} ${head.name}.weights`, worst);
    compare(head.outputs, ref.outputs, `${label} ${head.name}.outputs`, worst);
  });
  compare(actual.concatenated, expected.concatenated, `${label} concatenated`, worst);
  compare(actual.output, expected.output, `${label} output`, worst);
  expect(worst.rel, worst.where).toBeLessThanOrEqual(TOLERANCE);
  return worst;
}

const OPTION_GRID: AttentionOptions[] = [];
for (const scale of [true, false]) for (const causal of [false, true]) OPTION_GRID.push({ scale, causal, temperature: 1 });

const RANDOM_SHAPES: RandomLayerShape[] = [
  { tokens: 2, heads: 1, keyWidth: 2, outWidth: null },
  { tokens: 8, heads: 1, keyWidth: 4, outWidth: null },
  { tokens: 16, heads: 3, keyWidth: 8, valueWidth: 5, outWidth: 6 },
  { tokens: 32, heads: 4, keyWidth: 16, outWidth: null },
  { tokens: 64, heads: 8, keyWidth: 64, outWidth: 32 },
];

const describeShape = (s: RandomLayerShape) =>
  `${s.tokens} tokens × ${s.heads} heads × d_k ${s.keyWidth}${s.valueWidth ? ` (d_v ${s.valueWidth})` : ''}${s.outWidth ? ` → W_O ${s.outWidth}` : ''}`;
const describeOptions = (o: AttentionOptions) => `scale ${o.scale ? 'on' : 'off'}, causal ${o.causal ? 'on' : 'off'}, τ ${o.temperature}`;

// Decided before any test runs, so a GPU-less laptop skips visibly, while CI (CI=true) must run the
// WebGPU suite and fails when there is no adapter rather than passing by skipping.
const inCI = process.env.CI === 'true';
const webgpu = await probeWebGPU();
const skipWebGPU = !webgpu.available && !inCI;
if (!webgpu.available) {
  console.warn(`WebGPU parity: no WebGPU here (${webgpu.reason}); ${inCI ? 'CI=true, so the suite runs and fails' : 'skipping the webgpu suite'}`);
}

function backendSuite(name: BackendName): void {
  describe.skipIf(name === 'webgpu' && skipWebGPU)(`${name} engine matches the float64 reference`, () => {
    let engine: AttentionEngine;
    let tensorsAtStart = 0;
    const fallbackLines: string[] = [];
    const overall: Worst = { abs: 0, rel: 0, where: '' };
    const track = (w: Worst) => {
      overall.abs = Math.max(overall.abs, w.abs);
      if (w.rel > overall.rel) Object.assign(overall, { rel: w.rel, where: w.where });
    };
    const check = async (heads: HeadCards[], wO: Matrix | null, options: AttentionOptions, label: string) => {
      const actual = await engine.attendLayer(heads, wO, options);
      track(compareLayers(actual, attendLayer(heads, wO, options), label));
    };

    beforeAll(async () => {
      engine = await createAttentionEngine({ backend: name, log: (line) => fallbackLines.push(line) });
      // A fallback would quietly test another backend under this one's name.
      if (engine.backend !== name) throw new Error(`${name} did not start: ${fallbackLines.join(' / ')}`);
      tensorsAtStart = engine.numTensors();
    });
    afterAll(() => {
      engine?.dispose();
      // One line per backend, for the record of how close float32 came.
      console.log(`parity ${name}: max abs error ${overall.abs.toExponential(2)}, max relative ${overall.rel.toExponential(2)} (${overall.where})`);
    });

    it('runs on the backend it was asked for, without a fallback line', () => {
      expect(engine.backend).toBe(name);
      expect(fallbackLines).toEqual([]);
    });

    it('has curated lessons to check', () => {
      expect(curatedLessons.length).toBeGreaterThan(0);
    });

    for (const lesson of curatedLessons) {
      it(`lesson ${lesson.id}: with its own flags, scale and causal on/off, and at other temperatures`, async () => {
        const cards = computeCards(lesson);
        await check(cards, lesson.wO, attentionOptionsFor(lesson), `${lesson.id} (lesson flags)`);
        for (const options of OPTION_GRID) await check(cards, lesson.wO, options, `${lesson.id} (${describeOptions(options)})`);
        for (const temperature of [0.25, 3]) {
          const options = attentionOptionsFor(lesson, { temperature });
          await check(cards, lesson.wO, options, `${lesson.id} (${describeOptions(options)})`);
        }
      });
    }

    RANDOM_SHAPES.forEach((shape, s) => {
      it(`seeded random layer, ${describeShape(shape)}, scale and causal on/off`, async () => {
        for (const [o, options] of OPTION_GRID.entries()) {
          const { heads, wO } = randomLayer(1000 + 10 * s + o, shape);
          await check(heads, wO, options, `seed ${1000 + 10 * s + o} ${describeShape(shape)} (${describeOptions(options)})`);
        }
      });
    });

    it('keeps softmax finite for scores near 1000 (no scaling to shrink them)', async () => {
      // Integer cards: the scores 999…1002 are exact in float32, so any error would be softmax's own.
      const heads: HeadCards[] = [{ name: 'big', q: [[1], [1], [1], [1]], k: [[1000], [1001], [1002], [999]], v: [[1], [0], [2], [-1]] }];
      for (const causal of [false, true]) {
        const options = { scale: false, causal, temperature: 1 };
        const actual = await engine.attendLayer(heads, null, options);
        expect(actual.heads[0].weights.flat().every(Number.isFinite)).toBe(true);
        track(compareLayers(actual, attendLayer(heads, null, options), `large scores (causal ${causal})`));
      }
    });

    it('leaves no tensors behind after all of the above', () => {
      expect(engine.numTensors()).toBe(tensorsAtStart);
    });
  });
}

for (const name of ENGINE_BACKENDS) backendSuite(name);
