import { describe, expect, it } from 'vitest';
import { attendHead } from '../../../lib/attention/reference';
import { revealVerdict } from '../../../lib/game';
import { computeCards } from '../../../lib/lessons/cards';
import { curatedLessons } from '../../../lib/lessons/curated';

const python = curatedLessons.find((l) => l.id === 'python-the-language')!;
const tokens = python.tokens;
const rows = attendHead(computeCards(python)[0], { scale: true, temperature: 1, causal: false }).weights;
const at = (word: string) => tokens.indexOf(word);
const put = (weights: Record<string, number>) => tokens.map((w) => weights[w] ?? 0);

describe('the reveal’s one sentence names the student’s own token and its top key', () => {
  const row = rows[at('python')];
  const base = { tokens, token: at('python'), headName: null, trueRow: row, touched: true };

  it('found it, and was surer than the model', () => {
    expect(revealVerdict({ ...base, allocation: put({ script: 1 }) })).toBe(
      'You found script, python’s top key ✓; the model spread its attention more than you did.',
    );
  });

  it('found it, with the model’s spread', () => {
    expect(revealVerdict({ ...base, allocation: row })).toBe('You found script, python’s top key ✓, and your spread matched the model’s.');
  });

  it('found it, less sure than the model', () => {
    const timid = row.map((_, j) => (j === at('script') ? 0.2 : 0.1));
    expect(revealVerdict({ ...base, allocation: timid })).toBe('You found script, python’s top key ✓; the model was surer of it than you were.');
  });

  it('missed it: says the top key and where the student’s largest share went', () => {
    expect(revealVerdict({ ...base, allocation: put({ wrote: 0.6, script: 0.4 }) })).toBe(
      'The model’s top key for python was script (41\u202f%); you gave the most to wrote.',
    );
  });

  it('untouched: says so', () => {
    const even = tokens.map(() => 1 / tokens.length);
    expect(revealVerdict({ ...base, allocation: even, touched: false })).toBe(
      'You left the sliders untouched: an even split finds no key. python’s top key was script (41\u202f%).',
    );
  });

  it('an even row: no top key to find', () => {
    const even = tokens.map(() => 1 / tokens.length);
    expect(revealVerdict({ ...base, token: at('the'), trueRow: rows[at('the')], allocation: even, touched: false })).toBe(
      'No key stood out for the: the model spread its attention almost evenly, and so did your untouched sliders.',
    );
  });

  it('names the head in a multi-head lesson and tied top keys', () => {
    const multi = curatedLessons.find((l) => l.id === 'multi-head')!;
    const meaning = attendHead(computeCards(multi)[1], { scale: true, temperature: 1, causal: false }).weights;
    const swim = multi.tokens.indexOf('swim');
    const lake = multi.tokens.indexOf('lake');
    const text = revealVerdict({
      tokens: multi.tokens,
      token: swim,
      headName: 'meaning',
      trueRow: meaning[swim],
      allocation: multi.tokens.map((_, j) => (j === lake ? 1 : 0)),
      touched: true,
    });
    expect(text).toBe('You found lake, swim’s top key in the meaning head ✓; the model spread its attention more than you did.');
    const cat = curatedLessons.find((l) => l.id === 'the-cat-sat')!;
    const on = attendHead(computeCards(cat)[0], { scale: true, temperature: 1, causal: false }).weights[3];
    expect(revealVerdict({ tokens: cat.tokens, token: 3, headName: null, trueRow: on, allocation: [0, 0.5, 0, 0, 0, 0.5], touched: true })).toBe(
      'You found cat and mat, on’s top keys ✓; the model spread its attention more than you did.',
    );
    expect(revealVerdict({ tokens: cat.tokens, token: 3, headName: null, trueRow: on, allocation: [0.1, 0.3, 0.1, 0.1, 0.2, 0.2], touched: true })).toBe(
      'You found cat, one of on’s 2 top keys ✓, and your spread matched the model’s.',
    );
  });

  it('gives a word that ends in s the apostrophe alone: dogs’ top key, not dogs’s', () => {
    const words = ['dogs', 'bark', 'at', 'cats'];
    const trueRow = [0.1, 0.2, 0.1, 0.6];
    expect(revealVerdict({ tokens: words, token: 0, headName: null, trueRow, allocation: [0, 0, 0, 1], touched: true })).toBe(
      'You found cats, dogs’ top key ✓; the model spread its attention more than you did.',
    );
    expect(revealVerdict({ tokens: words, token: 1, headName: null, trueRow, allocation: [0, 0, 0, 1], touched: true })).toMatch(/^You found cats, bark’s top key/);
  });
});
