/**
 * Checking a lesson's learning goals. Every goal is a claim about what the model computes; the checker
 * asks an injected `attend` function (the float64 reference or a TensorFlow.js engine) and says whether
 * the claim holds, with the numbers that decided it.
 */
import { cosineSimilarity, type AttentionOptions, type HeadCards, type LayerAttention, type Matrix } from '../attention/reference';
import { runRecurrent } from '../attention/recurrent';
import { attentionOptionsFor, computeCards } from './cards';
import type { Claim, Lesson } from './schema';

/** Computes one layer: the reference, or an engine's `attendLayer`. */
export type AttendFunction = (heads: HeadCards[], wO: Matrix | null, options: AttentionOptions) => LayerAttention | Promise<LayerAttention>;

export interface ClaimVerdict {
  holds: boolean;
  /** The numbers behind the verdict, in words a teacher can read. */
  evidence: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function headIndex(lesson: Lesson, name: string): number {
  const index = lesson.heads.findIndex((h) => h.name === name);
  if (index < 0) throw new Error(`lesson ${lesson.id} has no head "${name}"`);
  return index;
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]) ** 2, 0));
}

/** Checks one claim of a lesson against whatever `attend` computes. */
export async function checkClaim(lesson: Lesson, claim: Claim, attend: AttendFunction): Promise<ClaimVerdict> {
  const options = attentionOptionsFor(lesson, claim.settings);
  const cards = computeCards(lesson);
  const h = headIndex(lesson, claim.head);
  const layer = await attend(cards, lesson.wO, options);
  const head = layer.heads[h];
  const word = (t: number) => `"${lesson.tokens[t]}"`;

  switch (claim.kind) {
    case 'largest-weight': {
      const row = head.weights[claim.query];
      const top = argmax(row);
      return {
        holds: top === claim.key && row.filter((w) => w === row[top]).length === 1,
        evidence: `in ${word(claim.query)}'s row the largest weight is ${pct(row[top])} on ${word(top)}`,
      };
    }
    case 'weight-at-least':
    case 'weight-at-most': {
      const weight = head.weights[claim.query][claim.key];
      const holds = claim.kind === 'weight-at-least' ? weight >= claim.value : weight <= claim.value;
      return { holds, evidence: `${word(claim.query)} gives ${word(claim.key)} ${pct(weight)} (bound ${pct(claim.value)})` };
    }
    case 'row-peak-at-least':
    case 'row-peak-at-most': {
      const peak = Math.max(...head.weights[claim.query]);
      const holds = claim.kind === 'row-peak-at-least' ? peak >= claim.value : peak <= claim.value;
      return { holds, evidence: `the largest weight in ${word(claim.query)}'s row is ${pct(peak)} (bound ${pct(claim.value)})` };
    }
    case 'only-looks-back': {
      let leaked = 0;
      head.weights.forEach((row, i) => row.forEach((w, j) => {
        if (j > i) leaked = Math.max(leaked, w);
      }));
      return { holds: options.causal && leaked === 0, evidence: `the largest weight on a later token is ${leaked}` };
    }
    case 'output-shifts': {
      const features = lesson.heads[h].valueFeatures;
      const toward = features.indexOf(claim.toward);
      const away = features.indexOf(claim.awayFrom);
      const own = head.v[claim.query];
      const out = head.outputs[claim.query];
      const ownLean = own[toward] - own[away];
      const outLean = out[toward] - out[away];
      return {
        holds: outLean > ownLean && out[toward] > out[away],
        evidence: `${word(claim.query)}'s value card leans ${ownLean.toFixed(2)} toward ${claim.toward} over ${claim.awayFrom}; its output leans ${outLean.toFixed(2)}`,
      };
    }
    case 'attention-beats-average': {
      const target = head.v[claim.key];
      const average = head.v[0].map((_, d) => head.v.reduce((sum, v) => sum + v[d], 0) / head.v.length);
      const attended = cosineSimilarity(head.outputs[claim.query], target);
      const diluted = cosineSimilarity(average, target);
      return {
        holds: attended > diluted,
        evidence: `cosine to ${word(claim.key)}'s value: attention output ${attended.toFixed(3)}, equal average ${diluted.toFixed(3)}`,
      };
    }
    case 'recurrent-forgets': {
      const carry = lesson.recurrentCarry;
      if (carry === undefined) throw new Error(`lesson ${lesson.id} has no recurrentCarry`);
      const upToQuery = lesson.embeddings.slice(0, claim.query + 1);
      const carried = runRecurrent(upToQuery, carry).shares[claim.fact];
      const attended = head.weights[claim.query][claim.fact];
      return {
        holds: carried <= claim.carriedAtMost && attended >= claim.attentionAtLeast,
        evidence: `by ${word(claim.query)} the carried context keeps ${pct(carried)} of ${word(claim.fact)}; attention gives it ${pct(attended)}`,
      };
    }
    case 'weight-is-not-importance': {
      const row = head.weights[claim.query];
      const full = head.outputs[claim.query];
      const changes: number[] = [];
      for (let removed = 0; removed < lesson.tokens.length; removed++) {
        const allowed = !options.causal || removed <= claim.query;
        if (removed === claim.query || !allowed) {
          changes.push(-1);
          continue;
        }
        const keep = (_: unknown, t: number) => t !== removed;
        const ablated = cards.map((c) => ({ ...c, q: c.q.filter(keep), k: c.k.filter(keep), v: c.v.filter(keep) }));
        const queryAfter = removed < claim.query ? claim.query - 1 : claim.query;
        const without = await attend(ablated, lesson.wO, options);
        changes.push(distance(full, without.heads[h].outputs[queryAfter]));
      }
      const heaviest = argmax(row.map((w, t) => (t === claim.query ? -1 : w)));
      const mostImportant = argmax(changes);
      return {
        holds: heaviest !== mostImportant,
        evidence: `${word(heaviest)} has the most weight (${pct(row[heaviest])}) but removing ${word(mostImportant)} moves ${word(claim.query)}'s output most (${changes[mostImportant].toFixed(2)} against ${changes[heaviest].toFixed(2)})`,
      };
    }
  }
}

/** Checks every learning goal of a lesson. */
export async function checkLessonGoals(lesson: Lesson, attend: AttendFunction): Promise<{ text: string; verdict: ClaimVerdict }[]> {
  const verdicts = [];
  for (const goal of lesson.goals) verdicts.push({ text: goal.text, verdict: await checkClaim(lesson, goal.claim, attend) });
  return verdicts;
}
