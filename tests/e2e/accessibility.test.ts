/**
 * An accessibility audit of every page a teacher, a projector, a student or a learner sees, in
 * Chromium with axe-core: no serious or critical violation (contrast, names, labels, roles). The live
 * pages are audited in the middle of a real round and at its reveal. Needs a production build.
 */
import { describe, expect, it } from 'vitest';
import { seriousA11yViolations } from '../helpers/a11y';
import { VIEWPORTS } from '../helpers/browser';
import { allocate, joinAsStudent, newPerson, openSession, PROJECTOR, teacherDoes, waitForPhase } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';

/** Pages that finish drawing after load (a server round trip after a pause): audit them once drawn. */
const DRAWN_WHEN: Record<string, string> = {
  '/lessons/new': '.editor__status:text-matches("^Built: ")',
};

const arena = setUpBrowserClass();

describe('accessibility audit', () => {
  it.each(['/', '/lessons/the-cat-sat', '/lessons/multi-head', '/host', '/join', '/solo', '/solo/recurrent-bottleneck', '/history', '/lessons/new'])(
    '%s has no serious violation, on a laptop and on a phone',
    async (path) => {
      for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
        const person = await newPerson(arena.browser, viewport);
        try {
          // Cards deal themselves in with a stagger: audit the settled page, not a card half-faded in.
          await person.page.emulateMedia({ reducedMotion: 'reduce' });
          await person.page.goto(`${arena.booted.url}${path}`);
          await person.page.waitForLoadState('networkidle');
          const drawn = DRAWN_WHEN[path];
          if (drawn) await person.page.locator(drawn).waitFor();
          expect(await seriousA11yViolations(person.page), `${path} at ${viewport.width}px`).toEqual([]);
        } finally {
          await person.context.close();
        }
      }
    },
  );

  it('the dashboard, the stage and a phone have no serious violation during a round and at its reveal', async () => {
    const teacher = await newPerson(arena.browser, VIEWPORTS.desktop);
    const stage = await newPerson(arena.browser, PROJECTOR);
    const student = await newPerson(arena.browser, VIEWPORTS.phone);
    try {
      // Audit the settled screens: the reveal's entrances are instant with reduced motion.
      for (const person of [teacher, stage, student]) await person.page.emulateMedia({ reducedMotion: 'reduce' });
      const code = await openSession(teacher.page, arena.booted.url, 'the-cat-sat');
      await stage.page.goto(`${arena.booted.url}/stage/${code}`);
      await joinAsStudent(student.page, arena.booted.url, code, 'Ada');
      await teacherDoes(teacher.page, 'teacher:start-round', 'cards');
      await teacherDoes(teacher.page, 'teacher:open-negotiation', 'negotiate');
      await allocate(student.page, 1, 3);
      await waitForPhase(stage.page, '.stage', 'negotiate');
      for (const [who, page] of [['dashboard', teacher.page], ['stage', stage.page], ['phone', student.page]] as const) {
        expect(await seriousA11yViolations(page), `${who} while negotiating`).toEqual([]);
      }
      await teacherDoes(teacher.page, 'teacher:lock', 'locked');
      await teacherDoes(teacher.page, 'teacher:reveal', 'reveal');
      await waitForPhase(stage.page, '.stage', 'reveal');
      await student.page.locator('.result .score__number').waitFor();
      for (const [who, page] of [['dashboard', teacher.page], ['stage', stage.page], ['phone', student.page]] as const) {
        expect(await seriousA11yViolations(page), `${who} at the reveal`).toEqual([]);
      }
    } finally {
      await Promise.all([teacher, stage, student].map((p) => p.context.close()));
    }
  });
});
