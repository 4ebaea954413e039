import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttentionEngine, type AttentionEngine } from '../../../lib/attention/engine';
import { checkLessonGoals } from '../../../lib/lessons/claims';
import { curatedLessons } from '../../../lib/lessons/curated';

// The goals are promises to students about what the model does, so they are checked against the
// engine the server really runs (the default backend), not only against the reference.
describe('every learning goal holds in the TensorFlow.js engine', () => {
  let engine: AttentionEngine;
  beforeAll(async () => {
    engine = await createAttentionEngine({ backend: 'wasm', log: () => {} });
  });
  afterAll(() => engine.dispose());

  it.each(curatedLessons.map((l) => [l.id, l] as const))('%s', async (_id, lesson) => {
    const verdicts = await checkLessonGoals(lesson, (heads, wO, options) => engine.attendLayer(heads, wO, options));
    for (const { text, verdict } of verdicts) expect(verdict.holds, `${text} — ${verdict.evidence}`).toBe(true);
  });
});
