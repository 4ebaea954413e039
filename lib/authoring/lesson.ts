/**
 * A teacher's draft → a playable lesson: the sentence's tokens and features, the fixed grammar head, the
 * meaning head fitted to the teacher's arcs, learning goals (suggested from the strongest arcs or written
 * by the teacher) checked by the claims checker, and every problem named. The result is an ordinary
 * `Lesson`, parsed by `parseLesson`, so it plays wherever a curated one does.
 */
import { z } from 'zod';
import type { Matrix } from '../attention/reference';
import { computeCards } from '../lessons/cards';
import { checkLessonGoals, type AttendFunction } from '../lessons/claims';
import { parseLesson, LessonError } from '../lessons/parse';
import { claimSchema, type Claim, type Lesson, type LessonHead } from '../lessons/schema';
import { embeddingsOf, featureNames, GRAMMAR_FEATURES, MEANING_PALETTE, POS_FEATURES, proposeFeatures, STRUCTURE_FEATURES, type TokenEdit, type TokenFeatures } from './features';
import { fitMeaningHead, type ArcOutcome, type MeaningArc } from './fit';
import { GRAMMAR_HEAD_NAME, grammarHead, KEY_WIDTH, VALUE_WIDTH } from './grammar';
import { tagSentence, type SentenceProblem } from './sentence';
import type { Lexicon } from './wordnet';

export const MEANING_HEAD_NAME = 'meaning';
export const MAX_ARCS = 24;
export const MAX_GOALS = 8;

const tokenEditSchema = z
  .object({
    /** The word this edit was made for: an edit whose word has moved is reported, not applied elsewhere. */
    word: z.string().min(1).max(60),
    pos: z.enum(POS_FEATURES).optional(),
    meaning: z.record(z.string().min(1).max(40), z.union([z.literal(0), z.literal(1), z.literal(2)])).optional(),
  })
  .strict();

const goalSchema = z.object({ text: z.string().trim().min(1).max(300), claim: claimSchema }).strict();

/** What the editor sends: everything a teacher decides. */
export const authoredDraftSchema = z
  .object({
    sentence: z.string().max(1000),
    title: z.string().trim().max(80).optional(),
    /** By token index. */
    edits: z.record(z.string().regex(/^\d{1,2}$/), tokenEditSchema).default({}),
    arcs: z.array(z.object({ query: z.number().int().min(0).max(15), key: z.number().int().min(0).max(15) }).strict()).max(MAX_ARCS).default([]),
    /** The two meaning features the meaning head's values pass on; chosen from the arcs' keys when absent. */
    valueFeatures: z.array(z.string().min(1).max(40)).max(VALUE_WIDTH).optional(),
    /** The teacher's goals; the suggestions are used when absent. */
    goals: z.array(goalSchema).max(MAX_GOALS).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .strict();
export type AuthoredDraft = z.infer<typeof authoredDraftSchema>;
export type AuthoredDraftInput = z.input<typeof authoredDraftSchema>;

/** Something the teacher should know, naming the token (or arc, or goal) it is about. */
export interface AuthoringFlag {
  code: 'word/unknown' | 'edit/moved' | 'edit/unknown-feature' | 'arc/out-of-range' | 'arc/unreached' | 'goal/unsatisfied' | 'goal/invalid' | 'goal/none';
  message: string;
  token?: number;
  arc?: MeaningArc;
  goal?: number;
}

export interface GoalVerdict {
  text: string;
  claim: Claim;
  holds: boolean;
  evidence: string;
}

export type AuthoringResult =
  | { ok: false; problems: SentenceProblem[] }
  | {
      ok: true;
      tokens: TokenFeatures[];
      features: string[];
      embeddings: Matrix;
      /** How the meaning head's fit went, arc by arc. */
      fit: { arcs: ArcOutcome[]; millis: number; steps: number; backend: string; seed: number };
      lesson: Lesson;
      suggestedGoals: { text: string; claim: Claim }[];
      /** The tokens the goals are about (the solo path's star rows). */
      starTokens: number[];
      verdicts: GoalVerdict[];
      flags: AuthoringFlag[];
      /** Every goal holds: the lesson may be saved. */
      playable: boolean;
    };

export interface AuthoringDeps {
  lexicon: Lexicon;
  /** The layer the goals are checked against (the engine, or the float64 reference). */
  attend: AttendFunction;
  now?: () => number;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

function lessonTitle(sentence: string): string {
  return sentence.length <= 72 ? `“${sentence}”` : `“${sentence.slice(0, 69)}…”`;
}

/** The meaning head's value features: the draft's choice, or the meaning features of the arcs' keys, padded. */
function chooseValueFeatures(draft: AuthoredDraft, tokens: readonly TokenFeatures[], features: readonly string[], arcs: readonly MeaningArc[]): string[] {
  const meaningFeatures = features.filter((f) => !GRAMMAR_FEATURES.includes(f));
  const chosen = (draft.valueFeatures ?? []).filter((f) => features.includes(f));
  for (const { key } of arcs) for (const f of Object.keys(tokens[key].meaning)) if (chosen.length < VALUE_WIDTH && !chosen.includes(f)) chosen.push(f);
  for (const f of [...meaningFeatures, 'noun', 'verb']) if (chosen.length < VALUE_WIDTH && !chosen.includes(f)) chosen.push(f);
  return chosen;
}

function meaningHead(features: readonly string[], wQ: Matrix, wK: Matrix, valueFeatures: readonly string[], arcs: readonly ArcOutcome[], tokens: readonly TokenFeatures[]): LessonHead {
  const drawn = arcs.filter((a) => a.reached).map((a) => `${tokens[a.query].text} → ${tokens[a.key].text}`);
  return {
    name: MEANING_HEAD_NAME,
    looksFor: drawn.length > 0 ? `Built for this sentence from the teacher's arcs (${drawn.join(', ')}): each word looks for the meaning it needs.` : 'Built for this sentence: no arc drawn yet, so it looks nowhere in particular.',
    wQ,
    wK,
    wV: features.map((f) => valueFeatures.map((v) => (v === f ? 1 : 0))),
    keyFeatures: Array.from({ length: KEY_WIDTH }, (_, d) => `meaning ${d + 1}`),
    valueFeatures: [...valueFeatures],
  };
}

function argmax(row: readonly number[], except: number): number {
  let best = -1;
  row.forEach((w, t) => {
    if (t !== except && (best < 0 || w > row[best])) best = t;
  });
  return best;
}

/** Goals from the strongest arcs: each reached meaning arc, and the grammar head's surest subject or noun. */
function suggestGoals(tokens: readonly TokenFeatures[], arcs: readonly ArcOutcome[], grammarWeights: Matrix): { text: string; claim: Claim }[] {
  const goals: { text: string; claim: Claim }[] = [];
  const single = arcs.filter((a) => a.reached && arcs.filter((b) => b.query === a.query).length === 1).sort((a, b) => b.weight - a.weight);
  for (const arc of single.slice(0, 2)) {
    const [q, k] = [tokens[arc.query].text, tokens[arc.key].text];
    goals.push({ text: `In the meaning head, ${q} gives its largest weight to ${k}.`, claim: { kind: 'largest-weight', head: MEANING_HEAD_NAME, query: arc.query, key: arc.key } });
    const floor = Math.floor(arc.weight * 10) / 10;
    if (floor >= 0.3) goals.push({ text: `${q} is sure about ${k}: at least ${pct(floor)} of its attention.`, claim: { kind: 'weight-at-least', head: MEANING_HEAD_NAME, query: arc.query, key: arc.key, value: floor } });
  }
  // The grammar head's clearest verb → subject (or pronoun/determiner → noun) row.
  let bestRow = -1;
  let bestPeak = 0;
  tokens.forEach((token, t) => {
    if (!['verb', 'pronoun', 'determiner', 'adjective'].includes(token.pos)) return;
    const row = grammarWeights[t];
    const top = argmax(row, -1);
    if (top === t || top < 0 || row.filter((w) => w === row[top]).length > 1) return;
    const bonus = token.pos === 'verb' ? 0.05 : 0;
    if (row[top] + bonus > bestPeak) {
      bestPeak = row[top] + bonus;
      bestRow = t;
    }
  });
  if (bestRow >= 0) {
    const top = argmax(grammarWeights[bestRow], -1);
    const how = tokens[bestRow].pos === 'verb' ? 'its subject' : tokens[bestRow].pos === 'pronoun' ? 'the noun it stands for' : 'the noun of its phrase';
    goals.push({ text: `In the grammar head, ${tokens[bestRow].text} finds ${how}: its largest weight goes to ${tokens[top].text}.`, claim: { kind: 'largest-weight', head: GRAMMAR_HEAD_NAME, query: bestRow, key: top } });
  }
  return goals.slice(0, 4);
}

/** Builds a draft into a lesson and reports everything the editor shows. Never throws on bad input. */
export async function buildAuthoredLesson(draft: AuthoredDraft, id: string, deps: AuthoringDeps): Promise<AuthoringResult> {
  const tagged = tagSentence(draft.sentence);
  if ('problems' in tagged) return { ok: false, problems: tagged.problems };
  const flags: AuthoringFlag[] = [];
  const count = tagged.tokens.length;

  const edits: Record<number, TokenEdit> = {};
  for (const [index, edit] of Object.entries(draft.edits)) {
    const t = Number(index);
    if (t >= count || tagged.tokens[t].text !== edit.word) {
      flags.push({ code: 'edit/moved', message: `Your change to "${edit.word}" no longer matches word ${t + 1} of the sentence, so it was left out.` });
      continue;
    }
    const meaning: Record<string, 0 | 1 | 2> = {};
    for (const [feature, weight] of Object.entries(edit.meaning ?? {})) {
      if (weight !== 0 && !MEANING_PALETTE.includes(feature)) {
        flags.push({ code: 'edit/unknown-feature', token: t, message: `"${feature}" (on "${edit.word}") is not in the palette of meaning features.` });
        continue;
      }
      meaning[feature] = weight;
    }
    edits[t] = { pos: edit.pos, meaning };
  }
  const tokens = proposeFeatures(tagged.tokens, deps.lexicon, edits);
  tokens.forEach((token, t) => {
    if (!token.known && Object.keys(token.meaning).length === 0) {
      flags.push({ code: 'word/unknown', token: t, message: `Neither the tagger's dictionary nor WordNet knows "${token.text}", so it has no meaning features: add one from the palette (for a name, try "person").` });
    }
  });

  const arcs: MeaningArc[] = [];
  for (const arc of draft.arcs) {
    if (arc.query >= count || arc.key >= count) {
      flags.push({ code: 'arc/out-of-range', arc, message: `The arc from word ${arc.query + 1} to word ${arc.key + 1} points past the end of the sentence (${count} words).` });
    } else if (!arcs.some((a) => a.query === arc.query && a.key === arc.key)) {
      arcs.push(arc);
    }
  }

  const features = featureNames(tokens);
  const embeddings = embeddingsOf(tokens, features);
  const usable = features.map((f) => !(STRUCTURE_FEATURES as readonly string[]).includes(f));
  const fit = await fitMeaningHead(embeddings, arcs, { seed: draft.seed, tokens: tokens.map((t) => t.text), usable, now: deps.now });
  for (const arc of fit.arcs) {
    if (!arc.reached) flags.push({ code: 'arc/unreached', arc: { query: arc.query, key: arc.key }, message: `${tokens[arc.query].text} → ${tokens[arc.key].text}: ${arc.reason ?? 'not reached.'}` });
  }

  const valueFeatures = chooseValueFeatures(draft, tokens, features, arcs);
  const heads = [grammarHead(features), meaningHead(features, fit.wQ, fit.wK, valueFeatures, fit.arcs, tokens)];
  const sentence = tokens.map((t) => t.text).join(' ');
  const base = {
    id,
    title: draft.title || lessonTitle(draft.sentence.trim()),
    order: 1000,
    summary: `A teacher's own sentence, with one grammar head shared by every sentence and a meaning head built for this one.`,
    sentence: draft.sentence.replace(/\s+/g, ' ').trim() || sentence,
    tokens: tokens.map((t) => t.text),
    features,
    embeddings,
    heads,
    wO: null,
    outputFeatures: null,
    flags: { causal: false, causalAdjustable: true, scale: true, scaleAdjustable: true, temperature: 1, temperatureAdjustable: true },
    steps: {
      intro: 'Every word of this sentence is a player, and there are two heads: grammar (the same weights for every sentence) and meaning (built for this one).',
      cards: 'Look at your cards. Your query is a question; the other words\' keys are possible answers. Multiply number by number and add: a large sum is a good match.',
      negotiate: 'Ask the other words for their keys, compare each with your query, and split 100 % of your attention: most to the keys that answer you best.',
      lock: 'Locked. The model now does what you did: dot products, divided by the square root of the key length (2), then softmax.',
      reveal: 'Here is where the layer put its attention. Compare the grammar head with the meaning head: the same word can ask two different questions.',
      wrapUp: 'One set of grammar weights works on any sentence; the meaning head was fitted to the arcs your teacher drew, with numbers you can check by hand.',
    },
  };

  // The grammar weights, to suggest goals from (the reference: suggestions are checked below anyway).
  const previewLesson = parseLesson({ ...base, goals: [{ text: 'preview', claim: { kind: 'row-peak-at-least', head: GRAMMAR_HEAD_NAME, query: 0, value: 0 } }] }, id);
  const layer = await deps.attend(computeCards(previewLesson), null, { scale: true, temperature: 1, causal: false });
  const suggestedGoals = suggestGoals(tokens, fit.arcs, layer.heads[0].weights);

  let goals = draft.goals ?? suggestedGoals;
  const validGoals: { text: string; claim: Claim }[] = [];
  goals.forEach((goal, g) => {
    try {
      parseLesson({ ...base, goals: [goal] }, id);
      validGoals.push(goal);
    } catch (error) {
      if (!(error instanceof LessonError)) throw error;
      flags.push({ code: 'goal/invalid', goal: g, message: `Goal ${g + 1} ("${goal.text}") cannot be checked: ${error.problem}.` });
    }
  });
  goals = validGoals;
  if (goals.length === 0) {
    flags.push({ code: 'goal/none', message: 'A lesson needs at least one learning goal the layer satisfies: draw an arc, or write a goal.' });
    goals = [{ text: '(No learning goal yet: this lesson cannot be saved.)', claim: { kind: 'row-peak-at-least', head: GRAMMAR_HEAD_NAME, query: 0, value: 0 } }];
  }
  const lesson = parseLesson({ ...base, goals }, id);
  const verdicts = (await checkLessonGoals(lesson, deps.attend)).map((v, g) => ({ text: v.text, claim: goals[g].claim, holds: v.verdict.holds, evidence: v.verdict.evidence }));
  verdicts.forEach((v, g) => {
    if (!v.holds) flags.push({ code: 'goal/unsatisfied', goal: g, message: `Goal ${g + 1} does not hold: ${v.evidence}.` });
  });
  const starTokens = [...new Set(goals.flatMap((goal) => ('query' in goal.claim ? [goal.claim.query] : [])))];
  const playable = !flags.some((f) => f.code === 'goal/unsatisfied' || f.code === 'goal/none' || f.code === 'goal/invalid');
  return {
    ok: true,
    tokens,
    features,
    embeddings,
    fit: { arcs: fit.arcs, millis: fit.millis, steps: fit.steps, backend: fit.backend, seed: draft.seed },
    lesson,
    suggestedGoals,
    starTokens,
    verdicts,
    flags,
    playable,
  };
}
