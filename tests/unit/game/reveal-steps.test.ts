import { describe, expect, it } from 'vitest';
import { attendHead, softmax, type AttentionOptions } from '../../../lib/attention/reference';
import { blendValues, revealStar, revealSteps, starSeats } from '../../../lib/game';
import { computeCards } from '../../../lib/lessons/cards';
import { curatedLessons } from '../../../lib/lessons/curated';

const variants: AttentionOptions[] = [
  { scale: true, temperature: 1, causal: false },
  { scale: false, temperature: 1, causal: false },
  { scale: true, temperature: 2, causal: false },
  { scale: true, temperature: 0.5, causal: true },
];

describe('the reveal’s step data equals the reference at every step', () => {
  for (const lesson of curatedLessons) {
    it(`${lesson.id}: q·k, ÷ √d_k × τ, softmax and the blend of values, for the star token`, () => {
      const cards = computeCards(lesson);
      const star = revealStar(lesson);
      expect(star).toEqual(starSeats(lesson)[0]);
      const own = { scale: lesson.flags.scale, temperature: lesson.flags.temperature, causal: lesson.flags.causal };
      for (const options of [own, ...variants]) {
        const steps = revealSteps(cards, options, star);
        const reference = attendHead(cards[star.head], options);
        const query = cards[star.head].q[star.token];
        expect(steps.query).toEqual(query);
        expect(steps.keyWidth).toBe(query.length);
        expect(steps.divisor).toBeCloseTo((options.scale ? Math.sqrt(query.length) : 1) * options.temperature, 12);
        steps.keys.forEach((k, j) => {
          // Step 1: the dot product, worked by hand here.
          expect(k.dot).toBeCloseTo(query.reduce((sum, x, d) => sum + x * cards[star.head].k[j][d], 0), 12);
          expect(k.masked).toBe(options.causal && j > star.token);
          // Step 2: divided by √d_k and the temperature: the reference's own score.
          if (k.masked) expect(k.scaled).toBeNull();
          else {
            expect(k.scaled).toBeCloseTo(k.dot / steps.divisor, 12);
            expect(k.scaled).toBeCloseTo(reference.scores[star.token][j], 12);
          }
          // Step 3: softmax: the model's weight.
          expect(k.weight).toBeCloseTo(reference.weights[star.token][j], 12);
        });
        const bySoftmax = softmax(steps.keys.map((k) => (k.scaled === null ? -Infinity : k.scaled)));
        bySoftmax.forEach((w, j) => expect(w).toBeCloseTo(steps.keys[j].weight, 12));
        // Step 4: the blend of values.
        steps.output.forEach((x, d) => expect(x).toBeCloseTo(reference.outputs[star.token][d], 12));
        blendValues(steps.keys.map((k) => k.weight), steps.values).forEach((x, d) => expect(x).toBeCloseTo(steps.output[d], 12));
        expect(steps.dotProducts).toBe(lesson.tokens.length ** 2 * lesson.heads.length);
      }
    });
  }

  it('the stars are the words the lessons are about', () => {
    const stars = Object.fromEntries(curatedLessons.map((l) => [l.id, l.tokens[revealStar(l).token]]));
    expect(stars).toMatchObject({ 'the-cat-sat': 'sat', 'python-the-language': 'python', 'multi-head': 'swim', 'causal-mask': 'it' });
  });
});
