'use client';

import { motion, useReducedMotion } from 'framer-motion';
import { isTied, placeLabel, placeWords, podiumPlaces } from '../../../lib/game/podium';
import { formatPoints } from './format';

/** A leaderboard line as the podium and the list read it. */
export interface PodiumEntry {
  rank: number;
  nickname: string;
  total: number;
  /** The reader's own line (a student's review). */
  isMe?: boolean;
}

/** Left to right: second, first, third. */
const ORDER: Record<number, number> = { 1: 2, 2: 1, 3: 3 };

/**
 * The podium's places on steps that rise one after another, third place first; read 1st, 2nd, 3rd,
 * drawn 2nd, 1st, 3rd. Students on equal totals share a step ("=2") and every one is named on it.
 * Under reduced motion the steps only fade in.
 */
export function ReviewPodium({ entries }: { entries: readonly PodiumEntry[] }) {
  const reduceMotion = useReducedMotion();
  const places = podiumPlaces(entries);
  if (places.length === 0) return <p className="review-podium__empty">No scores yet: no round was revealed.</p>;
  return (
    <ol className="review-podium" aria-label="The podium">
      {places.map((place) => {
        const mine = place.entries.some((e) => e.isMe);
        return (
          <motion.li
            key={place.rank}
            className={`review-podium__step review-podium__step--${place.rank}${mine ? ' is-me' : ''}`}
            style={{ order: ORDER[place.rank] ?? place.rank }}
            data-rank={place.rank}
            data-place={placeLabel(place.rank, place.tied)}
            initial={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 90 }}
            animate={{ opacity: 1, y: 0 }}
            transition={reduceMotion ? { duration: 0.2 } : { delay: 0.15 + (3 - place.rank) * 0.35, type: 'spring', stiffness: 120, damping: 17 }}
          >
            <ul className="review-podium__names">
              {place.entries.map((entry, i) => (
                <li key={`${i}-${entry.nickname}`} className="review-podium__name">
                  {entry.nickname}
                  {entry.isMe && <span className="review-podium__you"> (you)</span>}
                </li>
              ))}
            </ul>
            <span className="review-podium__points">{formatPoints(place.entries[0].total)} pts</span>
            <span className="review-podium__block" aria-hidden="true">
              <span className="review-podium__place">{placeLabel(place.rank, place.tied)}</span>
            </span>
            <span className="sr-only">{placeWords(place.rank, place.tied)} place</span>
          </motion.li>
        );
      })}
    </ol>
  );
}

/** The whole leaderboard as a list, the reader's line marked in words and in weight. */
export function LeaderboardList({ entries }: { entries: readonly PodiumEntry[] }) {
  return (
    <ol className="review-leaders">
      {entries.map((entry, i) => (
        <li key={`${i}-${entry.nickname}`} className={entry.isMe ? 'is-me' : undefined} data-rank={entry.rank}>
          <span className="review-leaders__rank">{placeLabel(entry.rank, isTied(entries, entry.rank))}</span>
          <span className="review-leaders__name">
            {entry.nickname}
            {entry.isMe && <span className="review-leaders__you">you</span>}
          </span>
          <span className="review-leaders__total">{formatPoints(entry.total)}</span>
        </li>
      ))}
    </ol>
  );
}
