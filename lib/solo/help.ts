/**
 * Help during a solo round, and what it costs. Every piece is priced before it is taken and paid once
 * per round; a round's points are its score less what its help cost (never below zero).
 *
 * - A dot product (q · k for one key, worked out term by term): 10 points each. The arithmetic is the
 *   lesson's first skill, so it is cheap, and taken one key at a time.
 * - Softmax with the learner's numbers: 150 points, plus every dot product not opened yet (it starts from
 *   all of them). It turns the scores into the model's exact weights: the answer, so it costs the most.
 * - The blend (the weighted sum of values, with the learner's own weights): 20 points. It shows the value
 *   cards of every token, which the round otherwise keeps back; it does not change the score.
 */

export const HELP_COSTS = { dotProduct: 10, softmax: 150, blend: 20 } as const;

export const HELP_KINDS = ['dot-products', 'softmax', 'blend'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

/** What the learner asks for. `dot-products` without a token opens every one not yet open. */
export type HelpRequest = { kind: 'dot-products'; token?: number } | { kind: 'softmax' } | { kind: 'blend' };

/** The help taken in one round. */
export interface HelpTaken {
  /** Key tokens whose dot product with the learner's query is open, in the order they were opened. */
  dotProducts: number[];
  softmax: boolean;
  blend: boolean;
  /** Points spent on help this round. */
  spent: number;
}

export const NO_HELP: HelpTaken = { dotProducts: [], softmax: false, blend: false, spent: 0 };

/** One piece of help on offer, with its price. */
export interface HelpOffer {
  kind: HelpKind;
  /** For a single dot product. */
  token?: number;
  cost: number;
  /** In words, for the button: what the learner gets. */
  label: string;
}

export type HelpRefusal = { code: 'solo/help-taken' | 'solo/help-invalid'; message: string };

/** The dot products a request opens, or why it cannot. `allowed`: the keys the learner's row may look at. */
function dotProductsOpened(request: Extract<HelpRequest, { kind: 'dot-products' }>, taken: HelpTaken, allowed: readonly number[]): number[] | HelpRefusal {
  if (request.token === undefined) {
    const left = allowed.filter((j) => !taken.dotProducts.includes(j));
    if (left.length === 0) return { code: 'solo/help-taken', message: 'Every dot product is already open.' };
    return left;
  }
  if (!allowed.includes(request.token)) {
    return { code: 'solo/help-invalid', message: `Token ${request.token} is not one your row can look at.` };
  }
  if (taken.dotProducts.includes(request.token)) return { code: 'solo/help-taken', message: 'That dot product is already open.' };
  return [request.token];
}

/** What a request would cost now, or why it cannot be taken. */
export function helpCost(request: HelpRequest, taken: HelpTaken, allowed: readonly number[]): number | HelpRefusal {
  switch (request.kind) {
    case 'dot-products': {
      const opened = dotProductsOpened(request, taken, allowed);
      return Array.isArray(opened) ? opened.length * HELP_COSTS.dotProduct : opened;
    }
    case 'softmax': {
      if (taken.softmax) return { code: 'solo/help-taken', message: 'The softmax is already worked out.' };
      const left = allowed.filter((j) => !taken.dotProducts.includes(j)).length;
      return HELP_COSTS.softmax + left * HELP_COSTS.dotProduct;
    }
    case 'blend':
      if (taken.blend) return { code: 'solo/help-taken', message: 'The blend is already open.' };
      return HELP_COSTS.blend;
  }
}

/** The help after taking `request`, and what it cost; or why it cannot be taken. */
export function takeHelp(taken: HelpTaken, request: HelpRequest, allowed: readonly number[]): { taken: HelpTaken; cost: number } | HelpRefusal {
  const cost = helpCost(request, taken, allowed);
  if (typeof cost !== 'number') return cost;
  const next: HelpTaken = { ...taken, dotProducts: [...taken.dotProducts], spent: taken.spent + cost };
  switch (request.kind) {
    case 'dot-products': {
      const opened = dotProductsOpened(request, taken, allowed);
      if (Array.isArray(opened)) next.dotProducts.push(...opened);
      break;
    }
    case 'softmax':
      // Softmax starts from every score, so it opens the dot products still closed.
      for (const j of allowed) if (!next.dotProducts.includes(j)) next.dotProducts.push(j);
      next.softmax = true;
      break;
    case 'blend':
      next.blend = true;
      break;
  }
  return { taken: next, cost };
}

/** Every piece of help still on offer, priced. `tokens` names the keys for the labels. */
export function helpOffers(taken: HelpTaken, allowed: readonly number[], tokens: readonly string[]): HelpOffer[] {
  const offers: HelpOffer[] = [];
  for (const j of allowed) {
    if (!taken.dotProducts.includes(j)) {
      offers.push({ kind: 'dot-products', token: j, cost: HELP_COSTS.dotProduct, label: `Work out my query · the key of ${tokens[j] ?? `token ${j}`}` });
    }
  }
  const left = allowed.filter((j) => !taken.dotProducts.includes(j)).length;
  if (left > 1) offers.push({ kind: 'dot-products', cost: left * HELP_COSTS.dotProduct, label: `Work out all ${left} dot products` });
  if (!taken.softmax) {
    const softmaxCost = helpCost({ kind: 'softmax' }, taken, allowed);
    if (typeof softmaxCost === 'number') offers.push({ kind: 'softmax', cost: softmaxCost, label: 'Turn the scores into percentages (softmax)' });
  }
  if (!taken.blend) offers.push({ kind: 'blend', cost: HELP_COSTS.blend, label: 'Show what my weights pass on (the blend of values)' });
  return offers;
}

/** A round's points after help: the score less the help, never below zero. */
export function netScore(score: number, helpSpent: number): number {
  return Math.max(0, score - helpSpent);
}
