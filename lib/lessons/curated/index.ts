/**
 * The curated lessons, in teaching order. They are data (JSON), parsed and checked when this module
 * loads, so a malformed lesson stops the app at start-up with the lesson and field named.
 */
import { parseLessons } from '../parse';
import type { Lesson } from '../schema';
import recurrentBottleneck from './recurrent-bottleneck.json';
import theCatSat from './the-cat-sat.json';
import pythonTheLanguage from './python-the-language.json';
import valuesMatter from './values-matter.json';
import scalingAndTemperature from './scaling-and-temperature.json';
import causalMask from './causal-mask.json';
import multiHead from './multi-head.json';
import weightIsNotImportance from './weight-is-not-importance.json';

const sources: { source: string; raw: unknown }[] = [
  { source: 'recurrent-bottleneck.json', raw: recurrentBottleneck },
  { source: 'the-cat-sat.json', raw: theCatSat },
  { source: 'python-the-language.json', raw: pythonTheLanguage },
  { source: 'values-matter.json', raw: valuesMatter },
  { source: 'scaling-and-temperature.json', raw: scalingAndTemperature },
  { source: 'causal-mask.json', raw: causalMask },
  { source: 'multi-head.json', raw: multiHead },
  { source: 'weight-is-not-importance.json', raw: weightIsNotImportance },
];

/** Every curated lesson, sorted by its place on the solo path. */
export const curatedLessons: readonly Lesson[] = parseLessons(sources).sort((a, b) => a.order - b.order);

/** The curated lesson with this id, if there is one. */
export function getLesson(id: string): Lesson | undefined {
  return curatedLessons.find((lesson) => lesson.id === id);
}
