import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { curatedLessons, getLesson } from '../../../../lib/lessons/curated/index';
import { SoloLeaderboard } from '../../../components/solo/SoloLeaderboard';

type Params = Promise<{ lessonId: string }>;

export function generateStaticParams(): { lessonId: string }[] {
  return curatedLessons.map((lesson) => ({ lessonId: lesson.id }));
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const lesson = getLesson((await params).lessonId);
  return { title: lesson ? `Leaderboard: ${lesson.title}` : 'Leaderboard not found' };
}

export default async function SoloLeaderboardPage({ params }: { params: Params }) {
  const lesson = getLesson((await params).lessonId);
  if (!lesson) notFound();
  return (
    <div className="solo-leaderboard-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/solo">Solo path</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Leaderboard</span>
      </nav>
      <p className="eyebrow">{lesson.title}</p>
      <div className="panel">
        <SoloLeaderboard lessonId={lesson.id} headingLevel={1} />
      </div>
      <p>
        <Link href={`/solo/${lesson.id}`} className="button">
          Play this level
        </Link>{' '}
        <Link href="/solo" className="button button--quiet">
          Back to the path
        </Link>
      </p>
    </div>
  );
}
