'use client';

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Shows its content whole in the space it is given: scaled down (never up) when the content is taller
 * or wider than the box, so a projector never needs scrolling. The scale is exposed as `data-scale`.
 */
export function FitBox({ children, className }: { children: ReactNode; className?: string }) {
  const outer = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  useLayoutEffect(() => {
    const box = outer.current;
    const content = inner.current;
    if (!box || !content) return;
    const measure = () => {
      // offsetWidth/Height ignore transforms: the content's own size, whatever the current scale.
      const fit = Math.min(1, box.clientHeight / Math.max(1, content.offsetHeight), box.clientWidth / Math.max(1, content.offsetWidth));
      setScale(Math.floor(fit * 1000) / 1000);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    observer.observe(content);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={outer} className={`fit-box${className ? ` ${className}` : ''}`} data-scale={scale}>
      <div ref={inner} className="fit-box__content" style={{ transform: scale < 1 ? `scale(${scale})` : undefined }}>
        {children}
      </div>
    </div>
  );
}
