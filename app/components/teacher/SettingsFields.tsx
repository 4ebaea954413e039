'use client';

import { useState } from 'react';
import { DEFAULT_ROOM_SIZE, MAX_ROOM_SIZE, type Settings, type SettingsPatch } from '../../../lib/protocol';
import { NumberField, Segmented, Slider, Switch } from './controls';
import { TIMER_OPTIONS, describeSkill, formatTemperature } from './lesson-choice';

/** Which attention settings this lesson lets the teacher change. */
export interface Adjustable {
  causal: boolean;
  scale: boolean;
  temperature: boolean;
}

function fixedNote(what: string): string {
  return `This lesson fixes ${what}: it is part of what the lesson teaches.`;
}

/**
 * Every setting of a session as form controls. On the host page each change edits the form; on the
 * dashboard each change is sent at once (sliders when they are let go), so `onChange` gets a patch.
 */
export function SettingsFields({
  settings,
  adjustable,
  onChange,
  live = false,
  disabled = false,
}: {
  settings: Settings;
  adjustable: Adjustable;
  onChange: (patch: SettingsPatch) => void;
  /** On the dashboard: changes apply to the running session. */
  live?: boolean;
  disabled?: boolean;
}) {
  // A slider being dragged shows its own value; the session's changes once it is let go.
  const [temperatureDraft, setTemperatureDraft] = useState<number | null>(null);
  const [skillDraft, setSkillDraft] = useState<number | null>(null);
  const temperature = temperatureDraft ?? settings.temperature;
  const skill = skillDraft ?? settings.botSkill;
  const when = live ? ' Applies from the next round.' : '';

  return (
    <div className="settings-grid">
      <Segmented
        legend="Negotiation timer"
        name="timer"
        options={TIMER_OPTIONS}
        value={settings.timerSeconds ?? 0}
        onChange={(seconds) => onChange({ timerSeconds: seconds === 0 ? null : seconds })}
        help={`With the timer off you lock each round yourself: no time pressure.${live ? ' Applies when the next negotiation opens.' : ''}`}
        disabled={disabled}
      />
      <Switch
        name="hideNamesOnStage"
        label="Hide names on the stage"
        checked={settings.hideNamesOnStage}
        onChange={(hideNamesOnStage) => onChange({ hideNamesOnStage })}
        help="The projector shows no nicknames, only counts and places. You still see everyone here."
        disabled={disabled}
      />
      <Switch
        name="scale"
        label="Scale by √d_k"
        checked={settings.scale}
        onChange={(scale) => onChange({ scale })}
        disabled={disabled || !adjustable.scale}
        help={adjustable.scale ? `Divide the dot products by the square root of the key length before softmax.${when}` : fixedNote('the scaling')}
      />
      <Slider
        name="temperature"
        label="Temperature"
        value={temperature}
        min={0.25}
        max={4}
        step={0.25}
        format={formatTemperature}
        onChange={(t) => (live ? setTemperatureDraft(t) : onChange({ temperature: t }))}
        onCommit={(t) => {
          if (!live) return;
          setTemperatureDraft(null);
          if (t !== settings.temperature) onChange({ temperature: t });
        }}
        disabled={disabled || !adjustable.temperature}
        help={
          adjustable.temperature
            ? `Below 1 the model’s attention sharpens onto its favourite; above 1 it spreads out.${when}`
            : fixedNote('the temperature')
        }
      />
      <Switch
        name="causal"
        label="Causal mask"
        checked={settings.causal}
        onChange={(causal) => onChange({ causal })}
        disabled={disabled || !adjustable.causal}
        help={adjustable.causal ? `Each token may look only at itself and earlier tokens, as in a text generator.${when}` : fixedNote('the causal mask')}
      />
      <Switch
        name="lateJoin"
        label="Late joiners welcome"
        checked={settings.lateJoin}
        onChange={(lateJoin) => onChange({ lateJoin })}
        help="Students can join after the first round starts: into an AI classmate’s seat at once, or at the next round."
        disabled={disabled}
      />
      <Switch
        name="lobbyLocked"
        label="Lock the lobby"
        checked={settings.lobbyLocked ?? false}
        onChange={(lobbyLocked) => onChange({ lobbyLocked })}
        help="New students can join only under a name you let in. Everyone already here stays."
        disabled={disabled}
      />
      <NumberField
        name="roomSize"
        label="Class size"
        unit="students"
        value={settings.roomSize ?? DEFAULT_ROOM_SIZE}
        min={1}
        max={MAX_ROOM_SIZE}
        onCommit={(roomSize) => onChange({ roomSize })}
        help="The most students who can join. Set it a little above your class, so a stranger with the code finds the game full. Everyone already here stays."
        disabled={disabled}
      />
      <Switch
        name="speedBonus"
        label="Speed bonus"
        checked={settings.speedBonus}
        onChange={(speedBonus) => onChange({ speedBonus })}
        help={
          <>
            Up to 100 extra points for an early, accurate allocation. <strong>Off by default:</strong> speed points reward the
            fastest readers and typists and hurt accessibility.
          </>
        }
        disabled={disabled}
      />
      <Slider
        name="botSkill"
        label="AI classmates’ skill"
        value={skill}
        min={0}
        max={1}
        step={0.1}
        format={(s) => `${Math.round(s * 100)}% · ${describeSkill(s)}`}
        onChange={(s) => (live ? setSkillDraft(s) : onChange({ botSkill: s }))}
        onCommit={(s) => {
          if (!live) return;
          setSkillDraft(null);
          if (s !== settings.botSkill) onChange({ botSkill: s });
        }}
        disabled={disabled}
        help="AI classmates play the seats no student fills. At 0% they guess; at 100% they give the model’s answer. They are marked as AI everywhere."
      />
    </div>
  );
}
