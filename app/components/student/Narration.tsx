'use client';

import type { StudentView } from '../../../lib/protocol';
import { seatPrompt, stepText } from './text';

/**
 * One short line addressed to the student's own token; the lesson's longer narration (told from its
 * star token, as the projector tells it) opens underneath on a tap.
 */
export function Narration({ view }: { view: StudentView }) {
  const prompt = seatPrompt(view);
  const story = stepText(view);
  if (!prompt) return <p className="step-text">{story}</p>;
  return (
    <details className="narration">
      <summary className="narration__line">{prompt}</summary>
      <p className="narration__story">
        <span className="narration__label">The lesson’s story, as on the projector: </span>
        {story}
      </p>
    </details>
  );
}
