'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ReviewSummary } from '../../../lib/review/types';
import { fetchSummary, knownSessions, rememberSession, ReviewApiError, type HistoryEntry } from './access';
import { formatWhen } from './format';

type Line = { entry: HistoryEntry; summary: ReviewSummary | null; problem: string | null };

type Loaded = { status: 'loading' } | { status: 'ready'; lines: Line[] };

async function loadLine(entry: HistoryEntry, signal: AbortSignal): Promise<Line> {
  try {
    const summary = await fetchSummary(entry.sessionId, { role: 'teacher', secret: entry.hostSecret, code: entry.code }, signal);
    rememberSession({ ...entry, lessonId: summary.lessonId, lessonTitle: summary.lessonTitle, createdAt: summary.createdAt });
    return { entry, summary, problem: null };
  } catch (error) {
    if (signal.aborted) throw error;
    const problem =
      error instanceof ReviewApiError
        ? error.status === 404
          ? 'This server no longer knows this session.'
          : error.message
        : 'The server could not be reached.';
    return { entry, summary: null, problem };
  }
}

function newestFirst(a: Line, b: Line): number {
  return (b.summary?.createdAt ?? b.entry.createdAt ?? 0) - (a.summary?.createdAt ?? a.entry.createdAt ?? 0);
}

/** The sessions this browser ran, newest first, each opening its review. */
export function SessionHistory() {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    Promise.all(knownSessions().map((entry) => loadLine(entry, controller.signal))).then(
      (lines) => {
        if (!controller.signal.aborted) setLoaded({ status: 'ready', lines: lines.sort(newestFirst) });
      },
      () => {
        // Aborted: the page moved on.
      },
    );
    return () => controller.abort();
  }, []);

  if (loaded.status === 'loading') {
    return (
      <p className="review-state" role="status">
        Looking up your sessions…
      </p>
    );
  }
  if (loaded.lines.length === 0) {
    return (
      <div className="panel review-history__empty">
        <p>This browser has not run a session yet. Sessions you host from here will be listed, each with its review.</p>
        <p>
          <Link href="/host" className="button">
            Host a class
          </Link>
        </p>
      </div>
    );
  }
  return (
    <ul className="review-history">
      {loaded.lines.map(({ entry, summary, problem }) => {
        const title = summary?.lessonTitle ?? entry.lessonTitle ?? 'A session';
        const when = summary?.createdAt ?? entry.createdAt;
        return (
          <li key={entry.sessionId} className="review-history__item" data-session={entry.sessionId}>
            <div className="review-history__main">
              <p className="review-history__when">
                {when !== undefined ? formatWhen(when) : 'Date unknown'} · code <span className="mono">{entry.code}</span>
              </p>
              <h2 className="review-history__title">
                {summary ? (
                  <Link href={`/review/${encodeURIComponent(entry.sessionId)}`} className="review-history__link">
                    {title}
                  </Link>
                ) : (
                  title
                )}
              </h2>
              {summary ? (
                <ul className="review-history__facts">
                  <li>
                    <b>{summary.students}</b> {summary.students === 1 ? 'student' : 'students'}
                  </li>
                  <li>
                    <b>{summary.rounds}</b> {summary.rounds === 1 ? 'round' : 'rounds'}
                  </li>
                  {summary.meanClassScore !== null && (
                    <li>
                      class score <b>{Math.round(summary.meanClassScore)}</b>
                    </li>
                  )}
                  {summary.winner && (
                    <li>
                      top: <b>{summary.winner.nickname}</b>
                    </li>
                  )}
                  <li>
                    <span className={`badge ${summary.ended ? 'badge--scored' : 'badge--away'}`}>{summary.ended ? 'Ended' : 'Still running'}</span>
                  </li>
                </ul>
              ) : (
                <p className="review-muted">{problem}</p>
              )}
            </div>
            {summary && (
              <span className="review-history__go" aria-hidden="true">
                →
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
