/** Features from the tagger and WordNet: irregular forms, ambiguous words, unknown words, structure. */
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingsOf, featureNames, proposeFeatures } from '../../../lib/authoring/features';
import { tagSentence } from '../../../lib/authoring/sentence';
import { categoriesOf, lexiconOf, parseSenseIndex, type Lexicon } from '../../../lib/authoring/wordnet';
import { loadWordNetLexicon } from '../../../server/authoring/lexicon';

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await loadWordNetLexicon();
});

function features(sentence: string) {
  const tagged = tagSentence(sentence);
  if ('problems' in tagged) throw new Error(tagged.problems[0].message);
  return proposeFeatures(tagged.tokens, lexicon);
}

describe('features for any sentence', () => {
  it('knows irregular forms through the lemma: mice → mouse (animal), ran → run (motion)', () => {
    const [, mice, ran] = features('The mice ran home');
    expect(mice).toMatchObject({ lemma: 'mouse', pos: 'noun', known: true });
    expect(Object.keys(mice.meaning)).toContain('animal');
    expect(ran).toMatchObject({ lemma: 'run', pos: 'verb' });
    expect(Object.keys(ran.meaning)).toContain('motion');
  });

  it('gives an ambiguous word both of its frequent categories: bank is a slope (object) and an institution (group)', () => {
    const bank = features('We sat on the bank')[4];
    expect(bank.meaning).toEqual({ object: 1, group: 1 });
  });

  it('marks a word no dictionary knows, and leaves function words alone', () => {
    const [zorblat, ate, the] = features('Zorblat ate the bread');
    expect(zorblat.known).toBe(false);
    expect(ate.known).toBe(true);
    expect(the).toMatchObject({ pos: 'determiner', known: true, meaning: {} });
  });

  it('marks phrases, clauses and the side of the verb, and builds an embedding of −1, 0, 1 and 2', () => {
    const tokens = features('The dog barked, and the cat ran');
    expect(tokens.map((t) => t.structure.clause)).toEqual([1, 1, 1, -1, -1, -1, -1]);
    expect(tokens.map((t) => t.structure['before its verb'])).toEqual([1, 1, 0, 1, 1, 1, 0]);
    expect(tokens.map((t) => t.structure.phrase)).toEqual([1, 1, 0, 0, -1, -1, 0]);
    const names = featureNames(tokens);
    for (const row of embeddingsOf(tokens, names)) for (const x of row) expect([-1, 0, 1, 2]).toContain(x);
  });

  it('parses index.sense lines and ranks senses by number', () => {
    const parsed = parseSenseIndex('bank%1:14:00:: 08437235 2 20\nbank%1:17:01:: 09236472 1 25\nrun%2:38:00:: 01928730 1 100\n');
    expect(parsed.senses('bank').map((s) => s.lexicographerFile)).toEqual(['noun.object', 'noun.group']);
    expect(categoriesOf(parsed, ['run'], 'verb')).toEqual({ known: true, categories: ['motion'] });
    expect(categoriesOf(lexiconOf({}), ['nothing'], 'noun')).toEqual({ known: false, categories: [] });
  });
});
