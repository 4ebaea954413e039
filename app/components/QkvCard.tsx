'use client';

import { motion, useReducedMotion } from 'framer-motion';

/** Which of a token's three cards this is. */
export type CardKind = 'q' | 'k' | 'v';

/** The three kinds of card, with what each one means in the game. */
export const CARD_KINDS: Record<CardKind, { letter: string; name: string; role: string }> = {
  q: { letter: 'Q', name: 'Query', role: 'what the token is looking for' },
  k: { letter: 'K', name: 'Key', role: 'what the token offers to others' },
  v: { letter: 'V', name: 'Value', role: 'what the token passes on to whoever listens' },
};

/** Card numbers are integers or halves; a true minus sign reads better than a hyphen. */
export function formatCardNumber(x: number): string {
  const text = Number.isInteger(x) ? String(Math.abs(x)) : Math.abs(x).toFixed(Number.isInteger(x * 2) ? 1 : 2);
  return x < 0 ? `−${text}` : text;
}

/** One of a token's Q, K or V cards: each number labelled with the feature it measures. */
export function QkvCard({
  kind,
  token,
  values,
  features,
  order,
}: {
  kind: CardKind;
  token: string;
  values: readonly number[];
  features: readonly string[];
  /** Position in the deal, so the cards turn over one after another. */
  order: number;
}) {
  const reduceMotion = useReducedMotion();
  const meta = CARD_KINDS[kind];
  return (
    <motion.article
      className={`qkv-card qkv-card--${kind}`}
      aria-label={`${meta.name} card of ${token}`}
      initial={reduceMotion ? { opacity: 0 } : { opacity: 0, rotateY: -80, y: 8 }}
      animate={{ opacity: 1, rotateY: 0, y: 0 }}
      transition={reduceMotion ? { duration: 0.15 } : { duration: 0.45, delay: Math.min(order * 0.035, 1.2), ease: [0.2, 0.7, 0.2, 1] }}
    >
      <header className="qkv-card__head">
        <span className="qkv-card__letter" aria-hidden="true">
          {meta.letter}
        </span>
        <span className="qkv-card__name">{meta.name}</span>
      </header>
      <dl className="qkv-card__numbers">
        {values.map((value, d) => (
          <div className="qkv-card__row" key={features[d] ?? d}>
            <dt>{features[d] ?? `dim ${d + 1}`}</dt>
            <dd className={value === 0 ? 'is-zero' : undefined}>{formatCardNumber(value)}</dd>
          </div>
        ))}
      </dl>
    </motion.article>
  );
}
