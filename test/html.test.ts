import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprint } from './helpers/cli.js';

// The HTML report in a real headless Chromium driven by playwright-core: the system's where there
// is one (CHROMIUM_PATH or /usr/bin/chromium), else the binary the @sparticuz/chromium dev
// dependency ships, so the test needs nothing beyond npm install.
const FIX = new URL('./fixtures/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'reprint-html-'));
let browser: Browser;

beforeAll(async () => {
  const system = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const quiet = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
  browser = await chromium.launch(system
    ? { executablePath: system, headless: true, args: quiet }
    : { executablePath: await sparticuz.executablePath(), headless: true, args: [...sparticuz.args, ...quiet] });
});
afterAll(async () => { await browser?.close(); });

describe('reprint scan --format html', () => {
  it('renders an offline page with repeats and shared passages highlighted and linked to their other copies', async () => {
    const out = join(tmp, 'report.html');
    const r = reprint(['scan', join(FIX, 'menafn-doubled.txt'), join(FIX, 'identical-and-boilerplate.jsonl'), '--format', 'html', '-o', out]);
    expect(r.status).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(out).href);
    expect(await page.title()).toBe('reprint report: 1 repeat and 2 shared passages in 5 documents');
    // the ranking: the disclaimer, in all five documents, comes first
    const firstRow = await page.locator('#ranking + table tbody tr').first().innerText();
    expect(firstRow).toMatch(/#1\s+5\s+5\s+39/);
    // the seed page's doubled body is its one repeat
    expect(await page.locator('#repeats + table tbody tr').count()).toBe(1);
    // every document with a repeat or a shared passage is shown, highlighted
    expect(await page.locator('article').count()).toBe(5);
    const marks = page.locator('a.rep[data-p="r1"]');
    expect(await marks.count()).toBeGreaterThanOrEqual(2);
    expect(await marks.first().innerText()).toContain('Field Marshal Asim Munir');
    // a highlight links to the next copy of the same repeat
    await marks.first().click();
    expect(new URL(page.url()).hash).toBe('#occ-r1-1');
    expect(await page.locator('#occ-r1-1 ~ a.rep').first().innerText()).toContain('Field Marshal Asim Munir');
    // hovering lights up every occurrence of the passage
    await marks.nth(1).hover();
    expect(await page.locator('a.rep.hl').count()).toBe(await marks.count());
    // clusters link to their documents
    expect(await page.locator('#clusters + ul li').innerText()).toBe('#1: a, b');
    await page.screenshot({ path: join(tmp, 'report.png'), fullPage: false });
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  });
});
