'use client';

import { motion, useReducedMotion } from 'framer-motion';
import { isTied, placeLabel, placeWords, podiumPlaces } from '../../../lib/game/podium';
import type { LeaderboardEntry } from '../../../lib/protocol';

/** Left to right: second, first, third. */
const ORDER: Record<number, number> = { 1: 2, 2: 1, 3: 3 };

/**
 * The podium's places on blocks (second, first, third), each with its place in words. Students on
 * equal totals share a block ("=2") and every one of them is named on it.
 */
export function Podium({ entries, me }: { entries: readonly LeaderboardEntry[]; me: string }) {
  const reduceMotion = useReducedMotion();
  const places = podiumPlaces(entries);
  if (places.length === 0) return null;
  return (
    <ol className="phone-podium" aria-label="Podium">
      {places.map((place) => {
        const mine = place.entries.some((e) => e.playerId === me);
        return (
          <motion.li
            key={place.rank}
            className={`phone-podium__step phone-podium__step--${place.rank}${mine ? ' is-me' : ''}`}
            style={{ order: ORDER[place.rank] ?? place.rank }}
            initial={reduceMotion ? false : { opacity: 0, y: 24 }}
            animate={{ opacity: 1, y: 0 }}
            transition={{ duration: 0.5, delay: reduceMotion ? 0 : 0.2 + (3 - place.rank) * 0.25 }}
            data-place={placeLabel(place.rank, place.tied)}
          >
            <ul className="phone-podium__names">
              {place.entries.map((entry, i) => (
                <li key={entry.playerId ?? i} className={`phone-podium__name${entry.playerId === me ? ' is-me' : ''}`}>
                  {entry.nickname ?? 'A student'}
                  {entry.playerId === me && <span className="sr-only"> (you)</span>}
                </li>
              ))}
            </ul>
            <span className="phone-podium__total">{place.entries[0].total}</span>
            <span className="phone-podium__block">
              <span className="phone-podium__place">
                <span aria-hidden="true">{placeLabel(place.rank, place.tied)}</span>
                <span className="sr-only">{placeWords(place.rank, place.tied)} place</span>
              </span>
            </span>
          </motion.li>
        );
      })}
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
            <td>{placeLabel(entry.rank, isTied(entries, entry.rank))}</td>
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
