/**
 * Explanations built from the learner's own numbers: the dot products of their query with each key,
 * the softmax that turns those scores into weights, the blend of values their weights make, and after
 * the reveal, sentences about their row. Every number is computed the way `lib/attention/reference`
 * computes it, so what the learner reads is exactly what the model did.
 */
import { runRecurrent } from '../attention/recurrent';
import { dot, scoreDivisor, type AttentionOptions } from '../attention/reference';
import { scoreBreakdown } from '../game/scoring';
import type { Lesson } from '../lessons/schema';

/** One term of a dot product: the query's and the key's number for one feature, multiplied. */
export interface DotTerm {
  feature: string;
  query: number;
  key: number;
  product: number;
}

/** q · k for one key, term by term. */
export interface DotProductExplanation {
  token: number;
  terms: DotTerm[];
  total: number;
}

/** The learner's query against one key, term by term. */
export function explainDotProduct(query: readonly number[], key: readonly number[], features: readonly string[], token: number): DotProductExplanation {
  const terms = query.map((q, d) => ({ feature: features[d] ?? `feature ${d + 1}`, query: q, key: key[d], product: q * key[d] }));
  return { token, terms, total: dot(query, key) };
}

/** One key's way through softmax. */
export interface SoftmaxRow {
  token: number;
  /** q · k */
  score: number;
  /** score ÷ divisor */
  scaled: number;
  /** scaled − the largest scaled score (so every exponent is ≤ 0; the shares do not change) */
  shifted: number;
  /** e^shifted */
  exp: number;
  /** exp ÷ the sum of all exps: the weight */
  weight: number;
}

/** Softmax of one row, with every intermediate number. */
export interface SoftmaxExplanation {
  keyWidth: number;
  scale: boolean;
  temperature: number;
  /** √d_k (when scaling) × temperature: what every score is divided by. */
  divisor: number;
  rows: SoftmaxRow[];
  /** Keys the causal mask hides: weight 0, left out of the sum. */
  masked: number[];
  largestScaled: number;
  expTotal: number;
}

/**
 * The model's weights for the learner's row, worked out in the open: every allowed key's dot product,
 * divided by √d_k and by the temperature, then softmax (e^x over the sum of e^x). `allowed` is the keys
 * the row may look at; the rest are masked.
 */
export function explainSoftmax(query: readonly number[], keys: readonly (readonly number[])[], options: AttentionOptions, allowed: readonly number[]): SoftmaxExplanation {
  const keyWidth = query.length;
  const divisor = scoreDivisor(keyWidth, options);
  const open = keys.map((_, j) => j).filter((j) => allowed.includes(j));
  const scores = open.map((j) => dot(query, keys[j]));
  const scaled = scores.map((s) => s / divisor);
  const largestScaled = Math.max(...scaled);
  const exps = scaled.map((x) => Math.exp(x - largestScaled));
  const expTotal = exps.reduce((a, b) => a + b, 0);
  return {
    keyWidth,
    scale: options.scale,
    temperature: options.temperature,
    divisor,
    rows: open.map((token, i) => ({
      token,
      score: scores[i],
      scaled: scaled[i],
      shifted: scaled[i] - largestScaled,
      exp: exps[i],
      weight: exps[i] / expTotal,
    })),
    masked: keys.map((_, j) => j).filter((j) => !allowed.includes(j)),
    largestScaled,
    expTotal,
  };
}

/** One token's share of a blend: its weight times its value card. */
export interface BlendTerm {
  token: number;
  weight: number;
  value: number[];
  contribution: number[];
}

/** Σ weight × value: what a row passes on. */
export interface BlendExplanation {
  terms: BlendTerm[];
  output: number[];
}

/** The weighted sum of values, term by term (tokens with no weight left out of the terms). */
export function explainBlend(weights: readonly number[], values: readonly (readonly number[])[]): BlendExplanation {
  const width = values[0]?.length ?? 0;
  const output = new Array<number>(width).fill(0);
  const terms: BlendTerm[] = [];
  weights.forEach((w, j) => {
    const contribution = values[j].map((x) => w * x);
    contribution.forEach((x, d) => (output[d] += x));
    if (w > 0) terms.push({ token: j, weight: w, value: [...values[j]], contribution });
  });
  return { terms, output };
}

// ——— after the reveal ———

/** A weight as a whole percentage. */
export function percent(weight: number): string {
  const p = Math.round(weight * 100);
  if (p === 0 && weight > 0) return 'under 1%';
  return `${p}%`;
}

/** A difference of weights in percentage points, in words. */
function points(by: number): string {
  const n = Math.max(1, Math.round(by * 100));
  return `${n} percentage point${n === 1 ? '' : 's'}`;
}

/** A number with up to two decimals and a true minus sign. */
export function formatNumber(x: number): string {
  const rounded = Math.round(x * 100) / 100;
  const text = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(2).replace(/0$/, '');
  return rounded < 0 ? `−${text}` : text;
}

/** A vector as (a, b, c). */
export function formatVector(v: readonly number[]): string {
  return `(${v.map(formatNumber).join(', ')})`;
}

/** What the sentences about a revealed row are made from. */
export interface RowStory {
  tokens: readonly string[];
  token: number;
  /** The learner's query card and every key card of the head. */
  query: readonly number[];
  keys: readonly (readonly number[])[];
  allowed: readonly number[];
  options: AttentionOptions;
  allocation: readonly number[];
  trueRow: readonly number[];
  score: number;
  helpSpent: number;
  output: readonly number[];
  trueOutput: readonly number[];
  cosine: number;
  valueFeatures: readonly string[];
}

/** How alike two outputs are, in words, from their cosine. */
export function cosineInWords(cosine: number): string {
  if (cosine >= 0.99) return 'they point the same way';
  if (cosine >= 0.9) return 'they point nearly the same way';
  if (cosine >= 0.7) return 'they point roughly the same way';
  return 'they point different ways: your blend passes on a different meaning';
}

/** The share of the learner's attention that sits where the model's does: Σ min(p, q) = 1 − ½ Σ |p − q|. */
export function overlap(allocation: readonly number[], trueRow: readonly number[]): number {
  return trueRow.reduce((sum, q, j) => sum + Math.min(allocation[j] ?? 0, q), 0);
}

/**
 * Plain sentences about the learner's revealed row: where the model looked and why (the largest dot
 * product), where the learner differed most, how the score follows (the top key, then the overlap), and how their
 * output compares with the model's.
 */
export function rowSentences(story: RowStory): string[] {
  const { tokens, token, allocation, trueRow, allowed } = story;
  const name = (j: number) => `“${tokens[j] ?? `token ${j}`}”`;
  const me = name(token);
  const sentences: string[] = [];

  const open = allowed.length > 0 ? allowed : trueRow.map((_, j) => j);
  const top = open.reduce((best, j) => (trueRow[j] > trueRow[best] ? j : best), open[0]);
  const low = Math.min(...open.map((j) => trueRow[j]));
  if (trueRow[top] - low < 0.05) {
    sentences.push(
      `The model spread the attention of ${me} almost evenly (about ${percent(1 / open.length)} each): its query matches no key much better than another.`,
    );
  } else {
    const scores = open.map((j) => ({ j, s: dot(story.query, story.keys[j]) })).filter((x) => x.j !== top);
    const runnerUp = scores.length > 0 ? Math.max(...scores.map((x) => x.s)) : null;
    const tied = scores.filter((x) => x.s === runnerUp);
    sentences.push(
      `The model gave ${percent(trueRow[top])} of the attention of ${me} to ${name(top)}, more than to any other word; you gave it ${percent(allocation[top] ?? 0)}.`,
    );
    const why = `Why: the query of ${me} ${formatVector(story.query)} and the key of ${name(top)} ${formatVector(story.keys[top])} have the largest dot product in the row, ${formatNumber(dot(story.query, story.keys[top]))}`;
    const next =
      runnerUp === null ? '' : tied.length === 1 ? `; the next best is ${name(tied[0].j)} with ${formatNumber(runnerUp)}` : `; no other word scores more than ${formatNumber(runnerUp)}`;
    sentences.push(`${why}${next}.`);
    const divisor = scoreDivisor(story.query.length, story.options);
    if (divisor !== 1) {
      sentences.push(
        `Before softmax every score was divided by ${formatNumber(divisor)}${story.options.scale ? ` (√${story.query.length}${story.options.temperature !== 1 ? ` × temperature ${formatNumber(story.options.temperature)}` : ''})` : ` (the temperature)`}, which keeps the percentages from all piling onto one word.`,
      );
    }
  }

  let o: { j: number; by: number } | null = null;
  let u: { j: number; by: number } | null = null;
  for (let j = 0; j < trueRow.length; j++) {
    const by = (allocation[j] ?? 0) - trueRow[j];
    if (by > 0.005 && (!o || by > o.by)) o = { j, by };
    if (-by > 0.005 && (!u || -by > u.by)) u = { j, by: -by };
  }
  if (o && u) {
    sentences.push(
      `Your biggest difference: you gave ${name(o.j)} ${points(o.by)} more than the model did, and ${name(u.j)} ${points(u.by)} fewer.`,
    );
  }
  const myTop = open.reduce((best, j) => ((allocation[j] ?? 0) > (allocation[best] ?? 0) ? j : best), open[0]);
  if ((allocation[myTop] ?? 0) - trueRow[myTop] > 0.25) {
    sentences.push(
      'Softmax never gives a word nothing: words whose keys barely match still keep a little each, and together that adds up. Going all-in on one word costs spread points.',
    );
  } else if (trueRow[top] - (allocation[top] ?? 0) > 0.25) {
    sentences.push(`The model was surer than you: one large dot product is enough for softmax to hand most of the attention to ${name(top)}.`);
  }
  const shared = overlap(allocation, trueRow);
  const b = scoreBreakdown(allocation, trueRow);
  const where = shared >= 0.995 ? 'All of your attention sits where the model put it' : `${percent(shared)} of your attention sits where the model put it`;
  const topKeyPart = b.evenRow
    ? 'No key stood out, so there was no top key to find'
    : b.foundTopKey
      ? `Your largest share went to the model’s top key: ${b.topKeyPoints} points`
      : 'Your largest share did not go to the model’s top key alone: no top-key points';
  sentences.push(`${topKeyPart}. ${where}: ${b.spreadPoints} of 500 for the spread. Your score is ${story.score} of 1000.`);
  if (story.helpSpent > 0) {
    sentences.push(`Help cost ${story.helpSpent} points, so this row earns ${Math.max(0, story.score - story.helpSpent)}.`);
  }
  const features = story.valueFeatures.join(', ');
  const mine = Math.hypot(...story.output);
  const theirs = Math.hypot(...story.trueOutput);
  // Cosine compares direction only: say so when the lengths differ, or "the same way" reads as "the same".
  const length = mine > theirs * 1.2 ? ', though yours is longer' : theirs > mine * 1.2 ? ', though yours is shorter' : '';
  sentences.push(
    `Your blend of values is ${formatVector(story.output)} and the model’s is ${formatVector(story.trueOutput)} (${features}). Their cosine is ${story.cosine.toFixed(2)}: ${cosineInWords(story.cosine)}${length}.`,
  );
  return sentences;
}

// ——— the recurrent note ———

/** How much of each word is left on a single carried note when it reaches the end of the sentence. */
export interface NoteStory {
  /** How much of the note survives each step. */
  carry: number;
  /** Each token's share of the final note (they add up to 1). */
  shares: number[];
  /** The words the lesson says the note forgets, with the words that need them. */
  facts: { fact: number; query: number }[];
}

/** For a lesson with a carried-note round (`recurrentCarry`): what is left of each word at the end. */
export function noteStory(lesson: Pick<Lesson, 'embeddings' | 'recurrentCarry' | 'goals'>): NoteStory | null {
  if (lesson.recurrentCarry === undefined) return null;
  const trace = runRecurrent(lesson.embeddings, lesson.recurrentCarry);
  const facts = lesson.goals.flatMap((g) => (g.claim.kind === 'recurrent-forgets' ? [{ fact: g.claim.fact, query: g.claim.query }] : []));
  return { carry: lesson.recurrentCarry, shares: trace.shares, facts };
}
