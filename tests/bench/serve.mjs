// A minimal static server for dist/ on 127.0.0.1 (an ephemeral port), for the
// benchmark and screenshot scripts. No dependencies beyond Node (`profileStress` loads
// playwright-core when called).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json',
};

/** Serves `dir`; resolves to { url, close }. */
export function serve(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    ok({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
  }));
}

/** Chromium flags for a quiet headless run on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * A Chromium trace of `page` for `ms` (timeline categories), and the page's main thread:
 * the renderer thread that ran the most animation frames. Returns its complete events
 * (`ph: 'X'`) in time order as `onMain`, and `frames`, how many of them are animation frames.
 */
export async function traceMainThread(page, ms) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.waitForTimeout(ms);
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  const count = {};
  for (const e of events) if (e.name === 'FireAnimationFrame') count[`${e.pid}:${e.tid}`] = (count[`${e.pid}:${e.tid}`] ?? 0) + 1;
  const [main] = Object.entries(count).sort((a, b) => b[1] - a[1])[0] ?? [''];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').length;
  return { onMain, frames };
}

/**
 * A CPU profile of the stress scenario (`?bench=frames`, 1366 × 900) served from `dist`:
 * the page runs 3.5 s to settle, then Chromium's sampling profiler (200 µs) records `ms`.
 * Returns the profile's nodes by id, each node's parent id, and the sampled time per
 * node id in µs (`self`), for `profile.mjs` (self time) and `profile_incl.mjs`
 * (inclusive time).
 */
export async function profileStress(dist, ms) {
  const { chromium } = await import('playwright-core');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const server = await serve(dist);
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'prof-')), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.goto(server.url + '?bench=frames');
    await page.waitForTimeout(3500);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.waitForTimeout(ms);
    const { profile } = await cdp.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    return { byId, parent, self };
  } finally {
    await ctx.close();
    server.close();
  }
}
