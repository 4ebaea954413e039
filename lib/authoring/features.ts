/**
 * Each token's named features: what the layer's embedding is made of. Three kinds:
 * - a part of speech (one of eight, from the tagger; the teacher may correct it),
 * - three structure features a grammar needs to know where a word stands (its noun phrase, its clause,
 *   and whether it comes before its clause's verb), computed from the parts of speech,
 * - meaning features: WordNet categories (animal, artifact, location, motion…), proposed from WordNet
 *   and added, removed or re-weighted by the teacher from the palette.
 * Every value is −1, 0, 1 or 2, so that a card (embedding × weights in halves) is itself in halves.
 */
import { categoriesOf, LEXICOGRAPHER_FILES, categoryName, type Lexicon, type WordNetPos } from './wordnet';
import type { TaggedToken } from './sentence';

export const POS_FEATURES = ['noun', 'pronoun', 'verb', 'determiner', 'adjective', 'preposition', 'adverb', 'other word'] as const;
export type PosFeature = (typeof POS_FEATURES)[number];

/**
 * Where a word stands, as numbers: `phrase` is +1 or −1 alternately for the words of successive noun
 * phrases (0 outside one), `clause` +1 or −1 alternately for successive clauses, `before its verb` +1 before
 * the clause's first verb, 0 on it, −1 after it (0 in a clause without a verb). Products of two of
 * them say "same phrase" (+1) or "not" (−1), which is what a dot product can see.
 */
export const STRUCTURE_FEATURES = ['phrase', 'clause', 'before its verb'] as const;
export type StructureFeature = (typeof STRUCTURE_FEATURES)[number];

/** The grammar features, in the order they open every authored lesson's embedding. */
export const GRAMMAR_FEATURES: readonly string[] = [...POS_FEATURES, ...STRUCTURE_FEATURES];

/** The meaning features a teacher may add: WordNet's noun and verb categories. */
export const MEANING_PALETTE: readonly string[] = [
  ...new Set(LEXICOGRAPHER_FILES.filter((f) => f.startsWith('noun.') || f.startsWith('verb.')).map(categoryName)),
].sort();

/** A meaning feature's weight: 1 is "is", 2 is "strongly is". */
export const MEANING_WEIGHTS = [1, 2] as const;
export type MeaningWeight = (typeof MEANING_WEIGHTS)[number];

const POS_OF_TAG: Record<string, PosFeature> = {
  NOUN: 'noun', PROPN: 'noun', PRON: 'pronoun', VERB: 'verb', AUX: 'verb', DET: 'determiner',
  NUM: 'adjective', ADJ: 'adjective', ADP: 'preposition', ADV: 'adverb',
};

const WORDNET_POS: Partial<Record<PosFeature, WordNetPos>> = { noun: 'noun', verb: 'verb', adjective: 'adj', adverb: 'adv' };

/** One token with everything the layer reads from it. */
export interface TokenFeatures {
  text: string;
  /** The tagger's universal tag, for the teacher's information. */
  tag: string;
  lemma: string;
  pos: PosFeature;
  /** The tagger or the teacher chose `pos`. */
  posFrom: 'tagger' | 'teacher';
  /** False for a content word (noun, verb, adjective, adverb) that WordNet does not know. */
  known: boolean;
  /** What WordNet proposed, before the teacher's edits. */
  proposed: string[];
  structure: Record<StructureFeature, number>;
  /** Meaning feature → weight. */
  meaning: Record<string, MeaningWeight>;
  clauseBreakBefore: boolean;
}

/** The teacher's change to one token: a corrected part of speech, and meaning weights (0 removes). */
export interface TokenEdit {
  pos?: PosFeature;
  meaning?: Record<string, 0 | MeaningWeight>;
}

/** The tagger's part of speech, as one of the eight features. */
export function posOfTag(tag: string): PosFeature {
  return POS_OF_TAG[tag] ?? 'other word';
}

/** Proposes features for tagged tokens, then applies the teacher's edits (by token index). */
export function proposeFeatures(tokens: readonly TaggedToken[], lexicon: Lexicon, edits: Readonly<Record<number, TokenEdit>> = {}): TokenFeatures[] {
  const out = tokens.map((token, t): TokenFeatures => {
    const edit = edits[t] ?? {};
    const pos = edit.pos ?? posOfTag(token.tag);
    const wordNetPos = WORDNET_POS[pos];
    const lemmas = [token.lemma, token.text.toLowerCase().replace(/'s$/, '')];
    const found = wordNetPos ? categoriesOf(lexicon, lemmas, wordNetPos) : { known: true, categories: [] };
    const meaning: Record<string, MeaningWeight> = {};
    for (const category of found.categories) meaning[category] = 1;
    for (const [feature, weight] of Object.entries(edit.meaning ?? {})) {
      if (weight === 0) delete meaning[feature];
      else meaning[feature] = weight;
    }
    return {
      text: token.text,
      tag: token.tag,
      lemma: token.lemma,
      pos,
      posFrom: edit.pos ? 'teacher' : 'tagger',
      known: found.known,
      proposed: found.categories,
      structure: { phrase: 0, clause: 1, 'before its verb': 0 },
      meaning,
      clauseBreakBefore: token.clauseBreakBefore,
    };
  });
  markStructure(out);
  return out;
}

/** Fills in phrase, clause and side-of-verb from the parts of speech (see STRUCTURE_FEATURES). */
function markStructure(tokens: TokenFeatures[]): void {
  // Clauses: a new one starts after punctuation or at a conjunction.
  let clause = 1;
  let start = 0;
  const closeClause = (end: number) => {
    const verb = tokens.slice(start, end).findIndex((t) => t.pos === 'verb');
    for (let t = start; t < end; t++) {
      tokens[t].structure.clause = clause;
      tokens[t].structure['before its verb'] = verb < 0 ? 0 : Math.sign(start + verb - t);
    }
  };
  tokens.forEach((token, t) => {
    if (t > 0 && token.clauseBreakBefore) {
      closeClause(t);
      clause = -clause;
      start = t;
    }
  });
  closeClause(tokens.length);

  // Noun phrases: determiners and adjectives, then one or more nouns, inside one clause.
  let colour = 1;
  let t = 0;
  while (t < tokens.length) {
    let end = t;
    while (end < tokens.length && (tokens[end].pos === 'determiner' || tokens[end].pos === 'adjective') && (end === t || !tokens[end].clauseBreakBefore)) end++;
    let nounEnd = end;
    while (nounEnd < tokens.length && tokens[nounEnd].pos === 'noun' && (nounEnd === t || !tokens[nounEnd].clauseBreakBefore)) nounEnd++;
    if (nounEnd > end) {
      for (let p = t; p < nounEnd; p++) tokens[p].structure.phrase = colour;
      colour = -colour;
      t = nounEnd;
    } else {
      t = Math.max(end, t + 1);
    }
  }
}

/** The embedding's feature names: the grammar features, then the meaning features in order of first use. */
export function featureNames(tokens: readonly TokenFeatures[]): string[] {
  const meaning: string[] = [];
  for (const token of tokens) for (const feature of Object.keys(token.meaning)) if (!meaning.includes(feature)) meaning.push(feature);
  return [...GRAMMAR_FEATURES, ...meaning];
}

/** tokens × features, in the order of `featureNames`. */
export function embeddingsOf(tokens: readonly TokenFeatures[], features: readonly string[]): number[][] {
  return tokens.map((token) =>
    features.map((feature) => {
      if ((POS_FEATURES as readonly string[]).includes(feature)) return token.pos === feature ? 1 : 0;
      if ((STRUCTURE_FEATURES as readonly string[]).includes(feature)) return token.structure[feature as StructureFeature];
      return token.meaning[feature] ?? 0;
    }),
  );
}
