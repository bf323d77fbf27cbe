import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/generate.js';
import { reprint } from './helpers/cli.js';

// The HTML report in a real headless Chromium driven by playwright-core: the system's where there
// is one (CHROMIUM_PATH or /usr/bin/chromium), else the binary the @sparticuz/chromium dev
// dependency ships, so the test needs nothing beyond npm install.
const FIX = new URL('./fixtures/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'reprint-html-'));
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const system = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const quiet = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
  browser = await chromium.launch(system
    ? { executablePath: system, headless: true, args: quiet }
    : { executablePath: await sparticuz.executablePath(), headless: true, args: [...sparticuz.args, ...quiet] });
  // that binary runs as one process, which ends with its last context: one context serves all
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.newPage();
});
afterAll(async () => { await browser?.close(); });

/** A page at 1,280 px that records page errors and every request. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[]; ms: number }> {
  const page = await context.newPage();
  const errors: string[] = [], requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  const t0 = Date.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, ms: Date.now() - t0 };
}

// page functions run in the browser: its globals are reached through globalThis (the tests compile without DOM types)
const inView = (page: Page, selector: string) => page.locator(selector).evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < (globalThis as unknown as { innerHeight: number }).innerHeight; });

describe('reprint scan --format html', () => {
  it('shows repeats and shared passages with their places, excerpts and links, offline', async () => {
    const out = join(tmp, 'report.html');
    const r = reprint(['scan', join(FIX, 'menafn-doubled.txt'), join(FIX, 'identical-and-boilerplate.jsonl'), '--format', 'html', '-o', out]);
    expect(r.status).toBe(0);
    const { page, errors, requests } = await open(out);
    expect(await page.title()).toBe('reprint report: 1 repeat and 2 shared passages in 5 documents');
    // the passage table: the disclaimer, in all five documents, first
    expect(await page.locator('#passage-table tbody tr').first().innerText()).toMatch(/#1\s+5\s+5\s+39\s+1\.00/);
    // the repeat: its two copies, each with its line and offsets, the representative's excerpt marked
    const repeat = page.locator('#r1');
    await repeat.locator('summary').click();
    expect(await repeat.locator('ol.members li').count()).toBe(2);
    expect(await repeat.locator('li.rep').innerText()).toMatch(/menafn-doubled\.txt:6 \[356, 2,419\) representative/);
    expect(await repeat.locator('li.rep mark').innerText()).toContain('Field Marshal Asim Munir');
    // a link to a copy opens its group and scrolls to it
    await page.locator('#r1 .links a').nth(1).click();
    expect(new URL(page.url()).hash).toBe('#r1-1');
    expect(await inView(page, '#r1-1')).toBe(true);
    // the table sorts by a column and filters by document
    await page.locator('#passage-table th[data-key="words"]').click();
    expect(await page.locator('#passage-table tbody tr').first().innerText()).toMatch(/^#2/);
    await page.locator('#f-doc').fill('menafn');
    expect(await page.locator('#passage-table tbody tr:not([hidden])').count()).toBe(2);
    await page.locator('#f-docs').fill('5');
    expect(await page.locator('#passage-table tbody tr:not([hidden])').count()).toBe(1);
    // the chart of passages by documents, drawn as SVG
    expect(await page.locator('#chart svg').count()).toBe(1);
    expect(await page.locator('#clusters + ul li').innerText()).toBe('#1: 2 documents: a, b');
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.screenshot({ path: join(tmp, 'report.png') });
    await page.close();
  });

  it('stays small, fast and within the window at 1,000 documents', async () => {
    const { documents } = generateCorpus(1000, 7);
    // long path-like ids, as a folder scan gives them
    const input = join(tmp, 'news.jsonl');
    writeFileSync(input, documents.map((d) => JSON.stringify({ id: `/data/crawl/2026-12-05/outlets/${d.id}/index-with-a-rather-long-name.txt`, text: d.text })).join('\n') + '\n');
    const out = join(tmp, 'news.html');
    expect(reprint(['scan', input, '--format', 'html', '-o', out, '--quiet']).status).toBe(0);
    expect(statSync(out).size).toBeLessThan(3e6);
    const { page, errors, ms } = await open(out);
    expect(ms).toBeLessThan(3000);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.locator('#passage-table tbody tr').count()).toBeGreaterThan(100);
    // a copy far down the page is one click away
    const link = page.locator('details[id^="r"] .links a').last();
    const target = (await link.getAttribute('href'))!;
    await link.click();
    expect(await inView(page, target)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
