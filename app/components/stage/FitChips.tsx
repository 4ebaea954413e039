'use client';

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Chips that wrap inside their box and, where they would not all fit, end with "+N more" instead of
 * being cut off: a projector cannot scroll. The box's height comes from CSS (a max-height); after each
 * layout the chips below it are counted and replaced by the summary chip.
 */
export function FitChips<T>({
  items,
  keyOf,
  render,
  className,
  label,
}: {
  items: readonly T[];
  keyOf: (item: T, index: number) => string;
  render: (item: T) => ReactNode;
  className: string;
  label: string;
}) {
  const box = useRef<HTMLUListElement>(null);
  const [shown, setShown] = useState(items.length);
  const [size, setSize] = useState('');

  // Everything again when the list or the box's size changes, then cut to what fits.
  const signature = `${items.length}:${size}`;
  const [measured, setMeasured] = useState<string | null>(null);
  if (measured !== signature && shown !== items.length) setShown(items.length);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize(`${Math.round(element.clientWidth)}x${Math.round(element.clientHeight)}`));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const limit = element.getBoundingClientRect().bottom + 0.5;
    const chips = [...element.children] as HTMLElement[];
    if (measured !== signature) {
      // Everything is drawn: keep what fits, less one place for the summary chip.
      const fitting = chips.filter((chip) => chip.getBoundingClientRect().bottom <= limit).length;
      if (fitting < items.length) setShown(Math.max(0, fitting - 1));
      setMeasured(signature);
      return;
    }
    // The summary chip is wider than the one it replaced and wrapped below the box: one chip fewer.
    const last = chips.at(-1);
    if (last && last.getBoundingClientRect().bottom > limit && shown > 0) setShown(shown - 1);
  }, [signature, measured, items.length, shown]);

  const hidden = items.length - Math.min(shown, items.length);
  return (
    <ul ref={box} className={className} aria-label={label} data-shown={Math.min(shown, items.length)} data-total={items.length}>
      {items.slice(0, shown).map((item, i) => (
        <li key={keyOf(item, i)} className="chip-fit__item">
          {render(item)}
        </li>
      ))}
      {hidden > 0 && (
        <li className="chip-fit__item chip-fit__more" data-more={hidden}>
          +{hidden} more
        </li>
      )}
    </ul>
  );
}
