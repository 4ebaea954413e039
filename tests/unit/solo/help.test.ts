import { describe, expect, it } from 'vitest';
import { HELP_COSTS, NO_HELP, helpCost, helpOffers, netScore, takeHelp, type HelpTaken } from '../../../lib/solo';

const allowed = [0, 1, 2, 3];
const tokens = ['The', 'cat', 'sat', 'down'];

function take(taken: HelpTaken, ...requests: Parameters<typeof takeHelp>[1][]): HelpTaken {
  for (const request of requests) {
    const result = takeHelp(taken, request, allowed);
    if ('code' in result) throw new Error(result.message);
    taken = result.taken;
  }
  return taken;
}

describe('help accounting', () => {
  it('prices each dot product, the softmax and the blend before they are taken', () => {
    expect(HELP_COSTS).toEqual({ dotProduct: 10, softmax: 150, blend: 20 });
    expect(helpCost({ kind: 'dot-products', token: 1 }, NO_HELP, allowed)).toBe(10);
    expect(helpCost({ kind: 'dot-products' }, NO_HELP, allowed)).toBe(40);
    // Softmax starts from every score, so the dot products still closed are part of its price.
    expect(helpCost({ kind: 'softmax' }, NO_HELP, allowed)).toBe(190);
    expect(helpCost({ kind: 'blend' }, NO_HELP, allowed)).toBe(20);
  });

  it('charges what it priced, once, and adds it up', () => {
    let taken = take(NO_HELP, { kind: 'dot-products', token: 1 });
    expect(taken).toEqual({ dotProducts: [1], softmax: false, blend: false, spent: 10 });
    expect(helpCost({ kind: 'dot-products' }, taken, allowed)).toBe(30);
    expect(helpCost({ kind: 'softmax' }, taken, allowed)).toBe(180);
    taken = take(taken, { kind: 'dot-products', token: 3 }, { kind: 'softmax' }, { kind: 'blend' });
    expect(taken.dotProducts.sort()).toEqual([0, 1, 2, 3]);
    expect(taken.spent).toBe(10 + 10 + 170 + 20);
  });

  it('refuses help already taken, and keys out of reach', () => {
    const taken = take(NO_HELP, { kind: 'dot-products' }, { kind: 'blend' });
    expect(takeHelp(taken, { kind: 'dot-products', token: 2 }, allowed)).toMatchObject({ code: 'solo/help-taken' });
    expect(takeHelp(taken, { kind: 'dot-products' }, allowed)).toMatchObject({ code: 'solo/help-taken' });
    expect(takeHelp(taken, { kind: 'blend' }, allowed)).toMatchObject({ code: 'solo/help-taken' });
    // A causal row may not look at later tokens, so their dot products are not on offer.
    expect(takeHelp(NO_HELP, { kind: 'dot-products', token: 3 }, [0, 1])).toMatchObject({ code: 'solo/help-invalid' });
    // The softmax after every dot product costs only itself.
    expect(helpCost({ kind: 'softmax' }, taken, allowed)).toBe(150);
  });

  it('offers what is left, with prices and plain labels', () => {
    const offers = helpOffers(take(NO_HELP, { kind: 'dot-products', token: 0 }), allowed, tokens);
    expect(offers.map((o) => [o.kind, o.token ?? null, o.cost])).toEqual([
      ['dot-products', 1, 10],
      ['dot-products', 2, 10],
      ['dot-products', 3, 10],
      ['dot-products', null, 30],
      ['softmax', null, 180],
      ['blend', null, 20],
    ]);
    expect(offers[0].label).toContain('cat');
    expect(helpOffers(take(NO_HELP, { kind: 'softmax' }, { kind: 'blend' }), allowed, tokens)).toEqual([]);
  });

  it('takes help off the round’s score, never below zero', () => {
    expect(netScore(900, 190)).toBe(710);
    expect(netScore(100, 190)).toBe(0);
  });
});
