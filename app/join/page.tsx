import type { Metadata } from 'next';
import { JoinForm } from '../components/student/JoinForm';

export const metadata: Metadata = { title: 'Join a game' };

/** `/join?code=ABC123` (the projector's QR code) fills the code in. */
export default async function JoinPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { code } = await searchParams;
  return <JoinForm initialCode={typeof code === 'string' ? code : ''} />;
}
