import type { Metadata } from 'next';
import Link from 'next/link';
import { curatedLessons } from '../../lib/lessons/curated/index';
import { lessonChoice } from '../components/teacher/lesson-choice';
import { HostSetup } from '../components/teacher/HostSetup';

export const metadata: Metadata = {
  title: 'Host a class',
  description: 'Choose a lesson and settings, then open a live session for your class.',
};

export default function HostPage() {
  return (
    <div className="host">
      <header className="host__hero">
        <p className="eyebrow">Host a class</p>
        <h1>Open a live session</h1>
        <p className="host__lead">
          Pick a sentence for your class to become. Every student plays one of its tokens on their phone; you run the rounds from a
          dashboard while the projector shows the join code, the class’s attention and the reveal.
        </p>
        <p className="host__lead">
          Or <Link href="/lessons/new">bring your own sentence</Link>: the lessons you write appear here too.
        </p>
      </header>
      <HostSetup lessons={curatedLessons.map(lessonChoice)} />
    </div>
  );
}
