'use client';

import type { StudentSeatView, StudentView } from '../../../lib/protocol';
import { QkvCard } from '../QkvCard';
import { listNames, tokenName } from './text';

/** My token, my head and my three cards. */
export function MyCards({ view, seat }: { view: StudentView; seat: StudentSeatView }) {
  const { tokens, heads } = view.lesson;
  const head = heads[seat.head];
  const word = tokenName(tokens, seat.token);
  const multiHead = heads.length > 1;
  return (
    <section className="panel my-seat" aria-labelledby="my-seat-title">
      <div className="my-seat__who">
        <p className="eyebrow">You are</p>
        <h2 id="my-seat-title" className="my-seat__token">
          <span className="my-seat__word">{tokens[seat.token]}</span>
          <span className="my-seat__index">
            <span className="sr-only">, </span>token {seat.token}
          </span>
        </h2>
        <ol className="my-seat__sentence" aria-label={`The sentence, with you marked: ${view.lesson.sentence}`}>
          {tokens.map((t, i) => (
            <li key={`${i}-${t}`} className={i === seat.token ? 'is-me' : undefined} aria-current={i === seat.token ? 'true' : undefined}>
              {t}
            </li>
          ))}
        </ol>
      </div>
      <div className="my-seat__head">
        <p>
          <strong>{multiHead ? `Head ${seat.head + 1}: ${head.name}` : `Head: ${head.name}`}</strong>
        </p>
        <p className="hint">{head.looksFor}</p>
        {seat.teammates.length > 0 && (
          <p className="my-seat__team">
            You share {word} with{' '}
            {listNames(seat.teammates.map((m) => `${m.nickname}${m.away ? ' (away)' : m.lockedIn ? ' (locked in)' : ''}`))}. Each of you is
            scored on your own sliders; the projector shows your team’s average.
          </p>
        )}
      </div>
      <div className="my-cards" role="group" aria-label={`Your cards, ${word}`}>
        <QkvCard kind="q" token={word} values={seat.cards.query} features={head.keyFeatures} order={0} />
        <QkvCard kind="k" token={word} values={seat.cards.key} features={head.keyFeatures} order={1} />
        <QkvCard kind="v" token={word} values={seat.cards.value} features={head.valueFeatures} order={2} />
      </div>
    </section>
  );
}
