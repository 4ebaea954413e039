import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { curatedLessons, getLesson } from '../../../lib/lessons/curated/index';
import { LessonExplorer } from '../../components/LessonExplorer';
import { TokenRow } from '../../components/TokenRow';

type Params = Promise<{ id: string }>;

const STEP_NAMES = [
  ['intro', 'Meet the tokens'],
  ['cards', 'Read your cards'],
  ['negotiate', 'Share your attention'],
  ['lock', 'Lock in'],
  ['reveal', 'The reveal'],
  ['wrapUp', 'What it means'],
] as const;

export function generateStaticParams(): { id: string }[] {
  return curatedLessons.map((lesson) => ({ id: lesson.id }));
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const lesson = getLesson((await params).id);
  return lesson ? { title: lesson.title, description: lesson.summary } : { title: 'Lesson not found' };
}

export default async function LessonPage({ params }: { params: Params }) {
  const lesson = getLesson((await params).id);
  if (!lesson) notFound();
  const index = curatedLessons.findIndex((candidate) => candidate.id === lesson.id);
  const next = curatedLessons[index + 1];

  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">All lessons</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Lesson {lesson.order}</span>
      </nav>

      <header className="lesson-hero">
        <p className="eyebrow">Lesson {lesson.order}</p>
        <h1 id="lesson-title">{lesson.title}</h1>
        <p className="lesson-hero__summary">{lesson.summary}</p>
        <div className="sentence">
          <p className="sentence__label">The sentence</p>
          <p className="sentence__text">“{lesson.sentence}”</p>
          <TokenRow tokens={lesson.tokens} label="Its tokens, numbered" />
        </div>
      </header>

      <div className="lesson-intro">
        <section className="panel panel--tinted" aria-labelledby="intro-title">
          <h2 id="intro-title">How it works</h2>
          <p className="lesson-intro__text">{lesson.steps.intro}</p>
          <details className="steps">
            <summary>The six steps of a round in class</summary>
            <ol>
              {STEP_NAMES.map(([key, name]) => (
                <li key={key}>
                  <strong>{name}.</strong> {lesson.steps[key]}
                </li>
              ))}
            </ol>
          </details>
        </section>
      </div>

      <LessonExplorer lesson={lesson} />

      <nav className="lesson-next" aria-label="More lessons">
        <Link href="/" className="button button--quiet">
          ← All lessons
        </Link>
        {next && (
          <Link href={`/lessons/${next.id}`} className="button">
            Next: {next.title} →
          </Link>
        )}
      </nav>
    </article>
  );
}
