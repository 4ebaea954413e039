import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { curatedLessons, getLesson } from '../../../lib/lessons/curated/index';
import { keySeats, noteStory, sameSeat, sentenceRows, soloLevels } from '../../../lib/solo';
import type { LevelIntroData } from '../../components/solo/LevelIntro';
import { SoloLevel } from '../../components/solo/SoloLevel';

type Params = Promise<{ lessonId: string }>;

export function generateStaticParams(): { lessonId: string }[] {
  return curatedLessons.map((lesson) => ({ lessonId: lesson.id }));
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const lesson = getLesson((await params).lessonId);
  return lesson ? { title: `Solo: ${lesson.title}`, description: lesson.summary } : { title: 'Level not found' };
}

export default async function SoloLevelPage({ params }: { params: Params }) {
  const lesson = getLesson((await params).lessonId);
  if (!lesson) notFound();
  const levels = soloLevels(curatedLessons);
  const level = levels.find((l) => l.lessonId === lesson.id);
  if (!level) notFound();
  const keys = keySeats(lesson);
  // Only the lesson's words and cards' shape go to the page: never its weights (they give the answer away).
  const intro: LevelIntroData = {
    lessonId: lesson.id,
    number: level.number,
    count: levels.length,
    title: lesson.title,
    summary: lesson.summary,
    sentence: lesson.sentence,
    tokens: [...lesson.tokens],
    heads: lesson.heads.map((h) => ({ name: h.name, looksFor: h.looksFor })),
    keySeats: keys,
    choices: sentenceRows(lesson).map((row) => ({ ...row, key: keys.some((k) => sameSeat(k, row)), best: null })),
    note: noteStory(lesson),
    causal: lesson.flags.causal,
  };
  return <SoloLevel key={lesson.id} intro={intro} />;
}
