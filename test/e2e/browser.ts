import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Browser-test plumbing: Debian's Chromium (never a downloaded browser), axe-core checks and
 * screenshots saved under test-artifacts/ for people to look at.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const ARTIFACTS_DIR = path.resolve('test-artifacts', 'e2e');

/** Runs axe-core (WCAG 2.x A and AA plus best practices) on the page and fails on any violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
  expect(violations, `axe violations on ${label} (${page.url()})`).toEqual([]);
}

/** Full-page screenshots at a phone's width (360 px) and a desktop's (1280 px). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${width}.png`), fullPage: true });
    if (width === 360) {
      // Nothing may need sideways scrolling on a 360 px phone (WCAG 1.4.10 reflow).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    }
  }
  if (original) await page.setViewportSize(original);
}

/** A browser page signed in with a session made through the API (the sign-in pages have journeys of their own). */
export async function signedInPage(browser: Browser, baseUrl: string, cookie: string, options: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<Page> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run inline scripts.
  const context = await browser.newContext({ bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: options.locale ?? 'zh-CN', javaScriptEnabled: options.javaScriptEnabled ?? true });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: baseUrl }]);
  return context.newPage();
}

/** Starts the test app on a free loopback port for the browser, and answers its base URL. */
export async function listenForBrowser(server: { listen(options: { port: number; host: string }): Promise<unknown>; server: { address(): unknown } }): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address() as { port?: number } | null;
  return `http://127.0.0.1:${address?.port ?? 0}`;
}

/** The text of the page's main region with runs of white space made one space, to look for sentences in. */
export async function mainText(page: Page): Promise<string> {
  return ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** A journey's page check: axe-core finds nothing, and screenshots named `<journey>-<step>` are saved. */
export function pageChecker(journey: string): (page: Page, step: string) => Promise<void> {
  return async (page, step) => {
    await expectAccessible(page, step);
    await screenshots(page, `${journey}-${step}`);
  };
}
