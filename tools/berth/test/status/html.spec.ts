// berth status --html, looked at in headless Chromium as a person would: versions, drift colours, pins, history,
// commit links, ages, the promotion graph, and markup from files and commits that stays text.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusCommand } from '../../src/cli/status';
import { escapeHtml } from '../../src/status/html';
import { repo as repositoryRoot } from '../cli/workspace';
import {
  branchingScenario,
  dayAfterEpoch,
  DIGEST,
  HOSTILE_REASON,
  HOSTILE_SUBJECT,
  HOSTILE_TAG,
  hostileScenario,
  scenario,
  SECRET,
  type Scenario,
} from './support';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(repositoryRoot, 'dist/status.png');
const COMMIT_PAGE = 'https://github.com/acme/platform-gitops/commit/';
/** Ages are counted to this: 2025-03-21T09:00Z, the scenario commits one a day from 2025-03-01. */
const NOW = dayAfterEpoch(20);

/** Writes the board of `repo` and returns its file. */
async function board(repo: Scenario, now: Date): Promise<string> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await statusCommand({ root: repo.dir, html: 'status.html', now });
  } finally {
    vi.restoreAllMocks();
  }
  return join(repo.dir, 'status.html');
}

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
  let branching: Scenario;
  let hostile: Scenario;
  let file: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  let branchingPage: Page;
  let hostilePage: Page;
  let hostileFile: string;
  /** Every request a page made that was not a board itself. */
  const foreign: string[] = [];

  beforeAll(async () => {
    // one after another: the real `berth pin` of scenario() sets the git identity and dates in process.env meanwhile
    repo = await scenario();
    branching = await branchingScenario();
    hostile = await hostileScenario();
    file = await board(repo, NOW);
    const branchingFile = await board(branching, dayAfterEpoch(9));
    hostileFile = await board(hostile, NOW);
    const boards = new Set([file, branchingFile, hostileFile].map((path) => pathToFileURL(path).href));
    userDataDir = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (request) => {
      if (!boards.has(request.url())) foreign.push(request.url());
    });
    await context.route('**/*', (route) =>
      boards.has(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
    );
    const open = async (path: string, reuse?: Page) => {
      const tab = reuse ?? (await context.newPage());
      await tab.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      return tab;
    };
    page = await open(file, context.pages()[0]);
    branchingPage = await open(branchingFile);
    hostilePage = await open(hostileFile);
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const cell = (service: string, env: string, on = page) =>
    on.locator(`td[data-service="${service}"][data-env="${env}"]`);
  const background = (service: string, env: string) =>
    cell(service, env).evaluate((element) => (globalThis as any).getComputedStyle(element).backgroundColor as string);

  it('is one self-contained page: no request other than the file itself, and URLs only in links to commits', async () => {
    await page.waitForLoadState('networkidle');
    expect(foreign).toEqual([]);
    const source = readFileSync(file, 'utf8');
    const urls = source.match(/\b(?:https?|ftp|wss?):\/\/[^\s"'<>]*/gi) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^https:\/\/github\.com\/acme\/platform-gitops\/commit\/[0-9a-f]{40}$/);
    // each of them is the href of a link, nothing the page loads
    expect(source.match(/href="https:/g)?.length).toBe(urls.length);
    expect(source).not.toMatch(/<(?:script|link|img|iframe|object|embed)\b/i);
  });

  it('links every commit to its page in the repository berth.yaml names', async () => {
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    for (const href of hrefs) expect(href).toMatch(new RegExp(`^(#svc-[a-z0-9-]+|${COMMIT_PAGE}[0-9a-f]{40})$`));
    const stage = cell('service-a', 'stage');
    await expect(stage.locator('.since a.commit').getAttribute('href')).resolves.toBe(
      `${COMMIT_PAGE}${repo.commits.aStage150}`,
    );
    await expect(stage.locator('.since a.commit').innerText()).resolves.toBe(repo.commits.aStage150.slice(0, 7));
    await expect(stage.locator('.since a.commit').getAttribute('title')).resolves.toBe(
      `${repo.commits.aStage150}\nchore(stage): promote service-a to 1.5.0`,
    );
    await expect(stage.locator('.chart a.chart-revision').getAttribute('href')).resolves.toBe(
      `${COMMIT_PAGE}${repo.commits.aDev150}`,
    );
    await expect(cell('service-b', 'prod').locator('.since a.commit').getAttribute('href')).resolves.toBe(
      `${COMMIT_PAGE}${repo.commits.bProdHand}`,
    );
    // the release history links its commits too
    const devRows = page.locator('#svc-service-a tbody.env-history[data-env="dev"] tr');
    await expect(devRows.nth(0).locator('a.commit').getAttribute('href')).resolves.toBe(
      `${COMMIT_PAGE}${repo.commits.aDev170bDev220}`,
    );
  });

  it('says for how long each version has run, and how many days it is behind its source', async () => {
    const text = (service: string, env: string) => cell(service, env).innerText();
    // promoted on 2025-03-02; dev left 1.5.0 on 03-03
    await expect(text('service-a', 'stage')).resolves.toMatch(
      /behind dev by 2\s+18 days behind dev[\s\S]*since 19 days · 2025-03-02 · [0-9a-f]{7} · bob/,
    );
    await expect(cell('service-a', 'stage').locator('.lag').getAttribute('title')).resolves.toMatch(
      /^dev moved on 2025-03-03T09:00:00/,
    );
    await expect(text('service-c', 'stage')).resolves.toContain('12 days behind dev');
    await expect(text('service-a', 'dev')).resolves.toContain('since 17 days');
    // in step: no days behind
    await expect(text('service-a', 'prod')).resolves.toMatch(/in step with stage[\s\S]*since 16 days/);
    expect(await cell('service-a', 'prod').locator('.lag').count()).toBe(0);
  });

  it('shows a pinned digest short, with the whole digest in its title', async () => {
    const digest = cell('service-a', 'dev').locator('.digest');
    await expect(digest.innerText()).resolves.toBe('sha256:abababababab');
    await expect(digest.getAttribute('title')).resolves.toBe(DIGEST);
    expect(await cell('service-a', 'stage').locator('.digest').count()).toBe(0);
  });

  it('draws the promotion graph as promotesFrom defines it: qa and stage both after dev', async () => {
    const paths = await branchingPage.locator('.graph li').evaluateAll((items) =>
      items
        .filter((item) => !item.querySelector('li'))
        .map((leaf) => {
          const path: string[] = [];
          for (let at: any = leaf; at; at = at.parentElement)
            if (at.tagName === 'LI') path.unshift(at.getAttribute('data-env')!);
          return path;
        }),
    );
    expect(paths).toEqual([
      ['dev', 'qa'],
      ['dev', 'stage', 'prod'],
    ]);
    await expect(branchingPage.locator('.graph').innerText()).resolves.not.toMatch(/qa\s*→\s*stage/);
    await expect(branchingPage.locator('.graph').getAttribute('aria-label')).resolves.toBe(
      'Promotion graph: dev → qa, dev → stage → prod',
    );
    // qa's and stage's boxes sit one under the other, both right of dev's
    const box = (env: string) => branchingPage.locator(`.graph li[data-env="${env}"] > .env`).boundingBox();
    const [dev, qa, stage, prod] = await Promise.all(['dev', 'qa', 'stage', 'prod'].map(box));
    expect(qa!.x).toBe(stage!.x);
    expect(stage!.y).toBeGreaterThan(qa!.y);
    expect(qa!.x).toBeGreaterThan(dev!.x);
    expect(prod!.x).toBeGreaterThan(stage!.x);
    // each column names its real source, and drift is counted against it
    const header = (env: string) => branchingPage.locator('.matrix thead th', { hasText: env }).first().innerText();
    await expect(header('qa')).resolves.toContain('from dev');
    await expect(header('stage')).resolves.toContain('from dev');
    await expect(cell('service-a', 'stage', branchingPage).innerText()).resolves.toMatch(
      /behind dev by 2\s+6 days behind dev/,
    );
    await expect(cell('service-a', 'qa', branchingPage).innerText()).resolves.toMatch(
      /behind dev by 1\s+3 days behind dev/,
    );
    await expect(cell('service-a', 'prod', branchingPage).innerText()).resolves.toMatch(
      /behind stage by 1\s+4 days behind stage/,
    );
  });

  it('keeps markup in commit subjects, tags and reasons as text, and the token of a clone URL out', async () => {
    const source = readFileSync(hostileFile, 'utf8');
    expect(source).not.toContain(SECRET);
    expect(source).not.toContain('x-access-token');
    expect(await hostilePage.locator('script, img, iframe, object, embed').count()).toBe(0);
    await expect(hostilePage.title()).resolves.toBe('berth status');
    const dev = cell('service-a', 'dev', hostilePage);
    await expect(dev.locator('.version').innerText()).resolves.toBe(HOSTILE_TAG);
    const link = dev.locator('.since a.commit');
    await expect(link.getAttribute('href')).resolves.toBe(`${COMMIT_PAGE}${hostile.commits.hostile}`);
    await expect(link.getAttribute('title')).resolves.toBe(`${hostile.commits.hostile}\n${HOSTILE_SUBJECT}`);
    const release = hostilePage.locator('#svc-service-c tbody.env-history[data-env="dev"] tr').first();
    await expect(release.locator('.reason').innerText()).resolves.toBe(HOSTILE_REASON);
    await expect(release.locator('a.commit').getAttribute('title')).resolves.toContain(
      'chore(dev): bump service-c to 0.9.3',
    );
    // no attribute an injection could have added
    const handlers = await hostilePage
      .locator('*')
      .evaluateAll((elements) =>
        elements
          .flatMap((element) => [...element.attributes].map((attribute) => attribute.name))
          .filter((name) => name.startsWith('on')),
      );
    expect(handlers).toEqual([]);
  });

  it('shows the versions in the matrix cells', async () => {
    const versions = async (service: string) =>
      Promise.all(
        ['dev', 'stage', 'prod'].map(async (env) =>
          (await cell(service, env).locator('.version').count())
            ? cell(service, env).locator('.version').innerText()
            : '',
        ),
      );
    expect(await versions('service-a')).toEqual(['1.7.0', '1.5.0', '1.5.0']);
    expect(await versions('service-b')).toEqual(['2.2.1', '2.1.0', '2.0.9']);
    expect(await versions('batch-job')).toEqual(['1.0.0', '', '']);
    await expect(cell('service-a', 'stage').innerText()).resolves.toContain('behind dev by 2');
    await expect(cell('service-b', 'prod').innerText()).resolves.toContain('diverged from stage');
    await expect(cell('service-a', 'dev').innerText()).resolves.toContain('sha256:abababababab');
    await expect(cell('service-a', 'stage').innerText()).resolves.toContain(
      `chart ${repo.commits.aDev150.slice(0, 7)}`,
    );
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

  it("lists each service's releases per environment, newest first", async () => {
    const section = page.locator('#svc-service-a');
    await expect(section.isVisible()).resolves.toBe(true);
    const rows = section.locator('tbody.env-history[data-env="dev"] tr');
    expect(await rows.count()).toBe(3);
    await expect(rows.nth(0).innerText()).resolves.toMatch(
      /^dev\s+1\.7\.0\s+bump\s+1\.6\.0 → 1\.7\.0[\s\S]*2025-03-04\s+alice/i,
    );
    await expect(rows.nth(2).innerText()).resolves.toMatch(/1\.5\.0\s+bump\s+1\.4\.3 → 1\.5\.0/);
    const stage = await section.locator('tbody.env-history[data-env="stage"] tr').innerText();
    expect(stage).toMatch(
      /^stage\s+1\.5\.0\s+promote\s+1\.4\.2 → 1\.5\.0\s+dev\s+[0-9a-f]{7}\s+2025-03-02\s+bob\s+approved in CAB-42 <b>not bold<\/b>/i,
    );
    await expect(page.locator('#svc-postgres').innerText()).resolves.toContain('no release recorded by berth');
  });

  it('saves a screenshot', async () => {
    mkdirSync(join(repositoryRoot, 'dist'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
    // the board of a workspace where qa and stage both promote from dev
    const branchingShot = SCREENSHOT.replace(/\.png$/, '-branching.png');
    await branchingPage.screenshot({ path: branchingShot, fullPage: true });
    expect(readFileSync(branchingShot).subarray(1, 4).toString()).toBe('PNG');
  });
});
