/**
 * Semantic categories from WordNet. Every WordNet sense is filed by its lexicographers under one of 45
 * "lexicographer files" (noun.animal, noun.artifact, verb.motion…): coarse, readable categories a teacher
 * can check at a glance. `index.sense` lists every sense key with its file number, its sense number
 * (1 is the most frequent) and how often it was tagged in the SemCor corpus.
 *
 * This module only parses text it is given; the server reads the file (see server/http/authoring.ts).
 */

/** The lexicographer files in WordNet's own numbering (lexnames(5WN)). */
export const LEXICOGRAPHER_FILES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute',
  'noun.body', 'noun.cognition', 'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group',
  'noun.location', 'noun.motive', 'noun.object', 'noun.person', 'noun.phenomenon', 'noun.plant', 'noun.possession',
  'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance', 'noun.time',
  'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption',
  'verb.contact', 'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession',
  'verb.social', 'verb.stative', 'verb.weather', 'adj.ppl',
] as const;

/** The part of speech WordNet files a sense under. */
export type WordNetPos = 'noun' | 'verb' | 'adj' | 'adv';

/** One sense of a lemma, as far as the categories need it. */
export interface WordSense {
  pos: WordNetPos;
  /** e.g. "noun.animal" */
  lexicographerFile: string;
  /** 1 is the most frequent sense of this lemma and part of speech. */
  senseNumber: number;
  /** How often the sense was tagged in SemCor. */
  tagCount: number;
}

/** Looks a lemma up; an empty list means WordNet does not know the word. */
export interface Lexicon {
  senses(lemma: string): readonly WordSense[];
}

const POS_OF_SS_TYPE: Record<string, WordNetPos> = { '1': 'noun', '2': 'verb', '3': 'adj', '4': 'adv', '5': 'adj' };

/**
 * Parses WordNet's `index.sense` (lines such as `bank%1:17:01:: 09236472 1 25`) into a lexicon.
 * Multi-word lemmas (`ice_cream`) are kept with their underscores.
 */
export function parseSenseIndex(text: string): Lexicon {
  const byLemma = new Map<string, WordSense[]>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const percent = line.indexOf('%');
    if (percent <= 0) continue;
    const [key, , senseNumber, tagCount] = line.split(' ');
    const [ssType, lexFile] = key.slice(percent + 1).split(':');
    const pos = POS_OF_SS_TYPE[ssType];
    const file = LEXICOGRAPHER_FILES[Number(lexFile)];
    if (!pos || !file) continue;
    const lemma = key.slice(0, percent);
    let senses = byLemma.get(lemma);
    if (!senses) byLemma.set(lemma, (senses = []));
    senses.push({ pos, lexicographerFile: file, senseNumber: Number(senseNumber), tagCount: Number(tagCount) || 0 });
  }
  for (const senses of byLemma.values()) senses.sort((a, b) => a.senseNumber - b.senseNumber || b.tagCount - a.tagCount);
  return { senses: (lemma) => byLemma.get(lemma.toLowerCase().replace(/ /g, '_')) ?? [] };
}

/** A lexicon over a fixed list of senses, for tests. */
export function lexiconOf(entries: Record<string, WordSense[]>): Lexicon {
  return { senses: (lemma) => entries[lemma.toLowerCase()] ?? [] };
}

/** The readable category name of a lexicographer file: "noun.animal" → "animal". */
export function categoryName(lexicographerFile: string): string {
  const name = lexicographerFile.slice(lexicographerFile.indexOf('.') + 1);
  return name === 'Tops' ? 'thing' : name;
}

/**
 * The categories a word brings, most likely first: the file of its most frequent sense for the tagger's
 * part of speech, and a second file when another sense of that part of speech was tagged at least half
 * as often (bank: "object" (the river's side) and "group" (the institution)). Adjective and adverb files
 * ("all", "pert", "ppl") say nothing about meaning and are left out.
 */
export function categoriesOf(lexicon: Lexicon, lemmas: readonly string[], pos: WordNetPos): { known: boolean; categories: string[] } {
  for (const lemma of lemmas) {
    const all = lexicon.senses(lemma);
    if (all.length === 0) continue;
    const senses = all.filter((s) => s.pos === pos);
    const pool = senses.length > 0 ? senses : all;
    const first = pool[0];
    const categories: string[] = [];
    const add = (sense: WordSense) => {
      if (sense.pos === 'adj' || sense.pos === 'adv') return;
      const name = categoryName(sense.lexicographerFile);
      if (!categories.includes(name)) categories.push(name);
    };
    add(first);
    const rival = pool
      .filter((s) => categoryName(s.lexicographerFile) !== categoryName(first.lexicographerFile))
      .sort((a, b) => b.tagCount - a.tagCount)[0];
    if (rival && first.tagCount > 0 && rival.tagCount * 2 >= first.tagCount) add(rival);
    return { known: true, categories };
  }
  return { known: false, categories: [] };
}
