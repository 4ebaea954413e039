/**
 * A teacher's sentence, checked and cut into tokens. wink-nlp's English model tags each word with its
 * universal part of speech and a lemma that knows irregular forms (ran → run, mice → mouse); punctuation
 * is not played but is remembered, because a comma ends a clause.
 */
import winkNLP, { type ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** Lessons have 2 to 16 tokens (one student each). */
export const MAX_TOKENS = 16;
export const MAX_SENTENCE_CHARACTERS = 160;

/** One played token, as the tagger saw it. */
export interface TaggedToken {
  text: string;
  /** Universal POS tag (NOUN, VERB, DET, PRON…). */
  tag: string;
  lemma: string;
  /** Punctuation or a conjunction came right before this token. */
  clauseBreakBefore: boolean;
}

export type SentenceProblemCode =
  | 'sentence/empty'
  | 'sentence/too-long'
  | 'sentence/too-short'
  | 'sentence/markup'
  | 'sentence/emoji'
  | 'sentence/other-script'
  | 'sentence/unsupported-character';

/** Why a sentence cannot be played, naming the part that is the problem. */
export interface SentenceProblem {
  code: SentenceProblemCode;
  message: string;
  /** The word or characters at fault, when there is one. */
  token?: string;
}

let nlp: ReturnType<typeof winkNLP> | null = null;
function tagger(): ReturnType<typeof winkNLP> {
  // Loading the model takes ~100 ms; only the first sentence pays.
  nlp ??= winkNLP(model);
  return nlp;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** Problems found before tagging: what the sentence is made of. Empty when it may be tagged. */
function characterProblems(sentence: string): SentenceProblem[] {
  const problems: SentenceProblem[] = [];
  const markup = /<[^>]*>?|&[a-z#0-9]+;/i.exec(sentence);
  if (markup || /[<>]/.test(sentence)) {
    const token = markup?.[0] ?? (sentence.match(/[<>]/)?.[0] ?? '<');
    problems.push({ code: 'sentence/markup', token, message: `"${token}" looks like markup; write the sentence as plain words.` });
  }
  for (const word of words(sentence)) {
    if (/\p{Extended_Pictographic}/u.test(word)) {
      problems.push({ code: 'sentence/emoji', token: word, message: `"${word}" is an emoji or picture; every token must be an English word a student can play.` });
    } else if (/\p{L}/u.test(word) && [...word].some((ch) => /\p{L}/u.test(ch) && !/\p{Script=Latin}/u.test(ch))) {
      problems.push({ code: 'sentence/other-script', token: word, message: `"${word}" is not written in the Latin alphabet; the tagger only knows English.` });
    } else if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(word) || /[^\p{L}\p{N}\p{P}\p{Zs}$%+=^`|~-]/u.test(word)) {
      problems.push({ code: 'sentence/unsupported-character', token: word, message: `"${word}" has a character that is not a letter, digit or punctuation.` });
    }
  }
  return problems;
}

/**
 * Checks and tags a sentence. Returns the played tokens, or every problem that stops it (each naming
 * the token at fault), never both.
 */
export function tagSentence(raw: string): { tokens: TaggedToken[] } | { problems: SentenceProblem[] } {
  const sentence = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (sentence === '') return { problems: [{ code: 'sentence/empty', message: 'Write a sentence first.' }] };
  if (sentence.length > MAX_SENTENCE_CHARACTERS) {
    return { problems: [{ code: 'sentence/too-long', message: `The sentence has ${sentence.length} characters; at most ${MAX_SENTENCE_CHARACTERS} fit on a projector.` }] };
  }
  const problems = characterProblems(sentence);
  if (problems.length > 0) return { problems };

  const doc = tagger().readDoc(sentence);
  const its = tagger().its;
  const texts = doc.tokens().out(its.value);
  const tags = doc.tokens().out(its.pos);
  // wink-nlp's typings give its.lemma the addon signature out() does not accept; at run time out() passes the addons.
  const lemmas = doc.tokens().out(its.lemma as unknown as ItsFunction<string>);
  const types = doc.tokens().out(its.type);
  const tokens: TaggedToken[] = [];
  let breakPending = false;
  texts.forEach((text, i) => {
    const type = types[i];
    if (type === 'punctuation' || type === 'symbol') {
      breakPending = true;
      return;
    }
    // "did" + "n't", "cat" + "'s": a student plays the whole written word.
    const previous = tokens[tokens.length - 1];
    if (previous && (/^'/.test(text) || /^n't$/i.test(text)) && !breakPending) {
      previous.text += text;
      return;
    }
    const tag = tags[i];
    tokens.push({ text, tag, lemma: lemmas[i] ?? text.toLowerCase(), clauseBreakBefore: breakPending || tag === 'SCONJ' || tag === 'CCONJ' });
    breakPending = false;
  });
  if (tokens.length > MAX_TOKENS) {
    return {
      problems: [{
        code: 'sentence/too-long',
        token: tokens[MAX_TOKENS].text,
        message: `The sentence has ${tokens.length} words; a lesson has at most ${MAX_TOKENS} (one student each). It runs over from "${tokens[MAX_TOKENS].text}".`,
      }],
    };
  }
  if (tokens.length < 2) return { problems: [{ code: 'sentence/too-short', message: 'A lesson needs at least two words: one to ask and one to answer.' }] };
  return { tokens };
}
