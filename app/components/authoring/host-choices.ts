'use client';

import { useEffect, useRef, useState } from 'react';
import type { AuthoredLessonSummary } from '../../../lib/authoring/api';
import type { LessonChoice } from '../teacher/lesson-choice';
import { authoringApi } from './api';
import { ownedLessons } from './storage';

/** A saved lesson as the host page offers it. */
export function authoredChoice(summary: AuthoredLessonSummary): LessonChoice | null {
  if (!summary.flags || summary.tokens.length === 0) return null;
  return {
    id: summary.id,
    order: 0,
    title: summary.title,
    summary: summary.summary,
    sentence: summary.sentence,
    tokens: summary.tokens,
    heads: summary.heads,
    seats: summary.tokens.length * summary.heads.length,
    flags: summary.flags,
  };
}

/**
 * The teacher's own lessons for the host page: those saved on this browser, and the one named by
 * `?lesson=` (a lesson someone shared by id can be hosted without its edit secret).
 */
export function useOwnLessonChoices(onAsked: (choice: LessonChoice) => void): LessonChoice[] {
  const [choices, setChoices] = useState<LessonChoice[]>([]);
  const asked = useRef(onAsked);
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get('lesson');
    const ids = [...new Set([...(wanted ? [wanted] : []), ...ownedLessons().map((o) => o.id)])];
    authoringApi.list(ids).then(
      (summaries) => {
        const found = summaries.map(authoredChoice).filter((c): c is LessonChoice => c !== null);
        setChoices(found);
        const choice = found.find((c) => c.id === wanted);
        if (choice) asked.current(choice);
      },
      () => setChoices([]),
    );
  }, []);
  return choices;
}
