/** Bad input gets a clear answer naming the token: refused, or flagged; never a crash or a silent number. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttentionEngine, type AttentionEngine } from '../../../lib/attention/engine';
import { attendLayer } from '../../../lib/attention/reference';
import { authoredDraftSchema, buildAuthoredLesson, type AuthoredDraftInput } from '../../../lib/authoring/lesson';
import { tagSentence } from '../../../lib/authoring/sentence';
import type { Lexicon } from '../../../lib/authoring/wordnet';
import { loadWordNetLexicon } from '../../../server/authoring/lexicon';

let lexicon: Lexicon;
let engine: AttentionEngine;
beforeAll(async () => {
  // The fit runs in TensorFlow.js on the engine's backend.
  [lexicon, engine] = await Promise.all([loadWordNetLexicon(), createAttentionEngine({ backend: 'cpu', log: () => {} })]);
});
afterAll(() => engine.dispose());

const build = (input: AuthoredDraftInput) => buildAuthoredLesson(authoredDraftSchema.parse(input), 'authored-bad', { lexicon, attend: attendLayer });

function problemsOf(sentence: string) {
  const tagged = tagSentence(sentence);
  if (!('problems' in tagged)) throw new Error(`"${sentence}" was accepted`);
  return tagged.problems;
}

describe('sentences that are refused', () => {
  it('an empty sentence', () => {
    expect(problemsOf('   ')[0]).toMatchObject({ code: 'sentence/empty' });
  });
  it('one word is not enough', () => {
    expect(problemsOf('Hello.')[0]).toMatchObject({ code: 'sentence/too-short' });
  });
  it('more than 16 words, naming the first word over', () => {
    const problem = problemsOf('one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen')[0];
    expect(problem).toMatchObject({ code: 'sentence/too-long', token: 'seventeen' });
    expect(problem.message).toContain('"seventeen"');
  });
  it('more characters than a projector shows', () => {
    expect(problemsOf(`The ${'very'.repeat(50)} long word`)[0]).toMatchObject({ code: 'sentence/too-long' });
  });
  it('markup', () => {
    const [problem] = problemsOf('The <b>cat</b> sat');
    expect(problem).toMatchObject({ code: 'sentence/markup', token: '<b>' });
    expect(problemsOf('Tom &amp; Jerry ran')[0]).toMatchObject({ code: 'sentence/markup', token: '&amp;' });
    expect(problemsOf('a<script>alert(1)</script>')[0].code).toBe('sentence/markup');
  });
  it('an emoji, naming it', () => {
    const [problem] = problemsOf('The cat 🐈 sat');
    expect(problem).toMatchObject({ code: 'sentence/emoji', token: '🐈' });
  });
  it('another script, naming the word', () => {
    const problems = problemsOf('The кошка sat on 猫');
    expect(problems.map((p) => p.token)).toEqual(['кошка', '猫']);
    expect(problems[0].code).toBe('sentence/other-script');
  });
  it('control characters', () => {
    expect(problemsOf('The cat\u0007 sat')[0].code).toBe('sentence/unsupported-character');
  });
  it('and the builder answers the same instead of throwing', async () => {
    const result = await build({ sentence: 'The cat 🐈 sat' });
    expect(result.ok).toBe(false);
  });
});

describe('drafts that are flagged', () => {
  it('a word WordNet does not know is marked, and a palette feature fixes it', async () => {
    const result = await build({ sentence: 'Zorblat ate the bread' });
    if (!result.ok) throw new Error('refused');
    expect(result.tokens[0].known).toBe(false);
    expect(result.flags.find((f) => f.code === 'word/unknown')).toMatchObject({ token: 0 });
    const fixed = await build({ sentence: 'Zorblat ate the bread', edits: { '0': { word: 'Zorblat', meaning: { person: 1 } } } });
    if (!fixed.ok) throw new Error('refused');
    expect(fixed.tokens[0].meaning).toEqual({ person: 1 });
    expect(fixed.flags.some((f) => f.code === 'word/unknown')).toBe(false);
  });

  it('arcs that contradict each other: twin words cannot look at different words', async () => {
    const result = await build({ sentence: 'The dog saw the bread', arcs: [{ query: 0, key: 1 }, { query: 3, key: 4 }] });
    if (!result.ok) throw new Error('refused');
    const flags = result.flags.filter((f) => f.code === 'arc/unreached');
    expect(flags).toHaveLength(2);
    expect(flags[0].message).toMatch(/"The" \(word 1\) and "the" \(word 4\) have the same meaning features and part of speech/);
    // Two words of one category are twins as keys: nothing can rank one above the other.
    const twins = await build({ sentence: 'The dog saw the cat', arcs: [{ query: 2, key: 1 }] });
    if (!twins.ok) throw new Error('refused');
    expect(twins.flags.find((f) => f.code === 'arc/unreached')?.message).toMatch(/"dog" \(word 2\) and "cat" \(word 5\) have the same/);
  });

  it('a goal the layer does not satisfy cannot be saved, and says why with the numbers', async () => {
    const result = await build({
      sentence: 'We sat on the bank of the river',
      arcs: [{ query: 4, key: 7 }],
      goals: [{ text: 'bank looks at We', claim: { kind: 'largest-weight', head: 'meaning', query: 4, key: 0 } }],
    });
    if (!result.ok) throw new Error('refused');
    expect(result.playable).toBe(false);
    expect(result.flags.find((f) => f.code === 'goal/unsatisfied')?.message).toMatch(/"bank"'s row the largest weight is .* on "river"/);
  });

  it('a goal about a word that is not there', async () => {
    const result = await build({ sentence: 'The cat sat', goals: [{ text: 'x', claim: { kind: 'largest-weight', head: 'meaning', query: 9, key: 0 } }] });
    if (!result.ok) throw new Error('refused');
    expect(result.playable).toBe(false);
    expect(result.flags.find((f) => f.code === 'goal/invalid')?.message).toMatch(/token 9 does not exist/);
  });

  it('an edit made for a word that has moved, a feature not in the palette, an arc past the end', async () => {
    const result = await build({
      sentence: 'The cat sat',
      edits: { '0': { word: 'A', pos: 'noun' }, '1': { word: 'cat', meaning: { 'made-up': 1 } } },
      arcs: [{ query: 2, key: 9 }],
    });
    if (!result.ok) throw new Error('refused');
    expect(result.flags.map((f) => f.code).sort()).toEqual(['arc/out-of-range', 'edit/moved', 'edit/unknown-feature']);
    expect(result.tokens[0].pos).toBe('determiner');
  });

  it('no arc and no goal: the suggestions come from the grammar head and hold', async () => {
    const result = await build({ sentence: 'The children played in the park' });
    if (!result.ok) throw new Error('refused');
    expect(result.suggestedGoals.length).toBeGreaterThan(0);
    expect(result.verdicts.every((v) => v.holds)).toBe(true);
    expect(result.playable).toBe(true);
  });
});
