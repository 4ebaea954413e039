import type { Metadata } from 'next';
import { normalizeJoinCode } from '../../../lib/protocol';
import { Dashboard } from '../../components/teacher/Dashboard';

type Params = Promise<{ code: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Dashboard ${normalizeJoinCode((await params).code)}`, robots: { index: false } };
}

export default async function HostDashboardPage({ params }: { params: Params }) {
  const code = normalizeJoinCode((await params).code);
  return <Dashboard code={code} />;
}
