'use client';

import { useEffect, useState } from 'react';
import type { SoloLeaderboardView } from '../../../lib/solo/api';
import { soloApi } from './api';
import { Stars } from './Stars';

type Load = { kind: 'loading' } | { kind: 'ready'; board: SoloLeaderboardView } | { kind: 'error'; message: string };

/** A lesson's solo leaderboard: each nickname's best finished run. `refresh` reloads it (after a finish). */
export function SoloLeaderboard({ lessonId, highlight, refresh = 0, headingLevel = 2 }: { lessonId: string; highlight?: string | null; refresh?: number; headingLevel?: 1 | 2 }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    void soloApi<SoloLeaderboardView>('GET', `/leaderboard/${encodeURIComponent(lessonId)}`).then((result) => {
      if (live) setLoad(result.ok ? { kind: 'ready', board: result.data } : { kind: 'error', message: result.message });
    });
    return () => {
      live = false;
    };
  }, [lessonId, refresh]);

  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section className="solo-board-list" aria-labelledby={`board-${lessonId}`}>
      <Heading id={`board-${lessonId}`}>{load.kind === 'ready' && headingLevel === 1 ? `Leaderboard: ${load.board.title}` : 'Leaderboard'}</Heading>
      {load.kind === 'loading' && <p className="hint">Loading…</p>}
      {load.kind === 'error' && (
        <p className="solo-error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === 'ready' && load.board.entries.length === 0 && <p className="hint">Nobody is on this board yet: finish the level with a name to be first.</p>}
      {load.kind === 'ready' && load.board.entries.length > 0 && (
        <table className="solo-table solo-ranking">
          <caption className="sr-only">Best score of each nickname</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Name</th>
              <th scope="col">Best</th>
              <th scope="col">Stars</th>
            </tr>
          </thead>
          <tbody>
            {load.board.entries.map((entry) => (
              <tr key={entry.nickname} className={entry.nickname === highlight ? 'is-me' : undefined}>
                <td>{entry.rank}</td>
                <th scope="row">
                  {entry.nickname}
                  {entry.nickname === highlight && <span className="solo-badge solo-badge--you">you</span>}
                </th>
                <td>{Math.round(entry.score)}</td>
                <td>
                  <Stars stars={entry.stars} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
