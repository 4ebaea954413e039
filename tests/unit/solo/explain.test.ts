import { describe, expect, it } from 'vitest';
import { attendHead, attendLayer, dot } from '../../../lib/attention/reference';
import { runRecurrent } from '../../../lib/attention/recurrent';
import { blendValues, scoreAllocation } from '../../../lib/game';
import { computeCards } from '../../../lib/lessons/cards';
import { allowedTokens } from '../../../lib/game/seating';
import { explainBlend, explainDotProduct, explainSoftmax, noteStory, overlap, rowSentences } from '../../../lib/solo';
import { lesson, lessons } from './fixtures';

describe('the explanations use the reference’s numbers', () => {
  it('works out every dot product term by term, summing to the reference’s q·k', () => {
    for (const each of lessons) {
      const cards = computeCards(each);
      cards.forEach((head, h) => {
        head.q.forEach((query, i) => {
          head.k.forEach((key, j) => {
            const explained = explainDotProduct(query, key, each.heads[h].keyFeatures, j);
            expect(explained.total).toBe(dot(query, key));
            expect(explained.terms.map((t) => t.product)).toEqual(query.map((q, d) => q * key[d]));
            expect(explained.terms.reduce((a, t) => a + t.product, 0)).toBeCloseTo(dot(query, key), 12);
            expect(explained.terms.map((t) => t.feature)).toEqual(each.heads[h].keyFeatures);
            void i;
          });
        });
      });
    }
  });

  it('explains softmax with the model’s exact weights, for every row, setting and mask', () => {
    const settings = [
      { scale: true, temperature: 1, causal: false },
      { scale: false, temperature: 1, causal: false },
      { scale: true, temperature: 0.5, causal: false },
      { scale: true, temperature: 3, causal: true },
    ];
    for (const each of lessons) {
      const cards = computeCards(each);
      for (const options of settings) {
        cards.forEach((head) => {
          const truth = attendHead(head, options);
          head.q.forEach((query, i) => {
            const allowed = allowedTokens(i, each.tokens.length, options.causal);
            const explained = explainSoftmax(query, head.k, options, allowed);
            expect(explained.divisor).toBeCloseTo((options.scale ? Math.sqrt(head.k[0].length) : 1) * options.temperature, 12);
            expect(explained.rows.map((r) => r.token)).toEqual(allowed);
            explained.rows.forEach((r) => {
              expect(r.scaled).toBeCloseTo(truth.scores[i][r.token], 12);
              expect(r.weight).toBeCloseTo(truth.weights[i][r.token], 12);
              expect(r.exp).toBeCloseTo(Math.exp(r.scaled - explained.largestScaled), 12);
            });
            for (const j of explained.masked) expect(truth.weights[i][j]).toBe(0);
            expect(explained.rows.reduce((a, r) => a + r.weight, 0)).toBeCloseTo(1, 12);
          });
        });
      }
    }
  });

  it('blends values the way the game core and the reference do', () => {
    const cat = lesson('the-cat-sat');
    const layer = attendLayer(computeCards(cat), null, { scale: true, temperature: 1, causal: false });
    const values = layer.heads[0].v;
    for (let i = 0; i < cat.tokens.length; i++) {
      const weights = layer.heads[0].weights[i];
      const blend = explainBlend(weights, values);
      blend.output.forEach((x, d) => expect(x).toBeCloseTo(layer.heads[0].outputs[i][d], 12));
      expect(blend.output).toEqual(blendValues(weights, values));
    }
    const mine = explainBlend([0, 0.5, 0.5, 0, 0, 0], values);
    expect(mine.terms.map((t) => t.token)).toEqual([1, 2]);
    expect(mine.terms[0].contribution).toEqual(values[1].map((x) => x / 2));
  });

  it('says the overlap that is the spread half of the score', () => {
    const p = [0.5, 0.3, 0.2];
    const q = [0.2, 0.6, 0.2];
    expect(overlap(p, q)).toBeCloseTo(0.7, 12);
    // The top key (1) was missed: the score is the spread's 500 × overlap alone.
    expect(Math.round(500 * overlap(p, q))).toBe(scoreAllocation(p, q));
    expect(Math.round(500 + 500 * overlap([0.3, 0.5, 0.2], q))).toBe(scoreAllocation([0.3, 0.5, 0.2], q));
  });

  it('tells the carried-note story from the recurrent network', () => {
    const recurrent = lesson('recurrent-bottleneck');
    const story = noteStory(recurrent);
    expect(story?.shares).toEqual(runRecurrent(recurrent.embeddings, 0.5).shares);
    expect(story?.facts).toEqual([
      { fact: 4, query: 13 },
      { fact: 0, query: 9 },
    ]);
    expect(story!.shares[4]).toBeLessThan(0.01);
    expect(noteStory(lesson('the-cat-sat'))).toBeNull();
  });
});

describe('the sentences about a revealed row', () => {
  const cat = lesson('the-cat-sat');
  const cards = computeCards(cat)[0];
  const options = { scale: true, temperature: 1, causal: false };
  const truth = attendHead(cards, options);
  const trueRow = truth.weights[2];
  const story = (allocation: number[], helpSpent = 0) => ({
    tokens: cat.tokens,
    token: 2,
    query: cards.q[2],
    keys: cards.k,
    allowed: [0, 1, 2, 3, 4, 5],
    options,
    allocation,
    trueRow,
    score: scoreAllocation(allocation, trueRow),
    helpSpent,
    output: blendValues(allocation, cards.v),
    trueOutput: truth.outputs[2],
    cosine: 0.5,
    valueFeatures: cat.heads[0].valueFeatures,
  });

  it('name the model’s favourite with its percentage, the reason and the learner’s own numbers', () => {
    const allocation = [0, 0.2, 0, 0, 0, 0.8];
    const text = rowSentences(story(allocation, 30)).join(' ');
    expect(text).toContain(`The model gave ${Math.round(trueRow[1] * 100)}% of the attention of “sat” to “cat”`);
    expect(text).toContain('you gave it 20%');
    expect(text).toContain(`largest dot product in the row, ${dot(cards.q[2], cards.k[1])}`);
    expect(text).toContain('divided by 1.41 (√2)');
    expect(text).toContain('you gave “mat”');
    expect(text).toContain(`Your score is ${scoreAllocation(allocation, trueRow)} of 1000`);
    expect(text).toContain(`Help cost 30 points, so this row earns ${scoreAllocation(allocation, trueRow) - 30}`);
    expect(text).toContain('(creature, location)');
  });

  it('say when the model spreads a row evenly', () => {
    const even = { ...story([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]), token: 0, query: cards.q[0], trueRow: truth.weights[0] };
    expect(rowSentences(even)[0]).toContain('almost evenly');
  });
});
