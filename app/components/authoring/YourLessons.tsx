'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { AuthoredLessonSummary } from '../../../lib/authoring/api';
import { authoringApi } from './api';
import { ownedLessons } from './storage';

/** The lessons this browser saved, each with its editor, host and solo links. */
export function YourLessons() {
  const [lessons, setLessons] = useState<AuthoredLessonSummary[] | null>(null);
  useEffect(() => {
    authoringApi.list(ownedLessons().map((o) => o.id)).then(setLessons, () => setLessons([]));
  }, []);
  if (!lessons || lessons.length === 0) return null;
  return (
    <section className="panel editor__yours" aria-labelledby="yours-title">
      <h2 id="yours-title">Your lessons on this browser</h2>
      <ul>
        {lessons.map((lesson) => (
          <li key={lesson.id}>
            <strong>{lesson.title}</strong> <span className="editor__hint">{lesson.tokens.length} words</span>{' '}
            <Link href={`/lessons/${lesson.id}/edit`} prefetch={false}>
              Edit
            </Link>{' '}
            · <Link href={`/host?lesson=${lesson.id}`} prefetch={false}>Host</Link>{' '}
            · <Link href={`/solo/own/${lesson.id}`} prefetch={false}>Solo</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
