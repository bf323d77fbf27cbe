import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprint } from './helpers/cli.js';

// The HTML report in a real browser: Debian's headless Chromium driven by playwright-core.
const FIX = new URL('./fixtures/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'reprint-html-'));
let browser: BrowserContext;

beforeAll(async () => {
  // a fresh user data dir each run
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'reprint-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    viewport: { width: 1200, height: 900 },
  });
});
afterAll(async () => { await browser?.close(); });

describe('reprint scan --format html', () => {
  it('renders an offline page with highlighted passages linked to their other occurrences', async () => {
    const out = join(tmp, 'report.html');
    const r = reprint(['scan', join(FIX, 'menafn-doubled.txt'), join(FIX, 'identical-and-boilerplate.jsonl'), '--format', 'html', '-o', out]);
    expect(r.status).toBe(0);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(out).href);
    expect(await page.title()).toBe('reprint report: 4 repeated passages in 5 documents');
    // the ranking: the disclaimer, in all five documents, comes first
    const firstRow = await page.locator('#ranking + table tbody tr').first().innerText();
    expect(firstRow).toMatch(/#1\s+5\s+5\s+39/);
    // every document with a repeat is shown, its passages highlighted
    expect(await page.locator('article').count()).toBe(5);
    const marks = page.locator('a.rep[data-p="4"]');
    expect(await marks.count()).toBe(2);
    expect(await marks.first().innerText()).toContain("Libya's eastern forces described the engagement");
    // a highlight links to the next occurrence of the same passage
    await marks.first().click();
    expect(new URL(page.url()).hash).toBe('#occ-4-1');
    expect(await page.locator('#occ-4-1 + a.rep').innerText()).toBe(await marks.first().innerText());
    // hovering lights up every occurrence of the passage
    await marks.nth(1).hover();
    expect(await page.locator('a.rep.hl').count()).toBe(2);
    // clusters link to their documents
    expect(await page.locator('#clusters + ul li').innerText()).toBe('#1: a, b');
    await page.screenshot({ path: join(tmp, 'report.png'), fullPage: false });
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  });
});
