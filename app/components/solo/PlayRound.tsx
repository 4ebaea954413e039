'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { nudgeWeight, pinToken, sameAllocation, setWeight, spreadEvenly, toPercents } from '../../../lib/client/allocation';
import type { SoloRunView } from '../../../lib/solo/api';
import { explainBlend } from '../../../lib/solo/explain';
import type { HelpRequest } from '../../../lib/solo/help';
import { formatCardNumber, QkvCard } from '../QkvCard';
import { BlendTable, DotProductLine, SoftmaxTable } from './Explain';

/** The +/− buttons' step. */
const STEP = 0.05;
/** Slider moves are saved this long after the last one. */
const SAVE_AFTER_MS = 400;

export interface PlayActions {
  busy: boolean;
  allocate(weights: number[]): void;
  help(request: HelpRequest): void;
  lock(weights: number[]): void;
}

function KeyVector({ values, features }: { values: readonly number[]; features: readonly string[] }) {
  return (
    <span className="solo-key" aria-label={`key ${values.map((v, d) => `${features[d] ?? d}: ${formatCardNumber(v)}`).join(', ')}`}>
      <span aria-hidden="true">
        <span className="solo-key__letter">K</span> ({values.map(formatCardNumber).join(', ')})
      </span>
    </span>
  );
}

/** Softmax costs the most, so it asks once more before it is taken. */
function SoftmaxOffer({ cost, busy, onTake }: { cost: number; busy: boolean; onTake: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button--quiet button--compact solo-offer" disabled={busy} onClick={() => setAsking(true)}>
        Turn the scores into percentages (softmax) <span className="solo-cost">−{cost} points</span>
      </button>
    );
  }
  return (
    <div className="solo-confirm" role="group" aria-label="Confirm the softmax help">
      <p>
        The softmax gives you the model’s exact percentages for your word. It costs <strong>{cost} points</strong> off this round.
      </p>
      <div className="solo-confirm__buttons">
        <button type="button" className="button button--compact" disabled={busy} onClick={onTake} autoFocus>
          Spend {cost} points
        </button>
        <button type="button" className="button button--quiet button--compact" onClick={() => setAsking(false)}>
          Not now
        </button>
      </div>
    </div>
  );
}

/** One round of play: the learner's cards, the sliders over the sentence, help on request, and the lock. */
export function PlayRound({ view, actions, headingRef }: { view: SoloRunView; actions: PlayActions; headingRef: React.Ref<HTMLHeadingElement> }) {
  const seat = view.student.seat;
  const help = view.help;
  const idBase = useId();
  const [draft, setDraft] = useState<number[] | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(actions);
  /** The words the learner set by hand this round, oldest first: later moves leave them as set. */
  const pinned = useRef<number[]>([]);

  useEffect(() => {
    latest.current = actions;
  });
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  if (!seat || !help) return null;
  const { tokens, heads } = view.level;
  const head = heads[seat.head];
  const allowed = seat.allowedTokens;
  const weights = draft ?? seat.allocation;
  const percents = toPercents(weights);
  const dotOf = (j: number) => help.dotProducts.find((d) => d.token === j);
  const offers = help.offers;
  const singleDots = offers.filter((o) => o.kind === 'dot-products' && o.token !== undefined).length;
  const allDots = offers.find((o) => o.kind === 'dot-products' && o.token === undefined);
  const softmaxOffer = offers.find((o) => o.kind === 'softmax');
  const blendOffer = offers.find((o) => o.kind === 'blend');
  const multiHead = heads.length > 1;

  function change(next: number[], movedToken: number | null = null) {
    pinned.current = movedToken === null ? [] : pinToken(pinned.current, movedToken);
    setDraft(next);
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      pending.current = null;
      latest.current.allocate(next);
    }, SAVE_AFTER_MS);
  }

  function lock() {
    if (pending.current) clearTimeout(pending.current);
    pending.current = null;
    actions.lock(weights);
  }

  const even = spreadEvenly(tokens.length, allowed);

  return (
    <div className="solo-play">
      <section className="panel solo-you" aria-labelledby={`${idBase}-you`}>
        <h2 id={`${idBase}-you`} ref={headingRef} tabIndex={-1} className="solo-you__title">
          You are <span className="solo-word">{tokens[seat.token]}</span>
          {multiHead && <span className="solo-head-name"> in the {head.name} head</span>}
          {view.seat?.key ? <span className="solo-badge solo-badge--key">★ Star word: counts for your stars</span> : <span className="solo-badge">Practice word</span>}
        </h2>
        <p className="solo-you__looks">
          <strong>This head looks for:</strong> {head.looksFor}
        </p>
        <div className="solo-cards">
          <QkvCard kind="q" token={tokens[seat.token]} values={seat.cards.query} features={head.keyFeatures} order={0} />
          <QkvCard kind="k" token={tokens[seat.token]} values={seat.cards.key} features={head.keyFeatures} order={1} />
          <QkvCard kind="v" token={tokens[seat.token]} values={seat.cards.value} features={head.valueFeatures} order={2} />
        </div>
        <p className="hint">
          Your <strong className="solo-q">query</strong> is your question. Every word’s <strong className="solo-k">key</strong> is its answer. Multiply
          them number by number and add (a dot product): the bigger it is, the better that word answers you, and the more attention it should get.
          {view.level.options.causal && ' The causal mask is on: you may only look at yourself and earlier words.'}
        </p>
      </section>

      <section className="panel solo-board" aria-labelledby={`${idBase}-board`}>
        <div className="solo-board__head">
          <h2 id={`${idBase}-board`}>Share out 100% of your attention</h2>
          <button type="button" className="button button--quiet button--compact" disabled={sameAllocation(weights, even)} onClick={() => change(even)}>
            Even split
          </button>
        </div>
        <p className="hint">
          Key features: {head.keyFeatures.join(', ')}. Moving one slider rescales the others so the total stays 100%. Arrow keys move a focused slider
          by 1%.
        </p>
        <ul className="solo-rows">
          {tokens.map((token, j) => {
            const open = allowed.includes(j);
            const dot = dotOf(j);
            const offer = offers.find((o) => o.kind === 'dot-products' && o.token === j);
            const sliderId = `${idBase}-slider-${j}`;
            return (
              <li key={`${j}-${token}`} className={`solo-row${open ? '' : ' is-masked'}${j === seat.token ? ' is-me' : ''}`} data-token={j}>
                <div className="solo-row__top">
                  <label htmlFor={sliderId} className="solo-row__word">
                    {token}
                    {j === seat.token && <span className="solo-row__me"> (you)</span>}
                  </label>
                  {seat.keys[j] && <KeyVector values={seat.keys[j] ?? []} features={head.keyFeatures} />}
                  <span className="solo-row__dot">
                    {!open ? (
                      <span className="hint">masked: a later word</span>
                    ) : dot ? (
                      <>
                        <span className="solo-row__dot-label">q·k</span> <DotProductLine explanation={dot} />
                      </>
                    ) : offer ? (
                      <button
                        type="button"
                        className="solo-chip-button"
                        disabled={actions.busy}
                        onClick={() => actions.help({ kind: 'dot-products', token: j })}
                        aria-label={`Work out my query times the key of ${token}, costs ${offer.cost} points`}
                      >
                        q·k = ? <span className="solo-cost">−{offer.cost}</span>
                      </button>
                    ) : null}
                  </span>
                </div>
                <div className="solo-row__control">
                  <button
                    type="button"
                    className="solo-step"
                    disabled={!open || weights[j] <= 0}
                    onClick={() => change(nudgeWeight(weights, allowed, j, -STEP, pinned.current), j)}
                    aria-label={`Less attention to ${token}`}
                  >
                    −
                  </button>
                  <input
                    id={sliderId}
                    type="range"
                    className="slider solo-slider"
                    min={0}
                    max={100}
                    step={1}
                    disabled={!open}
                    value={percents[j]}
                    style={{ '--fill': `${percents[j]}%` } as React.CSSProperties}
                    aria-valuetext={`${percents[j]}% to ${token}`}
                    onChange={(e) => change(setWeight(weights, allowed, j, Number(e.target.value) / 100, pinned.current), j)}
                  />
                  <button
                    type="button"
                    className="solo-step"
                    disabled={!open || weights[j] >= 1}
                    onClick={() => change(nudgeWeight(weights, allowed, j, STEP, pinned.current), j)}
                    aria-label={`More attention to ${token}`}
                  >
                    +
                  </button>
                  <output htmlFor={sliderId} className="solo-row__percent">
                    {percents[j]}%
                  </output>
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="panel solo-help" aria-labelledby={`${idBase}-help`}>
        <h2 id={`${idBase}-help`}>Stuck? Step-by-step help</h2>
        <p className="hint">
          Help is worked out with your own cards. Each piece costs points off this round’s score, shown on its button before you take it
          {help.spent > 0 ? (
            <>
              {' '}
              — so far <strong>{help.spent} points</strong>
            </>
          ) : null}
          . After you lock in, every step is shown for free.
        </p>
        <div className="solo-offers">
          {allDots && (
            <button type="button" className="button button--quiet button--compact solo-offer" disabled={actions.busy} onClick={() => actions.help({ kind: 'dot-products' })}>
              Work out all {singleDots} dot products <span className="solo-cost">−{allDots.cost} points</span>
            </button>
          )}
          {softmaxOffer && <SoftmaxOffer cost={softmaxOffer.cost} busy={actions.busy} onTake={() => actions.help({ kind: 'softmax' })} />}
          {blendOffer && (
            <button type="button" className="button button--quiet button--compact solo-offer" disabled={actions.busy} onClick={() => actions.help({ kind: 'blend' })}>
              Show what my weights pass on (the blend of values) <span className="solo-cost">−{blendOffer.cost} points</span>
            </button>
          )}
        </div>
        {help.softmax && (
          <div className="solo-help__block">
            <h3>Softmax with your numbers</h3>
            <SoftmaxTable explanation={help.softmax} tokens={tokens} mine={weights} />
          </div>
        )}
        {help.values && (
          <div className="solo-help__block">
            <h3>What your weights pass on</h3>
            <p className="hint">Your output is the blend of every word’s value card, each times the weight you give it. Move a slider and watch it change.</p>
            <BlendTable blend={explainBlend(weights, help.values)} tokens={tokens} features={head.valueFeatures} label="Your output right now" />
          </div>
        )}
      </section>

      <p className="hint solo-play__note">The AI classmates have chosen for the other words. Nothing is timed: take as long as you like.</p>
      <div className="solo-lock">
        <button type="button" className="button" disabled={actions.busy} onClick={lock}>
          Lock in and reveal
        </button>
        <span className="solo-lock__note">{help.spent > 0 ? `Help so far: −${help.spent} points` : 'No help taken'}</span>
      </div>
    </div>
  );
}
