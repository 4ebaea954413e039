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

/** One `index.sense` line (`bank%1:17:01:: 09236472 1 25`) as a sense, or null when it is not one. */
function senseOfLine(line: string): WordSense | null {
  const percent = line.indexOf('%');
  if (percent <= 0) return null;
  const [key, , senseNumber, tagCount] = line.split(' ');
  const [ssType, lexFile] = key.slice(percent + 1).split(':');
  const pos = POS_OF_SS_TYPE[ssType];
  const file = LEXICOGRAPHER_FILES[Number(lexFile)];
  if (!pos || !file) return null;
  return { pos, lexicographerFile: file, senseNumber: Number(senseNumber), tagCount: Number(tagCount) || 0 };
}

/**
 * A lexicon over WordNet's `index.sense`, which is sorted by sense key (`lemma%…`): it keeps the text
 * and where each line starts, and finds a lemma's lines by binary search. (A map of every lemma's senses
 * cost about 58 MB of heap; this keeps about 8.) Multi-word lemmas are written with underscores.
 */
export function parseSenseIndex(text: string): Lexicon {
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    starts.push(at);
    const end = text.indexOf('\n', at);
    at = end < 0 ? text.length : end + 1;
  }
  const lineStarts = Int32Array.from(starts);
  const lineAt = (i: number) => {
    const end = text.indexOf('\n', lineStarts[i]);
    return text.slice(lineStarts[i], end < 0 ? text.length : end);
  };
  return {
    senses(lemma) {
      // '%' sorts before every character a lemma may hold, so "bank%" precedes "bank_account%" and "banker%".
      const prefix = `${lemma.toLowerCase().replace(/ /g, '_')}%`;
      let low = 0;
      let high = lineStarts.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (text.slice(lineStarts[mid], lineStarts[mid] + prefix.length) < prefix) low = mid + 1;
        else high = mid;
      }
      const senses: WordSense[] = [];
      for (let i = low; i < lineStarts.length; i++) {
        const line = lineAt(i);
        if (!line.startsWith(prefix)) break;
        const sense = senseOfLine(line);
        if (sense) senses.push(sense);
      }
      return senses.sort((a, b) => a.senseNumber - b.senseNumber || b.tagCount - a.tagCount);
    },
  };
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
