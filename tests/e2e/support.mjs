// Shared pieces of the end-to-end tests: a static server for dist/, Debian's Chromium
// driven by playwright-core, a page that records every console error or warning, polling
// helpers, and screenshots in tests/artifacts/ (gitignored).
//
// The tests run against the release build: `trunk build --release --offline` (or
// `cargo xtask test`, which builds it first) must have filled dist/.

import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The workspace root. */
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The release build under test. */
export const distDir = join(root, 'dist');
/** Where screenshots go. */
export const artifactsDir = join(root, 'tests', 'artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves `dir` on 127.0.0.1 on a free port, from the sub-path `base` (default `/app/`, so
 * the test also proves the build works from a subfolder, as on a static host), plus
 * `pages`: extra documents by absolute path (e.g. a page that embeds the app), typed by
 * their extension (HTML when they have none).
 * Returns `{ origin, url, close }`; `close()` ends the server and its open connections.
 */
export async function serveDist({ dir = distDir, base = '/app/', pages = {} } = {}) {
  const index = join(dir, 'index.html');
  if (!(await stat(index).catch(() => null))) {
    throw new Error(`${index} is missing: run \`trunk build --release --offline\` first`);
  }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (Object.hasOwn(pages, path)) {
      const type = TYPES[extname(path)] ?? TYPES['.html'];
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(pages[path]);
      return;
    }
    if (!path.startsWith(base)) {
      res.writeHead(404).end('outside the served folder');
      return;
    }
    let file = normalize(join(dir, path.slice(base.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}${base}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Debian's Chromium, headless and quiet on a closed network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `url` in a fresh page and records console errors and warnings, uncaught page
 * errors, failed requests and HTTP errors into `problems`; a test ends with
 * `assert.deepEqual(problems, [])`. Other `options` go to `browser.newPage` (e.g.
 * `colorScheme: 'dark'`, `hasTouch: true`, `isMobile: true`).
 */
export async function openPage(browser, url, { width = 1280, height = 800, ...options } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, ...options });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * Calls `check()` every `interval` ms until it returns a truthy value, which it returns;
 * after `timeout` ms it throws, naming `what` and the last value seen.
 */
export async function poll(check, { what, timeout = 30_000, interval = 100 }) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Every pod card on the page: `{ name, ready, requests }`, sorted by name. */
export function readPods(page) {
  return page.$$eval('[data-pod]', (els) =>
    els
      .map((e) => ({
        name: e.dataset.pod,
        ready: e.dataset.ready === 'true',
        requests: Number(e.dataset.requests),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}

/** Saves a full-page screenshot as tests/artifacts/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Saves the whole page as tests/artifacts/<name>.png with every part drawn: panels
 * off screen skip rendering (`content-visibility: auto`) and the traffic canvas covers
 * only the viewport, so the viewport is stretched to the page for the shot, then
 * restored; the pointer is moved off the cards first. Returns the path.
 */
export async function screenshotPage(page, name) {
  const viewport = page.viewportSize();
  // No tooltip from a card that slid under the pointer after a click.
  await page.mouse.move(0, 0);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  // Two frames: layout and content-visibility settle, then the canvas repaints.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.waitForTimeout(150);
  try {
    return await screenshot(page, name);
  } finally {
    await page.setViewportSize(viewport);
  }
}

/**
 * What sticks out sideways: the document's width against the viewport's, every panel,
 * map area, node, dialog or EndpointSlice table box whose content is wider than the
 * box, and every element past the viewport's edge (except inside the boxes that scroll
 * on their own: the kube-proxy rules and the event list). Empty lists mean no
 * horizontal overflow.
 */
export function readOverflow(page) {
  return page.evaluate(() => {
    const boxes = '.panel, .map, .internet, .cluster, .col, .node, .pods, .dialog, .toolbar, .scenario-menu, .top, .pod-filter, .legend, .service, .client, .endpoints';
    const wide = [...document.querySelectorAll(boxes)]
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => `${e.className}: ${e.scrollWidth} > ${e.clientWidth}`);
    const outside = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || e.closest('.visually-hidden')) return false;
        // Inside a box that scrolls sideways on its own, clipping is by design.
        const scroller = e.parentElement?.closest('pre, .events');
        return !scroller && (r.right > innerWidth + 0.5 || r.left < -0.5);
      })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return { page: document.documentElement.scrollWidth, viewport: innerWidth, wide, outside };
  });
}

/** Visible buttons, selects and inputs smaller than `min` px either way, by hook. */
export function readSmallTargets(page, min = 32) {
  return page.evaluate((min) => {
    const els = [...document.querySelectorAll('button, select, input, textarea, summary')];
    return els
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.width < min || r.height < min);
      })
      .map((e) => `${e.tagName.toLowerCase()}[${e.dataset.action ?? e.className}] ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`);
  }, min);
}

/** Sets the simulation speed through the toolbar (hundredths: 1000 = ×10). */
export async function setSpeed(page, hundredths) {
  await page.locator('select[data-action="speed"]').selectOption(String(hundredths));
}

/**
 * The request-share rows of one Service: `{ pod, served, expected }` per pod (a pod is
 * listed while it is a ready endpoint or served in the window).
 */
export function readShares(page, service) {
  return page.$$eval(`[data-share="${service}"] [data-share-pod]`, (els) =>
    els.map((e) => ({ pod: e.dataset.sharePod, served: Number(e.dataset.served), expected: Number(e.dataset.expected) })),
  );
}

/**
 * The endpoints panel's rows for one Service, from its EndpointSlices:
 * `{ pod, address, ready, serving, terminating }`.
 */
export function readEndpoints(page, service) {
  return page.$$eval(`[data-endpoints="${service}"] tr[data-endpoint]`, (els) =>
    els.map((e) => ({
      pod: e.dataset.endpoint,
      address: e.dataset.address,
      ready: e.dataset.ready === 'true',
      serving: e.dataset.serving === 'true',
      terminating: e.dataset.terminating === 'true',
    })),
  );
}

/** Pod cards with their state word (`ready`, `not-ready`, `terminating`, `pending`). */
export function readPodStates(page) {
  return page.$$eval('[data-pod]', (els) =>
    els.map((e) => ({ name: e.dataset.pod, ready: e.dataset.ready === 'true', state: e.dataset.state, requests: Number(e.dataset.requests), match: e.dataset.match })),
  );
}

/**
 * The hooks every e2e file needs: before its tests, serve `dist/` (with `serveOptions`, or
 * what an async function of that name returns) and launch Chromium; after them, close
 * both. Returns the pair, filled in once `before` has run.
 */
export function useSuite(serveOptions = {}) {
  const suite = { server: undefined, browser: undefined };
  before(async () => {
    const options = typeof serveOptions === 'function' ? await serveOptions() : serveOptions;
    suite.server = await serveDist(options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
