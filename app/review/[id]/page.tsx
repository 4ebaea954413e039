import type { Metadata } from 'next';
import { ReviewScreen } from '../../components/review/ReviewScreen';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = {
  title: 'Review',
  description: 'After class: the leaderboard, the class’s attention beside the model’s, round by round, and each student’s report.',
  robots: { index: false },
};

/** `/review/<session id>` for the teacher, `/review/<join code>` works for both teacher and students. */
export default async function ReviewPage({ params }: { params: Params }) {
  const { id } = await params;
  let reference = id;
  try {
    reference = decodeURIComponent(id);
  } catch {
    // Not percent-encoding after all: the id as it came.
  }
  return <ReviewScreen reference={reference} />;
}
