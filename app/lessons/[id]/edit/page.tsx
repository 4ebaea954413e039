import type { Metadata } from 'next';
import Link from 'next/link';
import { LessonEditor } from '../../../components/authoring/LessonEditor';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Edit your lesson' };

export default async function EditLessonPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <article className="lesson editor-page" aria-labelledby="editor-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Home</Link>
        <span aria-hidden="true"> / </span>
        <Link href="/lessons/new">Lesson editor</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Edit</span>
      </nav>
      <header className="lesson-hero">
        <p className="eyebrow">Lesson editor</p>
        <h1 id="editor-title">Edit your lesson</h1>
      </header>
      <LessonEditor lessonId={id} />
    </article>
  );
}
