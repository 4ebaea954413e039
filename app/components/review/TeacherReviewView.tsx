'use client';

import Link from 'next/link';
import { useState } from 'react';
import { csvFileName } from '../../../lib/review/csv';
import type { TeacherReview } from '../../../lib/review/types';
import { fetchCsv, saveBlob, saveReviewSettings, type ReviewCredential } from './access';
import { describeOptions, formatWhen } from './format';
import { LeaderboardList, ReviewPodium } from './ReviewPodium';
import { RoundSection } from './RoundSection';
import { StudentsTable } from './StudentsTable';

type Busy = 'idle' | 'working' | { error: string };

/** The CSV download: fetched with the host secret in a header, then saved from memory. */
function CsvButton({ review, credential }: { review: TeacherReview; credential: ReviewCredential }) {
  const [state, setState] = useState<Busy>('idle');
  const download = async () => {
    setState('working');
    try {
      saveBlob(await fetchCsv(review.sessionId, credential), csvFileName(review));
      setState('idle');
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : 'The download failed.' });
    }
  };
  return (
    <div className="review-action">
      <button type="button" className="button" onClick={download} disabled={state === 'working'} data-action="download-csv">
        <span aria-hidden="true">⤓</span> {state === 'working' ? 'Preparing…' : 'Download CSV'}
      </button>
      <p className="review-action__help">One row per student per round, for a spreadsheet.</p>
      {typeof state === 'object' && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}

/** Hide the leaderboard and podium from students reading their review. */
function LeaderboardSwitch({ review, credential, onChange }: { review: TeacherReview; credential: ReviewCredential; onChange: (hidden: boolean) => void }) {
  const [state, setState] = useState<Busy>('idle');
  const hidden = review.settings.leaderboardHidden;
  const toggle = async () => {
    setState('working');
    try {
      const saved = await saveReviewSettings(review.sessionId, credential, { leaderboardHidden: !hidden });
      onChange(saved.leaderboardHidden);
      setState('idle');
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : 'The setting was not saved.' });
    }
  };
  return (
    <div className="review-action">
      <button
        type="button"
        role="switch"
        aria-checked={hidden}
        className="switch"
        onClick={toggle}
        disabled={state === 'working'}
        data-action="hide-leaderboard"
        aria-describedby="hide-leaderboard-help"
      >
        <span className="switch__track" aria-hidden="true">
          <span className="switch__thumb" />
        </span>
        <span className="switch__label">Hide the leaderboard from students</span>
        <span className="switch__state" aria-hidden="true">
          {hidden ? 'Hidden' : 'Shown'}
        </span>
      </button>
      <p className="review-action__help" id="hide-leaderboard-help">
        {hidden ? 'Students see only their own report and score, no ranks.' : 'Students see their own report and this leaderboard.'}
      </p>
      {typeof state === 'object' && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}

/** Everything the teacher reviews after class. */
export function TeacherReviewView({ initial, credential }: { initial: TeacherReview; credential: ReviewCredential }) {
  const [review, setReview] = useState(initial);
  const [roundIndex, setRoundIndex] = useState(Math.max(0, initial.rounds.length - 1));
  const round = review.rounds[roundIndex];
  const scores = review.rounds.flatMap((r) => (r.classScore === null ? [] : [r.classScore]));
  const mean = scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  const active = review.students.filter((s) => !s.kicked).length;

  return (
    <div className="review" data-review="teacher" data-session={review.sessionId}>
      <header className="review__hero">
        <p className="eyebrow">
          After class · code <span className="mono">{review.code}</span>
        </p>
        <h1>{review.lesson.title}</h1>
        <p className="review__sentence">“{review.lesson.sentence}”</p>
        <ul className="review__facts">
          <li>{formatWhen(review.createdAt)}</li>
          <li>
            <b>{active}</b> {active === 1 ? 'student' : 'students'}
          </li>
          <li>
            <b>{review.rounds.length}</b> {review.rounds.length === 1 ? 'round' : 'rounds'} revealed
          </li>
          {mean !== null && (
            <li>
              average class score <b>{Math.round(mean)}</b>
            </li>
          )}
          <li>
            <span className={`badge ${review.ended ? 'badge--scored' : 'badge--away'}`}>{review.ended ? 'Ended' : 'Still running'}</span>
          </li>
        </ul>
        <div className="review__actions">
          <CsvButton review={review} credential={credential} />
          <LeaderboardSwitch review={review} credential={credential} onChange={(hidden) => setReview((r) => ({ ...r, settings: { ...r.settings, leaderboardHidden: hidden } }))} />
        </div>
        <p className="review__more">
          <Link href="/history">All sessions on this browser</Link>
        </p>
      </header>

      <section className="panel review-section review-standings" aria-labelledby="standings-title">
        <h2 id="standings-title">Final leaderboard</h2>
        <div className="review-standings__body">
          <ReviewPodium entries={review.podium} />
          {review.leaderboard.length > 0 && <LeaderboardList entries={review.leaderboard} />}
        </div>
      </section>

      <section className="panel review-section" aria-labelledby="rounds-title">
        <div className="review-section__head">
          <h2 id="rounds-title">Round by round: the class against the model</h2>
          {review.rounds.length > 1 && (
            <div className="review-rounds-picker" role="group" aria-label="Choose a round">
              {review.rounds.map((r, i) => (
                <button
                  type="button"
                  key={r.round}
                  className="review-rounds-picker__button"
                  aria-pressed={i === roundIndex}
                  onClick={() => setRoundIndex(i)}
                  title={describeOptions(r.options)}
                >
                  Round {r.round}
                </button>
              ))}
            </div>
          )}
        </div>
        {round ? <RoundSection key={round.round} round={round} tokens={review.lesson.tokens} /> : <p className="hint">No round was revealed in this session.</p>}
      </section>

      <section className="panel review-section" aria-labelledby="students-title">
        <div className="review-section__head">
          <h2 id="students-title">Each student</h2>
          <p className="hint">Open a name to see their allocation beside the model’s, round by round.</p>
        </div>
        <StudentsTable review={review} />
      </section>
    </div>
  );
}
