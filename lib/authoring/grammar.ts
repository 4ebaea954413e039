/**
 * The grammar head: one fixed layer over the grammar features, the same numbers for every sentence, so a
 * class sees that one set of weights generalises. Its four query/key dimensions:
 *
 * | dimension          | a key has                         | a query asks for it when it is      |
 * |--------------------|-----------------------------------|-------------------------------------|
 * | a noun             | 1 for a noun or pronoun           | a determiner or adjective (2), a verb (2), a pronoun (2) |
 * | same phrase        | its phrase colour (±1)            | any word: its own phrase colour     |
 * | same clause        | its clause colour (±1)            | any word: its own clause colour; a pronoun adds 2 (it looks back to the first clause) |
 * | before its verb    | +1 before its clause's verb, −1 after | any word: its own side; a verb or pronoun adds 2 (they look for a subject) |
 *
 * So a determiner or adjective finds the noun of its own phrase (a noun, same phrase, same clause, same
 * side); a verb finds the noun before it in its own clause (its subject); a pronoun finds a noun before
 * a verb in the first clause (the subject it most likely refers back to). The values pass on "thing" (from
 * nouns and pronouns) and "action" (from verbs).
 */
import type { LessonHead } from '../lessons/schema';
import { GRAMMAR_FEATURES } from './features';

export const GRAMMAR_HEAD_NAME = 'grammar';
export const GRAMMAR_KEY_FEATURES = ['a noun', 'same phrase', 'same clause', 'before its verb'] as const;
export const GRAMMAR_VALUE_FEATURES = ['thing', 'action'] as const;
/** d_k and d_v of every authored head (heads run batched and must share them). */
export const KEY_WIDTH = GRAMMAR_KEY_FEATURES.length;
export const VALUE_WIDTH = GRAMMAR_VALUE_FEATURES.length;

/** feature → [W_Q row, W_K row, W_V row]; features not listed have zero rows. */
const GRAMMAR_ROWS: Record<string, [number[], number[], number[]]> = {
  noun: [[0, 0, 0, 0], [1, 0, 0, 0], [1, 0]],
  pronoun: [[2, 0, 2, 2], [1, 0, 0, 0], [1, 0]],
  verb: [[2, 0, 0, 2], [0, 0, 0, 0], [0, 1]],
  determiner: [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0]],
  adjective: [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0]],
  phrase: [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0]],
  clause: [[0, 0, 1, 0], [0, 0, 1, 0], [0, 0]],
  'before its verb': [[0, 0, 0, 1], [0, 0, 0, 1], [0, 0]],
};

/** The grammar head for a lesson whose embedding has these features (grammar features first). */
export function grammarHead(features: readonly string[]): LessonHead {
  const row = (feature: string, which: 0 | 1 | 2) => {
    const width = which === 2 ? VALUE_WIDTH : KEY_WIDTH;
    if (!GRAMMAR_FEATURES.includes(feature)) return new Array<number>(width).fill(0);
    return [...(GRAMMAR_ROWS[feature]?.[which] ?? new Array<number>(width).fill(0))];
  };
  return {
    name: GRAMMAR_HEAD_NAME,
    looksFor: 'The same weights for every sentence: a determiner or adjective looks for the noun of its phrase, a verb for the noun before it in its clause (its subject), a pronoun back to the subject of the first clause.',
    wQ: features.map((f) => row(f, 0)),
    wK: features.map((f) => row(f, 1)),
    wV: features.map((f) => row(f, 2)),
    keyFeatures: [...GRAMMAR_KEY_FEATURES],
    valueFeatures: [...GRAMMAR_VALUE_FEATURES],
  };
}
