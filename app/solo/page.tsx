import type { Metadata } from 'next';
import { SoloPath } from '../components/solo/SoloPath';

export const metadata: Metadata = {
  title: 'Play solo',
  description: 'A self-paced path through every lesson: play a word of the sentence against a real transformer layer, with AI classmates.',
};

export default function SoloPage() {
  return <SoloPath />;
}
