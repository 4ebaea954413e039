import type { Metadata } from 'next';
import Link from 'next/link';
import { LessonEditor } from '../../components/authoring/LessonEditor';

export const metadata: Metadata = {
  title: 'Your own sentence',
  description: 'Write a sentence, draw the arcs your class should discover, and play it against a real attention layer.',
};

export default function NewLessonPage() {
  return (
    <article className="lesson editor-page" aria-labelledby="editor-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Home</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Your own sentence</span>
      </nav>
      <header className="lesson-hero">
        <p className="eyebrow">Lesson editor</p>
        <h1 id="editor-title">Bring your own sentence</h1>
        <p className="lesson-hero__summary">
          Type a sentence from this week’s reading. One grammar head, the same for every sentence, finds subjects and nouns; a meaning head is fitted
          to the arcs you draw, with numbers small enough to check by hand.
        </p>
      </header>
      <LessonEditor />
    </article>
  );
}
