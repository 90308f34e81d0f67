// Load time a user feels (not a timed test): navigation to the first interactive frame
// (`<html data-first-frame>`, set when the playground's first render committed) under
// Chromium's network and CPU throttling set through the DevTools protocol — 1.6 Mbps
// down, 750 kbps up, 150 ms round trip (`Network.emulateNetworkConditions`, cache off)
// and a 4× CPU slowdown (`Emulation.setCPUThrottlingRate`) — in a fresh browser context
// per run. Files are served gzip -9'd (as any static host compresses them; `serve.mjs`
// sends them raw), Brotli quality 11 with `--br` (as hosts that precompress do), or raw
// with `--raw`. Prints every run and the median.
// Usage: node tests/bench/load.mjs [dist] [runs] [--raw | --br]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './serve.mjs';

const dist = process.argv[2] ?? 'dist';
const runs = Number(process.argv[3] ?? 5);
const raw = process.argv.includes('--raw');
const br = process.argv.includes('--br');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1, gzipped (Brotli with `br`) unless `raw`; resolves to { url, close }. */
function serveGzip(dir) {
  const root = resolve(dir);
  const zipped = new Map(); // compressed once, before the timed loads
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (raw) { res.writeHead(200, headers).end(body); return; }
      const brotli = () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      if (!zipped.has(file)) zipped.set(file, br ? brotli() : gzipSync(body, { level: 9 }));
      res.writeHead(200, { ...headers, 'content-encoding': br ? 'br' : 'gzip' }).end(zipped.get(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    ok({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
  }));
}

const server = await serveGzip(dist);
// Compress every file once before the first timed load (Brotli 11 takes seconds).
if (!raw) {
  const { readdir } = await import('node:fs/promises');
  for (const f of await readdir(dist)) await fetch(`${server.url}${f}`).then((r) => r.arrayBuffer()).catch(() => {});
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForSelector('html[data-first-frame]', { timeout: 120_000 });
    const ms = Number(await page.getAttribute('html', 'data-first-frame'));
    times.push(ms);
    console.log(`run ${i + 1}: navigation → first interactive frame ${ms.toFixed(0)} ms`);
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}
times.sort((a, b) => a - b);
console.log(`median of ${runs}: ${times[Math.floor(runs / 2)].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[runs - 1].toFixed(0)})`);
