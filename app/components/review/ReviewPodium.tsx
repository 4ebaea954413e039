'use client';

import { motion, useReducedMotion } from 'framer-motion';
import { formatPoints, ordinal } from './format';

/** A leaderboard line as the podium and the list read it. */
export interface PodiumEntry {
  rank: number;
  nickname: string;
  total: number;
  /** The reader's own line (a student's review). */
  isMe?: boolean;
}

/**
 * The top three on steps that rise one after another, third place first; read 1st, 2nd, 3rd, drawn
 * 2nd, 1st, 3rd. Under reduced motion the steps only fade in.
 */
export function ReviewPodium({ entries }: { entries: readonly PodiumEntry[] }) {
  const reduceMotion = useReducedMotion();
  const top = entries.slice(0, 3);
  if (top.length === 0) return <p className="review-podium__empty">No scores yet: no round was revealed.</p>;
  return (
    <ol className="review-podium" aria-label="The podium">
      {top.map((entry, i) => {
        const place = ordinal(entry.rank);
        return (
          <motion.li
            key={`${i}-${entry.nickname}`}
            className={`review-podium__step review-podium__step--${i + 1}${entry.isMe ? ' is-me' : ''}`}
            style={{ order: i === 0 ? 2 : i === 1 ? 1 : 3 }}
            data-rank={entry.rank}
            initial={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 90 }}
            animate={{ opacity: 1, y: 0 }}
            transition={reduceMotion ? { duration: 0.2 } : { delay: 0.15 + (2 - i) * 0.35, type: 'spring', stiffness: 120, damping: 17 }}
          >
            <span className="review-podium__name">
              {entry.nickname}
              {entry.isMe && <span className="review-podium__you"> (you)</span>}
            </span>
            <span className="review-podium__points">{formatPoints(entry.total)} pts</span>
            <span className="review-podium__block" aria-hidden="true">
              <span className="review-podium__place">{entry.rank}</span>
            </span>
            <span className="sr-only">{place} place</span>
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
          <span className="review-leaders__rank">{entry.rank}</span>
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
