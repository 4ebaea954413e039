'use client';

import { useState } from 'react';
import { describeError } from '../../../lib/client';
import type { StudentSeatView, StudentView } from '../../../lib/protocol';
import type { Send } from './AttentionBoard';
import { Icon } from './Icon';
import { listNames, tokenName } from './text';

/**
 * Requests for my key, pinned where the thumb is: "cat (Bo) asks for your key" → Share. The list is
 * the view's (so it survives a reload); a notice only makes it appear sooner and be announced.
 */
export function KeyRequestsIn({ view, seat, send }: { view: StudentView; seat: StudentSeatView; send: Send }) {
  const [sharing, setSharing] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const [later, setLater] = useState<ReadonlySet<string>>(new Set());
  const pending = seat.requestsIn.filter((r) => r.status === 'pending');
  const waiting = pending.filter((r) => !later.has(r.id));
  const hidden = pending.length - waiting.length;
  if (view.phase !== 'negotiate' || pending.length === 0) return null;
  const round = view.round?.number ?? 0;
  const { tokens } = view.lesson;
  const myWord = tokenName(tokens, seat.token);

  async function share(requestId: string): Promise<void> {
    setProblem(null);
    setSharing((s) => new Set(s).add(requestId));
    const ack = await send('key:share', { round, requestId });
    setSharing((s) => {
      const next = new Set(s);
      next.delete(requestId);
      return next;
    });
    if (!ack.ok) setProblem(describeError(ack.error));
  }

  return (
    <section className="requests-in" aria-labelledby="requests-in-title">
      <h2 id="requests-in-title" className="sr-only">
        Requests for your key
      </h2>
      <ul className="requests-in__list">
        {waiting.map((r) => {
          const from = tokenName(tokens, r.fromToken);
          return (
            <li key={r.id} className="request-toast">
              <Icon name="key" size={22} className="request-toast__icon" />
              <span className="request-toast__text">
                <strong>{from}</strong> ({listNames(r.fromNicknames)}) asks for your key.
              </span>
              <span className="request-toast__buttons">
                <button
                  type="button"
                  className="button button--compact"
                  disabled={view.paused || sharing.has(r.id)}
                  onClick={() => void share(r.id)}
                  aria-label={`Share your key (${myWord}) with ${from}`}
                >
                  {sharing.has(r.id) ? 'Sharing…' : 'Share'}
                </button>
                <button
                  type="button"
                  className="button button--quiet button--compact"
                  onClick={() => setLater((s) => new Set(s).add(r.id))}
                  aria-label={`Not now: hide ${from}'s request`}
                >
                  Not now
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      {hidden > 0 && (
        <button type="button" className="requests-in__hidden" onClick={() => setLater(new Set())}>
          {hidden} request{hidden === 1 ? '' : 's'} for your key waiting — show
        </button>
      )}
      {problem && (
        <p className="requests-in__problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
