/** Cards are never typed in: each is a token's embedding projected by its head's W_Q, W_K or W_V. */
import { matMul, type AttentionOptions, type HeadCards } from '../attention/reference';
import type { Lesson, SettingsOverride } from './schema';

/** Every head's Q, K and V cards, one row per token. */
export function computeCards(lesson: Pick<Lesson, 'embeddings' | 'heads'>): HeadCards[] {
  return lesson.heads.map((head) => ({
    name: head.name,
    q: matMul(lesson.embeddings, head.wQ),
    k: matMul(lesson.embeddings, head.wK),
    v: matMul(lesson.embeddings, head.wV),
  }));
}

/** The attention options a round uses: the lesson's flags, changed by the override where it says so. */
export function attentionOptionsFor(lesson: Pick<Lesson, 'flags'>, override: SettingsOverride = {}): AttentionOptions {
  return {
    scale: override.scale ?? lesson.flags.scale,
    temperature: override.temperature ?? lesson.flags.temperature,
    causal: override.causal ?? lesson.flags.causal,
  };
}
