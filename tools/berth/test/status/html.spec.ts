// berth status --html, looked at in headless Chromium as a person would: versions, drift colours, pins, history.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusCommand } from '../../src/cli/status';
import { escapeHtml } from '../../src/status/html';
import { repo as repositoryRoot } from '../cli/workspace';
import { HOSTILE_REASON, scenario, type Scenario } from './support';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(repositoryRoot, 'dist/status.png');

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&#60;script&#62;alert(1)&#60;/script&#62;'],
    ['a & b', 'a &#38; b'],
    ['"quoted" \'single\'', '&#34;quoted&#34; &#39;single&#39;'],
    ['1.4.3', '1.4.3'],
  ])('%s', (value, escaped) => expect(escapeHtml(value)).toBe(escaped));
});

describe('the status page in Chromium', () => {
  let repo: Scenario;
  let file: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  /** Every request the page made that was not the page itself. */
  const foreign: string[] = [];

  beforeAll(async () => {
    repo = await scenario();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await statusCommand({ root: repo.dir, html: 'status.html' });
    vi.restoreAllMocks();
    file = join(repo.dir, 'status.html');
    const url = pathToFileURL(file).href;
    userDataDir = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (request) => {
      if (request.url() !== url) foreign.push(request.url());
    });
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const cell = (service: string, env: string) => page.locator(`td[data-service="${service}"][data-env="${env}"]`);
  const background = (service: string, env: string) => cell(service, env).evaluate((element) => (globalThis as any).getComputedStyle(element).backgroundColor as string);

  it('is one self-contained page: no request other than the file itself', async () => {
    await page.waitForLoadState('networkidle');
    expect(foreign).toEqual([]);
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/\b(?:https?|ftp|wss?):\/\//i);
    expect(source).not.toMatch(/<(?:script|link|img|iframe|object|embed)\b/i);
  });

  it('shows the versions in the matrix cells', async () => {
    const versions = async (service: string) => Promise.all(['dev', 'stage', 'prod'].map(async (env) => (await cell(service, env).locator('.version').count()) ? cell(service, env).locator('.version').innerText() : ''));
    expect(await versions('service-a')).toEqual(['1.7.0', '1.5.0', '1.5.0']);
    expect(await versions('service-b')).toEqual(['2.2.1', '2.1.0', '2.0.9']);
    expect(await versions('batch-job')).toEqual(['1.0.0', '', '']);
    await expect(cell('service-a', 'stage').innerText()).resolves.toContain('behind dev by 2');
    await expect(cell('service-b', 'prod').innerText()).resolves.toContain('diverged from stage');
    await expect(cell('service-a', 'dev').innerText()).resolves.toContain('sha256:abababababab');
    await expect(cell('service-a', 'stage').innerText()).resolves.toContain(`chart ${repo.commits.aDev150.slice(0, 7)}`);
    await expect(cell('service-a', 'prod').innerText()).resolves.toContain('chart follows main');
  });

  it('colours drift: in step, behind by one and further behind look different', async () => {
    const inStep = await background('service-a', 'prod');
    const behindOne = await background('service-c', 'stage');
    const behindTwo = await background('service-a', 'stage');
    const diverged = await background('service-b', 'prod');
    expect(new Set([inStep, behindOne, behindTwo]).size).toBe(3);
    expect(diverged).toBe(behindTwo);
    // green, amber, red: the dominant channel says which
    const rgb = (color: string) => color.match(/\d+/g)!.map(Number);
    const [r, g] = rgb(inStep);
    expect(g).toBeGreaterThan(r);
    const [r2, g2, b2] = rgb(behindTwo);
    expect(r2).toBeGreaterThan(g2);
    expect(r2).toBeGreaterThan(b2);
    // the legend explains the colours with the same swatches
    await expect(page.locator('.legend').innerText()).resolves.toMatch(/in step[\s\S]*behind by 1[\s\S]*diverged/);
  });

  it('marks the pin and shows its hostile reason as text', async () => {
    const marker = cell('service-c', 'stage').locator('.pin');
    await expect(marker.isVisible()).resolves.toBe(true);
    await expect(marker.innerText()).resolves.toBe('PINNED');
    await expect(cell('service-c', 'stage').locator('.pin-reason').innerText()).resolves.toBe(HOSTILE_REASON);
    expect(await cell('service-a', 'stage').locator('.pin').count()).toBe(0);
    // the reason's markup did nothing: no script, no image, the title is untouched
    expect(await page.locator('script, img').count()).toBe(0);
    await expect(page.title()).resolves.toBe('berth status');
  });

  it('says when it was generated', async () => {
    await expect(page.locator('header').innerText()).resolves.toMatch(/Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('lists each service\'s releases per environment, newest first', async () => {
    const section = page.locator('#svc-service-a');
    await expect(section.isVisible()).resolves.toBe(true);
    const rows = section.locator('tbody.env-history[data-env="dev"] tr');
    expect(await rows.count()).toBe(3);
    await expect(rows.nth(0).innerText()).resolves.toMatch(/^dev\s+1\.7\.0\s+bump\s+1\.6\.0 → 1\.7\.0[\s\S]*2025-03-04\s+alice/i);
    await expect(rows.nth(2).innerText()).resolves.toMatch(/1\.5\.0\s+bump\s+1\.4\.3 → 1\.5\.0/);
    const stage = await section.locator('tbody.env-history[data-env="stage"] tr').innerText();
    expect(stage).toMatch(/^stage\s+1\.5\.0\s+promote\s+1\.4\.2 → 1\.5\.0\s+dev\s+[0-9a-f]{7}\s+2025-03-02\s+bob\s+approved in CAB-42 <b>not bold<\/b>/i);
    await expect(page.locator('#svc-postgres').innerText()).resolves.toContain('no release recorded by berth');
  });

  it('saves a screenshot', async () => {
    mkdirSync(join(repositoryRoot, 'dist'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  });
});
