'use client';

import { useId, useRef, useState, type ReactNode } from 'react';

/** The sentence under a control that says what it does; the control points at it with aria-describedby. */
function ControlHelp({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p className="control__help" id={id}>
      {children}
    </p>
  ) : null;
}

/** What the numeric controls share. */
interface NumericControlProps {
  label: string;
  help?: ReactNode;
  value: number;
  min: number;
  max: number;
  disabled?: boolean;
  /** A stable name for tests (`data-setting`). */
  name?: string;
}

/** An on/off setting that says what it does; a real button with role switch, so Space and Enter work. */
export function Switch({
  label,
  help,
  checked,
  onChange,
  disabled = false,
  name,
}: {
  label: string;
  help?: ReactNode;
  checked: boolean;
  onChange: (next: boolean) => void;
  disabled?: boolean;
  /** A stable name for tests (`data-setting`). */
  name?: string;
}) {
  const helpId = useId();
  return (
    <div className={`control${disabled ? ' is-disabled' : ''}`}>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={help ? helpId : undefined}
        className="switch"
        onClick={() => onChange(!checked)}
        disabled={disabled}
        data-setting={name}
      >
        <span className="switch__track" aria-hidden="true">
          <span className="switch__thumb" />
        </span>
        <span className="switch__label">{label}</span>
        <span className="switch__state" aria-hidden="true">
          {checked ? 'On' : 'Off'}
        </span>
      </button>
      <ControlHelp id={helpId}>{help}</ControlHelp>
    </div>
  );
}

/** A labelled range input that prints its value (and a word for it) beside the label. */
export function Slider({
  label,
  help,
  value,
  min,
  max,
  step,
  onChange,
  onCommit,
  format,
  disabled = false,
  name,
}: NumericControlProps & {
  step: number;
  onChange: (next: number) => void;
  /** Called when the pointer or key lets go, for settings that should not be sent on every step. */
  onCommit?: (value: number) => void;
  format: (value: number) => string;
}) {
  const id = useId();
  const helpId = useId();
  const fill = `${((value - min) / (max - min)) * 100}%`;
  return (
    <div className={`control${disabled ? ' is-disabled' : ''}`}>
      <div className="slider__top">
        <label className="slider__label" htmlFor={id}>
          {label}
        </label>
        <output className="slider__value" htmlFor={id}>
          {format(value)}
        </output>
      </div>
      <input
        id={id}
        className="slider"
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        aria-valuetext={format(value)}
        aria-describedby={help ? helpId : undefined}
        style={{ ['--fill' as string]: fill }}
        onChange={(event) => onChange(Number(event.target.value))}
        onPointerUp={(event) => onCommit?.(Number((event.target as HTMLInputElement).value))}
        onKeyUp={(event) => onCommit?.(Number((event.target as HTMLInputElement).value))}
        data-setting={name}
      />
      <ControlHelp id={helpId}>{help}</ControlHelp>
    </div>
  );
}

/**
 * A whole number the teacher types, taken when they press Enter or leave the field. A number out of
 * range is not sent: the field says what it takes and goes back to the value in force.
 */
export function NumberField({
  label,
  help,
  value,
  min,
  max,
  onCommit,
  unit,
  disabled = false,
  name,
}: NumericControlProps & {
  onCommit: (next: number) => void;
  /** A word after the number ("students"). */
  unit?: string;
}) {
  const id = useId();
  const helpId = useId();
  const problemId = useId();
  // What is being typed; null shows the value in force (which the server may change meanwhile).
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const commit = () => {
    if (draft === null) return;
    const typed = Number(draft.trim());
    if (!Number.isInteger(typed) || typed < min || typed > max) {
      setProblem(`A whole number from ${min} to ${max}; kept ${value}.`);
    } else {
      setProblem(null);
      if (typed !== value) onCommit(typed);
    }
    setDraft(null);
  };

  return (
    <div className={`control${disabled ? ' is-disabled' : ''}`}>
      <div className="slider__top">
        <label className="slider__label" htmlFor={id}>
          {label}
        </label>
        <span className="number-field">
          <input
            id={id}
            className="number-field__input"
            type="number"
            inputMode="numeric"
            min={min}
            max={max}
            step={1}
            value={draft ?? String(value)}
            disabled={disabled}
            aria-describedby={[help ? helpId : null, problem ? problemId : null].filter(Boolean).join(' ') || undefined}
            aria-invalid={problem ? true : undefined}
            onChange={(event) => {
              setDraft(event.target.value);
              setProblem(null);
            }}
            onBlur={commit}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                commit();
              }
            }}
            data-setting={name}
          />
          {unit && <span className="number-field__unit">{unit}</span>}
        </span>
      </div>
      {problem && (
        <p className="control__problem" id={problemId} role="alert">
          {problem}
        </p>
      )}
      <ControlHelp id={helpId}>{help}</ControlHelp>
    </div>
  );
}

/** A choice of a few options as a row of radio buttons (arrow keys move between them). */
export function Segmented<T extends string | number>({
  legend,
  options,
  value,
  onChange,
  help,
  name,
  disabled = false,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (next: T) => void;
  help?: ReactNode;
  name: string;
  disabled?: boolean;
}) {
  const helpId = useId();
  const group = useId();
  return (
    <fieldset className="control segmented" aria-describedby={help ? helpId : undefined} disabled={disabled} data-setting={name}>
      <legend className="segmented__legend">{legend}</legend>
      <div className="segmented__options">
        {options.map((option) => (
          <label key={String(option.value)} className={`segmented__option${option.value === value ? ' is-checked' : ''}`}>
            <input
              type="radio"
              name={`${name}-${group}`}
              value={String(option.value)}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      <ControlHelp id={helpId}>{help}</ControlHelp>
    </fieldset>
  );
}

/**
 * A button that asks first, in a modal dialog (focus moves into it, Escape cancels). For actions a
 * teacher cannot undo: removing a student, ending the session.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  className = 'button button--quiet button--compact',
  disabled = false,
  ariaLabel,
  name,
}: {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  className?: string;
  disabled?: boolean;
  ariaLabel?: string;
  name?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" className={className} onClick={() => dialog.current?.showModal()} disabled={disabled} aria-label={ariaLabel} data-action={name}>
        {children}
      </button>
      <dialog ref={dialog} className="confirm" aria-labelledby={titleId} data-confirm={name}>
        <form method="dialog" className="confirm__body">
          <h2 id={titleId} className="confirm__title">
            {title}
          </h2>
          <div className="confirm__message">{message}</div>
          <div className="confirm__actions">
            <button type="submit" value="cancel" className="button button--quiet" autoFocus>
              Cancel
            </button>
            <button
              type="submit"
              value="confirm"
              className="button button--danger"
              onClick={() => {
                onConfirm();
              }}
              data-confirm-action={name}
            >
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
