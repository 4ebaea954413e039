'use client';

import { useEffect, useState } from 'react';
import type { AuthoredSoloIntro } from '../../../lib/authoring/api';
import { SoloLevel } from '../solo/SoloLevel';

/** Loads a teacher's lesson (the rows its goals are about, no weights) and opens it as a solo level. */
export function OwnSoloLevel({ lessonId }: { lessonId: string }) {
  const [intro, setIntro] = useState<AuthoredSoloIntro | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch(`/api/authored-lessons/${encodeURIComponent(lessonId)}/solo`)
      .then(async (response) => {
        const body = (await response.json()) as AuthoredSoloIntro | { error: { message: string } };
        if ('error' in body) setError(body.error.message);
        else setIntro(body);
      })
      .catch(() => setError('The lesson could not be loaded.'));
  }, [lessonId]);
  if (error) return <p role="alert">{error}</p>;
  if (!intro) return <p role="status">Loading the lesson…</p>;
  return <SoloLevel key={intro.lessonId} intro={intro} />;
}
