/**
 * The lesson format. A lesson is a real, tiny transformer layer plus the words a class needs to play it.
 * Every lesson is parsed with `parseLesson` when it loads; a malformed one is refused with a message
 * naming the lesson and the field.
 */
import { z } from 'zod';

/** Integers or halves between −3 and 3: small enough to multiply in your head. */
export const handNumber = z
  .number()
  .min(-3, 'must be at least −3')
  .max(3, 'must be at most 3')
  .refine((x) => Number.isInteger(x * 2), 'must be an integer or a half (…, −0.5, 0, 0.5, 1, …)');

const matrix = z.array(z.array(handNumber).min(1)).min(1);

const settingsOverride = z
  .object({
    scale: z.boolean().optional(),
    temperature: z.number().positive().optional(),
    causal: z.boolean().optional(),
  })
  .strict();
export type SettingsOverride = z.infer<typeof settingsOverride>;

const base = {
  /** The round's flags are the lesson's, changed by these for this claim only. */
  settings: settingsOverride.optional(),
};

/**
 * A learning goal's checkable claim. Token and head names refer to the lesson's own `tokens` (by index,
 * since a word can repeat) and `heads[].name`.
 */
export const claimSchema = z.discriminatedUnion('kind', [
  /** In the query's row, this key has the largest weight. */
  z.object({ kind: z.literal('largest-weight'), head: z.string(), query: z.number().int(), key: z.number().int(), ...base }).strict(),
  /** In the query's row, this key's weight is at least `value`. */
  z.object({ kind: z.literal('weight-at-least'), head: z.string(), query: z.number().int(), key: z.number().int(), value: z.number(), ...base }).strict(),
  /** In the query's row, this key's weight is at most `value`. */
  z.object({ kind: z.literal('weight-at-most'), head: z.string(), query: z.number().int(), key: z.number().int(), value: z.number(), ...base }).strict(),
  /** The largest weight in the query's row is at least `value` (softmax has saturated)… */
  z.object({ kind: z.literal('row-peak-at-least'), head: z.string(), query: z.number().int(), value: z.number(), ...base }).strict(),
  /** …or at most `value` (the row is spread out). */
  z.object({ kind: z.literal('row-peak-at-most'), head: z.string(), query: z.number().int(), value: z.number(), ...base }).strict(),
  /** With the causal mask, no token gives any weight to a later token. */
  z.object({ kind: z.literal('only-looks-back'), head: z.string(), ...base }).strict(),
  /**
   * The query's output leans further toward value feature `toward` (and away from `awayFrom`) than the
   * token's own value card does: attention moved its meaning.
   */
  z.object({ kind: z.literal('output-shifts'), head: z.string(), query: z.number().int(), toward: z.string(), awayFrom: z.string(), ...base }).strict(),
  /**
   * The query's output is closer (cosine) to the `key` token's value than a plain average of all values
   * is: equal attention would have diluted the one token that matters.
   */
  z.object({ kind: z.literal('attention-beats-average'), head: z.string(), query: z.number().int(), key: z.number().int(), ...base }).strict(),
  /**
   * A single carried context vector keeps at most `carriedAtMost` of the `fact` token by the time it
   * reaches `query`, while attention gives the fact at least `attentionAtLeast`.
   */
  z.object({ kind: z.literal('recurrent-forgets'), head: z.string(), query: z.number().int(), fact: z.number().int(), carriedAtMost: z.number(), attentionAtLeast: z.number(), ...base }).strict(),
  /**
   * The key with the largest weight in the query's row is not the key whose removal changes the query's
   * output the most: high attention is not the same as importance.
   */
  z.object({ kind: z.literal('weight-is-not-importance'), head: z.string(), query: z.number().int(), ...base }).strict(),
]);
export type Claim = z.infer<typeof claimSchema>;
export type ClaimKind = Claim['kind'];

const headSchema = z
  .object({
    name: z.string().min(1).max(40),
    /** In plain words, what this head's queries are looking for. */
    looksFor: z.string().min(1),
    /** d_model × d_k */
    wQ: matrix,
    /** d_model × d_k */
    wK: matrix,
    /** d_model × d_v */
    wV: matrix,
    /** Names of the d_k query/key dimensions, so a card can label its numbers. */
    keyFeatures: z.array(z.string().min(1)).min(1),
    /** Names of the d_v value dimensions. */
    valueFeatures: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type LessonHead = z.infer<typeof headSchema>;

const flagsSchema = z
  .object({
    causal: z.boolean(),
    /** The teacher may switch the causal mask on and off for this lesson. */
    causalAdjustable: z.boolean(),
    scale: z.boolean(),
    scaleAdjustable: z.boolean(),
    temperature: z.number().positive().max(10),
    temperatureAdjustable: z.boolean(),
  })
  .strict();
export type LessonFlags = z.infer<typeof flagsSchema>;

/** What the class is told at each step of a round, in our own words. */
const stepsSchema = z
  .object({
    intro: z.string().min(1),
    cards: z.string().min(1),
    negotiate: z.string().min(1),
    lock: z.string().min(1),
    reveal: z.string().min(1),
    wrapUp: z.string().min(1),
  })
  .strict();
export type LessonSteps = z.infer<typeof stepsSchema>;

export const lessonSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens'),
    title: z.string().min(1).max(80),
    /** Position on the solo path (1 comes first). */
    order: z.number().int().min(1),
    summary: z.string().min(1).max(280),
    sentence: z.string().min(1),
    tokens: z.array(z.string().min(1)).min(2).max(16),
    /** Names of the embedding dimensions (d_model). */
    features: z.array(z.string().min(1)).min(1),
    /** tokens × features */
    embeddings: matrix,
    heads: z.array(headSchema).min(1).max(4),
    /** (heads·d_v) × d_out, or null to keep the concatenated head outputs as they are. */
    wO: matrix.nullable(),
    /** Names of the output dimensions when W_O is given. */
    outputFeatures: z.array(z.string().min(1)).nullable(),
    flags: flagsSchema,
    /** For the recurrent-bottleneck round: how much of the carried context survives each step. */
    recurrentCarry: z.number().gt(0).max(1).optional(),
    goals: z
      .array(z.object({ text: z.string().min(1), claim: claimSchema }).strict())
      .min(1),
    steps: stepsSchema,
  })
  .strict();

export type Lesson = z.infer<typeof lessonSchema>;
