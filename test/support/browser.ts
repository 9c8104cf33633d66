import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { createTestApp } from './test-app';

/** Where screenshots go (gitignored); look at them after a run. */
export const ARTIFACTS_DIR = join(__dirname, '..', 'artifacts');

/** The workstation the pages are designed for. */
export const VIEWPORT = { width: 1366, height: 768 } as const;

/** The system Chromium: tests never download a browser. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Something the browser complained about: a console error, a script error, a failed asset. */
export interface PageProblem {
  kind: 'console' | 'pageerror' | 'requestfailed' | 'http';
  text: string;
  url?: string;
}

export interface BrowserHarness {
  app: NestExpressApplication;
  browser: Browser;
  baseUrl: string;
  /** A fresh page in its own context (no cookies), recording every problem it meets. */
  newPage(): Promise<{ page: Page; context: BrowserContext; problems: PageProblem[] }>;
  close(): Promise<void>;
}

/** Starts the whole app on an ephemeral local port and the system Chromium beside it. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const app = await createTestApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    await app.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];

  return {
    app,
    browser,
    baseUrl,
    async newPage() {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT });
      contexts.push(context);
      // Server-rendered pages on localhost: anything slower than this is a fault, not a wait.
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      return { page, context, problems: recordProblems(page) };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.close();
    },
  };
}

/**
 * Console errors (CSP violations show up there), uncaught script errors, requests that
 * never completed and sub-resources (CSS, JS, images) that answered 4xx/5xx. A page's
 * own error status (a 403 or 404 page) is not a problem, and neither is Chromium's
 * console line about it.
 */
function recordProblems(page: Page): PageProblem[] {
  const problems: PageProblem[] = [];
  const documentErrors = new Set<string>();
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() < 400) return;
    if (request.resourceType() === 'document') documentErrors.add(response.url());
    else problems.push({ kind: 'http', text: String(response.status()), url: response.url() });
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    if (/^Failed to load resource/.test(message.text()) && documentErrors.has(url)) return;
    problems.push({ kind: 'console', text: message.text(), url });
  });
  page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.message }));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // Navigating on cancels what the previous page still loads (often its favicon).
    if (failure === 'net::ERR_ABORTED') return;
    problems.push({ kind: 'requestfailed', text: failure, url: request.url() });
  });
  return problems;
}

/** Writes `test/artifacts/<name>.png` of the whole page. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the login form and waits for the page it lands on. */
export async function signIn(
  page: Page,
  user: { username: string; password: string },
): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^(Nome utente|Username)$/).fill(user.username);
  await page.getByLabel(/^Password$/).fill(user.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.locator('form[action="/login"] button[type="submit"]').click(),
  ]);
}

/**
 * The value of `expression` in the page once it equals `expected`, or its last value after
 * `timeout` ms. Polled with page.evaluate: waitForFunction evaluates its text inside the
 * page, which the app's CSP refuses.
 */
export async function pageValueWhen(
  page: Page,
  expression: string,
  expected: string,
  timeout = 5000,
): Promise<string> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = String(await page.evaluate(expression));
    if (value === expected || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
