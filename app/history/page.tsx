import type { Metadata } from 'next';
import { SessionHistory } from '../components/review/SessionHistory';

export const metadata: Metadata = {
  title: 'Past sessions',
  description: 'The games this browser played and the sessions it ran, each with its after-class review.',
  robots: { index: false },
};

export default function HistoryPage() {
  return (
    <div className="review-history-page">
      <header className="review__hero">
        <p className="eyebrow">After class</p>
        <h1>Your past sessions</h1>
        <p className="review__lead">
          Every game played and every session run from this browser, newest first. The list stays on this device: the server shows a review
          only to the browser holding that session’s secret.
        </p>
      </header>
      <SessionHistory />
    </div>
  );
}
