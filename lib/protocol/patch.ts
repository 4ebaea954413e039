/**
 * Views (the teacher's roster, the projector's seats, a phone's team) travel as patches against the version
 * the recipient holds: the fields that changed, and for lists of the same length only the entries
 * that changed. The client rebuilds the very same view object; a patch whose base is not the view it
 * holds (one was lost) is not applied, and the client asks for the whole view again.
 */
import type { AnyView } from './views';

/** A JSON value as views hold them. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ViewPatch {
  kind: AnyView['kind'];
  /** The version this patch applies to. */
  base: number;
  /** The version the view has once patched. */
  version: number;
  /** Top-level fields, whole. */
  set: Record<string, unknown>;
  /** Top-level lists of unchanged length: the entries that changed, by index. */
  items: Record<string, Record<number, unknown>>;
  /** Top-level objects with the same keys: the keys whose values changed (but the lists below). */
  fields: Record<string, Record<string, unknown>>;
  /**
   * Long lists of unchanged length inside those objects: the entries that changed, by index (a phone's
   * teammates, of whom one locked in, are one entry, not the whole team).
   */
  nested: Record<string, Record<string, Record<number, unknown>>>;
}

/** Lists at least this long inside a top-level object go as their changed entries; shorter ones whole. */
const NESTED_LIST_MIN = 8;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!(key in b) || !sameJson(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b);
}

/**
 * What turns `before` into `after`; null when nothing but the version changed, and `'whole'` when
 * they are not two versions of one view (another kind or other fields): send `after` whole then.
 */
export function diffView(before: AnyView, after: AnyView): ViewPatch | null | 'whole' {
  const was = before as unknown as Record<string, Json>;
  const now = after as unknown as Record<string, Json>;
  if (before.kind !== after.kind || !sameKeys(was, now)) return 'whole';
  const patch: ViewPatch = { kind: after.kind, base: before.version, version: after.version, set: {}, items: {}, fields: {}, nested: {} };
  let changed = false;
  for (const key of Object.keys(now)) {
    if (key === 'version') continue;
    const a = was[key];
    const b = now[key];
    if (sameJson(a, b)) continue;
    changed = true;
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      const entries: Record<number, unknown> = {};
      b.forEach((item, i) => {
        if (!sameJson(a[i], item)) entries[i] = item;
      });
      patch.items[key] = entries;
    } else if (isObject(a) && isObject(b) && sameKeys(a, b)) {
      const values: Record<string, unknown> = {};
      const lists: Record<string, Record<number, unknown>> = {};
      for (const field of Object.keys(b)) {
        const x = a[field];
        const y = b[field];
        if (sameJson(x, y)) continue;
        if (Array.isArray(x) && Array.isArray(y) && x.length === y.length && y.length >= NESTED_LIST_MIN) {
          const entries: Record<number, unknown> = {};
          y.forEach((item, i) => {
            if (!sameJson(x[i], item)) entries[i] = item;
          });
          lists[field] = entries;
        } else {
          values[field] = y;
        }
      }
      if (Object.keys(values).length > 0) patch.fields[key] = values;
      if (Object.keys(lists).length > 0) patch.nested[key] = lists;
    } else {
      patch.set[key] = b;
    }
  }
  return changed ? patch : null;
}

/** The view `patch` makes of `view`; null when `view` is not its base (a patch was missed: resync). */
export function applyPatch(view: AnyView, patch: ViewPatch): AnyView | null {
  if (view.kind !== patch.kind || view.version !== patch.base) return null;
  const next: Record<string, unknown> = { ...(view as unknown as Record<string, unknown>), version: patch.version };
  for (const [key, value] of Object.entries(patch.set)) next[key] = value;
  for (const [key, entries] of Object.entries(patch.items)) {
    const list = next[key];
    if (!Array.isArray(list)) return null;
    const copy = [...(list as unknown[])];
    for (const [index, value] of Object.entries(entries)) copy[Number(index)] = value;
    next[key] = copy;
  }
  for (const [key, values] of Object.entries(patch.fields)) {
    const object = next[key];
    if (!isObject(object)) return null;
    next[key] = { ...object, ...values };
  }
  for (const [key, lists] of Object.entries(patch.nested ?? {})) {
    const object = next[key];
    if (!isObject(object)) return null;
    const copy: Record<string, unknown> = { ...object };
    for (const [field, entries] of Object.entries(lists)) {
      const list = copy[field];
      if (!Array.isArray(list)) return null;
      const patched = [...(list as unknown[])];
      for (const [index, value] of Object.entries(entries)) patched[Number(index)] = value;
      copy[field] = patched;
    }
    next[key] = copy;
  }
  return next as unknown as AnyView;
}
