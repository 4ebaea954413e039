'use client';

import { motion, useReducedMotion } from 'framer-motion';
import type { LeaderboardEntry } from '../../../lib/protocol';

const PLACE = ['1st', '2nd', '3rd'];

/** The top three on blocks (second, first, third), each with its place in words. */
export function Podium({ entries, me }: { entries: readonly LeaderboardEntry[]; me: string }) {
  const reduceMotion = useReducedMotion();
  const top = entries.filter((e) => e.rank <= 3).slice(0, 3);
  if (top.length === 0) return null;
  // Second on the left, first in the middle, third on the right.
  const order = [top[1], top[0], top[2]].filter((e): e is LeaderboardEntry => e !== undefined);
  return (
    <ol className="phone-podium" aria-label="Podium">
      {order.map((entry, i) => (
        <motion.li
          key={entry.playerId ?? `${entry.rank}-${i}`}
          className={`phone-podium__step phone-podium__step--${entry.rank}${entry.playerId === me ? ' is-me' : ''}`}
          initial={reduceMotion ? false : { opacity: 0, y: 24 }}
          animate={{ opacity: 1, y: 0 }}
          transition={{ duration: 0.5, delay: reduceMotion ? 0 : 0.2 + (3 - entry.rank) * 0.25 }}
        >
          <span className="phone-podium__name">
            {entry.nickname ?? 'Player'}
            {entry.playerId === me && <span className="sr-only"> (you)</span>}
          </span>
          <span className="phone-podium__total">{entry.total}</span>
          <span className="phone-podium__block">
            <span className="phone-podium__place">{PLACE[entry.rank - 1] ?? `#${entry.rank}`}</span>
          </span>
        </motion.li>
      ))}
    </ol>
  );
}

/** The cumulative standings, my line marked (and always shown, even outside the top). */
export function Leaderboard({ entries, me, limit = 10 }: { entries: readonly LeaderboardEntry[]; me: string; limit?: number }) {
  const shown = entries.slice(0, limit);
  const mine = entries.find((e) => e.playerId === me);
  const rows = mine && !shown.includes(mine) ? [...shown, mine] : shown;
  return (
    <table className="leaderboard">
      <caption>Leaderboard</caption>
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">Name</th>
          <th scope="col">Points</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((entry, i) => (
          <tr key={entry.playerId ?? i} className={entry.playerId === me ? 'is-me' : undefined}>
            <td>#{entry.rank}</td>
            <th scope="row">
              {entry.nickname ?? 'Player'}
              {entry.playerId === me && <span className="tag tag--me">you</span>}
              {entry.untouchedRounds > 0 && (
                <span className="tag tag--untouched" title="Rounds in which the sliders were never moved">
                  {entry.untouchedRounds === entry.rounds ? 'untouched' : `${entry.untouchedRounds} untouched`}
                </span>
              )}
            </th>
            <td>{entry.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
