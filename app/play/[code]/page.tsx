import type { Metadata } from 'next';
import Link from 'next/link';
import { PlayScreen } from '../../components/student/PlayScreen';
import { isJoinCode, JOIN_CODE_LENGTH, normalizeJoinCode } from '../../../lib/protocol';

export const metadata: Metadata = { title: 'Play' };

/** A student's phone in the session with this code. */
export default async function PlayPage({ params }: { params: Promise<{ code: string }> }) {
  const { code: raw } = await params;
  const code = normalizeJoinCode(decodeURIComponent(raw));
  if (!isJoinCode(code)) {
    return (
      <section className="message message--calm" aria-labelledby="bad-code-title">
        <h1 id="bad-code-title" className="message__title">
          That is not a game code
        </h1>
        <p>Game codes have {JOIN_CODE_LENGTH} letters and digits, like the one on the projector.</p>
        <Link className="button" href="/join">
          Enter a code
        </Link>
      </section>
    );
  }
  return <PlayScreen code={code} />;
}
