import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumInstallation, ensureChromium, HEADLESS_CHROMIUM_ARGS } from './support/chromium';
import { type CliWorld, startCliWorld } from './support/cliWorld';
import {
  FAILED_ERROR_CODE,
  HOSTILE_TAG,
  HOSTILE_USER_AGENT,
  type RespondedIncident,
  respondToHostileIncident,
} from './support/respondedIncident';

/** Kept after the run (gitignored): the rendered report and its screenshot, for a person to look at. */
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const VIEWPORT = { width: 1280, height: 900 };

let installation: ChromiumInstallation;
let world: CliWorld | undefined;
let incident: RespondedIncident;
let profile: string;
let context: BrowserContext | undefined;
let page: Page;
const requested: string[] = [];

beforeAll(async () => {
  installation = ensureChromium();
  if (!installation.available) {
    console.warn(
      `Skipping the HTML report's browser test: chromium cannot be installed here (${installation.reason}).`,
    );
    return;
  }
  world = await startCliWorld();
  incident = await respondToHostileIncident(world);
  const shown = await world.cli(['reports', 'show', incident.findingId, '--format', 'html']);
  if (shown.code !== 0) throw new Error(`reports show failed: ${shown.stderr}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'incident-report.html');
  writeFileSync(file, shown.stdout);
  profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: installation.executablePath,
    args: HEADLESS_CHROMIUM_ARGS,
    headless: true,
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
  });
  context.on('request', (request) => requested.push(request.url()));
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  await world?.close();
});

interface PageState {
  readonly title: string;
  readonly tagExecuted: boolean;
  readonly userAgentExecuted: boolean;
  readonly scripts: number;
  readonly images: number;
  readonly text: string;
}

/** The PNG's width and height, from its IHDR chunk (bytes 16-23, after the 8-byte signature and chunk header). */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How many pixels of the PNG differ from its top-left pixel, decoded by the browser on a blank page. */
async function pixelsUnlikeTheBackground(png: Buffer): Promise<number> {
  const blank = await context?.newPage();
  if (blank === undefined) throw new Error('no browser');
  try {
    return await blank.evaluate<number>(`(async () => {
      const bytes = Uint8Array.from(atob('${png.toString('base64')}'), (character) => character.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const drawing = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      drawing.drawImage(bitmap, 0, 0);
      const { data } = drawing.getImageData(0, 0, bitmap.width, bitmap.height);
      let different = 0;
      for (let index = 0; index < data.length; index += 4) {
        if (data[index] !== data[0] || data[index + 1] !== data[1] || data[index + 2] !== data[2]) different++;
      }
      return different;
    })()`);
  } finally {
    await blank.close();
  }
}

describe('the HTML report in a real browser (Debian chromium, headless)', () => {
  it('shows a timeline row per step, the failed step with its AWS error code', async ({ skip }) => {
    if (!installation.available) return skip(installation.reason);

    // Act
    const rows = await page.locator('table.timeline tbody tr.step').count();
    const failedCodes = await page.locator('tr.step.failed .error-code').allTextContents();
    const failedStep = await page.locator('tr.step.failed .name').allTextContents();

    // Assess
    expect(rows).toBe(incident.report.steps.length);
    expect(failedCodes).toEqual([FAILED_ERROR_CODE]);
    expect(failedStep).toEqual(['preserveEvidence.snapshotVolume']);
  });

  it('runs no script from a tag or a user agent, and shows them as text', async ({ skip }) => {
    if (!installation.available) return skip(installation.reason);

    // Act
    // A string: the page's globals are the browser's, not this program's (no DOM types here).
    const state = await page.evaluate<PageState>(`({
      title: document.title,
      tagExecuted: '__tagExecuted' in window,
      userAgentExecuted: '__userAgentExecuted' in window,
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      text: document.body.innerText,
    })`);

    // Assess
    expect(state.tagExecuted || state.userAgentExecuted).toBe(false);
    expect(state.title).not.toBe('tag-executed');
    expect(state.scripts + state.images).toBe(0);
    expect(state.text).toContain(HOSTILE_TAG);
    expect(state.text).toContain(HOSTILE_USER_AGENT);
  });

  it('loads nothing but the file itself', async ({ skip }) => {
    if (!installation.available) return skip(installation.reason);

    // Assess
    expect(requested.filter((url) => !url.endsWith('/incident-report.html'))).toEqual([]);
  });

  it('takes a screenshot: a PNG of the viewport, not blank (kept in tests/artifacts/)', async ({ skip }) => {
    if (!installation.available) return skip(installation.reason);

    // Act
    const png = await page.screenshot({ type: 'png' });
    writeFileSync(join(ARTIFACTS, 'incident-report.png'), png);

    // Assess
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual(VIEWPORT);
    // Text, tables and the outcome badges: far more than a few stray pixels differ from the background.
    expect(await pixelsUnlikeTheBackground(png)).toBeGreaterThan((VIEWPORT.width * VIEWPORT.height) / 50);
  });
});
