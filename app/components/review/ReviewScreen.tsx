'use client';

import { MotionConfig } from 'framer-motion';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { AnyReview } from '../../../lib/review/types';
import { credentialsFor, fetchReview, rememberSession, ReviewApiError, type ReviewCredential } from './access';
import { StudentReviewView } from './StudentReviewView';
import { TeacherReviewView } from './TeacherReviewView';

type Loaded =
  | { status: 'loading' }
  | { status: 'no-secret' }
  | { status: 'refused'; message: string; notFound: boolean }
  | { status: 'ready'; review: AnyReview; credential: ReviewCredential };

/** Tries each secret this browser holds for the session, the teacher's first. */
async function load(ref: string, signal: AbortSignal): Promise<Loaded> {
  const credentials = credentialsFor(ref);
  if (credentials.length === 0) return { status: 'no-secret' };
  let last: unknown = null;
  for (const credential of credentials) {
    try {
      const review = await fetchReview(ref, credential, signal);
      if (review.kind === 'teacher' && credential.role === 'teacher') {
        // The history page lists what this browser reviewed, lesson and date included.
        rememberSession({
          sessionId: review.sessionId,
          code: review.code,
          hostSecret: credential.secret,
          lessonId: review.lesson.id,
          lessonTitle: review.lesson.title,
          createdAt: review.createdAt,
        });
      }
      return { status: 'ready', review, credential };
    } catch (error) {
      if (signal.aborted) throw error;
      last = error;
    }
  }
  if (last instanceof ReviewApiError) return { status: 'refused', message: last.message, notFound: last.status === 404 };
  return { status: 'refused', message: 'The server could not be reached. Check the connection and reload.', notFound: false };
}

/**
 * The review page: finds this browser's secret for the session (teacher's, else student's), asks the
 * server for the review it opens, and shows the teacher's or the student's view.
 */
export function ReviewScreen({ reference }: { reference: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    load(reference, controller.signal).then(
      (result) => {
        if (!controller.signal.aborted) setLoaded(result);
      },
      () => {
        // Aborted: the page moved on.
      },
    );
    return () => controller.abort();
  }, [reference]);

  switch (loaded.status) {
    case 'loading':
      return (
        <p className="review-state" role="status">
          Loading the review…
        </p>
      );
    case 'no-secret':
      return (
        <div className="review-state panel">
          <h1>This browser has no key to this review</h1>
          <p>
            A review opens on the device that ran the session (the teacher’s) or that played in it (a student’s), because only those hold the
            secret it needs. Open this page there.
          </p>
          <p>
            <Link href="/history">Sessions this browser ran</Link>
          </p>
        </div>
      );
    case 'refused':
      return (
        <div className="review-state panel" role="alert">
          <h1>{loaded.notFound ? 'No such session' : 'This review did not open'}</h1>
          <p>{loaded.message}</p>
          <p>
            <Link href="/history">Sessions this browser ran</Link>
          </p>
        </div>
      );
    case 'ready':
      return (
        <MotionConfig reducedMotion="user">
          {loaded.review.kind === 'teacher' ? (
            <TeacherReviewView initial={loaded.review} credential={loaded.credential} />
          ) : (
            <StudentReviewView review={loaded.review} />
          )}
        </MotionConfig>
      );
  }
}
