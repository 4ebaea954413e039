/**
 * Authored lessons on every engine backend against the float64 reference: the meaning head is fitted on
 * the backend under test (TensorFlow.js on that backend), then the engine's whole layer is held to the
 * reference within 1e-5 · max(1, |reference|), the learning goals get the same verdicts from both, and
 * the fit leaves no tensors behind. A GPU-less machine skips WebGPU visibly (CI=true makes it fail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeWebGPU, type BackendName } from '../../../lib/attention/backends';
import { createAttentionEngine, ENGINE_BACKENDS, type AttentionEngine } from '../../../lib/attention/engine';
import { attendLayer, type Matrix } from '../../../lib/attention/reference';
import { authoredDraftSchema, buildAuthoredLesson, type AuthoredDraftInput } from '../../../lib/authoring/lesson';
import type { Lexicon } from '../../../lib/authoring/wordnet';
import { attentionOptionsFor, computeCards } from '../../../lib/lessons/cards';
import { checkLessonGoals } from '../../../lib/lessons/claims';
import { loadWordNetLexicon } from '../../../server/authoring/lexicon';

const TOLERANCE = 1e-5;

const DRAFTS: AuthoredDraftInput[] = [
  { sentence: 'We sat on the bank of the river', arcs: [{ query: 4, key: 7 }] },
  { sentence: 'The animal did not cross the street because it was too tired', arcs: [{ query: 8, key: 1 }, { query: 4, key: 6 }] },
  { sentence: 'She wrote a Python script and it ran', arcs: [{ query: 3, key: 4 }, { query: 7, key: 4 }] },
  { sentence: 'The old fisherman saw a shark near the boat, so he rowed home quickly', arcs: [{ query: 11, key: 2 }, { query: 4, key: 5 }] },
];

const inCI = process.env.CI === 'true';
const webgpu = await probeWebGPU();
const skipWebGPU = !webgpu.available && !inCI;
if (!webgpu.available) console.warn(`authored parity: no WebGPU here (${webgpu.reason}); ${inCI ? 'CI=true, so the suite runs and fails' : 'skipping the webgpu suite'}`);

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await loadWordNetLexicon();
});

function worstError(actual: Matrix, expected: Matrix): number {
  let worst = 0;
  actual.forEach((row, i) => row.forEach((x, j) => {
    const y = expected[i][j];
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }));
  return worst;
}

function backendSuite(name: BackendName): void {
  describe.skipIf(name === 'webgpu' && skipWebGPU)(`authored lessons on ${name}`, () => {
    let engine: AttentionEngine;
    let worst = 0;
    beforeAll(async () => {
      const lines: string[] = [];
      engine = await createAttentionEngine({ backend: name, log: (line) => lines.push(line) });
      if (engine.backend !== name) throw new Error(`${name} did not start: ${lines.join(' / ')}`);
    });
    afterAll(() => {
      engine?.dispose();
      console.log(`authored parity ${name}: max relative error ${worst.toExponential(2)}`);
    });

    for (const draft of DRAFTS) {
      it(`"${draft.sentence}": fitted here, computed here, equal to the reference`, async () => {
        const before = engine.numTensors();
        const result = await buildAuthoredLesson(authoredDraftSchema.parse(draft), 'authored-parity', { lexicon, attend: engine.attendLayer });
        if (!result.ok) throw new Error(result.problems[0].message);
        expect(result.fit.backend).toBe(name);
        expect(engine.numTensors()).toBe(before);
        const lesson = result.lesson;
        const cards = computeCards(lesson);
        for (const options of [attentionOptionsFor(lesson), { ...attentionOptionsFor(lesson), causal: true }, { ...attentionOptionsFor(lesson), scale: false, temperature: 0.5 }]) {
          const actual = await engine.attendLayer(cards, lesson.wO, options);
          const expected = attendLayer(cards, lesson.wO, options);
          actual.heads.forEach((head, h) => {
            expect(head.q).toEqual(expected.heads[h].q);
            for (const key of ['weights', 'outputs'] as const) {
              const error = worstError(head[key], expected.heads[h][key]);
              worst = Math.max(worst, error);
              expect(error, `${head.name}.${key}`).toBeLessThanOrEqual(TOLERANCE);
            }
          });
        }
        const byEngine = await checkLessonGoals(lesson, engine.attendLayer);
        const byReference = await checkLessonGoals(lesson, attendLayer);
        expect(byEngine.map((v) => v.verdict.holds)).toEqual(byReference.map((v) => v.verdict.holds));
        for (const arc of result.fit.arcs) expect(arc.reached, `${lesson.tokens[arc.query]} → ${lesson.tokens[arc.key]}: ${arc.reason ?? ''}`).toBe(true);
      });
    }
  });
}

for (const name of ENGINE_BACKENDS) backendSuite(name);
