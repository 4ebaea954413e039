'use client';

import { motion, useReducedMotion } from 'framer-motion';
import { placeLabel, placeWords, podiumPlaces } from '../../../lib/game/podium';
import type { LeaderboardEntry } from '../../../lib/protocol';
import { formatPoints } from './phase';

/** Where each rank stands, left to right: second, first, third. */
const ORDER: Record<number, number> = { 1: 2, 2: 1, 3: 3 };

/** What stands in for hidden names: how many students hold the place. */
function hiddenNames(count: number): string {
  return count === 1 ? 'One student' : `${count} students, tied`;
}

/**
 * The podium's places on steps that rise one after another, third place first. Places follow the
 * ranks: students on equal totals share a step ("=2") and every one of them is on it; the step's
 * colour is its rank's. Names are null when the teacher hides them on the stage: the step says how
 * many students hold the place, and each phone tells its student their own place.
 */
export function Podium({ entries, title = 'The podium' }: { entries: readonly LeaderboardEntry[]; title?: string }) {
  const reduceMotion = useReducedMotion();
  const places = podiumPlaces(entries);
  const hidden = entries.some((e) => e.nickname === null);
  return (
    <section className="podium" aria-labelledby="podium-title">
      <h2 id="podium-title" className="podium__title">
        {title}
      </h2>
      {places.length === 0 ? (
        <p className="podium__empty">No scores yet.</p>
      ) : (
        <ol className="podium__steps">
          {/* Read 1st, 2nd, 3rd; drawn left to right as 2nd, 1st, 3rd; risen 3rd, 2nd, 1st. */}
          {places.map((place) => {
            const words = placeWords(place.rank, place.tied);
            const names = place.entries.map((e) => e.nickname).filter((n): n is string => n !== null);
            const points = formatPoints(place.entries[0].total);
            const delay = reduceMotion ? 0 : 0.35 + (3 - place.rank) * 0.55;
            return (
              <motion.li
                key={place.rank}
                className={`podium__step podium__step--${place.rank}${place.tied ? ' is-tied' : ''}`}
                style={{ order: ORDER[place.rank] ?? place.rank }}
                aria-label={`${words}: ${names.length > 0 ? names.join(', ') : hiddenNames(place.entries.length)}, ${points} points`}
                initial={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 140 }}
                animate={{ opacity: 1, y: 0 }}
                transition={reduceMotion ? { duration: 0.2 } : { delay, type: 'spring', stiffness: 110, damping: 16 }}
                data-rank={place.rank}
                data-place={placeLabel(place.rank, place.tied)}
              >
                <ul className={`podium__names${place.entries.length > 3 ? ' is-crowded' : ''}`} aria-hidden="true">
                  {names.length > 0 ? (
                    names.map((name, i) => (
                      <li key={`${i}-${name}`} className="podium__name" title={name}>
                        {name}
                      </li>
                    ))
                  ) : (
                    <li className="podium__name podium__name--hidden">{hiddenNames(place.entries.length)}</li>
                  )}
                </ul>
                <span className="podium__points" aria-hidden="true">
                  {points} pts
                </span>
                <span className="podium__block" aria-hidden="true">
                  <span className="podium__place">{placeLabel(place.rank, place.tied)}</span>
                </span>
              </motion.li>
            );
          })}
        </ol>
      )}
      {hidden && places.length > 0 && <p className="podium__hidden-note">Names are hidden on this screen: your phone shows your place.</p>}
    </section>
  );
}
