/**
 * `npm run bench:attention`: milliseconds per whole-layer forward (all heads, W_O, readback included)
 * on each engine backend, against the float64 reference on the same seeded inputs.
 *
 * Warm timings: each backend runs every shape a few times first (WebGPU compiles its shaders then),
 * and the median of the timed runs is reported. Big shapes get fewer runs and every cell a time
 * budget, so the whole bench stays within a few minutes on a 2-core machine.
 */
import os from 'node:os';
import { probeWebGPU, type BackendName } from '../lib/attention/backends';
import { createAttentionEngine, ENGINE_BACKENDS } from '../lib/attention/engine';
import { attendLayer, type AttentionOptions } from '../lib/attention/reference';
import { randomLayer, type RandomLayerShape } from '../tests/helpers/random';

interface BenchShape {
  tokens: number;
  heads: number;
  keyWidth: number;
  /** Timed runs wanted; fewer when the cell's budget runs out first. */
  runs: number;
}

const SHAPES: BenchShape[] = [
  { tokens: 8, heads: 1, keyWidth: 4, runs: 200 },
  { tokens: 32, heads: 4, keyWidth: 16, runs: 50 },
  { tokens: 64, heads: 8, keyWidth: 64, runs: 20 },
  { tokens: 256, heads: 8, keyWidth: 64, runs: 7 },
];
const WARMUP_RUNS = 2;
/** Per (backend, shape) cell, after warm-up; at least 3 timed runs are always made. */
const CELL_BUDGET_MS = 8_000;
const OPTIONS: AttentionOptions = { scale: true, temperature: 1, causal: true };

/** A multi-head layer projects back to d_model = H·d_v, as a transformer does; one head has no W_O. */
function layerFor(shape: BenchShape, seed: number) {
  const random: RandomLayerShape = {
    tokens: shape.tokens,
    heads: shape.heads,
    keyWidth: shape.keyWidth,
    outWidth: shape.heads > 1 ? shape.heads * shape.keyWidth : null,
  };
  return randomLayer(seed, random);
}

const label = (s: BenchShape) => `${s.tokens} tok × ${s.heads} head${s.heads > 1 ? 's' : ''} × d_k ${s.keyWidth}`;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function time(run: () => unknown, runs: number): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < WARMUP_RUNS; i++) await run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs && (samples.length < 3 || performance.now() - started < CELL_BUDGET_MS)) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), runs: samples.length };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

async function main(): Promise<void> {
  const began = performance.now();
  const reference: number[] = [];
  const refRuns: number[] = [];
  for (const [i, shape] of SHAPES.entries()) {
    const { heads, wO } = layerFor(shape, 42 + i);
    const t = await time(() => attendLayer(heads, wO, OPTIONS), shape.runs);
    reference.push(t.ms);
    refRuns.push(t.runs);
    console.error(`reference f64  ${label(shape)}: ${fmt(t.ms)} ms (${t.runs} runs)`);
  }

  const gpu = await probeWebGPU();
  const columns: { name: BackendName; cells: string[] }[] = [];
  for (const name of ENGINE_BACKENDS) {
    if (name === 'webgpu' && !gpu.available) {
      columns.push({ name, cells: SHAPES.map(() => `n/a (${gpu.reason})`) });
      continue;
    }
    const engine = await createAttentionEngine({ backend: name, log: (line) => console.error(line) });
    if (engine.backend !== name) {
      columns.push({ name, cells: SHAPES.map(() => 'n/a (did not start)') });
      continue;
    }
    const cells: string[] = [];
    for (const [i, shape] of SHAPES.entries()) {
      const { heads, wO } = layerFor(shape, 42 + i);
      const t = await time(() => engine.attendLayer(heads, wO, OPTIONS), shape.runs);
      console.error(`${name.padEnd(14)} ${label(shape)}: ${fmt(t.ms)} ms (${t.runs} runs)`);
      cells.push(`${fmt(t.ms)} ms (×${(t.ms / reference[i]).toFixed(2)})`);
    }
    engine.dispose();
    columns.push({ name, cells });
  }

  const lines = [
    `Attention engine, ms per whole-layer forward (median, warm, readback included; ×ratio to float64 reference; ${describe(OPTIONS)})`,
    `${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    '',
    `| shape | reference f64 | ${columns.map((c) => c.name).join(' | ')} |`,
    `|---|---|${columns.map(() => '---').join('|')}|`,
    ...SHAPES.map((shape, i) => `| ${label(shape)} | ${fmt(reference[i])} ms | ${columns.map((c) => c.cells[i]).join(' | ')} |`),
    '',
    `Runs per cell: up to ${SHAPES.map((s) => s.runs).join(' / ')} after ${WARMUP_RUNS} warm-up runs, each cell capped at ${CELL_BUDGET_MS / 1000} s. Total ${((performance.now() - began) / 1000).toFixed(0)} s.`,
  ];
  console.log(lines.join('\n'));
}

function describe(o: AttentionOptions): string {
  return `scale ${o.scale ? 'on' : 'off'}, causal ${o.causal ? 'on' : 'off'}, τ ${o.temperature}; W_O to H·d_v when H > 1`;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
