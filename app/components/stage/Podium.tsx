'use client';

import { motion, useReducedMotion } from 'framer-motion';
import type { LeaderboardEntry } from '../../../lib/protocol';
import { formatPoints } from './phase';

const PLACES = ['1st', '2nd', '3rd'] as const;

/**
 * The top three on steps that rise one after another, third place first. Ties keep their shared rank.
 * Names are null when the teacher hides them on the stage; the place stands in for the name.
 */
export function Podium({ entries, title = 'The podium' }: { entries: readonly LeaderboardEntry[]; title?: string }) {
  const reduceMotion = useReducedMotion();
  const top = entries.slice(0, 3);
  return (
    <section className="podium" aria-labelledby="podium-title">
      <h2 id="podium-title" className="podium__title">
        {title}
      </h2>
      {top.length === 0 ? (
        <p className="podium__empty">No scores yet.</p>
      ) : (
        <ol className="podium__steps">
          {/* Read 1st, 2nd, 3rd; drawn left to right as 2nd, 1st, 3rd; risen 3rd, 2nd, 1st. */}
          {top.map((entry, i) => {
            const place = PLACES[Math.min(entry.rank, 3) - 1] ?? `${entry.rank}th`;
            const name = entry.nickname ?? `Player in ${place} place`;
            const delay = reduceMotion ? 0 : 0.35 + (2 - i) * 0.55;
            return (
              <motion.li
                key={`${i}-${entry.nickname ?? ''}`}
                className={`podium__step podium__step--${i + 1}`}
                style={{ order: i === 0 ? 2 : i === 1 ? 1 : 3 }}
                aria-label={`${place}: ${name}, ${formatPoints(entry.total)} points`}
                initial={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 140 }}
                animate={{ opacity: 1, y: 0 }}
                transition={reduceMotion ? { duration: 0.2 } : { delay, type: 'spring', stiffness: 110, damping: 16 }}
                data-rank={entry.rank}
              >
                <span className="podium__name" aria-hidden="true">
                  {entry.nickname ?? '—'}
                </span>
                <span className="podium__points" aria-hidden="true">
                  {formatPoints(entry.total)} pts
                </span>
                <span className="podium__block" aria-hidden="true">
                  <span className="podium__place">{entry.rank}</span>
                </span>
              </motion.li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
