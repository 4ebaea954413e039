import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backendFromEnv, initBackend } from '../../../lib/attention/backends';
import { createAttentionEngine, type AttentionEngine } from '../../../lib/attention/engine';
import { attendLayer, type AttentionOptions, type HeadCards } from '../../../lib/attention/reference';
import { parseAttentionArgs } from '../../../server/cli/attention-args';
import { randomLayer } from '../../helpers/random';

const plain: AttentionOptions = { scale: true, temperature: 1, causal: false };

describe('backendFromEnv', () => {
  it('defaults to wasm when ATTENTION_BACKEND is unset or blank', () => {
    expect(backendFromEnv({})).toBe('wasm');
    expect(backendFromEnv({ ATTENTION_BACKEND: '  ' })).toBe('wasm');
  });

  it('accepts each backend name, ignoring case and surrounding spaces', () => {
    expect(backendFromEnv({ ATTENTION_BACKEND: 'cpu' })).toBe('cpu');
    expect(backendFromEnv({ ATTENTION_BACKEND: ' WebGPU ' })).toBe('webgpu');
    expect(backendFromEnv({ ATTENTION_BACKEND: 'wasm' })).toBe('wasm');
  });

  it('refuses anything else and names the valid values', () => {
    expect(() => backendFromEnv({ ATTENTION_BACKEND: 'webgl' })).toThrow('ATTENTION_BACKEND must be one of wasm, cpu, webgpu; got "webgl"');
  });
});

describe('backend fallback', () => {
  it('without a WebGPU adapter, logs exactly one line with the reason and runs on wasm', async () => {
    const lines: string[] = [];
    const engine = await createAttentionEngine({ backend: 'webgpu', log: (l) => lines.push(l), requestAdapter: async () => null });
    expect(engine.backend).toBe('wasm');
    expect(lines).toEqual(['attention engine: webgpu unavailable (no WebGPU adapter), using wasm']);
    // The fallback engine really computes.
    const layer = await engine.attendLayer(randomLayer(1, { tokens: 3, heads: 1, keyWidth: 2, outWidth: null }).heads, null, plain);
    expect(layer.heads[0].weights).toHaveLength(3);
    engine.dispose();
  });

  it('reports an adapter request that throws as the reason', async () => {
    const lines: string[] = [];
    const used = await initBackend('webgpu', (l) => lines.push(l), {
      requestAdapter: async () => {
        throw new Error('driver crashed');
      },
    });
    expect(used).toBe('wasm');
    expect(lines).toEqual(['attention engine: webgpu unavailable (adapter request failed: driver crashed), using wasm']);
  });

  it('logs nothing when the preferred backend starts', async () => {
    const lines: string[] = [];
    expect(await initBackend('cpu', (l) => lines.push(l))).toBe('cpu');
    expect(await initBackend('wasm', (l) => lines.push(l))).toBe('wasm');
    expect(lines).toEqual([]);
  });
});

describe('attention engine', () => {
  let engine: AttentionEngine;
  beforeAll(async () => {
    engine = await createAttentionEngine({ backend: 'wasm', log: () => {} });
  });
  afterAll(() => engine.dispose());

  it('does not leak tensors: the count is the same before and after 20 calls', async () => {
    const { heads, wO } = randomLayer(7, { tokens: 12, heads: 3, keyWidth: 4, outWidth: 5 });
    await engine.attendLayer(heads, wO, plain); // first call may allocate backend-lifetime state
    const before = engine.numTensors();
    for (let i = 0; i < 20; i++) {
      await engine.attendLayer(heads, i % 2 ? wO : null, { scale: i % 3 !== 0, temperature: 1 + (i % 4) / 2, causal: i % 2 === 0 });
    }
    expect(engine.numTensors()).toBe(before);
  });

  it('still matches the reference when the other backend was switched on in between', async () => {
    // tfjs's backend is global: another engine (here: a bare initBackend) may have moved it.
    await initBackend('cpu', () => {});
    const { heads, wO } = randomLayer(3, { tokens: 5, heads: 2, keyWidth: 3, outWidth: 2 });
    const got = await engine.attendLayer(heads, wO, plain);
    const want = attendLayer(heads, wO, plain);
    got.output.forEach((row, t) => row.forEach((x, j) => expect(x).toBeCloseTo(want.output[t][j], 5)));
  });

  it('refuses heads that do not share d_k, without leaking tensors', async () => {
    const before = engine.numTensors();
    const a: HeadCards = { name: 'a', q: [[1, 0]], k: [[1, 0]], v: [[1]] };
    const b: HeadCards = { name: 'b', q: [[1]], k: [[1]], v: [[1]] };
    await expect(engine.attendLayer([a, b], null, plain)).rejects.toThrow(
      'attention engine: head "b" has key width 1 but head "a" has 2; heads run batched and must share d_k',
    );
    await expect(engine.attendLayer([a, { ...a, name: 'c', v: [[1, 2]] }], null, plain)).rejects.toThrow(/must share d_v/);
    expect(engine.numTensors()).toBe(before);
  });

  it('refuses a W_O that does not fit the concatenated outputs, and an empty layer', async () => {
    const a: HeadCards = { name: 'a', q: [[1]], k: [[1]], v: [[1, 2]] };
    await expect(engine.attendLayer([a], [[1]], plain)).rejects.toThrow(/W_O has 1 rows but the heads' outputs have 2/);
    await expect(engine.attendLayer([], null, plain)).rejects.toThrow(/at least one head/);
    await expect(engine.attendLayer([a], null, { ...plain, temperature: 0 })).rejects.toThrow(/temperature must be positive/);
  });

  it('marks masked scores −Infinity, like the reference', async () => {
    const { heads } = randomLayer(5, { tokens: 4, heads: 2, keyWidth: 2, outWidth: null });
    const layer = await engine.attendLayer(heads, null, { ...plain, causal: true });
    for (const head of layer.heads) {
      head.scores.forEach((row, i) => row.forEach((s, j) => (j > i ? expect(s).toBe(-Infinity) : expect(Number.isFinite(s)).toBe(true))));
      head.weights.forEach((row, i) => row.forEach((w, j) => j > i && expect(w).toBe(0)));
    }
  });

  it('refuses work after dispose()', async () => {
    const other = await createAttentionEngine({ backend: 'wasm', log: () => {} });
    other.dispose();
    await expect(other.attendLayer(randomLayer(1, { tokens: 2, heads: 1, keyWidth: 1, outWidth: null }).heads, null, plain)).rejects.toThrow(
      /after dispose/,
    );
  });
});

describe('parseAttentionArgs', () => {
  const ids = ['the-cat-sat', 'multi-head'];

  it('reads the lesson alone, leaving every setting to the lesson', () => {
    expect(parseAttentionArgs(['--lesson', 'the-cat-sat'], ids)).toEqual({ ok: true, args: { lesson: 'the-cat-sat', backend: undefined, override: {} } });
  });

  it('reads every flag, in either --flag value or --flag=value form', () => {
    expect(parseAttentionArgs(['--lesson=multi-head', '--backend', 'webgpu', '--no-scale', '--temperature=0.5', '--causal'], ids)).toEqual({
      ok: true,
      args: { lesson: 'multi-head', backend: 'webgpu', override: { scale: false, temperature: 0.5, causal: true } },
    });
    expect(parseAttentionArgs(['--scale', '--no-causal', '--lesson', 'multi-head'], ids)).toEqual({
      ok: true,
      args: { lesson: 'multi-head', backend: undefined, override: { scale: true, causal: false } },
    });
  });

  const refused: [string, string[], RegExp][] = [
    ['a missing lesson', ['--causal'], /--lesson is required/],
    ['an unknown lesson', ['--lesson', 'the-dog-ran'], /unknown lesson "the-dog-ran"/],
    ['--lesson without an id', ['--lesson', '--causal'], /--lesson needs a lesson id/],
    ['an unknown backend', ['--lesson', 'multi-head', '--backend', 'webgl'], /--backend must be one of wasm, cpu, webgpu, not "webgl"/],
    ['a zero temperature', ['--lesson', 'multi-head', '--temperature', '0'], /--temperature must be a positive number, not "0"/],
    ['a temperature that is not a number', ['--lesson', 'multi-head', '--temperature', 'hot'], /positive number/],
    ['a temperature with no value', ['--lesson', 'multi-head', '--temperature'], /positive number/],
    ['an unknown flag', ['--lesson', 'multi-head', '--fast'], /unknown argument "--fast"/],
    ['a stray word', ['--lesson', 'multi-head', 'please'], /unknown argument "please"/],
    ['a setting given twice', ['--lesson', 'multi-head', '--scale', '--no-scale'], /--no-scale is given more than once/],
    ['a value on a switch', ['--lesson', 'multi-head', '--causal=yes'], /--causal takes no value/],
  ];
  for (const [what, argv, message] of refused) {
    it(`refuses ${what}, listing the valid lessons`, () => {
      const parsed = parseAttentionArgs(argv, ids);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.error).toMatch(message);
      expect(parsed.error).toContain('lessons: the-cat-sat, multi-head');
    });
  }
});

const root = fileURLToPath(new URL('../../../', import.meta.url));
const curatedIndexExists = existsSync(`${root}lib/lessons/curated/index.ts`);

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli/attention.ts', ...args], { cwd: root, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!curatedIndexExists)('npm run attention (the CLI as a child process)', () => {
  it('prints one JSON object with the stable shape for the-cat-sat', async () => {
    const { code, stdout, stderr } = await runCli(['--lesson', 'the-cat-sat']);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]) as Record<string, unknown> & {
      tokens: string[];
      heads: Record<string, unknown[][]>[];
      output: number[][];
    };
    expect(Object.keys(result)).toEqual(['lesson', 'backend', 'tokens', 'heads', 'output']);
    expect(result.lesson).toBe('the-cat-sat');
    expect(result.backend).toBe('wasm');
    const T = result.tokens.length;
    expect(T).toBeGreaterThan(1);
    expect(result.heads.length).toBeGreaterThan(0);
    for (const head of result.heads) {
      expect(Object.keys(head)).toEqual(['name', 'q', 'k', 'v', 'scores', 'weights', 'outputs']);
      for (const key of ['q', 'k', 'v', 'scores', 'weights', 'outputs']) expect(head[key], key).toHaveLength(T);
      for (const row of [...head.scores, ...head.weights]) expect(row).toHaveLength(T);
      for (const row of head.weights as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(result.output).toHaveLength(T);
  });

  it('prints masked scores as null with --causal, and honours --backend cpu', async () => {
    const { code, stdout, stderr } = await runCli(['--lesson', 'the-cat-sat', '--causal', '--backend', 'cpu']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { backend: string; heads: { scores: (number | null)[][]; weights: number[][] }[] };
    expect(result.backend).toBe('cpu');
    const { scores, weights } = result.heads[0];
    scores.forEach((row, i) => row.forEach((s, j) => (j > i ? expect(s).toBeNull() : expect(typeof s).toBe('number'))));
    weights.forEach((row, i) => row.forEach((w, j) => j > i && expect(w).toBe(0)));
  });

  it('exits 2 with nothing on stdout and the valid lessons on stderr for an unknown lesson', async () => {
    const { code, stdout, stderr } = await runCli(['--lesson', 'no-such-lesson']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown lesson "no-such-lesson"');
    expect(stderr).toContain('the-cat-sat');
  });
});
