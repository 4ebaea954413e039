'use client';

import type { StudentReview } from '../../../lib/review/types';
import { isTied, placeWords } from '../../../lib/game/podium';
import { points } from '../student/text';
import { formatCosine, formatPoints, formatWhen, tokenLabel } from './format';
import { PairedBars } from './PairedBars';
import { LeaderboardList, ReviewPodium } from './ReviewPodium';

/** What a cosine between outputs means, in a few words. */
function cosineWords(cosine: number): string {
  if (cosine >= 0.99) return 'you passed on almost exactly what the model did';
  if (cosine >= 0.9) return 'you passed on nearly what the model did';
  if (cosine >= 0.7) return 'you passed on roughly what the model did';
  return 'you passed on something rather different from the model';
}

/** A student's own review: their rounds, and the leaderboard unless the teacher hid it. */
export function StudentReviewView({ review }: { review: StudentReview }) {
  const { me, lesson } = review;
  const multiHead = lesson.heads.length > 1;
  return (
    <div className="review review--student" data-review="student" data-session={review.sessionId}>
      <header className="review__hero">
        <p className="eyebrow">
          Your review · code <span className="mono">{review.code}</span>
        </p>
        <h1>
          {me.nickname}, here is how you did
        </h1>
        <p className="review__sentence">
          {lesson.title}: “{lesson.sentence}”
        </p>
        <ul className="review__facts">
          <li>{formatWhen(review.createdAt)}</li>
          <li>
            <b>{formatPoints(me.total)}</b> points
          </li>
          {me.rank !== null && (
            <li>
              <b>{placeWords(me.rank, isTied(review.leaderboard ?? [], me.rank))}</b> place
            </li>
          )}
          <li>
            <b>{me.rounds.length}</b> {me.rounds.length === 1 ? 'round' : 'rounds'} played
          </li>
        </ul>
      </header>

      {review.leaderboard && review.podium ? (
        <section className="panel review-section review-standings" aria-labelledby="standings-title">
          <h2 id="standings-title">Leaderboard</h2>
          <div className="review-standings__body">
            <ReviewPodium entries={review.podium} />
            <LeaderboardList entries={review.leaderboard} />
          </div>
        </section>
      ) : (
        <p className="review-note">Your teacher chose not to show the leaderboard. Your own scores are below.</p>
      )}

      <section className="review-section review-my-rounds" aria-labelledby="my-rounds-title">
        <h2 id="my-rounds-title">Your rounds</h2>
        {me.rounds.length === 0 && <p className="hint">You were not scored in any round.</p>}
        {me.rounds.map((played) => {
          const round = review.rounds.find((r) => r.round === played.round);
          return (
            <article className="panel review-my-round" key={played.round} data-round={played.round} aria-labelledby={`my-round-${played.round}`}>
              <header className="review-my-round__head">
                <h3 id={`my-round-${played.round}`}>
                  Round {played.round}: you were <span className="review-token">{tokenLabel(lesson.tokens, played.token)}</span>
                  {multiHead && <span className="review-muted"> · head {lesson.heads[played.head]}</span>}
                </h3>
                <p className="review-my-round__score">
                  <b>{played.score}</b>
                  <span className="review-muted"> / 1000</span>
                  {played.bonus > 0 && <span className="review-my-round__bonus"> +{played.bonus} speed bonus</span>}
                  {!played.touched && <span className="tag tag--untouched">untouched</span>}
                </p>
                <p className="review-my-round__verdict">
                  {played.verdict} <span className="review-muted">(top key {played.topKeyPoints} + spread {played.spreadPoints})</span>
                </p>
              </header>
              <PairedBars
                tokens={lesson.tokens}
                allocation={played.allocation}
                model={played.trueRow}
                who="You"
                over={played.overWeighted?.token ?? null}
                caption="Your attention beside the model’s, key by key"
              />
              <ul className="review-my-round__facts">
                <li>
                  Output cosine <b>{formatCosine(played.cosine)}</b>: {cosineWords(played.cosine)}.
                </li>
                {played.overWeighted && played.overWeighted.by > 0.005 ? (
                  <li>
                    You gave <b>{tokenLabel(lesson.tokens, played.overWeighted.token)}</b> {points(played.overWeighted.by)} more of your attention than the model
                    did.
                  </li>
                ) : (
                  <li>You gave no key noticeably more than the model did.</li>
                )}
                {round?.classScore != null && (
                  <li>
                    Class average this round: <b>{Math.round(round.classScore)}</b>
                  </li>
                )}
              </ul>
            </article>
          );
        })}
      </section>
    </div>
  );
}
