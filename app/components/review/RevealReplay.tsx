'use client';

import { motion, useInView, useReducedMotion } from 'framer-motion';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HeadComparison } from '../../../lib/review/types';
import { tokenLabel } from './format';

type Stage = 'class' | 'model';

/** How long the class's answer stays up before it turns into the model's. */
const HOLD_MS = 900;
const MORPH_S = 1.1;

function whole(weight: number): number {
  return Math.round(weight * 100);
}

/**
 * The reveal again: for every token row the class answered, its bars start at the class's mean and
 * turn into the model's. The class's height stays as a dashed outline, so the gap is left to see.
 * Plays when first scrolled into view and on the replay button; under reduced motion the bars jump.
 */
export function RevealReplay({ head, tokens, causal }: { head: HeadComparison; tokens: readonly string[]; causal: boolean }) {
  const reduceMotion = useReducedMotion() ?? false;
  const root = useRef<HTMLDivElement>(null);
  const inView = useInView(root, { once: true, amount: 0.3 });
  const [stage, setStage] = useState<Stage>('class');
  const [run, setRun] = useState(0);
  const rows = head.rows.filter((row) => row.classRow !== null);

  const replay = useCallback(() => {
    setStage('class');
    setRun((n) => n + 1);
  }, []);

  // The first play waits until the replay is on screen; each replay holds the class's answer again.
  useEffect(() => {
    if (!inView && run === 0) return;
    const timer = window.setTimeout(() => setStage('model'), HOLD_MS);
    return () => window.clearTimeout(timer);
  }, [inView, run]);

  if (rows.length === 0) return null;
  return (
    <div className="review-replay" ref={root} data-stage={stage} data-head={head.name}>
      <div className="review-replay__head">
        <p className="review-replay__status" aria-live="polite">
          {stage === 'class' ? (
            <>
              Showing <b>the class’s</b> attention
            </>
          ) : (
            <>
              Showing <b>the model’s</b> attention; the dashed outline is the class’s
            </>
          )}
        </p>
        <button type="button" className="button button--quiet button--compact" onClick={replay} data-action="replay">
          <span aria-hidden="true">↻</span> Replay the reveal
        </button>
      </div>
      <div className="review-replay__rows">
        {rows.map((row, r) => (
          <div className="review-replay__row" key={row.token} role="group" aria-label={`${tokenLabel(tokens, row.token)} looks at`}>
            <p className="review-replay__query">{tokenLabel(tokens, row.token)}</p>
            <div className="review-replay__bars">
              {tokens.map((_, k) => {
                const masked = causal && k > row.token;
                const mine = row.classRow?.[k] ?? 0;
                const model = row.modelRow[k] ?? 0;
                const shown = stage === 'model' ? model : mine;
                return (
                  <div className={`review-replay__bar${masked ? ' is-masked' : ''}`} key={k} data-key={k}>
                    <span className="review-replay__value">
                      <span aria-hidden="true">{masked ? '—' : `${whole(shown)}%`}</span>
                      <span className="sr-only">
                        {masked
                          ? `${tokenLabel(tokens, k)}: masked`
                          : `${tokenLabel(tokens, k)}: class ${whole(mine)}%, model ${whole(model)}%`}
                      </span>
                    </span>
                    <span className="review-replay__track" aria-hidden="true">
                      <span className="review-replay__ghost" style={{ height: `${mine * 100}%` }} />
                      <motion.span
                        className={`review-replay__fill review-replay__fill--${stage}`}
                        style={{ originY: 1 }}
                        initial={false}
                        animate={{ scaleY: shown }}
                        transition={
                          reduceMotion || stage === 'class'
                            ? { duration: 0 }
                            : { duration: MORPH_S, delay: r * 0.08, ease: [0.3, 0.7, 0.2, 1] }
                        }
                      />
                    </span>
                    <span className="review-replay__key" aria-hidden="true">
                      {tokenLabel(tokens, k)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
