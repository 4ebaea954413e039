import type { Metadata } from 'next';
import { OwnSoloLevel } from '../../../components/authoring/OwnSoloLevel';

type Params = Promise<{ lessonId: string }>;

export const metadata: Metadata = { title: 'Solo: your own lesson' };

/** A teacher's own lesson played solo: off the path, always open, otherwise the same level page. */
export default async function OwnSoloPage({ params }: { params: Params }) {
  const { lessonId } = await params;
  return <OwnSoloLevel lessonId={lessonId} />;
}
