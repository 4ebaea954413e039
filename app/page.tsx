import Link from 'next/link';
import { curatedLessons } from '../lib/lessons/curated/index';
import { TokenRow } from './components/TokenRow';

const ACTIONS = [
  {
    href: '/host',
    title: 'Host a class',
    description: 'Pick a lesson, put the join code on the projector and run the rounds at your pace.',
    tone: 'host',
  },
  {
    href: '/join',
    title: 'Join with a code',
    description: 'Got a code from your teacher? Enter it with a nickname. No account needed.',
    tone: 'join',
  },
  {
    href: '/solo',
    title: 'Play solo',
    description: 'Work through the lessons on your own, one round at a time, against the model.',
    tone: 'solo',
  },
] as const;

export default function HomePage() {
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <p className="eyebrow">A live classroom game</p>
        <h1 id="hero-title">
          Be the token. <span className="hero__accent">Find out where attention goes.</span>
        </h1>
        <p className="hero__lead">
          In Attention Arena every student plays one word of a sentence. With query, key and value cards in hand,
          the class decides who listens to whom — then a real transformer layer reveals what it would have done.
        </p>
      </section>

      <nav className="actions" aria-label="Start">
        {ACTIONS.map((action) => (
          <Link key={action.href} href={action.href} prefetch={false} className={`action action--${action.tone}`}>
            <span className="action__title">{action.title}</span>
            <span className="action__description">{action.description}</span>
            <span className="action__go" aria-hidden="true">
              →
            </span>
          </Link>
        ))}
      </nav>
      <p className="actions__more">
        Taught a class here before? <Link href="/history">Your past sessions</Link> open their reviews: leaderboard,
        round-by-round class against model, per-student reports and a CSV export.
      </p>
      <p className="actions__more">
        Want this week’s reading on the projector? <Link href="/lessons/new">Bring your own sentence</Link>: draw the arcs your class should
        discover and play it against a real attention layer.
      </p>

      <section className="lessons" aria-labelledby="lessons-title">
        <div className="section-head">
          <h2 id="lessons-title">Lessons</h2>
          <p>Open any lesson to explore its cards and the model’s attention, and turn the knobs yourself.</p>
        </div>
        <ol className="lesson-list">
          {curatedLessons.map((lesson) => (
            <li key={lesson.id} className="lesson-item">
              <Link href={`/lessons/${lesson.id}`} className="lesson-card">
                <span className="lesson-card__order" aria-hidden="true">
                  {lesson.order}
                </span>
                <span className="lesson-card__body">
                  <span className="lesson-card__title">{lesson.title}</span>
                  <span className="lesson-card__summary">{lesson.summary}</span>
                </span>
              </Link>
              <TokenRow tokens={lesson.tokens} label={`Tokens of “${lesson.sentence}”`} size="small" />
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
