'use client';

import { motion, useReducedMotion } from 'framer-motion';
import { useState, type KeyboardEvent } from 'react';
import { formatPercent } from '../AttentionHeatmap';
import { isMasked } from './phase';

/** What a token's chip says under the word, and how it is drawn. */
export interface ArcTokenNote {
  /** A short line under the word: the players, or "AI classmate". */
  line?: string;
  bot?: boolean;
  /** Everyone on the seat has locked in. */
  locked?: boolean;
  /** Students play it and none moved a slider. */
  untouched?: boolean;
}

const SLOT = 100;
const CHIP_H = 84;
const LABEL_H = 26;
const DRAW_FROM = 0.02;
/** Arcs this strong always carry their percentage; a row's clear favourite does from `FAVOURITE_FROM`. */
const LABEL_FROM = 0.3;
const FAVOURITE_FROM = 0.15;
/** A row whose weights differ by less than this is an even split (where everyone starts): no arcs. */
const FLAT_WITHIN = 0.02;

/** How high an arc over `span` tokens rises: far looks rise higher, so their labels never share a spot. */
function apexHeight(span: number, tokenCount: number, maxHeight: number): number {
  if (span === 0) return 34;
  return 60 + (maxHeight - 60) * ((span - 1) / Math.max(1, tokenCount - 2));
}

interface Arc {
  q: number;
  k: number;
  weight: number;
  /** The largest weight of a row that has one. */
  favourite: boolean;
  d: string;
  labelX: number;
  labelY: number;
}

function arcsFor(rows: readonly (readonly number[] | null)[], n: number, causal: boolean, top: number, bottom: number, maxHeight: number): Arc[] {
  const cx = (i: number) => i * SLOT + SLOT / 2;
  const arcs: Arc[] = [];
  rows.forEach((row, q) => {
    const open = row ? row.filter((_, k) => !isMasked(causal, q, k)) : [];
    const peak = open.length > 0 ? Math.max(...open) : 0;
    const flat = open.length === 0 || peak - Math.min(...open) < FLAT_WITHIN;
    // An even split is where every student starts: nothing chosen yet, nothing to draw.
    if (flat) return;
    row?.forEach((weight, k) => {
      if (weight < DRAW_FROM || isMasked(causal, q, k)) return;
      const favourite = weight === peak;
      if (k === q) {
        // Attention to itself: a small loop over its own chip.
        const x = cx(q);
        arcs.push({ q, k, weight, favourite, d: `M${x - 16} ${top} C${x - 34} ${top - 46} ${x + 34} ${top - 46} ${x + 16} ${top}`, labelX: x, labelY: top - 36 });
        return;
      }
      const h = apexHeight(Math.abs(k - q), n, maxHeight);
      const mid = (cx(q) + cx(k)) / 2;
      if (k < q) {
        // Looking back at an earlier token: above the sentence.
        arcs.push({ q, k, weight, favourite, d: `M${cx(q)} ${top} Q${mid} ${top - 2 * h} ${cx(k)} ${top}`, labelX: mid, labelY: top - h });
      } else {
        // Looking ahead at a later token: below it.
        arcs.push({ q, k, weight, favourite, d: `M${cx(q)} ${bottom} Q${mid} ${bottom + 2 * h} ${cx(k)} ${bottom}`, labelX: mid, labelY: bottom + h });
      }
    });
  });
  // Thin arcs first, so the strong ones are drawn on top.
  return arcs.sort((a, b) => a.weight - b.weight);
}

/** A chip's second line, cut to what a chip can hold. */
function line(text: string): string {
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
}

/** A font size that fits `text` across a chip: `max` for short words, smaller for long ones. */
function fitSize(text: string, max: number): number {
  return Math.min(max, (SLOT - 20) / (0.6 * Math.max(1, [...text].length)));
}

/**
 * Where each token looks, as arcs between the words: above the sentence for a look back, below for a
 * look ahead, a loop for a token attending to itself. Thickness is the weight and strong arcs carry
 * their percentage. Focusing (or hovering) a word shows only its arcs, every one labelled. A table
 * with the same numbers is there for screen readers.
 */
export function AttentionArcs({
  id,
  title,
  tokens,
  rows,
  causal,
  notes,
  tone = 0,
  maxVh = 52,
  emptyText = 'Arcs appear as the class moves its attention',
}: {
  id: string;
  /** What the arcs are, for the figure's name ("Where the class looks, head who-did-it"). */
  title: string;
  tokens: readonly string[];
  /** Per query token its weights over the keys; null where no allocation may be shown yet. */
  rows: readonly (readonly number[] | null)[];
  causal: boolean;
  notes?: readonly (ArcTokenNote | undefined)[];
  /** Which colour of the palette (one per head). */
  tone?: number;
  /** The figure never grows taller than this share of the screen. */
  maxVh?: number;
  /** Said over the sentence while no row has arcs. */
  emptyText?: string;
}) {
  const reduceMotion = useReducedMotion();
  const [focus, setFocus] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const n = tokens.length;
  const width = n * SLOT;
  // Labels of arcs sharing a midpoint (spans two apart) must clear each other: 14 units per span.
  const maxHeight = Math.min(210, Math.max(120, 60 + 14 * (n - 2)));
  const top = maxHeight + LABEL_H;
  const bottom = top + CHIP_H;
  const height = bottom + maxHeight * 0.8 + LABEL_H;
  const arcs = arcsFor(rows, n, causal, top, bottom, maxHeight);
  const spotlight = hover ?? focus;

  const toggle = (q: number) => setFocus((current) => (current === q ? null : q));
  const onKey = (event: KeyboardEvent<SVGGElement>, q: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      toggle(q);
    } else if (event.key === 'Escape') {
      setFocus(null);
    }
  };
  const transition = reduceMotion ? { duration: 0 } : { duration: 0.45, ease: [0.2, 0.7, 0.2, 1] as const };

  return (
    <figure className={`arcs arcs--tone-${tone % 4}`} data-arcs={id} style={{ maxWidth: `calc(${maxVh}vh * ${(width / height).toFixed(3)})` }}>
      <svg className="arcs__svg" viewBox={`0 0 ${width} ${height}`} role="group" aria-label={`${title}. Select a word to see only where it looks.`}>
        <defs>
          <marker id={`arc-head-${id}`} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" className="arcs__arrow" />
          </marker>
        </defs>
        <g aria-hidden="true">
          {arcs.map((arc) => {
            const dimmed = spotlight !== null && arc.q !== spotlight;
            return (
              <motion.path
                key={`${arc.q}-${arc.k}`}
                className="arcs__arc"
                d={arc.d}
                fill="none"
                markerEnd={`url(#arc-head-${id})`}
                initial={reduceMotion ? false : { pathLength: 0, opacity: 0 }}
                animate={{ pathLength: 1, strokeWidth: 1.5 + 18 * arc.weight, opacity: dimmed ? 0.07 : 0.3 + 0.7 * arc.weight }}
                transition={transition}
              />
            );
          })}
        </g>
        <g aria-hidden="true">
          {arcs
            .filter((arc) =>
              spotlight === null
                ? arc.weight >= LABEL_FROM || (arc.favourite && arc.weight >= FAVOURITE_FROM)
                : arc.q === spotlight && arc.weight >= 0.005,
            )
            .map((arc) => {
              const text = formatPercent(arc.weight);
              const w = 14 + 10.5 * text.length;
              return (
                <motion.g
                  key={`label-${arc.q}-${arc.k}`}
                  className="arcs__label"
                  initial={reduceMotion ? false : { opacity: 0 }}
                  animate={{ opacity: 1 }}
                  transition={transition}
                >
                  <rect x={arc.labelX - w / 2} y={arc.labelY - LABEL_H / 2} width={w} height={LABEL_H} rx={LABEL_H / 2} />
                  <text x={arc.labelX} y={arc.labelY + 6.5} textAnchor="middle">
                    {text}
                  </text>
                </motion.g>
              );
            })}
        </g>
        {tokens.map((token, q) => {
          const note = notes?.[q];
          const x = q * SLOT + 6;
          const selected = focus === q;
          return (
            <g
              key={`${q}-${token}`}
              className={`arcs__chip${selected ? ' is-selected' : ''}${note?.bot ? ' is-bot' : ''}${note?.locked ? ' is-locked' : ''}${note?.untouched ? ' is-untouched' : ''}`}
              role="button"
              tabIndex={0}
              aria-pressed={selected}
              // The name is the words on the chip, so a voice user can say what they see.
              aria-label={`${token}${note?.line ? ` ${line(note.line)}` : ''}${note?.locked ? ', locked in' : ''}`}
              onClick={() => toggle(q)}
              onKeyDown={(event) => onKey(event, q)}
              onMouseEnter={() => setHover(q)}
              onMouseLeave={() => setHover(null)}
              data-token={q}
            >
              <rect x={x} y={top} width={SLOT - 12} height={CHIP_H} rx={14} className="arcs__chip-box" />
              {/* One text with two lines, a space between them: read as a whole it says what the name says. */}
              <text textAnchor="middle">
                <tspan x={x + (SLOT - 12) / 2} y={top + 42} className="arcs__word" style={{ fontSize: fitSize(token, 30) }}>
                  {token}
                </tspan>
                {note?.line && (
                  <>
                    {' '}
                    <tspan x={x + (SLOT - 12) / 2} y={top + 68} className="arcs__line" style={{ fontSize: fitSize(line(note.line), 15) }}>
                      {line(note.line)}
                    </tspan>
                  </>
                )}
              </text>
              {note?.locked && (
                <g className="arcs__lock" aria-hidden="true">
                  <circle cx={x + SLOT - 18} cy={top + 6} r={11} />
                  <path d={`M${x + SLOT - 23} ${top + 6}l4 4l7 -8`} />
                </g>
              )}
            </g>
          );
        })}
        {arcs.length === 0 && (
          <text x={width / 2} y={top - maxHeight / 2} textAnchor="middle" className="arcs__empty">
            {emptyText}
          </text>
        )}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Looks at</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token, q) => {
            const row = rows[q];
            const looks = row
              ? row
                  .map((w, k) => ({ w, k }))
                  .filter(({ w, k }) => w >= 0.005 && !isMasked(causal, q, k))
                  .sort((a, b) => b.w - a.w)
                  .map(({ w, k }) => `${tokens[k]} ${formatPercent(w)}`)
                  .join(', ')
              : (notes?.[q]?.line ?? 'not shown yet');
            return (
              <tr key={`${q}-${token}`}>
                <th scope="row">{token}</th>
                <td>{looks}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
