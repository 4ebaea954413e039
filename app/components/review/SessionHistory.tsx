'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ReviewSummary } from '../../../lib/review/types';
import { loadPlayer } from '../../../lib/client/storage';
import { fetchSummary, knownSessions, loadPlayed, rememberSession, ReviewApiError, type HistoryEntry, type PlayedEntry } from './access';
import { formatWhen } from './format';

type Line = { entry: HistoryEntry; summary: ReviewSummary | null; problem: string | null };

type PlayedLine = { entry: PlayedEntry; summary: ReviewSummary | null; problem: string | null };

type Loaded = { status: 'loading' } | { status: 'ready'; lines: Line[]; played: PlayedLine[] };

function problemOf(error: unknown): string {
  return error instanceof ReviewApiError
    ? error.status === 404
      ? 'This server no longer knows this session.'
      : error.message
    : 'The server could not be reached.';
}

/** A game this browser played, looked up with the student's own secret (filed under the join code). */
async function loadPlayedLine(entry: PlayedEntry, signal: AbortSignal): Promise<PlayedLine> {
  const player = loadPlayer(entry.code);
  if (!player) return { entry, summary: null, problem: 'This browser no longer holds its key to this game.' };
  try {
    const summary = await fetchSummary(entry.sessionId, { role: 'student', secret: player.playerSecret, code: entry.code }, signal);
    return { entry, summary, problem: null };
  } catch (error) {
    if (signal.aborted) throw error;
    return { entry, summary: null, problem: problemOf(error) };
  }
}

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
    Promise.all([
      Promise.all(knownSessions().map((entry) => loadLine(entry, controller.signal))),
      Promise.all(loadPlayed().map((entry) => loadPlayedLine(entry, controller.signal))),
    ]).then(
      ([lines, played]) => {
        if (!controller.signal.aborted)
          setLoaded({ status: 'ready', lines: lines.sort(newestFirst), played: played.sort((a, b) => b.entry.playedAt - a.entry.playedAt) });
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
  if (loaded.lines.length === 0 && loaded.played.length === 0) {
    return (
      <div className="panel review-history__empty">
        <p>
          This browser has not run or played a session yet. Sessions you host from here, and games you play on this device, will be listed, each
          with its review.
        </p>
        <p>
          <Link href="/host" className="button">
            Host a class
          </Link>
        </p>
      </div>
    );
  }
  return (
    <>
      {loaded.played.length > 0 && <PlayedGames lines={loaded.played} />}
      {loaded.lines.length > 0 && (
        <>
          {loaded.played.length > 0 && <h2 className="review-history__heading">Sessions you ran</h2>}
          <HostedSessions lines={loaded.lines} />
        </>
      )}
    </>
  );
}

/** The games this browser played as a student, newest first, each opening the student's own report. */
function PlayedGames({ lines }: { lines: PlayedLine[] }) {
  return (
    <>
      <h2 className="review-history__heading">Games you played</h2>
      <ul className="review-history" data-history="played">
        {lines.map(({ entry, summary, problem }) => (
          <li key={entry.sessionId} className="review-history__item" data-session={entry.sessionId}>
            <div className="review-history__main">
              <p className="review-history__when">
                {formatWhen(entry.playedAt)} · as <b>{entry.nickname}</b> · code <span className="mono">{entry.code}</span>
              </p>
              <h3 className="review-history__title">
                {summary ? (
                  <Link href={`/review/${encodeURIComponent(entry.sessionId)}`} className="review-history__link">
                    {summary.lessonTitle}: your report
                  </Link>
                ) : (
                  (entry.lessonTitle ?? 'A game')
                )}
              </h3>
              {summary ? (
                <ul className="review-history__facts">
                  <li>
                    <b>{summary.rounds}</b> {summary.rounds === 1 ? 'round' : 'rounds'}
                  </li>
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
        ))}
      </ul>
    </>
  );
}

/** The sessions this browser ran, newest first, each opening its review. */
function HostedSessions({ lines }: { lines: Line[] }) {
  return (
    <ul className="review-history">
      {lines.map(({ entry, summary, problem }) => {
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
