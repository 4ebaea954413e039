'use client';

import { useState } from 'react';
import { describeError } from '../../../lib/client';
import type { StudentSeatView, StudentView } from '../../../lib/protocol';
import type { Send } from './AttentionBoard';
import { Icon } from './Icon';
import { teamName, tokenName } from './text';

/**
 * Requests for my key as one small notice in the page's flow (never pinned over the sliders): how
 * many are waiting, one button to share with all of them, and who is asking behind a disclosure, each
 * asking team named once ("“sat”: Ada +4"). The list is the view's, so it survives a reload.
 */
export function KeyRequestsIn({ view, seat, send }: { view: StudentView; seat: StudentSeatView; send: Send }) {
  const [sharing, setSharing] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const pending = seat.requestsIn.filter((r) => r.status === 'pending');
  if (view.phase !== 'negotiate' || pending.length === 0) return null;
  const round = view.round?.number ?? 0;
  const { tokens } = view.lesson;
  const myWord = tokenName(tokens, seat.token);

  async function share(requestIds: string[]): Promise<void> {
    setProblem(null);
    setSharing((s) => new Set([...s, ...requestIds]));
    const acks = await Promise.all(requestIds.map((requestId) => send('key:share', { round, requestId })));
    setSharing((s) => new Set([...s].filter((id) => !requestIds.includes(id))));
    const refused = acks.find((ack) => !ack.ok);
    if (refused && !refused.ok) setProblem(describeError(refused.error));
  }

  const busy = view.paused || pending.every((r) => sharing.has(r.id));
  return (
    <section className="requests-in" aria-labelledby="requests-in-title" data-requests-in={pending.length}>
      <p id="requests-in-title" className="requests-in__summary">
        <Icon name="key" size={18} className="requests-in__icon" />
        <span>
          <strong>{pending.length}</strong> {pending.length === 1 ? 'request' : 'requests'} for your key (“{myWord}”)
        </span>
        <button type="button" className="button button--compact" disabled={busy} onClick={() => void share(pending.map((r) => r.id))}>
          {busy && !view.paused ? 'Sharing…' : pending.length === 1 ? 'Share' : 'Share with all'}
        </button>
      </p>
      <details className="requests-in__who">
        <summary>Who is asking</summary>
        <ul className="requests-in__list">
          {pending.map((r) => {
            const from = tokenName(tokens, r.fromToken);
            return (
              <li key={r.id} className="requests-in__item">
                <span>
                  “{from}”: {teamName(r.fromNicknames)}
                </span>
                <button
                  type="button"
                  className="button button--quiet button--tiny"
                  disabled={view.paused || sharing.has(r.id)}
                  onClick={() => void share([r.id])}
                  aria-label={`Share your key (“${myWord}”) with “${from}”`}
                >
                  {sharing.has(r.id) ? 'Sharing…' : 'Share'}
                </button>
              </li>
            );
          })}
        </ul>
      </details>
      {problem && (
        <p className="requests-in__problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
