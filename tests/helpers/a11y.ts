/**
 * An automated accessibility audit (axe-core, run inside the page): contrast, labels, roles, names.
 * It cannot judge everything a person would, but it catches the regressions that slip in unnoticed.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** How long a page may keep moving before the audit runs anyway (entrances last well under a second). */
const SETTLE_LIMIT_MS = 5000;
/** Styles unchanged for this long, with no finite animation running, count as settled. */
const QUIET_MS = 200;

/**
 * Waits until the page has stopped moving: every finite CSS or Web Animation has finished and no inline
 * style (where framer-motion writes its opacity and transforms) has changed for a moment. Time-based,
 * not frame-based, so a loaded machine that drops frames still ends an animation on time.
 */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(
    async ({ limitMs, quietMs }) => {
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const styles = () => Array.from(document.querySelectorAll<HTMLElement>('[style]'), (el) => el.style.cssText).join('|');
      const finite = () => document.getAnimations().filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
      const deadline = performance.now() + limitMs;
      let last = styles();
      let quietSince = performance.now();
      while (performance.now() < deadline) {
        const running = finite().filter((a) => a.playState === 'running' || a.pending);
        if (running.length > 0) await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, limitMs))]);
        await frame();
        const now = styles();
        if (now !== last) {
          last = now;
          quietSince = performance.now();
        } else if (performance.now() - quietSince >= quietMs) {
          return;
        }
      }
    },
    { limitMs: SETTLE_LIMIT_MS, quietMs: QUIET_MS },
  );
}

/**
 * The serious and critical violations on the page as it is now, one line each. Motion is reduced and
 * the page left to settle first, so the audit never measures a card halfway through its entrance (under
 * reduced motion framer-motion still fades opacity, and a half-faded card fails every contrast check).
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await settleAnimations(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
