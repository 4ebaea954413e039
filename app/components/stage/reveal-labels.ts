import { REVEAL_STEP_NAMES, type RevealStepName } from '../../../lib/protocol';

/** The reveal, one step at a time: the teacher moves on (Next, →, Space) or skips to every row (S). */
export const REVEAL_STEPS = REVEAL_STEP_NAMES;
export type RevealStep = RevealStepName;

/** Each step's name on the projector's and the dashboard's buttons. */
export const STEP_LABELS: Record<RevealStep, string> = {
  countdown: '3, 2, 1',
  arcs: 'Class → model',
  dot: 'Query · key',
  scale: '÷ √d_k',
  softmax: 'Softmax',
  blend: 'Blend of values',
  rows: 'Every row',
  podium: 'Podium',
};
