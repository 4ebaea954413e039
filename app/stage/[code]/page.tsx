import type { Metadata } from 'next';
import { normalizeJoinCode } from '../../../lib/protocol';
import { Stage } from '../../components/stage/Stage';

type Params = Promise<{ code: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Stage ${normalizeJoinCode((await params).code)}`, robots: { index: false } };
}

/** The projector: put this page on the big screen, full-screen (F11). */
export default async function StagePage({ params }: { params: Params }) {
  const code = normalizeJoinCode((await params).code);
  return <Stage code={code} />;
}
