/**
 * Another website cannot frame our pages (the live dashboard used to work inside a stranger's iframe,
 * End session and Remove included), checked where it matters: in Chromium, from a page on another
 * origin. The stage can be embedded by an origin the server was told to allow, and by no other.
 * Needs a production build (`npm test` runs `next build` first).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpBrowserClass } from '../helpers/browser-class';

let stranger: Server;
let strangerUrl: string;
let framedUrl = '';

// Registered before setUpBrowserClass: the stranger is up when the server boots (its origin may embed
// the stage), and it closes after the server, afterAll hooks running in reverse order.
beforeAll(async () => {
  // Another origin (another port): a page that frames whatever `framedUrl` says.
  stranger = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>stranger</title><iframe id="victim" src="${framedUrl}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', () => resolve()));
  strangerUrl = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => stranger?.close(() => resolve()));
});

const arena = setUpBrowserClass({ server: () => ({ stageEmbedOrigins: [strangerUrl] }) });

/** Opens the stranger's page framing `path` of ours; resolves with what the frame shows and the CSP complaints. */
async function frameFromStranger(path: string): Promise<{ framedTitle: string | null; refusals: string[]; page: Page }> {
  framedUrl = `${arena.booted.url}${path}`;
  const context = await arena.browser.newContext();
  const page = await context.newPage();
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/frame-ancestors|X-Frame-Options/i.test(message.text())) refusals.push(message.text());
  });
  const framedResponse = page.waitForResponse((response) => response.url() === framedUrl);
  await page.goto(strangerUrl);
  await framedResponse;
  await page.waitForLoadState('load');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  // A refused frame is left on Chromium's error page, with no document of ours in it.
  const framedTitle = frame && frame.url().startsWith(arena.booted.url) ? await frame.title().catch(() => null) : null;
  return { framedTitle, refusals, page };
}

describe('framing', () => {
  it("refuses the teacher's dashboard, the host page and the landing page inside another site", async () => {
    for (const path of ['/host/ACEFHJKM', '/host', '/']) {
      const { framedTitle, refusals, page } = await frameFromStranger(path);
      expect(framedTitle, path).toBeNull();
      expect(refusals.join('\n'), path).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
      await page.context().close();
    }
  });

  it('lets the stage be embedded by an origin the server allows', async () => {
    const { framedTitle, refusals, page } = await frameFromStranger('/stage/ACEFHJKM');
    expect(refusals).toEqual([]);
    expect(framedTitle).toMatch(/Attention Arena/);
    await page.context().close();
  });

  it('runs the pages under the nonce policy: scripts hydrate, no CSP violation is reported', async () => {
    const context = await arena.browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${arena.booted.url}/lessons/the-cat-sat`);
    expect(response?.headers()['content-security-policy']).toMatch(/'nonce-/);
    // The heatmap is filled by the page's own script asking the server: it ran.
    await page.locator('.heatmap td').first().waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });
});
