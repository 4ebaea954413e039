'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useOwnLessonChoices } from '../authoring/host-choices';
import { ArenaClient } from '../../../lib/client/arena-client';
import { describeError, toErrorInfo } from '../../../lib/client/errors';
import { shareArenaClient } from '../../../lib/client/registry';
import type { Settings, SettingsPatch } from '../../../lib/protocol';
import { TokenRow } from '../TokenRow';
import { initialSettings, type LessonChoice } from './lesson-choice';
import { SettingsFields } from './SettingsFields';

/**
 * The teacher's first page: choose a lesson, adjust the settings, open the session. The new session's
 * client (which holds the host secret, also kept in localStorage) is handed to the dashboard, so the
 * teacher is never shown as a stranger on the way there.
 */
export function HostSetup({ lessons: curated }: { lessons: readonly LessonChoice[] }) {
  const router = useRouter();
  const firstRound = curated.find((l) => l.id === 'the-cat-sat') ?? curated[0];
  const [lessonId, setLessonId] = useState(firstRound.id);
  const [settings, setSettings] = useState<Settings>(() => initialSettings(firstRound));
  // The teacher's own lessons (kept on this browser) come first; ?lesson=<id> picks one.
  const own = useOwnLessonChoices((choice) => {
    setLessonId(choice.id);
    setSettings((current) => ({ ...current, scale: choice.flags.scale, temperature: choice.flags.temperature, causal: choice.flags.causal }));
  });
  const lessons = useMemo(() => [...own, ...curated], [own, curated]);
  const lesson = lessons.find((l) => l.id === lessonId) ?? firstRound;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const chooseLesson = (id: string) => {
    const next = lessons.find((l) => l.id === id);
    if (!next) return;
    setLessonId(id);
    // Keep the class settings; take the attention settings from the new lesson.
    setSettings((current) => ({ ...current, scale: next.flags.scale, temperature: next.flags.temperature, causal: next.flags.causal }));
  };

  const patch = (change: SettingsPatch) => setSettings((current) => ({ ...current, ...change }));

  const open = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const client = new ArenaClient();
    try {
      const created = await client.createSession({ lessonId: lesson.id, settings });
      shareArenaClient(client);
      router.push(`/host/${created.code}`);
    } catch (failure) {
      client.close();
      setError(describeError(toErrorInfo(failure)));
      setBusy(false);
    }
  };

  return (
    <form className="host-setup" onSubmit={open} aria-describedby={error ? errorId : undefined}>
      <fieldset className="host-setup__lessons">
        <legend className="host-setup__legend">
          <span className="host-setup__step" aria-hidden="true">
            1
          </span>
          Choose a lesson
        </legend>
        <div className="lesson-picker">
          {lessons.map((choice) => {
            const checked = choice.id === lessonId;
            return (
              <label key={choice.id} className={`lesson-pick${checked ? ' is-checked' : ''}`} data-lesson={choice.id}>
                <input type="radio" name="lesson" value={choice.id} checked={checked} onChange={() => chooseLesson(choice.id)} className="lesson-pick__radio" />
                <span className="lesson-pick__top">
                  <span className="lesson-pick__order" aria-hidden="true">
                    {choice.order > 0 ? choice.order : '★'}
                  </span>
                  <span className="lesson-pick__title">{choice.title}</span>
                  <span className="lesson-pick__check" aria-hidden="true">
                    {checked ? '✓' : ''}
                  </span>
                </span>
                <span className="lesson-pick__summary">{choice.summary}</span>
                <span className="lesson-pick__facts">
                  <span className="pill">
                    {choice.seats} seats
                  </span>
                  <span className="pill">
                    {choice.tokens.length} tokens × {choice.heads.length} head{choice.heads.length === 1 ? '' : 's'}
                  </span>
                  {choice.flags.causal && <span className="pill">causal</span>}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      <section className="host-setup__chosen panel" aria-labelledby="chosen-title">
        <p className="eyebrow">{lesson.order > 0 ? `Lesson ${lesson.order}` : 'Your own lesson'}</p>
        <h2 id="chosen-title">{lesson.title}</h2>
        <TokenRow tokens={lesson.tokens} label={`Tokens of “${lesson.sentence}”`} size="small" />
        <p className="hint">
          {lesson.seats} seats: one per token{lesson.heads.length > 1 ? ' and head' : ''}. With more students, teams share a seat; with
          fewer, AI classmates play the empty ones.
        </p>
      </section>

      <fieldset className="host-setup__settings">
        <legend className="host-setup__legend">
          <span className="host-setup__step" aria-hidden="true">
            2
          </span>
          Settings
        </legend>
        <SettingsFields
          settings={settings}
          adjustable={{ causal: lesson.flags.causalAdjustable, scale: lesson.flags.scaleAdjustable, temperature: lesson.flags.temperatureAdjustable }}
          onChange={patch}
        />
      </fieldset>

      <div className="host-setup__go">
        {error && (
          <p className="form-error" role="alert" id={errorId}>
            {error}
          </p>
        )}
        <button type="submit" className="button button--big" disabled={busy} data-action="open-session">
          {busy ? 'Opening…' : 'Open session'}
        </button>
        <p className="hint">You get a join code for the class and a stage page for the projector.</p>
      </div>
    </form>
  );
}
